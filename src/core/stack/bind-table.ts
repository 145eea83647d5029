import type { Cell, Heading, ParsedNote, Row, Table } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import { parseCell } from '../schema/cells';
import type { CellType } from '../schema/cell-type';
import { findColumn, type ColumnSchema, type TableSchema } from '../schema/table-schema';
import { findSection, sectionTable } from './sections';

/** A body row read against its schema: per schema column, the cell and its typed value. */
export interface ReadRow {
  row: Row;
  /** By schema column index; undefined when the column is absent. */
  cells: (Cell | undefined)[];
  /** By schema column index; undefined when the cell is empty or failed its type. */
  values: unknown[];
  /** The row's cell count differs from the header's: its cells are not read. */
  malformed: boolean;
}

/** A canonical table found in its note: where it is, how its header maps to the schema, its rows. */
export interface BoundTable {
  schema: TableSchema;
  path: string;
  note: ParsedNote;
  heading: Heading | null;
  table: Table | null;
  /** For each schema column, its index in the header row, or -1 when absent. */
  columnAt: number[];
  rows: ReadRow[];
}

/** Index of a schema column by name (exact preset name). */
export function columnIndex(schema: TableSchema, name: string): number {
  return schema.columns.findIndex((c) => c.name === name);
}

/** Finds the schema's section and table in the note, maps its header, reads and type-checks its rows. */
export function bindTable(schema: TableSchema, path: string, note: ParsedNote, out: Diagnostic[]): BoundTable {
  const bound: BoundTable = { schema, path, note, heading: null, table: null, columnAt: schema.columns.map(() => -1), rows: [] };
  const heading = findSection(note, schema.section);
  if (!heading) {
    out.push(at(path, 1, 1, 'section/missing', `section \`${schema.section}\` not found; expected a heading \`${schema.section}\` with its table`));
    return bound;
  }
  bound.heading = heading;
  const table = sectionTable(note, heading);
  if (!table) {
    out.push(at(path, heading.line, 1, 'table/missing', `section \`${heading.text}\` has no table; expected a table with columns ${schema.columns.map((c) => c.name).join(', ')}`));
    return bound;
  }
  bound.table = table;
  mapHeader(bound, table, out);
  for (const row of table.rows) bound.rows.push(readRow(bound, row, out));
  return bound;
}

function mapHeader(bound: BoundTable, table: Table, out: Diagnostic[]): void {
  const { schema, path, note } = bound;
  table.header.cells.forEach((cell, index) => {
    const column = findColumn(schema, cell.text);
    if (!column) {
      out.push(cellAt(path, note, table.header, cell, 'table/unknown-column', 'warning',
        `column \`${cell.text}\` is not part of ${schema.section}; expected one of ${schema.columns.map((c) => c.name).join(', ')}`));
      return;
    }
    const i = schema.columns.indexOf(column);
    if (bound.columnAt[i] !== -1) {
      out.push(cellAt(path, note, table.header, cell, 'table/duplicate-column', 'error', `column \`${cell.text}\` appears twice; expected each column once`));
      return;
    }
    bound.columnAt[i] = index;
  });
  const missing = schema.columns.filter((_, i) => bound.columnAt[i] === -1 && !schema.columns[i]?.optional);
  if (missing.length > 0) {
    out.push(at(path, table.line, 1, 'table/missing-column',
      `${schema.section} lacks required column${missing.length > 1 ? 's' : ''} ${missing.map((c) => `\`${c.name}\``).join(', ')}; expected columns ${schema.columns.map((c) => c.name).join(', ')} (found ${table.header.cells.map((c) => c.text).join(', ')})`));
  }
}

function readRow(bound: BoundTable, row: Row, out: Diagnostic[]): ReadRow {
  const { schema, path, note, table } = bound;
  const width = table?.header.cells.length ?? 0;
  const read: ReadRow = { row, cells: [], values: [], malformed: row.cells.length !== width };
  if (read.malformed) {
    out.push(at(path, row.line, 1, 'table/malformed', malformedMessage(note.text.slice(row.from, row.to), row.cells.length, width)));
    return read;
  }
  schema.columns.forEach((column, i) => {
    const index = bound.columnAt[i] ?? -1;
    const cell = index >= 0 ? row.cells[index] : undefined;
    read.cells[i] = cell;
    read.values[i] = cell ? readCell(bound, column, row, cell, out) : undefined;
  });
  return read;
}

function readCell(bound: BoundTable, column: ColumnSchema, row: Row, cell: Cell, out: Diagnostic[]): unknown {
  const empty = cell.text === '' || (cell.text.trim() === '');
  if (empty) {
    if (!column.optional) out.push(cellAt(bound.path, bound.note, row, cell, 'cell/required', 'error', `${column.name} is empty; expected ${describeType(column.type)}`));
    return undefined;
  }
  const result = parseCell(column.type, cell.text);
  if (result.ok) return result.value;
  out.push(cellAt(bound.path, bound.note, row, cell, 'cell/type', 'error', `${column.name}: ${result.message}`));
  return undefined;
}

function malformedMessage(rowText: string, cells: number, width: number): string {
  const base = `row has ${cells} cell${cells === 1 ? '' : 's'}; expected ${width} as in the header`;
  if (/\[\[[^\]|]*(?<!\\)\|[^\]]*\]\]/.test(rowText)) {
    return `${base}: an unescaped \`|\` inside a \`[[note|alias]]\` link splits the cell; write \`[[note\\|alias]]\` in tables`;
  }
  return `${base}; escape a literal pipe as \`\\|\``;
}

/** A short description of what a cell type expects, for `cell/required` messages and forms. */
export function describeType(type: CellType): string {
  switch (type.kind) {
    case 'text': return 'text';
    case 'datetime': return 'a datetime (yyyy-MM-dd HH:mm)';
    case 'date': return 'a date (yyyy-MM-dd)';
    case 'percent': return 'a percentage from 0 to 100';
    case 'integer': return type.min !== undefined ? `a whole number ≥ ${type.min}` : 'a whole number';
    case 'number': return type.min !== undefined ? `a number ≥ ${type.min}` : 'a number';
    case 'id': return `an id like ${type.prefix}-1`;
    case 'enum': return `one of ${type.values.join(', ')}`;
    case 'gates': return 'gates such as G1, G2 (or none)';
    case 'links': return 'wiki links or row ids';
    case 'events': return 'event counts such as vp.mission.failed=2';
    case 'metric': return 'a metric (fallback rate, p95 or an event name)';
    case 'condition': return 'a condition such as > 10%';
    case 'window': return 'a window such as 20 missions';
  }
}

function at(path: string, line: number, column: number, rule: Diagnostic['rule'], message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { path, line, column, severity, rule, message };
}

/** A diagnostic pointing at a cell. */
export function cellAt(path: string, note: ParsedNote, row: Row, cell: Cell, rule: Diagnostic['rule'], severity: Diagnostic['severity'], message: string): Diagnostic {
  const lineStart = note.lineStarts[row.line - 1] ?? row.lineFrom;
  return { path, line: row.line, column: cell.from - lineStart + 1, severity, rule, message };
}
