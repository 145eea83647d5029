/**
 * Binding a table again after an incremental parse (markdown/incremental-parse.ts): rows the edit did
 * not touch keep their typed values and their diagnostics (moved to their new lines), only the
 * replaced rows are read. The result, and what it reports, equal `bindTable` on the new note.
 */
import type { RowEdit } from '../markdown/incremental-parse';
import type { ParsedNote, Row, Table } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import { Bound, bindTableSteps, findTable, keepStructural, mapHeader, RowReader, valuesOf, type BindProblems, type BoundTable, type ReadRow } from './bind-table';
import { MovedRead } from './table-store';
import { ListRows } from '../markdown/table-row';
import { ROWS_PER_STEP, type Steps } from '../steps';

/** A bind and the diagnostics it reported, kept between checks. */
export interface KeptBind {
  bound: BoundTable;
  problems: BindProblems;
}

/**
 * Binds `previous.bound`'s schema in `note`: the same bind when the note is the same, an incremental
 * one when `edit` made `note` from the previous note, else a full bind, as work that can pause (a bind
 * from scratch pauses between slices of rows). Diagnostics go to `out`.
 */
export function* rebindTableSteps(previous: KeptBind | undefined, schema: BoundTable['schema'], path: string, note: ParsedNote, edit: RowEdit | null, out: Diagnostic[]): Steps<KeptBind> {
  if (previous && previous.bound.schema === schema && previous.bound.path === path) {
    if (previous.bound.note === note) {
      pushAll(previous.problems, out);
      return previous;
    }
    if (edit && edit.base === previous.bound.note && previous.bound.table) {
      const kept = yield* moveBind(previous, note, edit, out);
      if (kept) return kept;
    }
  }
  const problems: BindProblems = { head: [], rows: [] };
  return { bound: yield* bindTableSteps(schema, path, note, out, problems), problems };
}

function pushAll(problems: BindProblems, out: Diagnostic[]): void {
  for (const d of problems.head) out.push(d);
  for (const r of problems.rows) for (const d of r.diagnostics) out.push(d);
}

/** The incremental bind; null (nothing reported) when the table is not the same one as before. */
function* moveBind(previous: KeptBind, note: ParsedNote, edit: RowEdit, out: Diagnostic[]): Steps<KeptBind | null> {
  const was = previous.bound;
  const bound = new Bound(was.schema, was.path, note);
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
  yield* readRows(previous, bound, table, moves, out, problems.rows);
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

/**
 * Reads the new rows, keeps the others' reads and diagnostics (moved), in row order. The kept rows'
 * values are copied column by column from the previous store; the read rows made here hold no store.
 */
function* readRows(previous: KeptBind, bound: Bound, table: Table, moves: Moves, out: Diagnostic[], problems: BindProblems['rows']): Steps<void> {
  const { from, to, shift, lineDelta } = moves;
  const reader = new RowReader(bound, table);
  const n = table.rows.length;
  const store = reader.store(new ListRows(table.rows));
  const wasStore = valuesOf(previous.bound);
  store.copyRows(0, wasStore, 0, from);
  store.copyRows(to, wasStore, to + shift, n - to);
  const wasReads = previous.bound.rows;
  const old = previous.problems.rows;
  const rows = new Array<ReadRow>(n);
  const layout = { index: store.index, identity: store.identity };
  let p = 0;
  for (let j = 0; j < n; j++) {
    if (j % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const row = table.rows[j] as Row;
    if (j >= from && j < to) {
      const before = out.length;
      reader.read(store, j, out);
      const malformed = store.malformed[j] === 1;
      rows[j] = { row, cells: store.cellsOf(j, row), values: store.valuesOf(j), malformed };
      if (out.length > before) problems.push({ index: j, diagnostics: out.slice(before) });
      continue;
    }
    const k = j < from ? j : j + shift;
    const read = wasReads[k] as ReadRow;
    rows[j] = read.row === row ? read : read.malformed ? { row, cells: [], values: [], malformed: true } : new MovedRead(row, read, layout);
    while (p < old.length && (old[p] as { index: number }).index < k) p++;
    const kept = old[p];
    if (kept?.index !== k) continue;
    const diagnostics = j < from || lineDelta === 0 ? kept.diagnostics : kept.diagnostics.map((d) => ({ ...d, line: d.line + lineDelta }));
    for (const d of diagnostics) out.push(d);
    problems.push(j === k && diagnostics === kept.diagnostics ? kept : { index: j, diagnostics });
  }
  bound.attach(store, rows);
}
