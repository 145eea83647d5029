import type { Cell, Heading, ParsedNote, Row, Table } from '../markdown/types';
import { BodyRows, cellFlag, cellSpans, rowsOf, Spans, TableRow, type RowAccess } from '../markdown/table-row';
import type { Diagnostic } from '../rules/rule-ids';
import { parseCell, printableEdges, quickCell } from '../schema/parse-cell';
import type { CellResult, CellType } from '../schema/cell-type';
import { quickIntegerAt, quickNumberAt, quickPercentAt } from '../schema/parse-number';
import { quickDatetimeAt } from '../schema/parse-datetime';
import { quickEnumAt, quickIdAt } from '../schema/parse-words';
import { findColumn, type ColumnSchema, type TableSchema } from '../schema/table-schema';
import { FAILED, TableStore, VALUE, type ReadRow } from './table-store';
import { findSection, sectionTable } from './sections';
import { drain, ROWS_PER_STEP, type Steps } from '../steps';

export { TableStore, type ReadRow } from './table-store';

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
  /** The rows' values column by column, when a bind made them (see `valuesOf`). */
  store?: TableStore;
}

/** A bound table as a bind makes it: its read rows are made from its store when first asked for. */
export class Bound implements BoundTable {
  declare schema: TableSchema;
  declare path: string;
  declare note: ParsedNote;
  declare heading: Heading | null;
  declare table: Table | null;
  declare columnAt: number[];
  declare store: TableStore | undefined;
  declare private reads: ReadRow[] | null;

  constructor(schema: TableSchema, path: string, note: ParsedNote) {
    this.schema = schema;
    this.path = path;
    this.note = note;
    this.heading = this.table = this.reads = null;
    this.store = undefined;
    this.columnAt = schema.columns.map(() => -1);
  }

  get rows(): ReadRow[] {
    return (this.reads ??= this.store ? this.store.reads() : []);
  }

  /** Takes `store` as this table's values, and `rows` (else made from the store when asked for) as its read rows. */
  attach(store: TableStore, rows: ReadRow[] | null = null): void {
    OWNER.set(store, this);
    this.store = store;
    this.reads = rows;
  }
}

/** The bound table each store was made for (rules trust a store only for it; no reference back from the store). */
const OWNER = new WeakMap<TableStore, BoundTable>();
/** Stores made from the read rows of tables put together by hand. */
const MADE = new WeakMap<BoundTable, TableStore>();

/** A bound table's values column by column: its own store, or one made from its read rows. */
export function valuesOf(bound: BoundTable): TableStore {
  const store = bound.store;
  if (store && OWNER.get(store) === bound) return store;
  const rows = bound.rows;
  let made = MADE.get(bound);
  if (!made || made.source !== rows) {
    made = TableStore.fromReads(bound.schema, rows);
    MADE.set(bound, made);
  }
  return made;
}

/**
 * `bound` with the read rows in `replaced` swapped for theirs and `added` after its last row: the
 * table an append would make, for the rules to judge. Its values are derived, not read again.
 */
export function withRows(bound: BoundTable, replaced: ReadonlyMap<ReadRow, ReadRow>, added: ReadRow): BoundTable {
  const store = valuesOf(bound).extended(added);
  if (replaced.size > 0) {
    const rows = bound.rows;
    for (let j = 0; j < rows.length; j++) {
      const read = replaced.get(rows[j] as ReadRow);
      if (read) store.setValues(j, read);
    }
  }
  const out = new Bound(bound.schema, bound.path, bound.note);
  out.heading = bound.heading;
  out.table = bound.table;
  out.columnAt = [...bound.columnAt];
  out.attach(store);
  return out;
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
  return drain(bindTableSteps(schema, path, note, out, problems));
}

/** `bindTable` as work that can pause between slices of rows. */
export function* bindTableSteps(schema: TableSchema, path: string, note: ParsedNote, out: Diagnostic[], problems?: BindProblems): Steps<BoundTable> {
  const start = out.length;
  const bound = new Bound(schema, path, note);
  const table = findTable(bound, out);
  if (!table) {
    if (problems) problems.head = out.slice(start);
    return bound;
  }
  const first = out.length;
  mapHeader(bound, table, out);
  if (problems) problems.head = out.slice(start);
  const reader = new RowReader(bound, table);
  const store = reader.store(rowsOf(table));
  for (let j = 0; j < store.size; j++) {
    if (j % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const before = out.length;
    reader.read(store, j, out);
    if (problems && out.length > before) problems.rows.push({ index: j, diagnostics: out.slice(before) });
  }
  bound.attach(store);
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
 * Reads the body rows of one table into a store: per schema column, where its cell is and a cache of
 * the cell reads by text (a 50k-row table repeats most of its events and decisions). A scanned row's
 * cells are read straight from the note text: plain numbers, instants, ids and listed words without
 * a string made for them, a Notes cell (optional text) not read at all until asked for.
 */
export class RowReader {
  declare private readonly width: number;
  /** Header index of each schema column (-1 when absent). */
  declare private readonly index: number[];
  /** Each schema column's cell is the header cell at the same index: rows share their cell arrays. */
  declare private readonly identity: boolean;
  declare private readonly caches: (Map<string, CellResult<unknown>> | null)[];
  declare private readonly columns: ColumnSchema[];
  declare private readonly spans: Spans;
  /** Per schema column: whether a cell read by a quick reader is known to be its own plain text (no markup can be in it). */
  declare private readonly quick: boolean[];
  declare private readonly bound: BoundTable;

  constructor(bound: BoundTable, table: Table) {
    this.bound = bound;
    this.spans = new Spans();
    const columns = bound.schema.columns;
    this.columns = columns;
    this.width = table.header.cells.length;
    this.index = columns.map((_, i) => bound.columnAt[i] ?? -1);
    this.identity = this.width === columns.length && this.index.every((at, i) => at === i);
    this.caches = columns.map((c) => (CACHED_KINDS.has(c.type.kind) ? new Map<string, CellResult<unknown>>() : null));
    this.quick = columns.map(({ type }) => {
      if (type.kind === 'id') return !cellFlag(type.prefix, 0, type.prefix.length);
      if (type.kind === 'enum') return type.values.every((v) => !cellFlag(v, 0, v.length));
      return true;
    });
  }

  /** An empty store for these body rows. */
  store(rows: RowAccess): TableStore {
    return new TableStore(this.bound.schema, rows, this.index, this.identity);
  }

  /** Reads body row `j` of the store's rows into it, reporting its problems to `out`. */
  read(store: TableStore, j: number, out: Diagnostic[]): void {
    const rows = store.rows;
    if (rows instanceof BodyRows) {
      this.readScanned(store, j, rows, rows.src.text, rows.line(j), rows.lineFrom(j), rows.from(j), rows.to(j), rows.src.inline, out);
      return;
    }
    const row = rows.row(j);
    if (row instanceof TableRow) this.readScanned(store, j, row, row.src.text, row.line, row.lineFrom, row.from, row.to, row.src.inline, out);
    else this.readCells(store, j, row, out);
  }

  /**
   * A scanned row (compact, or a row object) read straight from the note text: plain numbers,
   * instants, ids and listed words without a string made for them, an optional text cell not at all.
   * A cell a quick reader takes holds only digits, letters and `-.:% ` (no markup): its own plain text.
   */
  private readScanned(store: TableStore, j: number, source: BodyRows | TableRow, text: string, line: number, lineFrom: number, rowFrom: number, rowTo: number, inline: boolean, out: Diagnostic[]): void {
    const { bound, width } = this;
    const n = cellSpans(text, rowFrom, rowTo, this.spans);
    if (n !== width) {
      store.malformed[j] = 1;
      out.push(at(bound.path, line, 1, 'table/malformed', malformedMessage(bound.note.text.slice(rowFrom, rowTo), n, width)));
      return;
    }
    const data = this.spans.data;
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const h = this.index[i] as number;
      if (h < 0) continue;
      const from = data[2 * h] as number;
      const to = data[2 * h + 1] as number;
      const column = columns[i] as ColumnSchema;
      if (from === to) {
        this.empty(column, line, lineFrom, from, out);
        continue;
      }
      const type = column.type;
      // An optional text cell: its value is its plain text, read when asked for.
      if (type.kind === 'text' && column.optional) {
        store.mark(j, i, VALUE);
        continue;
      }
      if (this.quick[i]) {
        let value = NaN;
        switch (type.kind) {
          case 'datetime': value = quickDatetimeAt(text, from, to); break;
          case 'percent': value = quickPercentAt(text, from, to); break;
          case 'integer': value = quickIntegerAt(text, from, to, type.min); break;
          case 'number': value = quickNumberAt(text, from, to, type.min); break;
          case 'id': value = quickIdAt(text, from, to, type.prefix); break;
          case 'enum': {
            const word = quickEnumAt(text, from, to, type.values);
            if (word !== undefined) {
              store.set(j, i, word);
              continue;
            }
            break;
          }
        }
        if (!Number.isNaN(value)) {
          (store.nums[i] as Float64Array)[j] = value;
          continue;
        }
      }
      if (inline && cellFlag(text, from, to)) {
        const over = source instanceof TableRow ? (): string | undefined => source.over?.[h] : (): string | undefined => source.settled(j, h);
        this.cell(store, j, i, column, line, lineFrom, from, source.src.cellText(rowFrom, from, to, over), out);
      } else if (type.kind === 'text') {
        // Its source, printable at both ends: not empty.
        store.mark(j, i, VALUE);
      } else {
        this.cell(store, j, i, column, line, lineFrom, from, text.slice(from, to), out);
      }
    }
  }

  /** `read` of a row given with its cells (not scanned): each cell's plain text as it holds it. */
  private readCells(store: TableStore, j: number, row: Row, out: Diagnostic[]): void {
    const { bound, width } = this;
    if (row.cells.length !== width) {
      store.malformed[j] = 1;
      out.push(at(bound.path, row.line, 1, 'table/malformed', malformedMessage(bound.note.text.slice(row.from, row.to), row.cells.length, width)));
      return;
    }
    const columns = this.columns;
    for (let i = 0; i < columns.length; i++) {
      const h = this.index[i] as number;
      const cell = h >= 0 ? row.cells[h] : undefined;
      if (cell) this.cell(store, j, i, columns[i] as ColumnSchema, row.line, row.lineFrom, cell.from, cell.text, out);
    }
  }

  /** An empty cell: `cell/required` unless the column is optional. */
  private empty(column: ColumnSchema, line: number, lineFrom: number, from: number, out: Diagnostic[]): void {
    if (!column.optional) out.push(offsetAt(this.bound.path, this.bound.note, line, lineFrom, from, 'cell/required', 'error', `${column.name} is empty; expected ${describeType(column.type)}`));
  }

  /** Reads a cell's plain text `text` against its column's type into the store. */
  private cell(store: TableStore, j: number, i: number, column: ColumnSchema, line: number, lineFrom: number, from: number, text: string, out: Diagnostic[]): void {
    if (text === '' || (!printableEdges(text) && text.trim() === '')) {
      this.empty(column, line, lineFrom, from, out);
      return;
    }
    const quick = quickCell(column.type, text);
    if (quick !== undefined) {
      store.set(j, i, quick);
      return;
    }
    const cache = this.caches[i];
    let result = cache?.get(text);
    if (result === undefined) {
      result = parseCell(column.type, text);
      if (cache && cache.size < CACHE_LIMIT) cache.set(text, result);
    }
    if (result.ok) {
      store.set(j, i, result.value);
      return;
    }
    store.mark(j, i, FAILED);
    out.push(offsetAt(this.bound.path, this.bound.note, line, lineFrom, from, 'cell/type', 'error', `${column.name}: ${result.message}`));
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
    case 'metric': return 'a metric: fallback rate, p95, continuity regressions or an event name such as vp.mission.failed';
    case 'condition': return 'a condition such as > 10%';
    case 'window': return 'a window such as 20 missions';
  }
}

function at(path: string, line: number, column: number, rule: Diagnostic['rule'], message: string, severity: Diagnostic['severity'] = 'error'): Diagnostic {
  return { path, line, column, severity, rule, message };
}

/** A diagnostic pointing at a cell. */
export function cellAt(path: string, note: ParsedNote, row: Row, cell: Cell, rule: Diagnostic['rule'], severity: Diagnostic['severity'], message: string): Diagnostic {
  return offsetAt(path, note, row.line, row.lineFrom, cell.from, rule, severity, message);
}

/** A diagnostic pointing at the cell that starts at offset `from` on `line` (whose row starts at `lineFrom`). */
export function offsetAt(path: string, note: ParsedNote, line: number, lineFrom: number, from: number, rule: Diagnostic['rule'], severity: Diagnostic['severity'], message: string): Diagnostic {
  const lineStart = note.lineStarts[line - 1] ?? lineFrom;
  return { path, line, column: from - lineStart + 1, severity, rule, message };
}
