import type { Cell, Heading, ParsedNote, Row, Table } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import { parseCell, printableEdges, quickCell } from '../schema/parse-cell';
import type { CellResult, CellType } from '../schema/cell-type';
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

/**
 * The structural problems (`table/malformed`, `table/missing-column`, `table/duplicate-column`) each
 * bound table had when it was bound, so that an append need not bind the whole table again.
 */
const STRUCTURAL = new WeakMap<BoundTable, Diagnostic[]>();
const STRUCTURAL_RULES: ReadonlySet<Diagnostic['rule']> = new Set(['table/malformed', 'table/missing-column', 'table/duplicate-column']);

/** The diagnostics binding `bound`'s table reported about its header and row shapes (kept from the bind, else bound again). */
export function structuralProblems(bound: BoundTable): Diagnostic[] {
  let problems = STRUCTURAL.get(bound);
  if (!problems) {
    const out: Diagnostic[] = [];
    bindTable(bound.schema, bound.path, bound.note, out);
    problems = out.filter((d) => STRUCTURAL_RULES.has(d.rule));
  }
  return problems;
}

/** The diagnostics a bind reported, by where they came from: section and header, then each body row's (sparse, in row order). */
export interface BindProblems {
  head: Diagnostic[];
  rows: { index: number; diagnostics: Diagnostic[] }[];
}

/**
 * Finds the schema's section and table in the note, maps its header, reads and type-checks its rows.
 * `problems`, when given, receives the diagnostics again by origin (for an incremental bind later).
 */
export function bindTable(schema: TableSchema, path: string, note: ParsedNote, out: Diagnostic[], problems?: BindProblems): BoundTable {
  const start = out.length;
  const bound: BoundTable = { schema, path, note, heading: null, table: null, columnAt: schema.columns.map(() => -1), rows: [] };
  const table = findTable(bound, out);
  if (!table) {
    if (problems) problems.head = out.slice(start);
    return bound;
  }
  const first = out.length;
  mapHeader(bound, table, out);
  if (problems) problems.head = out.slice(start);
  const reader = new RowReader(bound, table);
  const rows = bound.rows;
  const tableRows = table.rows;
  for (let j = 0; j < tableRows.length; j++) {
    const before = out.length;
    rows.push(reader.read(tableRows[j] as Row, out));
    if (problems && out.length > before) problems.rows.push({ index: j, diagnostics: out.slice(before) });
  }
  keepStructural(bound, out, first);
  return bound;
}

/** Sets the bound table's section heading and table, or reports which of them is missing. */
export function findTable(bound: BoundTable, out: Diagnostic[]): Table | null {
  const { schema, path, note } = bound;
  const heading = findSection(note, schema.section);
  if (!heading) {
    out.push(at(path, 1, 1, 'section/missing', `section \`${schema.section}\` not found; expected a heading \`${schema.section}\` with its table`));
    return null;
  }
  bound.heading = heading;
  const table = sectionTable(note, heading);
  if (!table) {
    out.push(at(path, heading.line, 1, 'table/missing', `section \`${heading.text}\` has no table; expected a table with columns ${schema.columns.map((c) => c.name).join(', ')}`));
    return null;
  }
  bound.table = table;
  return table;
}

/** Remembers the structural problems among `out[from…]` as `bound`'s (see `structuralProblems`). */
export function keepStructural(bound: BoundTable, out: readonly Diagnostic[], from: number): void {
  const structural: Diagnostic[] = [];
  for (let i = from; i < out.length; i++) {
    const d = out[i] as Diagnostic;
    if (STRUCTURAL_RULES.has(d.rule)) structural.push(d);
  }
  STRUCTURAL.set(bound, structural);
}

/** Maps the header's cells to schema columns (`bound.columnAt`), reporting unknown, doubled and missing columns. */
export function mapHeader(bound: BoundTable, table: Table, out: Diagnostic[]): void {
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

/** Column kinds whose values are read once per distinct cell text (their values are not mutated by readers). */
const CACHED_KINDS: ReadonlySet<CellType['kind']> = new Set(['percent', 'integer', 'number', 'enum', 'gates', 'links', 'events', 'metric', 'condition', 'window']);
/** Distinct cell texts remembered per column; past this, the cache is only looked up. */
const CACHE_LIMIT = 4096;

/**
 * Reads the body rows of one table: per schema column, where its cell is and a cache of the cell
 * reads by text (a 50k-row table repeats most of its percents, counts, events and decisions).
 */
export class RowReader {
  private readonly width: number;
  /** Header index of each schema column (-1 when absent). */
  private readonly index: number[];
  /** Each schema column's cell is the header cell at the same index: rows share their cell arrays. */
  private readonly identity: boolean;
  private readonly caches: (Map<string, CellResult<unknown>> | null)[];

  constructor(
    private readonly bound: BoundTable,
    table: Table,
  ) {
    const columns = bound.schema.columns;
    this.width = table.header.cells.length;
    this.index = columns.map((_, i) => bound.columnAt[i] ?? -1);
    this.identity = this.width === columns.length && this.index.every((at, i) => at === i);
    this.caches = columns.map((c) => (CACHED_KINDS.has(c.type.kind) ? new Map<string, CellResult<unknown>>() : null));
  }

  /** `read` of a row known to hold the same cells as `was` (moved in the note): its values are kept. */
  moved(was: ReadRow, row: Row): ReadRow {
    if (was.malformed) return { row, cells: [], values: [], malformed: true };
    if (this.identity) return { row, cells: row.cells, values: was.values, malformed: false };
    const n = this.index.length;
    const cells = new Array<Cell | undefined>(n);
    for (let i = 0; i < n; i++) {
      const index = this.index[i] as number;
      cells[i] = index >= 0 ? row.cells[index] : undefined;
    }
    return { row, cells, values: was.values, malformed: false };
  }

  read(row: Row, out: Diagnostic[]): ReadRow {
    const { bound, width } = this;
    const malformed = row.cells.length !== width;
    if (malformed) {
      out.push(at(bound.path, row.line, 1, 'table/malformed', malformedMessage(bound.note.text.slice(row.from, row.to), row.cells.length, width)));
      return { row, cells: [], values: [], malformed };
    }
    const columns = bound.schema.columns;
    const n = columns.length;
    const cells: (Cell | undefined)[] = this.identity ? row.cells : new Array<Cell | undefined>(n);
    const values: unknown[] = new Array<unknown>(n);
    for (let i = 0; i < n; i++) {
      const index = this.index[i] as number;
      const cell = index >= 0 ? row.cells[index] : undefined;
      if (!this.identity) cells[i] = cell;
      values[i] = cell ? this.cell(i, columns[i] as ColumnSchema, row, cell, out) : undefined;
    }
    return { row, cells, values, malformed };
  }

  private cell(i: number, column: ColumnSchema, row: Row, cell: Cell, out: Diagnostic[]): unknown {
    const text = cell.text;
    if (text === '' || (!printableEdges(text) && text.trim() === '')) {
      if (!column.optional) out.push(cellAt(this.bound.path, this.bound.note, row, cell, 'cell/required', 'error', `${column.name} is empty; expected ${describeType(column.type)}`));
      return undefined;
    }
    const quick = quickCell(column.type, text);
    if (quick !== undefined) return quick;
    const cache = this.caches[i];
    let result = cache?.get(text);
    if (result === undefined) {
      result = parseCell(column.type, text);
      if (cache && cache.size < CACHE_LIMIT) cache.set(text, result);
    }
    if (result.ok) return result.value;
    out.push(cellAt(this.bound.path, this.bound.note, row, cell, 'cell/type', 'error', `${column.name}: ${result.message}`));
    return undefined;
  }
}

function malformedMessage(rowText: string, cells: number, width: number): string {
  const base = `row has ${cells} cell${cells === 1 ? '' : 's'}; expected ${width} as in the header`;
  if (hasPipedWikiLink(rowText)) {
    return `${base}: an unescaped \`|\` inside a \`[[note|alias]]\` link splits the cell; write \`[[note\\|alias]]\` in tables`;
  }
  return `${base}; escape a literal pipe as \`\\|\``;
}

/**
 * Whether the row holds `[[target|alias]]` with an unescaped pipe: `[[`, then up to the first `]` or
 * `|` a `|` not after a backslash, then up to the first `]` a `]]`. By hand, each character looked at
 * once: the regex this replaces (`[[`, `[^\]|]*`, a lookbehind for the backslash, `|`, `[^\]]*`, `]]`)
 * rescanned a run of `[[[[` from every bracket (quadratic), and a lookbehind does not load on iOS
 * before 16.4.
 */
export function hasPipedWikiLink(text: string): boolean {
  let from = 0;
  // The first `]` after the last pipe looked at: later pipes before it share it.
  let close = -1;
  for (;;) {
    const open = text.indexOf('[[', from);
    if (open < 0) return false;
    let stop = open + 2;
    while (stop < text.length && text.charCodeAt(stop) !== 93 && text.charCodeAt(stop) !== 124) stop++;
    if (stop >= text.length) return false;
    // Every `[[` before `stop` stops at the same `]` or `|`: the next one to try is after it.
    if (text.charCodeAt(stop) === 124 && text.charCodeAt(stop - 1) !== 92) {
      if (close < stop) close = text.indexOf(']', stop + 1);
      if (close < 0) return false;
      if (text.charCodeAt(close + 1) === 93) return true;
    }
    from = stop + 1;
  }
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
