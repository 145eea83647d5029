import { Modal, type App, Notice } from 'obsidian';
import type { CloseReason, CloseReasonKind } from '../../core';

/** The reasons by kind, each kind under its own line of text; open items as `n. text` in `.canon-open-items`. */
const GROUPS: readonly { kind: CloseReasonKind; cls: string; title: (n: number) => string }[] = [
  { kind: 'item', cls: 'canon-open-items', title: (n) => `${n} checklist ${n === 1 ? 'item is' : 'items are'} not ticked:` },
  { kind: 'required', cls: 'canon-open-required', title: (n) => `${n} required ${n === 1 ? 'update is' : 'updates are'} not done:` },
  { kind: 'gate', cls: 'canon-open-gates', title: (n) => `${n} ${n === 1 ? 'gate is' : 'gates are'} not passed:` },
  { kind: 'guardrails', cls: 'canon-open-guardrails', title: () => 'The guardrails are in breach:' },
  { kind: 'done', cls: 'canon-open-done', title: (n) => `${n} ${n === 1 ? 'packet' : 'packets'} to set done ${n === 1 ? 'has' : 'have'} gates not passed:` },
];

/** Draws the close reasons, grouped by kind (as text, never markup). */
export function renderReasons(parent: HTMLElement, reasons: readonly CloseReason[]): void {
  for (const group of GROUPS) {
    const own = reasons.filter((r) => r.kind === group.kind);
    if (own.length === 0) continue;
    parent.createEl('p', { cls: 'canon-close-reason-kind', text: group.title(own.length) });
    const list = parent.createEl('ul', { cls: ['canon-close-reasons', group.cls] });
    for (const reason of own) list.createEl('li', { text: reason.detail });
  }
}

/**
 * Asks before a close the vault does not allow yet (README "The Obsidian plugin"), naming each reason: open items,
 * open required updates, gates not passed, guardrails in breach. Only the "Close anyway" button
 * forces the close; "Go back" has the focus, so Enter never forces it.
 */
export class ConfirmCloseModal extends Modal {
  private busy = false;

  constructor(
    app: App,
    private readonly reasons: readonly CloseReason[],
    private readonly confirm: () => Promise<void>,
  ) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    const onlyItems = this.reasons.every((r) => r.kind === 'item');
    this.setTitle(onlyItems ? 'Close with open items?' : 'Close the session anyway?');
    contentEl.addClass('canon-confirm-close');
    renderReasons(contentEl, this.reasons);
    contentEl.createEl('p', {
      cls: 'canon-muted',
      text: 'Closing anyway writes these reasons into the session note and into the summary of the row it adds to the control center.',
    });
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    const close = buttons.createEl('button', { cls: 'mod-warning', text: 'Close anyway', attr: { type: 'button' } });
    close.addEventListener('click', () => {
      if (this.busy) return;
      this.busy = true;
      close.disabled = true;
      void this.confirm()
        .catch((error: unknown) => new Notice(`Canon could not close the session: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.close());
    });
    const back = buttons.createEl('button', { text: 'Go back', attr: { type: 'button' } });
    back.addEventListener('click', () => this.close());
    back.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}
