import type { Plugin } from 'obsidian';
import { findRowById } from '../../core';
import type { CanonHost } from '../host';

/**
 * Makes `[[W-12]]`-style links to row ids open the row (SPEC §1 lets links name row ids): Obsidian
 * would otherwise treat them as links to a missing note and create `W-12.md` on click. Handles
 * reading view links (`a.internal-link`) and live preview links (`.cm-hmd-internal-link`).
 */
export function registerRowLinks(plugin: Plugin, host: CanonHost): void {
  plugin.registerDomEvent(activeDocument, 'click', (evt) => {
    const target = rowIdTarget(evt.target);
    const model = host.snapshot().result?.model;
    if (target === null || !model) return;
    if (!findRowById(model, target)) return;
    evt.preventDefault();
    evt.stopImmediatePropagation();
    // Rows may have moved since the last check (live checks off, or a re-check pending): look again first.
    void host
      .validateNow()
      .then(() => {
        const fresh = host.snapshot().result?.model;
        const row = fresh ? findRowById(fresh, target) : null;
        return row ? host.openNote(row.path, row.line) : undefined;
      })
      .catch(() => undefined);
  }, { capture: true });
}

/** The row id a click landed on, if it landed on an internal link whose target looks like one. */
function rowIdTarget(target: EventTarget | null): string | null {
  if (!(target instanceof Element)) return null;
  const reading = target.closest('a.internal-link');
  const live = reading ? null : target.closest('.cm-hmd-internal-link');
  const text = reading?.getAttribute('data-href') ?? live?.textContent ?? null;
  if (text === null) return null;
  const id = text.split('#')[0]?.split('|')[0]?.trim() ?? '';
  return /^[A-Za-z]+-\d+$/.test(id) ? id : null;
}
