/**
 * Binding a table again after an incremental parse (markdown/incremental-parse.ts): rows the edit did
 * not touch keep their typed values and their diagnostics (moved to their new lines), only the
 * replaced rows are read. The result, and what it reports, equal `bindTable` on the new note.
 */
import type { RowEdit } from '../markdown/incremental-parse';
import type { ParsedNote, Row, Table } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import { bindTable, findTable, keepStructural, mapHeader, RowReader, type BindProblems, type BoundTable, type ReadRow } from './bind-table';

/** A bind and the diagnostics it reported, kept between checks. */
export interface KeptBind {
  bound: BoundTable;
  problems: BindProblems;
}

/**
 * Binds `previous.bound`'s schema in `note`: the same bind when the note is the same, an incremental
 * one when `edit` made `note` from the previous note, else a full bind. Diagnostics go to `out`.
 */
export function rebindTable(previous: KeptBind | undefined, schema: BoundTable['schema'], path: string, note: ParsedNote, edit: RowEdit | null, out: Diagnostic[]): KeptBind {
  if (previous && previous.bound.schema === schema && previous.bound.path === path) {
    if (previous.bound.note === note) {
      pushAll(previous.problems, out);
      return previous;
    }
    if (edit && edit.base === previous.bound.note && previous.bound.table) {
      const kept = moveBind(previous, note, edit, out);
      if (kept) return kept;
    }
  }
  const problems: BindProblems = { head: [], rows: [] };
  return { bound: bindTable(schema, path, note, out, problems), problems };
}

function pushAll(problems: BindProblems, out: Diagnostic[]): void {
  for (const d of problems.head) out.push(d);
  for (const r of problems.rows) for (const d of r.diagnostics) out.push(d);
}

/** The incremental bind; null (nothing reported) when the table is not the same one as before. */
function moveBind(previous: KeptBind, note: ParsedNote, edit: RowEdit, out: Diagnostic[]): KeptBind | null {
  const was = previous.bound;
  const bound: BoundTable = { schema: was.schema, path: was.path, note, heading: null, table: null, columnAt: was.schema.columns.map(() => -1), rows: [] };
  const head: Diagnostic[] = [];
  const table = findTable(bound, head);
  const index = table ? note.tables.indexOf(table) : -1;
  if (!table || index !== edit.base.tables.indexOf(was.table as Table)) return null;
  mapHeader(bound, table, head);
  if (bound.columnAt.some((at, i) => at !== was.columnAt[i])) return null;
  const first = out.length;
  for (const d of head) out.push(d);
  const problems: BindProblems = { head, rows: [] };
  // Rows before the edit are untouched; those after it moved by `lineDelta` lines (all rows, in a later table).
  const edited = index === edit.table;
  const from = index < edit.table ? table.rows.length : edited ? edit.row : 0;
  const to = edited ? edit.row + edit.added : from;
  const moves: Moves = { from, to, shift: edited ? edit.removed - edit.added : 0, lineDelta: index < edit.table ? 0 : edit.lineDelta };
  readRows(previous, bound, table, moves, out, problems.rows);
  keepStructural(bound, out, first);
  return { bound, problems };
}

/** Body rows `[from, to)` are new; row `j` outside them was row `j` (before) or `j + shift` (after), `lineDelta` lines up. */
interface Moves {
  from: number;
  to: number;
  shift: number;
  lineDelta: number;
}

/** Reads the new rows, keeps the others' reads and diagnostics (moved), in row order. */
function readRows(previous: KeptBind, bound: BoundTable, table: Table, moves: Moves, out: Diagnostic[], problems: BindProblems['rows']): void {
  const { from, to, shift, lineDelta } = moves;
  const reader = new RowReader(bound, table);
  const old = previous.problems.rows;
  let p = 0;
  for (let j = 0; j < table.rows.length; j++) {
    const row = table.rows[j] as Row;
    if (j >= from && j < to) {
      const before = out.length;
      bound.rows.push(reader.read(row, out));
      if (out.length > before) problems.push({ index: j, diagnostics: out.slice(before) });
      continue;
    }
    const k = j < from ? j : j + shift;
    const read = previous.bound.rows[k] as ReadRow;
    bound.rows.push(read.row === row ? read : reader.moved(read, row));
    while (p < old.length && (old[p] as { index: number }).index < k) p++;
    const kept = old[p];
    if (kept?.index !== k) continue;
    const diagnostics = j < from || lineDelta === 0 ? kept.diagnostics : kept.diagnostics.map((d) => ({ ...d, line: d.line + lineDelta }));
    for (const d of diagnostics) out.push(d);
    problems.push(j === k && diagnostics === kept.diagnostics ? kept : { index: j, diagnostics });
  }
}
