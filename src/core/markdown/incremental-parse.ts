/**
 * Re-parsing a note after an edit that only touched body rows of one top-level table (a keystroke in
 * a cell, a row typed, pasted or deleted): the earlier parse is kept, the changed rows are split
 * again, and everything after them is shifted. The result equals `parseNote(text)`.
 *
 * Why it is exact: a line starting with `|` right after a body row (or the delimiter row) of a table
 * with no container is another body row whatever it holds (the block scanner's first case), and it
 * leaves the scanner as it found it. So when the lines before the edit are unchanged, the edited
 * lines were and are such rows, and the lines after are unchanged, the scan of the new text is the
 * scan of the old one with the rows swapped. Cell plain texts depend on the cell alone, the note's
 * definitions and its remark budget; the edit is only taken when no text of either note was refused
 * the budget. Anything else falls back to a full parse.
 */
import { cellDemand } from './cell-plain';
import { settleRows } from './inline-text';
import { parseNoteTrackedSteps, type TrackedParse } from './parse-note';
import { drain, ROWS_PER_STEP, type Steps } from '../steps';

/** Rows moved between two chances to pause: a move is a few object fields, far cheaper than reading a row. */
const MOVES_PER_STEP = ROWS_PER_STEP * 8;
import { RowSource, ScannedTable, TableRow } from './table-row';
import type { Cell, Heading, ParsedNote, Row, Table } from './types';

/** Which body rows of which table an incremental parse replaced, and how what follows moved. */
export interface RowEdit {
  /** The parse the edit was applied to. */
  base: ParsedNote;
  /** Index of the edited table in `tables` (the same in both notes). */
  table: number;
  /** Index of the first replaced body row. */
  row: number;
  /** Body rows taken out of the base, and put in their place. */
  removed: number;
  added: number;
  /** How far offsets and lines after the edit moved. */
  offsetDelta: number;
  lineDelta: number;
}

/** A tracked parse, with the row edit that produced it from an earlier one (null after a full parse). */
export interface Reparse extends TrackedParse {
  edit: RowEdit | null;
}

const PIPE = 124;
const LF = 10;
const CR = 13;

/** The parse of `text`, from `previous` when only table body rows changed, else from scratch. */
export function reparseNote(previous: TrackedParse, text: string): Reparse {
  return drain(reparseNoteSteps(previous, text));
}

/** `reparseNote` as work that can pause (a parse from scratch pauses; see `parseNoteTrackedSteps`). */
export function* reparseNoteSteps(previous: TrackedParse | undefined, text: string): Steps<Reparse> {
  const quick = previous ? yield* rowReparse(previous, text) : null;
  return quick ?? { ...(yield* parseNoteTrackedSteps(text)), edit: null };
}

/** The old and new line spans of an edit, whole lines: old lines `[first, after)` became `starts`/`ends`. */
interface Span {
  first: number;
  after: number;
  /** Offsets just past the span, in the old and the new text. */
  oldEnd: number;
  newEnd: number;
  starts: number[];
  ends: number[];
}

/** The incremental reparse, as work that can pause while it moves the rows after the edit; null when it does not apply. */
function* rowReparse(previous: TrackedParse, text: string): Steps<Reparse | null> {
  const { note, budget, definitions } = previous;
  if (budget.refused || note.text === text) return null;
  const span = changedLines(note, text);
  if (!span) return null;
  const { first, after, starts, ends } = span;
  // The line before the edit: a row of a table with no container (1-based line `first`).
  const ti = tableAt(note.tables, first);
  const table = note.tables[ti];
  if (!table) return null;
  const r0 = first - (table.line + 1);
  const before = r0 === 0 ? table.delimiter : table.rows[r0 - 1];
  const removed = after - first;
  if (!before || before.line !== first || before.from !== before.lineFrom || r0 + removed > table.rows.length) return null;
  if (removed > 0 && (table.rows[r0 + removed - 1] as Row).line !== after) return null;
  for (let k = r0; k < r0 + removed; k++) if ((table.rows[k] as Row).from !== (table.rows[k] as Row).lineFrom) return null;
  for (const from of starts) if (text.charCodeAt(from) !== PIPE) return null;

  const hasDefinitions = definitions.length > 0;
  let freed = 0;
  for (let k = r0; k < r0 + removed; k++) for (const cell of (table.rows[k] as Row).cells) freed += cellDemand(cell.raw, hasDefinitions);
  const sources: Sources = { content: new RowSource(text, true, hasDefinitions), raw: new RowSource(text, false) };
  const added = starts.map((from, j) => new TableRow(first + 1 + j, from, from, ends[j] as number, sources.content));
  const left = { left: budget.left + freed, refused: false };
  settleRows(text, added, definitions, left);
  if (left.refused) return null;

  const edit: RowEdit = { base: note, table: ti, row: r0, removed, added: added.length, offsetDelta: span.newEnd - span.oldEnd, lineDelta: added.length - removed };
  return { note: yield* shifted(note, text, span, edit, added, sources), definitions, budget: left, edit };
}

/**
 * The lines an edit touched: the common prefix and suffix of the texts, widened to whole lines
 * (the suffix to just past a line feed in it, so that line ends match in both texts). Null when
 * the edit starts on the first line or right after a lone `\r`.
 */
function changedLines(note: ParsedNote, text: string): Span | null {
  const old = note.text;
  const p = commonPrefix(old, text);
  const s = commonSuffix(old, text, Math.min(old.length, text.length) - p);
  const lineStarts = note.lineStarts;
  const i0 = lastAtOrBefore(lineStarts, p);
  const a = lineStarts[i0] as number;
  if (i0 === 0 || old.charCodeAt(a - 1) !== LF) return null;
  const eOld = old.length - s;
  const nl = old.indexOf('\n', eOld);
  const oldEnd = nl < 0 ? old.length : nl + 1;
  const newEnd = nl < 0 ? text.length : text.length - s + (nl + 1 - eOld);
  let after = i0;
  if (nl < 0) after = lineStarts.length;
  else while (after < lineStarts.length && (lineStarts[after] as number) < oldEnd) after++;
  const { starts, ends } = linesIn(text, a, newEnd, nl >= 0);
  return { first: i0, after, oldEnd, newEnd, starts, ends };
}

/** Line starts and ends of `text` in `[from, to)`; a terminated span ends just past a line break. */
function linesIn(text: string, from: number, to: number, terminated: boolean): { starts: number[]; ends: number[] } {
  const starts: number[] = [];
  const ends: number[] = [];
  let start = from;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== LF && c !== CR) continue;
    starts.push(start);
    ends.push(i);
    if (c === CR && text.charCodeAt(i + 1) === LF) i++;
    start = i + 1;
  }
  if (!terminated) {
    starts.push(start);
    ends.push(to);
  }
  return { starts, ends };
}

/** Index of the table whose delimiter or body rows hold 1-based `line`, or -1. */
function tableAt(tables: readonly Table[], line: number): number {
  let lo = 0;
  let hi = tables.length - 1;
  let found = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if ((tables[mid] as Table).line < line) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  const table = tables[found];
  return table && line <= table.line + 1 + table.rows.length ? found : -1;
}

/** What the new note's rows read their cells from: content rows, and delimiter rows (source text). */
interface Sources {
  content: RowSource;
  raw: RowSource;
}

/** The new note: the old one with the span's rows replaced and everything after it moved. */
function* shifted(note: ParsedNote, text: string, span: Span, edit: RowEdit, added: Row[], sources: Sources): Steps<ParsedNote> {
  const { offsetDelta: dx, lineDelta: dl } = edit;
  const lineStarts = note.lineStarts.slice(0, span.first);
  for (const start of span.starts) lineStarts.push(start);
  for (let i = span.after; i < note.lineStarts.length; i++) lineStarts.push((note.lineStarts[i] as number) + dx);
  yield;
  // Everything at or past the old span's end moves.
  const moved = (line: number): boolean => line > span.after;
  const headingOf = new Map<Heading, Heading>();
  const headings = note.headings.map((h) => {
    if (!moved(h.line)) return h;
    const copy: Heading = { level: h.level, text: h.text, line: h.line + dl, from: h.from + dx, to: h.to + dx };
    headingOf.set(h, copy);
    return copy;
  });
  const tables: Table[] = [];
  for (let i = 0; i < note.tables.length; i++) {
    const table = note.tables[i] as Table;
    if (i < edit.table) {
      tables.push(table);
      continue;
    }
    const heading = table.heading && (headingOf.get(table.heading) ?? table.heading);
    if (i > edit.table) {
      const header = moveRow(table.header, dx, dl, sources);
      const delimiter = moveRow(table.delimiter, dx, dl, sources);
      const rows: Row[] = [];
      for (let k = 0; k < table.rows.length; k++) {
        if (k % MOVES_PER_STEP === MOVES_PER_STEP - 1) yield;
        rows.push(moveRow(table.rows[k] as Row, dx, dl, sources));
      }
      tables.push(listed(table, table.line + dl, table.from + dx, table.to + dx, header, delimiter, rows, heading, table.prefix));
      continue;
    }
    const rows = table.rows.slice(0, edit.row);
    for (const row of added) rows.push(row);
    for (let k = edit.row + edit.removed; k < table.rows.length; k++) {
      if (k % MOVES_PER_STEP === MOVES_PER_STEP - 1) yield;
      rows.push(moveRow(table.rows[k] as Row, dx, dl, sources));
    }
    const last = rows[rows.length - 1] ?? table.delimiter;
    tables.push(listed(table, table.line, table.from, last.to, table.header, table.delimiter, rows, heading, text.slice(last.lineFrom, last.from)));
  }
  return { text, eol: note.eol, lineStarts, frontmatter: note.frontmatter, headings, tables };
}

/** A table of the new note with its rows listed (a scanned table, as a fresh parse gives, when `table` is one). */
function listed(table: Table, line: number, from: number, to: number, header: Row, delimiter: Row, rows: Row[], heading: Heading | null, prefix: string): Table {
  if (!(table instanceof ScannedTable)) return { ...table, line, from, to, header, delimiter, rows, heading, prefix };
  const out = new ScannedTable(line, from, to, header, delimiter, table.align, null, rows);
  out.heading = heading;
  out.prefix = prefix;
  return out;
}

/** A row `dx` characters and `dl` lines further on in the new note; a scanned row keeps the texts the inline batch gave it. */
function moveRow(row: Row, dx: number, dl: number, sources: Sources): Row {
  if (row instanceof TableRow) {
    return new TableRow(row.line + dl, row.lineFrom + dx, row.from + dx, row.to + dx, row.src.inline ? sources.content : sources.raw, row.over);
  }
  const cells = row.cells;
  const out: Cell[] = new Array<Cell>(cells.length);
  for (let j = 0; j < cells.length; j++) {
    const c = cells[j] as Cell;
    out[j] = { raw: c.raw, text: c.text, from: c.from + dx, to: c.to + dx };
  }
  return { line: row.line + dl, lineFrom: row.lineFrom + dx, from: row.from + dx, to: row.to + dx, cells: out };
}

/** Index of the last entry of ascending `xs` that is at most `x` (0 when none is). */
function lastAtOrBefore(xs: readonly number[], x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((xs[mid] as number) <= x) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Length of the common prefix; compares in native chunks first (a char loop over megabytes is slow). */
function commonPrefix(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (i + step <= n && a.slice(i, i + step) === b.slice(i, i + step)) i += step;
  }
  return i;
}

/** Length of the common suffix, at most `max`. */
function commonSuffix(a: string, b: string, max: number): number {
  const na = a.length;
  const nb = b.length;
  let k = 0;
  for (let step = 4096; step >= 1; step >>= 4) {
    while (k + step <= max && a.slice(na - k - step, na - k) === b.slice(nb - k - step, nb - k)) k += step;
  }
  return k;
}
