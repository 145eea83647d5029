/**
 * Edits cells of an existing row by its id (README "Command line", `canon edit`): one splice per cell changed, the
 * values escaped and read as an append reads them, and the whole stack checked again with the row
 * as it will be. The edit is refused when it adds any error the stack did not have.
 */
import { applySeverities, RULES } from '../check-stack';
import { parseNote } from '../markdown/parse-note';
import { rowOnLine } from '../markdown/table-row';
import type { ParsedNote, Table } from '../markdown/types';
import { formatRate } from '../rules/consistency';
import type { Diagnostic } from '../rules/rule-ids';
import type { LinkRef } from '../schema/cell-type';
import type { Preset } from '../schema/preset';
import { findColumn, idColumn, type ColumnSchema, type EntryKind, type TableSchema } from '../schema/table-schema';
import { bindTable, columnIndex, valuesOf, type BoundTable, type ReadRow } from '../stack/bind-table';
import type { StackModel } from '../stack/model';
import { ROLE_TITLES } from '../stack/roles';
import { columnExample } from './column-help';
import { cellSplice, collectValues, columnAtDiag, dedupe, idAtLine, supersedeEdits, type EntryError, type RowChange } from './row-cells';
import { escapeCell, pipeStyle } from './row-text';
import { applyEdits, type TextEdit } from './text-edit';
import type { RowExpectation } from './verify-append';

/** What to change: the row's id and new values by column name (header text or alias, any case). */
export interface EditRequest {
  id: string;
  sets: Readonly<Record<string, string>>;
  /** The clock, injected (an edit fills no defaults; kept for the same shape as an append's request). */
  now: Date;
  /**
   * The row as the caller last saw it (a form filled from it): its line and its text. When given,
   * an edit of a row that has moved or changed since is refused, never applied over what it no longer knows.
   */
  expectRow?: { line: number; source: string };
}

/** A problem of an edit: what an entry error says, and the row it is on (the edited one, or another the edit would break). */
export interface EditError extends EntryError {
  path: string | null;
  line: number | null;
}

export type EditPlan =
  /** `changed`: every cell changed, in the edited row and in others (a superseded decision's Status); `expects`: the rows to find after the write. */
  | { ok: true; path: string; kind: EntryKind; id: string; line: number; source: string; edits: TextEdit[]; changed: RowChange[]; expects: RowExpectation[]; warnings: EditError[] }
  /** `cannotRun`: the request or the target is unusable (no such table, note not writable, a row that moved), not the values. */
  | { ok: false; errors: EditError[]; cannotRun: boolean; path: string | null };

/** The table whose id column takes ids with this prefix (`W` → Rollout Windows). */
export function tableForId(preset: Preset, id: string): TableSchema | null {
  const match = /^\s*([A-Za-z]+)-\d+\s*$/.exec(id);
  const prefix = match?.[1]?.toUpperCase();
  if (prefix === undefined) return null;
  return preset.tables.find((t) => {
    const column = idColumn(t);
    return column?.type.kind === 'id' && column.type.prefix === prefix;
  }) ?? null;
}

/** "W-n (Rollout Windows), D-n (Decision Log), P-n (Work Packets)". */
export function idKinds(preset: Preset): string {
  return preset.tables.flatMap((t) => {
    const column = idColumn(t);
    return column?.type.kind === 'id' ? [`${column.type.prefix}-n (${t.section})`] : [];
  }).join(', ');
}

/** A row found by its id, ready to be edited. */
interface Located {
  schema: TableSchema;
  idCol: ColumnSchema;
  id: string;
  path: string;
  note: ParsedNote;
  bound: BoundTable & { table: Table };
  read: ReadRow;
}

/** Finds the one row with this id in the stack, or says why it cannot be edited. */
function locate(model: StackModel, readOnly: ReadonlyMap<string, string>, rawId: string): Located | Extract<EditPlan, { ok: false }> {
  const match = /^\s*([A-Za-z]+)-(\d+)\s*$/.exec(rawId);
  if (!match) return refuse(null, null, 'entry/target', `\`${rawId}\` is not a row id; expected one like ${idKinds(model.preset)}`, true);
  const schema = tableForId(model.preset, rawId);
  if (!schema) return refuse(null, null, 'entry/target', `no table has ids like \`${rawId.trim()}\`; expected ${idKinds(model.preset)}`, true);
  const idCol = idColumn(schema);
  if (idCol?.type.kind !== 'id') return refuse(null, null, 'entry/target', `${schema.section} has no id column`, true);
  const n = Number(match[2]);
  const id = `${idCol.type.prefix}-${n}`;
  const path = model.docs.find((d) => d.role === schema.role)?.path ?? null;
  const note = path ? model.notes.get(path) : undefined;
  if (!path || !note) return refuse(null, null, 'entry/target', `no ${ROLE_TITLES[schema.role]} note, so no ${id} to edit; run \`canon init\` or set notes.${schema.role} in canon.config.json`, true);
  const why = readOnly.get(path);
  if (why !== undefined) return refuse(path, null, 'entry/target', `${path} is not written to: ${why}`, true);
  const bound = model.tables.get(schema.kind) ?? bindTable(schema, path, note, []);
  const table = bound.table;
  if (!table) return refuse(path, null, 'entry/no-row', `no ${schema.section} table in ${path}, so no ${id} to edit`, false);

  // Found in the table's id column (a 50k-row table's rows are not made into objects for this).
  const idIndex = schema.columns.indexOf(idCol);
  const store = valuesOf(bound);
  const ids = store.nums[idIndex];
  const at: number[] = [];
  for (let j = 0; j < store.size; j++) if (ids?.[j] === n) at.push(j);
  // A row whose cell count is off has no values read: it is found by its id cell's text, to say what is wrong with it.
  const idAt = bound.columnAt[idIndex] ?? -1;
  if (at.length === 0) for (let j = 0; j < store.size; j++) if (store.malformed[j] && store.rowAt(j).cells[idAt]?.text.trim().toUpperCase() === id) at.push(j);
  const found = at.map((j): ReadRow => {
    const row = store.rowAt(j);
    return { row, cells: store.cellsOf(j, row), values: store.valuesOf(j), malformed: store.malformed[j] === 1 };
  });
  const read = found[0];
  if (!read) return refuse(path, null, 'entry/no-row', `no row ${id} in ${schema.section} (${path})${idRange(ids, idCol.type.prefix)}`, false);
  if (found.length > 1) {
    return refuse(path, read.row.line, 'entry/no-row', `${id} is the id of ${found.length} rows of ${schema.section} (lines ${found.map((r) => r.row.line).join(', ')}), so Canon cannot tell which to edit; give each row its own id first`, false);
  }
  if (read.malformed) {
    return refuse(path, read.row.line, 'entry/target', `${id} (${path}:${read.row.line}) has ${read.row.cells.length} cells and the header ${table.header.cells.length}, so nothing was written; fix the row first`, true);
  }
  return { schema, idCol, id, path, note, bound: bound as BoundTable & { table: Table }, read };
}

/** The edit form of a row: its note, line and text, and each header column with the cell as written. */
export type EditForm =
  | { ok: true; id: string; kind: EntryKind; section: string; path: string; line: number; source: string; columns: { name: string; column: ColumnSchema | undefined; value: string; example: string | null; readOnly: boolean }[] }
  | { ok: false; message: string; cannotRun: boolean };

/** What an edit form opens with: the row's cells as written (escapes and markup kept, so they write back as they were). */
export function editForm(model: StackModel, readOnly: ReadonlyMap<string, string>, id: string): EditForm {
  const found = locate(model, readOnly, id);
  if ('ok' in found) return { ok: false, message: found.errors.map((e) => e.message).join('; '), cannotRun: found.cannotRun };
  const { schema, bound, read, idCol } = found;
  const columns = bound.table.header.cells.map((cell, i) => {
    const name = cell.text.trim();
    const column = findColumn(schema, name);
    return { name, column, value: read.row.cells[i]?.raw ?? '', example: column ? columnExample(schema, column) : null, readOnly: column === idCol };
  });
  return { ok: true, id: found.id, kind: schema.kind, section: schema.section, path: found.path, line: read.row.line, source: found.note.text.slice(read.row.from, read.row.to), columns };
}

/** Plans the edit of one row; nothing is written here (the caller applies `edits` to the note's text). */
export function planEdit(model: StackModel, readOnly: ReadonlyMap<string, string>, request: EditRequest): EditPlan {
  const found = locate(model, readOnly, request.id);
  if ('ok' in found) return found;
  const { schema, idCol, id, path, note, bound, read } = found;
  const idIndex = schema.columns.indexOf(idCol);
  const line = read.row.line;
  const source = note.text.slice(read.row.from, read.row.to);
  const expected = request.expectRow;
  if (expected && (expected.line !== line || expected.source !== source)) {
    const where = expected.line === line ? `its text at line ${line} changed` : `it moved from line ${expected.line} to line ${line}`;
    return refuse(path, line, 'entry/target', `${id} changed in ${path} since it was read (${where}), so nothing was written; open it again and redo the edit`, true);
  }

  const header = bound.table.header.cells.map((c) => c.text.trim());
  const inputErrors: EntryError[] = [];
  const values = collectValues(schema, header, request.sets, inputErrors);
  const idAt = bound.columnAt[idIndex] ?? -1;
  const idValue = values.get(idAt);
  if (idValue !== undefined) {
    values.delete(idAt);
    if (idValue.trim().toUpperCase() !== id) {
      inputErrors.push({ column: idCol.name, rule: 'entry/id-column', message: `${idCol.name} cannot be changed: ${id} is how other rows, notes and sessions refer to this row; add a new row instead` });
    }
  }
  const padded = pipeStyle(note, bound.table).padded;
  recomputeRate(bound, read, header, values, request.sets);

  // One splice per cell whose text changes, in header order.
  const edits: TextEdit[] = [];
  const changed: RowChange[] = [];
  for (const index of [...values.keys()].sort((a, b) => a - b)) {
    const cell = read.row.cells[index];
    const escaped = escapeCell(values.get(index) ?? '');
    if (!cell || escaped === cell.raw) continue;
    edits.push(cellSplice(note.text, read.row, cell, escaped, padded));
    changed.push({ path, line, id, column: header[index] ?? '', from: cell.raw, to: escaped });
  }
  const errors: EditError[] = inputErrors.map((e) => ({ ...e, path, line }));
  if (edits.length === 0) {
    return errors.length > 0 ? { ok: false, errors: dedupe(byColumn(errors, schema, header, line)), cannotRun: false, path } : { ok: true, path, kind: schema.kind, id, line, source, edits, changed, expects: [], warnings: [] };
  }

  let after = reread(note, edits, schema, path);
  const editedAt = new Set(changed.map((c) => header.indexOf(c.column)));
  const shape = shapeProblem(read, after.bound, editedAt, header);
  if (shape) return { ok: false, errors: dedupe(byColumn([...errors, { column: shape.column, rule: 'table/malformed', message: shape.message, path, line }], schema, header, line)), cannotRun: false, path };

  // A decision set to supersede others makes theirs `superseded`, as an add does (README "Design decisions").
  const supersedesAt = schema.kind === 'decision' ? columnIndex(schema, 'Supersedes') : -1;
  if (supersedesAt >= 0 && editedAt.has(bound.columnAt[supersedesAt] ?? -1)) {
    const readAfter = after.bound.rows.find((r) => r.row.line === line);
    const supersede = supersedeEdits(bound, readAfter?.values[supersedesAt] as LinkRef[] | undefined, padded, read);
    if (supersede.edits.length > 0) {
      edits.push(...supersede.edits);
      changed.push(...supersede.changed);
      after = reread(note, edits, schema, path);
    }
  }

  const judged = judge(model, bound, after, [...new Set(changed.map((c) => c.line))], line, header);
  errors.push(...judged.errors);
  if (errors.length > 0) return { ok: false, errors: dedupe(byColumn(errors, schema, header, line)), cannotRun: false, path };
  const lines = [...new Set(changed.map((c) => c.line))];
  const expects = lines.map((l): RowExpectation => ({ section: schema.section, line: l, cells: (after.bound.table ? rowOnLine(after.bound.table, l)?.cells ?? [] : []).map((c) => c.text) }));
  return { ok: true, path, kind: schema.kind, id, line, source, edits, changed, expects, warnings: dedupe(judged.warnings) };
}

/** The edited row's problems in header order (then those without a column), then the other rows' in line order. */
function byColumn(errors: EditError[], schema: TableSchema, header: readonly string[], line: number): EditError[] {
  const place = (e: EditError): number => {
    if (e.line !== null && e.line !== line) return 1e6 + e.line;
    const at = e.column === null ? -1 : header.findIndex((h) => findColumn(schema, h)?.name === e.column || h === e.column);
    return at < 0 ? 1e5 : at;
  };
  return errors.map((e, i) => ({ e, i })).sort((a, b) => place(a.e) - place(b.e) || a.i - b.i).map((x) => x.e);
}

function refuse(path: string | null, line: number | null, rule: EntryError['rule'], message: string, cannotRun: boolean): Extract<EditPlan, { ok: false }> {
  return { ok: false, errors: [{ column: null, rule, message, path, line }], cannotRun, path };
}

/** "; the ids there run from W-1 to W-10" (or that there are none). */
function idRange(ids: Float64Array | null | undefined, prefix: string): string {
  let min = Infinity;
  let max = -Infinity;
  for (const n of ids ?? []) {
    if (n < min) min = n;
    if (n > max) max = n;
  }
  if (max < min) return '; the table has no rows with ids yet';
  return `; the ids there run from ${prefix}-${min} to ${prefix}-${max}`;
}

/**
 * A window whose Missions or Fallbacks change gets its Fallback Rate computed again (as an append
 * computes it), unless the edit sets the rate itself or the counts do not make a rate.
 */
function recomputeRate(bound: BoundTable, read: ReadRow, header: readonly string[], values: Map<number, string>, sets: Readonly<Record<string, string>>): void {
  if (bound.schema.kind !== 'evidence') return;
  const at = (name: string): number => header.findIndex((h) => findColumn(bound.schema, h)?.name === name);
  const [rate, missions, fallbacks] = [at('Fallback Rate'), at('Missions'), at('Fallbacks')];
  if (rate < 0 || missions < 0 || fallbacks < 0) return;
  if (!values.has(missions) && !values.has(fallbacks)) return;
  if (Object.keys(sets).some((k) => findColumn(bound.schema, k)?.name === 'Fallback Rate')) return;
  const number = (i: number): number => {
    const text = (values.get(i) ?? read.row.cells[i]?.text ?? '').replace(/,/g, '').trim();
    return text === '' ? NaN : Number(text);
  };
  const m = number(missions);
  const f = number(fallbacks);
  if (!Number.isInteger(m) || !Number.isInteger(f) || m < 0 || f < 0 || f > m) return;
  const old = read.row.cells[rate]?.raw ?? '';
  const suffix = old === '' || old.endsWith('%') ? (old.endsWith(' %') ? ' %' : '%') : '';
  values.set(rate, formatRate(m === 0 ? 0 : (f / m) * 100) + suffix);
}

interface Reread {
  note: ParsedNote;
  bound: BoundTable;
}

function reread(note: ParsedNote, edits: readonly TextEdit[], schema: TableSchema, path: string): Reread {
  const parsed = parseNote(applyEdits(note.text, edits));
  return { note: parsed, bound: bindTable(schema, path, parsed, []) };
}

/**
 * What binding says about the rows on `lines` of a table (cell types, required cells, cell counts):
 * those rows bound alone under the table's header, as an append reads a new row, with each
 * diagnostic put back on its row's line. The other rows did not change, nor did what binding says of them.
 */
function rowDiagnostics(bound: BoundTable, lines: readonly number[]): Diagnostic[] {
  const table = bound.table;
  if (!table) return [];
  const text = bound.note.text;
  const rows = lines.flatMap((l) => rowOnLine(table, l) ?? []);
  const mini = [`# ${bound.schema.section}`, text.slice(table.header.from, table.header.to), text.slice(table.delimiter.from, table.delimiter.to), ...rows.map((r) => text.slice(r.from, r.to))];
  const out: Diagnostic[] = [];
  bindTable(bound.schema, bound.path, parseNote(`${mini.join('\n')}\n`), out);
  const FIRST = 4;
  return out.flatMap((d) => {
    const row = rows[d.line - FIRST];
    return row ? [{ ...d, line: row.line }] : [];
  });
}

/**
 * The edited row must read back as the same row with only the edited cells changed: a value whose
 * backslash escapes the next pipe, say, would merge two cells.
 */
function shapeProblem(read: ReadRow, after: BoundTable, editedAt: ReadonlySet<number>, header: readonly string[]): { column: string | null; message: string } | null {
  const row = after.table ? rowOnLine(after.table, read.row.line) : undefined;
  const names = [...editedAt].map((i) => header[i] ?? '').join(', ');
  const broken = { column: editedAt.size === 1 ? (header[[...editedAt][0] ?? -1] ?? null) : null, message: `the new value of ${names} does not read back as one cell of the row; check backslashes before pipes` };
  if (!row || row.cells.length !== read.row.cells.length) return broken;
  for (let i = 0; i < row.cells.length; i++) {
    if (!editedAt.has(i) && row.cells[i]?.text !== read.row.cells[i]?.text) return broken;
  }
  return null;
}

/**
 * Checks the stack before and after (the edited table bound again on the new text, every rule run)
 * and keeps what the edit adds. Diagnostics are compared by note, row (its id where it has one),
 * rule and message — not by column, which shifts as a cell's width changes.
 */
function judge(model: StackModel, bound: BoundTable, after: Reread, lines: readonly number[], line: number, header: readonly string[]): { errors: EditError[]; warnings: EditError[] } {
  const path = bound.path;
  const before = rowDiagnostics(bound, lines);
  for (const rule of RULES) rule.check(model, before);
  const notes = new Map(model.notes);
  notes.set(path, after.note);
  const tables = new Map(model.tables);
  tables.set(bound.schema.kind, after.bound);
  const afterModel: StackModel = { ...model, notes, tables };
  delete afterModel.guardrails;
  const now = rowDiagnostics(after.bound, lines);
  for (const rule of RULES) rule.check(afterModel, now);

  const keyOf = (d: Diagnostic, m: StackModel): string => `${d.path}\u0000${rowKey(m, d)}\u0000${d.rule}\u0000${d.message}`;
  const seen = new Map<string, number>();
  for (const d of applySeverities(before, model.config.rules)) {
    const key = keyOf(d, model);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  const errors: EditError[] = [];
  const warnings: EditError[] = [];
  const row = after.bound.table ? rowOnLine(after.bound.table, line) : undefined;
  const lineStart = after.note.lineStarts[line - 1] ?? 0;
  for (const d of applySeverities(now, model.config.rules)) {
    const key = keyOf(d, afterModel);
    const count = seen.get(key) ?? 0;
    if (count > 0) {
      seen.set(key, count - 1);
      continue;
    }
    if (d.severity === 'info') continue;
    const column = d.path === path && d.line === line && row ? columnAtDiag(bound.schema, d, row, lineStart, header) : null;
    (d.severity === 'error' ? errors : warnings).push({ column, rule: d.rule, message: d.message, path: d.path, line: d.line });
  }
  return { errors, warnings };
}

/** A diagnostic's row: the id of the row on its line in any id table of its note, else its line. */
function rowKey(model: StackModel, d: Diagnostic): string {
  for (const bound of model.tables.values()) {
    if (bound.path !== d.path) continue;
    const id = idAtLine(bound, d.line);
    if (id !== null) return id;
  }
  return `line ${d.line}`;
}
