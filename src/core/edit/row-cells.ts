/**
 * What an append and an edit of existing rows share: values by column name mapped onto the header,
 * the column a diagnostic points at, one-cell splices (`superseded`), and how a changed cell is
 * reported.
 */
import type { Cell, Row } from '../markdown/types';
import { decisionIds } from '../rules/consistency';
import type { Diagnostic, RuleId } from '../rules/rule-ids';
import type { LinkRef } from '../schema/cell-type';
import { findColumn, headerKey, idColumn, type TableSchema } from '../schema/table-schema';
import { columnIndex, valuesOf, type BoundTable, type ReadRow } from '../stack/bind-table';
import type { StackModel } from '../stack/model';
import type { TextEdit } from './text-edit';
import type { RowExpectation } from './verify-append';

/** Why an entry or an edit cannot be written: the column concerned (if any), the rule, the message. */
export interface EntryError {
  column: string | null;
  rule: RuleId | 'entry/unknown-column' | 'entry/target' | 'entry/id-column' | 'entry/no-row';
  message: string;
}

/** One cell of an existing row that a write changed: `from` and `to` as written in the note (between the pipes, trimmed). */
export interface RowChange {
  path: string;
  line: number;
  /** The row's id (`D-2`), or null for a table without ids. */
  id: string | null;
  /** The column's header text. */
  column: string;
  from: string;
  to: string;
}

/** `D-2 (00_….md:52) Status: accepted → superseded` (without the place when `place` is false). */
export function describeChange(change: RowChange, place = true): string {
  const what = change.id ?? `line ${change.line}`;
  const where = place ? ` (${change.path}:${change.line})` : '';
  return `${what}${where} ${change.column}: ${change.from === '' ? '(empty)' : change.from} → ${change.to === '' ? '(empty)' : change.to}`;
}

/**
 * Values by column name (header text or alias, any case) as header indices. A name no header cell
 * takes is an `entry/unknown-column` error; a schema column the table lacks is dropped (the table's
 * own `table/missing-column` problem says so).
 */
export function collectValues(schema: TableSchema, header: readonly string[], fields: Readonly<Record<string, string>>, errors: EntryError[]): Map<number, string> {
  const values = new Map<number, string>();
  for (const [name, value] of Object.entries(fields)) {
    const column = findColumn(schema, name);
    let index = column ? header.findIndex((h) => findColumn(schema, h) === column) : header.findIndex((h) => headerKey(h) === headerKey(name));
    if (column && index < 0) index = -2;
    if (index === -1) {
      errors.push({ column: name, rule: 'entry/unknown-column', message: `no column \`${name}\` in ${schema.section}; expected one of ${header.join(', ')}` });
    } else if (index >= 0) {
      values.set(index, value);
    }
  }
  return values;
}

/** The column a diagnostic of a row points at: the cell that starts at its column, else the column its message names. */
export function columnAtDiag(schema: TableSchema, d: Diagnostic, row: Row, lineStart: number, header: readonly string[]): string | null {
  const index = row.cells.findIndex((c) => c.from - lineStart + 1 === d.column);
  const name = index >= 0 ? header[index] : undefined;
  const column = name === undefined ? undefined : findColumn(schema, name);
  if (column) return column.name;
  const named = schema.columns.find((c) => d.message.startsWith(`${c.name}:`) || d.message.startsWith(`${c.name} is empty`));
  return named?.name ?? null;
}

/** Errors without repeats (one rule and message once). */
export function dedupe<E extends EntryError>(errors: E[]): E[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const key = `${e.rule}|${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** The header text of a schema column in a bound table (the schema's name when the header lacks it). */
export function headerName(bound: BoundTable, schemaIndex: number): string {
  const at = bound.columnAt[schemaIndex] ?? -1;
  const cell = at >= 0 ? bound.table?.header.cells[at] : undefined;
  return cell?.text.trim() || (bound.schema.columns[schemaIndex]?.name ?? '');
}

/** A decision that supersedes others sets their Status to `superseded`: one splice per older row. */
export interface SupersedeEdits {
  edits: TextEdit[];
  /** Each older row read as it will be, for the rules to judge before anything is written. */
  reads: Map<ReadRow, ReadRow>;
  changed: RowChange[];
  /** Where each changed row must be found after the write, holding what. */
  expects: RowExpectation[];
}

/**
 * The Status cells that `links` (a decision's Supersedes) make `superseded`: each named decision of
 * `bound` whose Status is not already that, except `self` (a decision cannot supersede itself; the
 * rules say so). Nothing for a table that is not the Decision Log.
 */
export function supersedeEdits(bound: BoundTable, links: readonly LinkRef[] | undefined, padded: boolean, self: ReadRow | null = null): SupersedeEdits {
  const out: SupersedeEdits = { edits: [], reads: new Map(), changed: [], expects: [] };
  if (bound.schema.kind !== 'decision') return out;
  const [id, status] = ['ID', 'Status'].map((n) => columnIndex(bound.schema, n)) as [number, number];
  for (const target of decisionIds(links ?? [])) {
    const older = bound.rows.find((r) => r.values[id] === target);
    const cell = older?.cells[status];
    if (!older || older === self || (self && older.row.line === self.row.line) || !cell || older.values[status] === 'superseded') continue;
    if (out.edits.some((e) => e.from === cell.from)) continue;
    out.edits.push(cellSplice(bound.note.text, older.row, cell, 'superseded', padded));
    const values = [...older.values];
    values[status] = 'superseded';
    out.reads.set(older, { row: older.row, cells: older.cells, values, malformed: older.malformed });
    out.changed.push({ path: bound.path, line: older.row.line, id: `D-${target}`, column: headerName(bound, status), from: cell.raw, to: 'superseded' });
    const statusAt = bound.columnAt[status] ?? -1;
    out.expects.push({ section: bound.schema.section, line: older.row.line, cells: older.row.cells.map((c, i) => (i === statusAt ? 'superseded' : c.text)) });
  }
  return out;
}

const PIPE = 124;

/**
 * The splice that makes `cell` of `row` hold `value` (already escaped). A cell that has text and
 * keeps some has only that text replaced, so its padding (an aligned column's run of spaces) stays;
 * a cell filled or emptied has the whitespace between its pipes rewritten in the table's style, as
 * an append writes a row: `| value |` or `|value|`, and an empty cell `| |`, never two spaces.
 */
export function cellSplice(text: string, row: Row, cell: Cell, value: string, padded: boolean): TextEdit {
  if (cell.raw !== '' && value !== '') return { from: cell.from, to: cell.to, insert: value };
  let from = cell.from;
  let to = cell.to;
  while (from > row.from && isBlank(text.charCodeAt(from - 1))) from--;
  while (to < row.to && isBlank(text.charCodeAt(to))) to++;
  const pad = padded ? ' ' : '';
  const pipeLeft = from > row.from && text.charCodeAt(from - 1) === PIPE;
  const pipeRight = to < row.to && text.charCodeAt(to) === PIPE;
  if (value === '') return { from, to, insert: pipeLeft && pipeRight ? pad : '' };
  return { from, to, insert: `${pipeLeft ? pad : ''}${value}${pipeRight ? pad : ''}` };
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9;
}

/** The id of the row of `bound` on `line` (`W-12`), or null (no such row, no id column, an id cell that does not read). */
export function idAtLine(bound: BoundTable, line: number): string | null {
  const column = idColumn(bound.schema);
  if (column?.type.kind !== 'id' || !bound.table) return null;
  const store = valuesOf(bound);
  const ids = store.nums[bound.schema.columns.indexOf(column)];
  // Rows stand in line order: a binary search, so a list of problems over a 50k-row table stays cheap.
  let lo = 0;
  let hi = store.size - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const at = store.line(mid);
    if (at === line) {
      const n = ids?.[mid];
      return n === undefined || Number.isNaN(n) ? null : `${column.type.prefix}-${n}`;
    }
    if (at < line) lo = mid + 1;
    else hi = mid - 1;
  }
  return null;
}

/** The id of the row on `line` of the note at `path`, in any of the stack's id tables; null when that line holds none. */
export function rowIdAt(model: StackModel, path: string, line: number): string | null {
  for (const bound of model.tables.values()) {
    if (bound.path !== path || !bound.table || line <= bound.table.line || line > lastLine(bound)) continue;
    const id = idAtLine(bound, line);
    if (id !== null) return id;
  }
  return null;
}

function lastLine(bound: BoundTable): number {
  const store = valuesOf(bound);
  return store.size > 0 ? store.line(store.size - 1) : 0;
}
