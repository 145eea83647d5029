import { lightFormat as format } from 'date-fns';
import { lineAtOffset } from '../markdown/line-index';
import { RULES } from '../check-stack';
import { parseNote } from '../markdown/parse-note';
import { lastRow } from '../markdown/table-row';
import type { ParsedNote } from '../markdown/types';
import { formatRate } from '../rules/consistency';
import type { Diagnostic } from '../rules/rule-ids';
import type { LinkRef } from '../schema/cell-type';
import { tableFor } from '../schema/preset';
import { findColumn, type ColumnSchema, type EntryKind, type TableSchema } from '../schema/table-schema';
import { bindTable, columnIndex, structuralProblems, valuesOf, withRows, type BoundTable, type ReadRow } from '../stack/bind-table';
import type { StackModel } from '../stack/model';
import { ROLE_TITLES } from '../stack/roles';
import { DEFAULT_STYLE, escapeCell, formatDelimiter, formatRow, pipeStyle, type PipeStyle } from './row-text';
import { columnExample, ENUM_DEFAULTS } from './column-help';
import { collectValues, columnAtDiag, dedupe, supersedeEdits, type EntryError, type RowChange } from './row-cells';
import { applyEdits, type TextEdit } from './text-edit';
import { missingRowReason, type RowExpectation } from './verify-append';

export type { EntryError, RowChange } from './row-cells';

/** What to append: an entry kind and values by column name (header text or alias, any case). */
export interface AppendRequest {
  kind: EntryKind;
  fields: Readonly<Record<string, string>>;
  /** The clock, injected. */
  now: Date;
}

export type AppendPlan =
  /** `warnings`: what the stack's rules warn about the new row (written all the same; a hold while a trigger is in breach). */
  /** `changed`: the cells of existing rows the append also changes (a superseded decision's Status); `expects`: every row to find after the write, the new one first. */
  | { ok: true; path: string; edits: TextEdit[]; row: Record<string, string>; line: number; createdSection: boolean; expect: RowExpectation; expects: RowExpectation[]; changed: RowChange[]; warnings: EntryError[] }
  /** `cannotRun`: the target itself is unusable (missing note, malformed table), not the entry. */
  | { ok: false; errors: EntryError[]; cannotRun: boolean; path: string | null };

/** Plans a minimal-diff append of one entry: defaults filled, validated against the table and the stack. */
export function planAppend(model: StackModel, readOnly: ReadonlyMap<string, string>, request: AppendRequest): AppendPlan {
  const schema = tableFor(model.preset, request.kind);
  const path = model.docs.find((d) => d.role === schema.role)?.path ?? null;
  const note = path ? model.notes.get(path) : undefined;
  if (!path || !note) {
    return refuse(null, `no ${ROLE_TITLES[schema.role]} note to add a ${schema.entryName} to; run \`canon init\` or set notes.${schema.role} in canon.config.json`);
  }
  const why = readOnly.get(path);
  if (why !== undefined) return refuse(path, `${path} is not written to: ${why}`);
  const bound = model.tables.get(request.kind) ?? bindTable(schema, path, note, []);
  const targetProblem = malformedTarget(bound) ?? brokenTableInSection(bound);
  if (targetProblem) return refuse(path, targetProblem);

  const header = bound.table ? bound.table.header.cells.map((c) => c.text) : schema.columns.map((c) => c.name);
  const errors: EntryError[] = [];
  const values = collectValues(schema, header, request.fields, errors);
  fillDefaults(schema, bound, values, request.now, model.config.dateFormat);
  const cells = header.map((_, i) => escapeCell(values.get(i) ?? ''));
  const style = bound.table ? pipeStyle(note, bound.table) : DEFAULT_STYLE;
  const rowText = formatRow(cells, style);

  const mini = miniTable(bound, note, header, style, rowText);
  const miniDiagnostics: Diagnostic[] = [];
  const miniBound = bindTable(schema, path, mini, miniDiagnostics);
  const newRead = miniBound.rows[0];
  if (!newRead || newRead.malformed || newRead.row.cells.length !== header.length) {
    errors.push({ column: null, rule: 'table/malformed', message: `the entry does not read back as one row of ${header.length} cells; check backslashes before pipes` });
    return { ok: false, errors: dedupe(errors), cannotRun: false, path };
  }
  const rateComputedAway = schema.kind === 'evidence' && !fieldGiven(request.fields, schema, 'Fallback Rate');
  const miniLineStart = mini.lineStarts[MINI_ROW_LINE - 1] ?? newRead.row.lineFrom;
  for (const d of miniDiagnostics) {
    if (d.line !== MINI_ROW_LINE) continue;
    const column = columnAtDiag(schema, d, newRead.row, miniLineStart, header);
    // Canon computes the rate; when it cannot (Fallbacks > Missions), row/consistency says why.
    if (rateComputedAway && column === 'Fallback Rate' && d.rule === 'cell/required' && fieldGiven(request.fields, schema, 'Missions') && fieldGiven(request.fields, schema, 'Fallbacks')) continue;
    errors.push({ column, rule: d.rule, message: d.message });
  }

  const { edits, line, createdSection } = insertion(note, bound, schema, header, style, rowText);
  const supersede = supersedeEdits(bound, supersedesOf(bound, newRead), style.padded);
  const cross = crossRowProblems(model, bound, miniBound, newRead, line, supersede.reads);
  errors.push(...cross.errors);
  if (errors.length > 0) return { ok: false, errors: dedupe(errors), cannotRun: false, path };

  const expect: RowExpectation = { section: schema.section, line, cells: newRead.row.cells.map((c) => c.text) };
  if (createdSection) {
    // A new section or table lands at the end of a section or of the note: an unclosed fence or comment above would swallow it.
    const lost = missingRowReason(applyEdits(note.text, edits), expect);
    if (lost) return refuse(path, `the ${schema.entryName} was not added to ${path}: ${lost}; close it, or add the ${schema.section} section with its table by hand`);
  }
  const row: Record<string, string> = {};
  header.forEach((name, i) => { row[name] = (values.get(i) ?? '').trim(); });
  return { ok: true, path, edits: [...edits, ...supersede.edits], row, line, createdSection, expect, expects: [expect, ...supersede.expects], changed: supersede.changed, warnings: dedupe(cross.warnings) };
}

function refuse(path: string | null, message: string): AppendPlan {
  return { ok: false, errors: [{ column: null, rule: 'entry/target', message }], cannotRun: true, path };
}

/** A target table with a broken header or rows is not written to (README "Reliability: not one row lost"). */
function malformedTarget(bound: BoundTable): string | null {
  if (!bound.table) return null;
  // The problems the table was bound with (binding a 50k-row table again would double an append's cost).
  const broken = structuralProblems(bound);
  if (broken.length === 0) return null;
  const first = broken[0];
  const more = broken.length > 1 ? ` (and ${broken.length - 1} more)` : '';
  return `${bound.schema.section} in ${bound.path} is malformed, so nothing was written: line ${first?.line}: ${first?.message}${more}; fix the table first`;
}

function fillDefaults(schema: TableSchema, bound: BoundTable, values: Map<number, string>, now: Date, dateFormat: string): void {
  const header = bound.table ? bound.table.header.cells.map((c) => c.text) : schema.columns.map((c) => c.name);
  const indexOf = (name: string): number => header.findIndex((h) => findColumn(schema, h)?.name === name);
  const isEmpty = (i: number): boolean => i >= 0 && (values.get(i) ?? '').trim() === '';
  const id = schema.columns.find((c) => c.type.kind === 'id');
  if (id && id.type.kind === 'id' && isEmpty(indexOf(id.name))) values.set(indexOf(id.name), `${id.type.prefix}-${nextId(bound)}`);
  const firstDate = schema.columns.find((c) => c.type.kind === 'date' || c.type.kind === 'datetime');
  if (firstDate && isEmpty(indexOf(firstDate.name))) {
    values.set(indexOf(firstDate.name), format(now, firstDate.type.kind === 'date' ? 'yyyy-MM-dd' : dateFormat));
  }
  for (const [name, value] of Object.entries(ENUM_DEFAULTS[schema.kind] ?? {})) {
    if (isEmpty(indexOf(name))) values.set(indexOf(name), value);
  }
  const rate = indexOf('Fallback Rate');
  if (schema.kind === 'evidence' && isEmpty(rate)) {
    const missions = Number((values.get(indexOf('Missions')) ?? '').replace(/,/g, '').trim());
    const fallbacks = Number((values.get(indexOf('Fallbacks')) ?? '').replace(/,/g, '').trim());
    const given = (values.get(indexOf('Missions')) ?? '').trim() !== '' && (values.get(indexOf('Fallbacks')) ?? '').trim() !== '';
    if (given && Number.isInteger(missions) && Number.isInteger(fallbacks) && missions >= 0 && fallbacks >= 0 && fallbacks <= missions) {
      values.set(rate, formatRate(missions === 0 ? 0 : (fallbacks / missions) * 100) + rateSuffix(bound, rate));
    }
  }
}

/** The table's way of writing a rate: `%` when its last row's rate has one (or the table has no rows yet). */
function rateSuffix(bound: BoundTable, column: number): string {
  const last = bound.table ? lastRow(bound.table) : undefined;
  if (!last) return '%';
  return (last.cells[column]?.text ?? '').trim().endsWith('%') ? '%' : '';
}

/** The form of an entry kind: the target table's columns in header order, each with its default (next id, now). */
export function entryForm(model: StackModel, kind: EntryKind, now: Date): { path: string | null; columns: { name: string; column: ColumnSchema | undefined; value: string; example: string | null }[] } {
  const schema = tableFor(model.preset, kind);
  const path = model.docs.find((d) => d.role === schema.role)?.path ?? null;
  const note = path ? model.notes.get(path) : undefined;
  const bound = model.tables.get(kind) ?? (path && note ? bindTable(schema, path, note, []) : undefined);
  const header = bound?.table ? bound.table.header.cells.map((c) => c.text.trim()) : schema.columns.map((c) => c.name);
  const values = new Map<number, string>();
  if (bound) fillDefaults(schema, bound, values, now, model.config.dateFormat);
  return {
    path,
    columns: header.map((name, i) => {
      const column = findColumn(schema, name);
      return { name, column, value: values.get(i) ?? '', example: column ? columnExample(schema, column) : null };
    }),
  };
}

/** The next id of the table: one more than the largest id in it. */
export function nextId(bound: BoundTable): number {
  const i = bound.schema.columns.findIndex((c) => c.type.kind === 'id');
  const ids = i >= 0 ? valuesOf(bound).nums[i] : null;
  let max = 0;
  if (ids) for (let j = 0; j < ids.length; j++) if ((ids[j] as number) > max) max = ids[j] as number;
  return max + 1;
}

/** A small note (heading, header, delimiter, new row) that reads the new row exactly as the real table would. */
function miniTable(bound: BoundTable, note: ParsedNote, header: string[], style: PipeStyle, rowText: string): ParsedNote {
  const table = bound.table;
  const head = table ? note.text.slice(table.header.from, table.header.to) : formatRow(header.map(escapeCell), style);
  const delimiter = table ? note.text.slice(table.delimiter.from, table.delimiter.to) : formatDelimiter(header.length, style);
  return parseNote(`# ${bound.schema.section}\n${head}\n${delimiter}\n${rowText}\n`);
}

/** Line of the new row in the mini note. */
const MINI_ROW_LINE = 4;

function fieldGiven(fields: Readonly<Record<string, string>>, schema: TableSchema, name: string): boolean {
  return Object.entries(fields).some(([key, value]) => findColumn(schema, key)?.name === name && value.trim() !== '');
}

function insertion(note: ParsedNote, bound: BoundTable, schema: TableSchema, header: string[], style: PipeStyle, rowText: string): { edits: TextEdit[]; line: number; createdSection: boolean } {
  const eol = note.eol;
  const table = bound.table;
  if (table) {
    const last = lastRow(table) ?? table.delimiter;
    // A note with mixed line endings: the new row takes the ending of the line it follows.
    const own = note.text.startsWith('\r\n', last.to) ? '\r\n' : note.text.startsWith('\n', last.to) ? '\n' : eol;
    return { edits: [{ from: last.to, to: last.to, insert: own + table.prefix + rowText }], line: last.line + 1, createdSection: false };
  }
  const tableText = [formatRow(header.map(escapeCell), style), formatDelimiter(header.length, style), rowText].join(eol);
  // The heading exists without a table: the table goes at the end of its section; else a new section at the end.
  const at = bound.heading ? sectionEnd(note, bound.heading.line, bound.heading.level) : note.text.length;
  const before = note.text.slice(0, at);
  const lead = at === 0 || before.endsWith(eol + eol) || before.endsWith('\n\n') ? '' : before.endsWith('\n') ? eol : eol + eol;
  const body = bound.heading ? tableText : `## ${schema.section}${eol}${eol}${tableText}`;
  const insert = `${lead}${body}${eol}${at < note.text.length ? eol : ''}`;
  const eolsBeforeRow = insert.slice(0, insert.lastIndexOf(rowText)).split('\n').length - 1;
  return { edits: [{ from: at, to: at, insert }], line: lineOfOffset(note, at) + eolsBeforeRow, createdSection: true };
}

/**
 * A section whose table no longer reads as one (its header and alignment rows disagree) still has
 * pipe lines: appending a fresh table under them would hide the damage, so the append is refused.
 */
function brokenTableInSection(bound: BoundTable): string | null {
  const { heading, note, schema, path } = bound;
  if (bound.table || !heading) return null;
  const end = sectionEnd(note, heading.line, heading.level);
  const body = note.text.slice(note.lineStarts[heading.line] ?? end, end);
  const at = body.split('\n').findIndex((l) => /^ {0,3}\|.*\|/.test(l));
  if (at < 0) return null;
  return `${schema.section} in ${path} has table lines from line ${heading.line + 1 + at} that do not read as a table (the header and the alignment row must have the same number of cells), so nothing was written; fix the table first`;
}

function sectionEnd(note: ParsedNote, headingLine: number, level: number): number {
  const next = note.headings.find((h) => h.line > headingLine && h.level <= level);
  if (!next) return note.text.length;
  return note.lineStarts[next.line - 1] ?? note.text.length;
}

function lineOfOffset(note: ParsedNote, offset: number): number {
  return lineAtOffset(note.lineStarts, offset);
}

/** The Supersedes links of a new decision (nothing for another table). */
function supersedesOf(bound: BoundTable, read: ReadRow): LinkRef[] | undefined {
  if (bound.schema.kind !== 'decision') return undefined;
  return read.values[columnIndex(bound.schema, 'Supersedes')] as LinkRef[] | undefined;
}

/**
 * Runs the stack's rules with the new row in place and keeps what they say about it: errors (the
 * entry is refused) and warnings (it is written, and the warning shown), at the config's severities.
 */
function crossRowProblems(model: StackModel, bound: BoundTable, miniBound: BoundTable, newRead: ReadRow, line: number, replaced: Map<ReadRow, ReadRow>): { errors: EntryError[]; warnings: EntryError[] } {
  const { row } = newRead;
  const placed: ReadRow = { row: { line, lineFrom: row.lineFrom, from: row.from, to: row.to, cells: row.cells }, cells: newRead.cells, values: newRead.values, malformed: newRead.malformed };
  const hypothetical: BoundTable = bound.table
    ? withRows(bound, replaced, placed)
    : { schema: miniBound.schema, path: bound.path, note: miniBound.note, heading: miniBound.heading, table: miniBound.table, columnAt: miniBound.columnAt, rows: [placed] };
  const tables = new Map(model.tables);
  tables.set(bound.schema.kind, hypothetical);
  const out: Diagnostic[] = [];
  for (const rule of RULES) rule.check({ ...model, tables }, out);
  // Rules place a cell's column from its offset and the start of its line in the note they check.
  const lineStart = hypothetical.note.lineStarts[line - 1] ?? placed.row.lineFrom;
  const header = hypothetical.table ? hypothetical.table.header.cells.map((c) => c.text) : bound.schema.columns.map((c) => c.name);
  const errors: EntryError[] = [];
  const warnings: EntryError[] = [];
  for (const d of out) {
    const severity = model.config.rules[d.rule] ?? d.severity;
    if (d.path !== bound.path || d.line !== line || severity === 'off' || severity === 'info') continue;
    (severity === 'error' ? errors : warnings).push({ column: columnAtDiag(bound.schema, d, placed.row, lineStart, header), rule: d.rule, message: d.message });
  }
  return { errors, warnings };
}
