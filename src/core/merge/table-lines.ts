/**
 * A canonical table as lines of its note, for merging: where its header and rows stand, each row's
 * text, and its id (for a table with an id column).
 */
import { BodyRows, cellSpans, rowsOf, Spans } from '../markdown/table-row';
import type { ParsedNote, Table } from '../markdown/types';
import { findColumn, type TableSchema } from '../schema/table-schema';
import { findSection, sectionTable } from '../stack/sections';

export interface TableLines {
  schema: TableSchema;
  table: Table;
  /** 0-based line index of the delimiter row (rows follow it). */
  delimiterLine: number;
  /** 0-based line index of each body row. */
  rowLines: number[];
  /** Row j's source text without its line ending, trimmed. */
  rowText(j: number): string;
  /** The note the table is in. */
  note: ParsedNote;
  /** Header index of the id column, or -1. */
  idAt: number;
  /** The id prefix (`D`), or null. */
  prefix: string | null;
  /** The number of header cells. */
  width: number;
}

/** The schema's table in a parsed note, or null when the note lacks its section or table. */
export function tableLines(note: ParsedNote, schema: TableSchema): TableLines | null {
  const heading = findSection(note, schema.section);
  const table = heading ? sectionTable(note, heading) : null;
  if (!table) return null;
  const rows = rowsOf(table);
  const rowLines: number[] = new Array<number>(rows.length);
  for (let j = 0; j < rows.length; j++) rowLines[j] = rows.line(j) - 1;
  const idColumn = schema.columns.find((c) => c.type.kind === 'id');
  const idAt = idColumn ? table.header.cells.findIndex((c) => findColumn(schema, c.text) === idColumn) : -1;
  const prefix = idColumn?.type.kind === 'id' && idAt >= 0 ? idColumn.type.prefix : null;
  const rowText = (j: number): string => lineText(note, rowLines[j] ?? -1).trim();
  return { schema, table, delimiterLine: table.delimiter.line - 1, rowLines, rowText, note, idAt, prefix, width: table.header.cells.length };
}

/** The text of 0-based line `index` without its ending. */
export function lineText(note: ParsedNote, index: number): string {
  const text = note.text;
  const from = note.lineStarts[index] ?? text.length;
  const next = note.lineStarts[index + 1];
  let to = next === undefined ? text.length : next;
  if (to > from && text.charCodeAt(to - 1) === 10) to--;
  if (to > from && text.charCodeAt(to - 1) === 13) to--;
  return text.slice(from, to);
}

/** The number an id cell's text holds (`D-12` → 12, the prefix in any case), or NaN. By hand: it runs once a row. */
export function idNumber(cell: string | undefined, prefix: string): number {
  const text = cell ?? '';
  let from = 0;
  let to = text.length;
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  if (to - from < prefix.length + 2 || text.slice(from, from + prefix.length).toUpperCase() !== prefix.toUpperCase() || text.charCodeAt(from + prefix.length) !== 45) return NaN;
  let n = 0;
  for (let i = from + prefix.length + 1; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return NaN;
    n = n * 10 + c;
  }
  return Number.isSafeInteger(n) && n > 0 ? n : NaN;
}

const SPANS = new Spans();

/**
 * The ids of a table's rows (NaN where a row's id cell does not read as one), read from each id
 * cell's source: an id is plain text, so no inline parse is needed.
 */
export function rowIds(view: TableLines, first = 0): number[] {
  const prefix = view.prefix;
  if (prefix === null) return [];
  const text = view.note.text;
  const rows = rowsOf(view.table);
  const out: number[] = [];
  for (let j = first; j < rows.length; j++) {
    // A scanned table's rows are read by position, without making a row object for each.
    const from = rows instanceof BodyRows ? rows.from(j) : rows.row(j).from;
    const to = rows instanceof BodyRows ? rows.to(j) : rows.row(j).to;
    const n = cellSpans(text, from, to, SPANS);
    out.push(view.idAt < n ? idNumber(text.slice(SPANS.data[2 * view.idAt], SPANS.data[2 * view.idAt + 1]), prefix) : NaN);
  }
  return out;
}
