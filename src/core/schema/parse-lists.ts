import type { CellResult, LinkRef } from './cell-type';
import { fail, notA, ok } from './cell-message';
import { isNonePlaceholder } from './parse-words';

const ROW_ID = /^([A-Za-z]+)-([1-9]\d*)$/;
const EVENT_PAIR = /^([A-Za-z][\w.:-]*)\s*=\s*(\d+)$/;
const LINK_EXPECTED = '[[note]], [[note#heading|alias]] or a row id such as W-12, separated by commas';
const EVENT_EXPECTED = 'name=count pairs separated by commas, e.g. vp.mission.failed=2';

const WHITESPACE = /\s/;

// Char codes first: a regex per character would double the cost of a long links cell.
function isSeparator(text: string, at: number): boolean {
  const code = text.charCodeAt(at);
  if (code === 32 || code === 44 || code === 59 || (code >= 9 && code <= 13)) return true;
  return code > 127 && WHITESPACE.test(text.charAt(at));
}

/** Reads `[[target#heading|alias]]`'s inside; null when it names nothing or holds brackets. */
function readWiki(inner: string, raw: string): LinkRef | null {
  if (/[[\]]/.test(inner)) return null;
  const bar = inner.indexOf('|');
  const targetPart = bar < 0 ? inner : inner.slice(0, bar);
  const alias = bar < 0 ? '' : inner.slice(bar + 1).trim();
  const hash = targetPart.indexOf('#');
  const target = (hash < 0 ? targetPart : targetPart.slice(0, hash)).trim();
  const heading = hash < 0 ? '' : targetPart.slice(hash + 1).trim();
  if (target === '' && heading === '') return null;
  return { kind: 'wiki', target, heading: heading || null, alias: alias || null, raw };
}

/** Reads one link starting at `from`; returns it and where it ends, or the offending token. */
function readLink(text: string, from: number): { link: LinkRef | null; end: number } {
  if (text.startsWith('[[', from)) {
    const close = text.indexOf(']]', from + 2);
    if (close < 0) return { link: null, end: text.length };
    const raw = text.slice(from, close + 2);
    return { link: readWiki(text.slice(from + 2, close), raw), end: close + 2 };
  }
  let end = from;
  while (end < text.length && !isSeparator(text, end)) end++;
  const raw = text.slice(from, end);
  const m = ROW_ID.exec(raw);
  return { link: m ? { kind: 'row-id', id: `${(m[1] ?? '').toUpperCase()}-${m[2] ?? ''}`, raw } : null, end };
}

/** Reads a `links` cell: wiki links and row ids separated by commas, spaces or semicolons; empty or `—` is none. */
export function parseLinks(text: string): CellResult<LinkRef[]> {
  if (isNonePlaceholder(text)) return ok([]);
  const links: LinkRef[] = [];
  let at = 0;
  while (at < text.length) {
    if (isSeparator(text, at)) {
      at++;
      continue;
    }
    const { link, end } = readLink(text, at);
    if (!link) return notA(text.slice(at, end), 'a link', LINK_EXPECTED);
    links.push(link);
    at = end;
  }
  return ok(links);
}

/** Reads an `events` cell: `name=count` pairs separated by commas or semicolons; empty or `—` is none. */
export function parseEvents(text: string): CellResult<Map<string, number>> {
  const events = new Map<string, number>();
  if (isNonePlaceholder(text)) return ok(events);
  for (const part of text.split(/[,;]/)) {
    const pair = part.trim();
    if (pair === '') continue; // a trailing separator is harmless
    const m = EVENT_PAIR.exec(pair);
    const name = m?.[1] ?? '';
    const count = Number(m?.[2]);
    if (!m || !Number.isSafeInteger(count)) return notA(pair, 'an event count', EVENT_EXPECTED);
    if (events.has(name)) return fail(name, 'is repeated', 'each event once per window');
    events.set(name, count);
  }
  return ok(events);
}
