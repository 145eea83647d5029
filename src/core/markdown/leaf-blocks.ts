/** One-line leaf block tests: ATX headings, fences, setext underlines. */
import { isSpaceOrTab } from './line-cursor';

const HASH = 35;
const BACKTICK = 96;

/**
 * An ATX heading at `p` (its first `#`): `[level, contentFrom, contentTo]` with the closing
 * sequence and surrounding whitespace removed (micromark's `resolveHeadingAtx`), or null.
 */
export function atxContent(text: string, p: number, end: number): [number, number, number] | null {
  let i = p;
  while (i < end && text.charCodeAt(i) === HASH) i++;
  const level = i - p;
  if (level > 6 || (i < end && !isSpaceOrTab(text.charCodeAt(i)))) return null;
  let from = i;
  while (from < end && isSpaceOrTab(text.charCodeAt(from))) from++;
  let to = end;
  while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
  if (to > from && text.charCodeAt(to - 1) === HASH) {
    let s = to;
    while (s > from && text.charCodeAt(s - 1) === HASH) s--;
    if (s === from) {
      to = from;
    } else if (isSpaceOrTab(text.charCodeAt(s - 1))) {
      to = s;
      while (to > from && isSpaceOrTab(text.charCodeAt(to - 1))) to--;
    }
  }
  return [level, from, to];
}

/** Length of an opening code fence at `p`, or 0. A backtick fence's info may not hold a backtick. */
export function fenceOpening(text: string, p: number, end: number): number {
  const marker = text.charCodeAt(p);
  let i = p;
  while (i < end && text.charCodeAt(i) === marker) i++;
  const size = i - p;
  if (size < 3) return 0;
  if (marker === BACKTICK) {
    for (let j = i; j < end; j++) if (text.charCodeAt(j) === BACKTICK) return 0;
  }
  return size;
}

/** Whether `p..end` closes a fence of `marker` opened with `size` characters. */
export function isFenceClose(text: string, p: number, end: number, marker: number, size: number): boolean {
  let i = p;
  while (i < end && text.charCodeAt(i) === marker) i++;
  if (i - p < size) return false;
  while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
  return i >= end;
}

/** Whether `p..end` is a setext underline: a run of `=` or `-`, then only whitespace. */
export function isSetextUnderline(text: string, p: number, end: number): boolean {
  const marker = text.charCodeAt(p);
  let i = p;
  while (i < end && text.charCodeAt(i) === marker) i++;
  while (i < end && isSpaceOrTab(text.charCodeAt(i))) i++;
  return i >= end;
}
