/** GFM table rows as micromark-extension-gfm-table reads them: head cell count, delimiter row, cell split. */
import type { Align, Cell } from './types';

const PIPE = 124;
const BACKSLASH = 92;
const DASH = 45;
const COLON = 58;

// Hot loops test whitespace inline (`c === 32 || c === 9`) rather than through a helper.

/**
 * ASCII characters after which a cell's plain text may differ from its source: inline markup
 * (`\`, `` ` ``, `*`, `_`, `~`, `<`, `&`, `[`, `]`) and NUL. Cells without them skip inline work.
 */
const MARKUP = new Uint8Array(128);
for (const c of '\\`*_~<&[]\0') MARKUP[c.charCodeAt(0)] = 1;

/**
 * Cell count of a candidate head row starting at its first non-space character, or -1 when the line
 * cannot head a table (a lone pipe). Mirrors `headRowBreak`'s `size`/`sizeB` counting.
 */
export function headCellCount(text: string, from: number, end: number): number {
  if (from >= end) return -1;
  let seen = false;
  let sizeB = 0;
  let size = 0;
  let i = from;
  if (text.charCodeAt(i) !== PIPE) {
    seen = true;
    sizeB = 1;
  }
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9) {
      i++;
      continue;
    }
    sizeB++;
    if (seen) {
      seen = false;
      size++;
    }
    if (c === PIPE) {
      seen = true;
      i++;
      continue;
    }
    while (i < end) {
      const d = text.charCodeAt(i);
      if (d === PIPE || d === 32 || d === 9) break;
      i++;
      if (d === BACKSLASH && i < end) {
        const e = text.charCodeAt(i);
        if (e === BACKSLASH || e === PIPE) i++;
      }
    }
  }
  return sizeB > 1 ? size : -1;
}

/** Alignments of a delimiter row starting at its first non-space character, or null if it is not one. */
export function delimiterAlign(text: string, from: number, end: number): Align[] | null {
  const align: Align[] = [];
  let i = from;
  let seen = false;
  let c = i < end ? text.charCodeAt(i) : -1;
  if (c === PIPE) {
    seen = true;
    i++;
  } else if (c !== DASH && c !== COLON) {
    return null;
  }
  for (;;) {
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= end) break;
    c = text.charCodeAt(i);
    let left = false;
    if (c === COLON) {
      left = true;
      seen = true;
      i++;
      c = i < end ? text.charCodeAt(i) : -1;
    }
    if (c !== DASH) return null;
    while (i < end && text.charCodeAt(i) === DASH) i++;
    let right = false;
    if (i < end && text.charCodeAt(i) === COLON) {
      right = true;
      seen = true;
      i++;
    }
    align.push(left ? (right ? 'center' : 'left') : right ? 'right' : null);
    while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
    if (i >= end) break;
    if (text.charCodeAt(i) !== PIPE) return null;
    seen = true;
    i++;
  }
  return seen ? align : null;
}

/**
 * Push the cell `from..to` (trimmed of spaces and tabs) with `text` = `raw`; a cell whose plain
 * text may differ (markup, or other whitespace at an edge) also goes to `pending`.
 */
function pushCell(text: string, from: number, to: number, markup: number, out: Cell[], pending: Cell[] | null): void {
  let c = 0;
  while (from < to && ((c = text.charCodeAt(from)) === 32 || c === 9)) from++;
  while (to > from && ((c = text.charCodeAt(to - 1)) === 32 || c === 9)) to--;
  const raw = text.slice(from, to);
  const cell: Cell = { raw, text: raw, from, to };
  out.push(cell);
  if (pending && to > from && (markup || text.charCodeAt(from) > 126 || text.charCodeAt(to - 1) > 126 || text.charCodeAt(from) < 32 || text.charCodeAt(to - 1) < 32)) {
    pending.push(cell);
  }
}

/**
 * Split a row (from its first non-space character) into cells as the table resolver does: a leading
 * pipe opens no cell, a trailing pipe closes the last one, escaped pipes (`\|`) do not split.
 * Cells whose plain text needs inline work are added to `pending` (when given).
 */
export function splitRow(text: string, from: number, end: number, pending: Cell[] | null): Cell[] {
  const cells: Cell[] = [];
  let i = from;
  if (i < end && text.charCodeAt(i) === PIPE) i++;
  let segment = i;
  let split = false;
  let markup = 0;
  while (i < end) {
    const c = text.charCodeAt(i);
    if (c === PIPE) {
      pushCell(text, segment, i, markup, cells, pending);
      segment = i + 1;
      split = true;
      markup = 0;
    } else if (c < 128) {
      markup |= MARKUP[c] as number;
      if (c === BACKSLASH && i + 1 < end) {
        const d = text.charCodeAt(i + 1);
        if (d === BACKSLASH || d === PIPE) i++;
      }
    }
    i++;
  }
  let blank = true;
  for (let j = segment; j < end && blank; j++) blank = text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9;
  if (!split || !blank) pushCell(text, segment, end, markup, cells, pending);
  return cells;
}
