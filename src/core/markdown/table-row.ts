/**
 * GFM table rows as micromark-extension-gfm-table reads them: head cell count, delimiter row, cell
 * split; and the rows the scanner gives, whose cells are read from the note text only when asked for.
 */
import type { Align, Cell, Heading, Row, Table } from './types';
import { cellPlainText, needsRemarkCell } from './cell-plain';

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

/** Where a row's cells are: cell `k` is `data[2k]`–`data[2k + 1]` (trimmed of spaces and tabs). One buffer serves row after row. */
export class Spans {
  declare data: Int32Array;

  constructor() {
    this.data = new Int32Array(64);
  }
}

function span(out: Spans, k: number, text: string, from: number, to: number): void {
  let c = 0;
  while (from < to && ((c = text.charCodeAt(from)) === 32 || c === 9)) from++;
  while (to > from && ((c = text.charCodeAt(to - 1)) === 32 || c === 9)) to--;
  out.data = setPair(out.data, k, from, to);
}

/** Stores the k-th (from, to) pair, doubling the buffer when it is full; returns the buffer in use. */
function setPair(data: Int32Array, k: number, from: number, to: number): Int32Array {
  let buffer = data;
  if (2 * k + 2 > buffer.length) {
    buffer = new Int32Array(4 * k + 4);
    buffer.set(data);
  }
  buffer[2 * k] = from;
  buffer[2 * k + 1] = to;
  return buffer;
}

/**
 * Split a row (from its first non-space character) into cells as the table resolver does: a leading
 * pipe opens no cell, a trailing pipe closes the last one, escaped pipes (`\|`) do not split. Pipes
 * are found with `indexOf`, and an escaped one told by the backslashes before it (an odd run escapes:
 * they pair up from the left), so the cells' characters are not looked at one by one. Writes each
 * cell's bounds to `out`; returns the cell count.
 */
export function cellSpans(text: string, from: number, end: number, out: Spans): number {
  let k = 0;
  let i = from;
  if (i < end && text.charCodeAt(i) === PIPE) i++;
  let segment = i;
  let split = false;
  for (;;) {
    const p = text.indexOf('|', i);
    if (p < 0 || p >= end) break;
    let q = p;
    while (q > i && text.charCodeAt(q - 1) === BACKSLASH) q--;
    i = p + 1;
    if ((p - q) & 1) continue;
    span(out, k++, text, segment, p);
    segment = p + 1;
    split = true;
  }
  let blank = true;
  for (let j = segment; j < end && blank; j++) blank = text.charCodeAt(j) === 32 || text.charCodeAt(j) === 9;
  if (!split || !blank) span(out, k++, text, segment, end);
  return k;
}

/** Whether the plain text of the cell `text[from, to)` (trimmed) may differ from it: markup, or other whitespace at an edge. */
export function cellFlag(text: string, from: number, to: number): boolean {
  if (to <= from) return false;
  const a = text.charCodeAt(from);
  const b = text.charCodeAt(to - 1);
  if (a > 126 || b > 126 || a < 32 || b < 32) return true;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c < 128 && MARKUP[c] === 1) return true;
  }
  return false;
}

/**
 * Inline reading deferred: the cells of a parse that may need remark are settled in document order,
 * only as far as some cell's plain text is asked for (see `LazyInline` in inline-text.ts).
 */
export interface Pending {
  /** Settles every content row that starts at or before `offset`. */
  upTo(offset: number): void;
}

/**
 * What the rows of one parse read their cells from: the note text, whether the note has link or
 * footnote definitions (they change how brackets read), whether cells get inline reading at all
 * (not in delimiter rows), and the inline work still deferred. Its fields are not enumerable: two
 * parses of the same text compare equal.
 */
export class RowSource {
  declare readonly text: string;
  declare readonly inline: boolean;
  declare defs: boolean;
  declare pending: Pending | null;
  /** Plain texts already worked out, by source text (a long table repeats its cells). */
  declare private readonly known: Map<string, string>;

  constructor(text: string, inline: boolean, defs = false) {
    Object.defineProperties(this, {
      text: { value: text },
      inline: { value: inline },
      defs: { value: defs, writable: true },
      pending: { value: null, writable: true },
      known: { value: new Map<string, string>() },
    });
  }

  /**
   * The plain text of the cell `text[from, to)` of the row starting at `rowFrom`: its source, unless
   * it may hold markup: then what the inline batch settled (`over`; a cell that needs remark waits
   * for the batch to run up to its row, as the budget goes in document order), or else read here.
   */
  cellText(rowFrom: number, from: number, to: number, over: () => string | undefined): string {
    const raw = this.text.slice(from, to);
    if (!this.inline || !cellFlag(this.text, from, to)) return raw;
    if (this.pending && needsRemarkCell(this.text, from, to, this.defs)) this.pending.upTo(rowFrom);
    const settled = over();
    if (settled !== undefined) return settled;
    let text = this.known.get(raw);
    if (text === undefined) {
      text = cellPlainText(raw, this.defs);
      if (this.known.size < 4096) this.known.set(raw, text);
    }
    return text;
  }

  /** The cells of the row `from`–`to`, with their plain texts. */
  cells(from: number, to: number, over: (k: number) => string | undefined): Cell[] {
    const spans = new Spans();
    const n = cellSpans(this.text, from, to, spans);
    const cells = new Array<Cell>(n);
    for (let k = 0; k < n; k++) {
      const a = spans.data[2 * k] as number;
      const b = spans.data[2 * k + 1] as number;
      cells[k] = { raw: this.text.slice(a, b), text: this.cellText(from, a, b, () => over(k)), from: a, to: b };
    }
    return cells;
  }

  /** The plain text of cell `k` of the row `from`–`to` (undefined when it has fewer cells). */
  textOf(from: number, to: number, k: number, over: (k: number) => string | undefined): string | undefined {
    const n = cellSpans(this.text, from, to, SCRATCH);
    const data = SCRATCH.data;
    return k < n ? this.cellText(from, data[2 * k] as number, data[2 * k + 1] as number, () => over(k)) : undefined;
  }
}

/** The cells of scanned rows once asked for (kept apart, so that rows compare by what they are). */
const CELLS = new WeakMap<TableRow, Cell[]>();
const SCRATCH = new Spans();

/**
 * A row as the scanner found it: where it is, and the plain texts the inline batch (remark) gave
 * some of its cells. Its `cells` are read from the note text when first asked for.
 */
export class TableRow implements Row {
  declare line: number;
  declare lineFrom: number;
  declare from: number;
  declare to: number;
  declare readonly src: RowSource;
  /** Plain texts by cell index that the inline batch decided (remark, or the source text when over budget); null when none. */
  declare over: (string | undefined)[] | null;

  constructor(line: number, lineFrom: number, from: number, to: number, src: RowSource, over: (string | undefined)[] | null = null) {
    this.line = line;
    this.lineFrom = lineFrom;
    this.from = from;
    this.to = to;
    this.src = src;
    this.over = over;
  }

  get cells(): Cell[] {
    let cells = CELLS.get(this);
    if (!cells) CELLS.set(this, (cells = this.src.cells(this.from, this.to, (k) => this.over?.[k])));
    return cells;
  }

  /** The plain text of cell `k` (undefined when the row has fewer cells), without building the others. */
  textOf(k: number): string | undefined {
    return CELLS.get(this)?.[k]?.text ?? this.src.textOf(this.from, this.to, k, (c) => this.over?.[c]);
  }

  /** Sets the plain text of cell `k` (the inline batch's answer). */
  settle(k: number, text: string): void {
    (this.over ??= [])[k] = text;
  }
}

/** The body rows of a table, read by index: how the binder and the rules see them. */
export interface RowAccess {
  readonly length: number;
  /** Line of row `j` (1-based). */
  line(j: number): number;
  /** Row `j` for a passing need (a diagnostic): may be made afresh on each call. */
  rowAt(j: number): Row;
  /** Row `j` as its table lists it: the same object each time. */
  row(j: number): Row;
  /** The plain text of cell `k` of row `j` (undefined when it has fewer cells), without building its other cells when it can. */
  text(j: number, k: number): string | undefined;
}

/** The rows of a list, and maybe one more after them. */
export class ListRows implements RowAccess {
  declare readonly length: number;
  declare private readonly rows: readonly Row[] | RowAccess;
  declare private readonly extra: Row | null;

  constructor(rows: readonly Row[] | RowAccess, extra: Row | null = null) {
    this.rows = rows;
    this.extra = extra;
    this.length = rows.length + (extra ? 1 : 0);
  }

  private get(j: number, made: boolean): Row {
    const rows = this.rows;
    if (j === rows.length && this.extra) return this.extra;
    return 'rowAt' in rows ? (made ? rows.rowAt(j) : rows.row(j)) : (rows[j] as Row);
  }

  line(j: number): number {
    return 'line' in this.rows && j < this.rows.length ? this.rows.line(j) : this.get(j, true).line;
  }

  rowAt(j: number): Row {
    return this.get(j, true);
  }

  row(j: number): Row {
    return this.get(j, false);
  }

  text(j: number, k: number): string | undefined {
    if ('text' in this.rows && j < this.rows.length) return this.rows.text(j, k);
    const row = this.get(j, true);
    return row instanceof TableRow ? row.textOf(k) : row.cells[k]?.text;
  }
}

/**
 * A table's body rows as the scanner found them: where each starts and ends, in one typed array (the
 * rows are on consecutive lines, and a line's start is in the note's line index), and the plain
 * texts the inline batch settled for some cells. A 50k-row table is one array, not 50k objects; a
 * row object is made only when asked for.
 */
export class BodyRows implements RowAccess {
  declare private data: Int32Array;
  declare length: number;
  /** Line of the first row; each row's own line only if they ever were not consecutive (they always are). */
  declare private first: number;
  declare private lines: number[] | null;
  /** Plain texts the inline batch decided, by row and cell index. */
  declare private over: Map<number, (string | undefined)[]> | null;
  declare readonly src: RowSource;
  declare private readonly table: ScannedTable;
  /** The note's line starts. */
  declare private readonly starts: readonly number[];

  constructor(src: RowSource, table: ScannedTable, starts: readonly number[]) {
    this.src = src;
    this.table = table;
    this.starts = starts;
    this.data = new Int32Array(32);
    this.length = this.first = 0;
    this.lines = this.over = null;
  }

  /** Adds the row on `line` from `from` to `to`. */
  push(line: number, from: number, to: number): void {
    const n = this.length++;
    if (n === 0) this.first = line;
    else if (!this.lines && line !== this.first + n) this.lines = Array.from({ length: n }, (_, j) => this.first + j);
    this.lines?.push(line);
    let data = this.data;
    if (2 * n + 2 > data.length) {
      // Room doubles, but never past the note's last line (`starts` are the whole note's: a row per
      // line at most is left to come), so a table that runs to the end of a long note (an evidence
      // log) gets its size, not up to twice it, and `trim` then has nothing to copy.
      const left = this.starts.length - line + 1;
      data = new Int32Array(2 * (left > 0 ? Math.min(2 * n + 2, n + left) : 2 * n + 2));
      data.set(this.data);
      this.data = data;
    }
    data[2 * n] = from;
    data[2 * n + 1] = to;
  }

  /** Gives back the room kept for rows to come (a little room, as the note's last lines leave, is kept rather than copied away). */
  trim(): void {
    const used = 2 * this.length;
    const room = this.data.length - used;
    if (room > 0) this.data = 8 * room <= this.data.length ? this.data.subarray(0, used) : this.data.slice(0, used);
  }

  line(j: number): number {
    return this.lines ? (this.lines[j] as number) : this.first + j;
  }

  lineFrom(j: number): number {
    return this.starts[this.line(j) - 1] as number;
  }

  from(j: number): number {
    return this.data[2 * j] as number;
  }

  to(j: number): number {
    return this.data[2 * j + 1] as number;
  }

  /** Sets the plain text of cell `k` of row `j` (the inline batch's answer). */
  settle(j: number, k: number, text: string): void {
    const over = (this.over ??= new Map<number, (string | undefined)[]>());
    const row = over.get(j) ?? [];
    row[k] = text;
    over.set(j, row);
  }

  /** The inline batch's plain text of cell `k` of row `j`, if it settled one. */
  settled(j: number, k: number): string | undefined {
    return this.over?.get(j)?.[k];
  }

  /** Row `j` as a row object; the inline batch runs up to it first when one of its cells needs remark. */
  rowAt(j: number): TableRow {
    const { src } = this;
    if (src.pending && src.inline) {
      const n = cellSpans(src.text, this.from(j), this.to(j), SCRATCH);
      for (let k = 0; k < n; k++) {
        const a = SCRATCH.data[2 * k] as number;
        const b = SCRATCH.data[2 * k + 1] as number;
        if (cellFlag(src.text, a, b) && needsRemarkCell(src.text, a, b, src.defs)) {
          src.pending.upTo(this.from(j));
          break;
        }
      }
    }
    return new TableRow(this.line(j), this.lineFrom(j), this.from(j), this.to(j), this.src, this.over?.get(j) ?? null);
  }

  row(j: number): Row {
    return this.table.rows[j] as Row;
  }

  text(j: number, k: number): string | undefined {
    return this.src.textOf(this.from(j), this.to(j), k, (c) => this.settled(j, c));
  }
}

/**
 * A table as a parse gives it: its body rows compact (see `BodyRows`) until `rows` is first asked
 * for, or given as a list (an incremental parse). The rows are not enumerable own fields: tables
 * compare by where they are; their rows and cells are compared through `rows`.
 */
export class ScannedTable implements Table {
  declare line: number;
  declare from: number;
  declare to: number;
  declare header: Row;
  declare delimiter: Row;
  declare align: Align[];
  declare heading: Heading | null;
  declare prefix: string;
  /** The compact body rows, while the table is as scanned. */
  declare readonly body: BodyRows | null;
  declare private list: Row[] | null;

  constructor(line: number, from: number, to: number, header: Row, delimiter: Row, align: Align[], src: RowSource | null, rows: Row[] | null = null, starts: readonly number[] = []) {
    this.line = line;
    this.from = from;
    this.to = to;
    this.header = header;
    this.delimiter = delimiter;
    this.align = align;
    this.heading = null;
    this.prefix = '';
    Object.defineProperties(this, {
      body: { value: src ? new BodyRows(src, this, starts) : null, writable: true },
      list: { value: rows, writable: true },
    });
  }

  get rows(): Row[] {
    if (!this.list) {
      const body = this.body as BodyRows;
      this.list = Array.from({ length: body.length }, (_, j) => body.rowAt(j));
    }
    return this.list;
  }
}

/** The body rows of a table, read by index (compactly when it is as scanned). */
export function rowsOf(table: Table): RowAccess {
  return table instanceof ScannedTable && table.body ? table.body : new ListRows(table.rows);
}

/** The last body row of a table, without making the others. */
export function lastRow(table: Table): Row | undefined {
  const rows = rowsOf(table);
  return rows.length > 0 ? rows.rowAt(rows.length - 1) : undefined;
}

/** The body row of a table on `line`, without making the others. */
export function rowOnLine(table: Table, line: number): Row | undefined {
  const rows = rowsOf(table);
  for (let j = 0; j < rows.length; j++) if (rows.line(j) === line) return rows.rowAt(j);
  return undefined;
}
