/**
 * A bound table's values column by column: numbers and instants in typed arrays, other values in one
 * array per column, a state byte per cell. The rules read these; a `ReadRow` (one object per row,
 * with its cells and values as arrays) is made only when some caller asks for `bound.rows`. A 50k-row
 * table is then a few typed arrays instead of a million small objects for the collector to trace.
 */
import type { Cell, Row } from '../markdown/types';
import { ListRows, type RowAccess } from '../markdown/table-row';
import type { CellType } from '../schema/cell-type';
import { printableEdges } from '../schema/parse-cell';
import type { TableSchema } from '../schema/table-schema';

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

/** The state of a cell: empty (or no such column, or a malformed row), read, or failed its type. */
export const EMPTY = 0;
export const VALUE = 1;
export const FAILED = 2;

/** Where a column's values live: numbers, instants (as epoch ms), text (read from the cell when asked), other objects. */
const NUMBER = 0;
const DATE = 1;
const TEXT = 2;
const OBJECT = 3;

function storageOf(kind: CellType['kind']): number {
  switch (kind) {
    case 'percent': case 'integer': case 'number': case 'id': return NUMBER;
    case 'datetime': case 'date': return DATE;
    case 'text': return TEXT;
    default: return OBJECT;
  }
}

/** A text cell's value (its plain text, trimmed; undefined when blank), as `quickCell` gives it. */
function textValue(text: string | undefined): string | undefined {
  if (text === undefined || text === '') return undefined;
  if (printableEdges(text)) return text;
  const trimmed = text.trim();
  return trimmed === '' ? undefined : trimmed;
}

/** The cells and values a view asked for once (kept apart, so that views compare by what they are). */
const VIEW_CELLS = new WeakMap<ReadRow, (Cell | undefined)[]>();
const VIEW_VALUES = new WeakMap<ReadRow, unknown[]>();

/** A `ReadRow` over row `index` of a store: its cells and values are made when first asked for. */
export class StoredRead implements ReadRow {
  declare readonly row: Row;
  declare readonly malformed: boolean;
  declare readonly store: TableStore;
  declare readonly index: number;

  constructor(row: Row, malformed: boolean, store: TableStore, index: number) {
    this.row = row;
    this.malformed = malformed;
    this.store = store;
    this.index = index;
  }

  get cells(): (Cell | undefined)[] {
    let cells = VIEW_CELLS.get(this);
    if (!cells) VIEW_CELLS.set(this, (cells = this.store.cellsOf(this.index, this.row)));
    return cells;
  }

  get values(): unknown[] {
    let values = VIEW_VALUES.get(this);
    if (!values) VIEW_VALUES.set(this, (values = this.store.valuesOf(this.index)));
    return values;
  }
}

/** Where a table's schema columns are in its header: what a row's cells by schema column are picked by. */
export interface Layout {
  /** Header index of each schema column (-1 when absent). */
  index: readonly number[];
  /** The header is the schema's columns in order: a row's cells are its cells by schema column. */
  identity: boolean;
}

/** A read row moved in the note (an edit above it): the same values as `was`, the cells of its new row. */
export class MovedRead implements ReadRow {
  declare readonly malformed: boolean;
  /** What `valuesKey` gives for `was`: equal keys, the very same values array. */
  declare readonly key: unknown;
  declare readonly row: Row;
  declare private readonly was: ReadRow;
  declare private readonly layout: Layout;

  constructor(row: Row, was: ReadRow, layout: Layout) {
    this.row = row;
    this.was = was;
    this.layout = layout;
    this.malformed = false;
    this.key = valuesKey(was);
  }

  get cells(): (Cell | undefined)[] {
    let cells = VIEW_CELLS.get(this);
    if (!cells) VIEW_CELLS.set(this, (cells = pickCells(this.row.cells, this.layout)));
    return cells;
  }

  get values(): unknown[] {
    return this.was.values;
  }
}

/**
 * A key for a read row's values array, found without making the array: two reads with the same key
 * have the very same `values` (a row kept or moved by an incremental bind keeps its values).
 */
export function valuesKey(read: ReadRow): unknown {
  if (read instanceof StoredRead) return read;
  if (read instanceof MovedRead) return read.key;
  return read.values;
}

/** A row's cells by schema column. */
function pickCells(cells: Cell[], layout: Layout): (Cell | undefined)[] {
  if (layout.identity) return cells;
  return layout.index.map((h) => (h >= 0 ? cells[h] : undefined));
}

/** A column's distinct object values, each with its code (its index + 1). */
class ObjectValues {
  declare readonly values: unknown[];
  declare private readonly codes: Map<unknown, number>;

  constructor() {
    this.values = [];
    this.codes = new Map();
  }

  code(value: unknown): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      this.values.push(value);
      code = this.values.length;
      this.codes.set(value, code);
    }
    return code;
  }
}

export class TableStore implements Layout {
  /** Per schema column, where its values live. */
  declare private readonly kinds: number[];
  declare readonly malformed: Uint8Array;
  /** Per text or object column, each row's cell state (null for numbers and instants). */
  declare private readonly state: (Uint8Array | null)[];
  /** Per schema column of numbers or instants (epoch ms): each row's value, NaN when none; else null. */
  declare readonly nums: (Float64Array | null)[];
  /**
   * Per schema column of other objects (enum words, gates, links, events, …): each row's value as a
   * code into the column's distinct values (0: none); else null. Codes, not an array of references:
   * a typed array the collector never traces (a long table repeats its events and decisions).
   */
  declare private readonly codes: (Int32Array | null)[];
  declare private objects: (ObjectValues | null)[];
  /** The read rows a store from `fromReads` was made of. */
  declare source: readonly ReadRow[] | null;
  declare readonly schema: TableSchema;
  declare readonly rows: RowAccess;
  declare readonly index: readonly number[];
  declare readonly identity: boolean;

  /**
   * `rows` are the table's body rows; `index` gives each schema column's place in the header (-1:
   * absent); `identity` says the header is the schema's columns in order.
   */
  constructor(schema: TableSchema, rows: RowAccess, index: readonly number[], identity: boolean) {
    this.schema = schema;
    this.rows = rows;
    this.index = index;
    this.identity = identity;
    this.source = null;
    const n = rows.length;
    const kinds = (this.kinds = schema.columns.map((c) => storageOf(c.type.kind)));
    this.malformed = new Uint8Array(n);
    // Numbers and instants need no state: NaN is none.
    this.state = kinds.map((k) => (k === TEXT || k === OBJECT ? new Uint8Array(n) : null));
    this.nums = kinds.map((k) => (k === NUMBER || k === DATE ? new Float64Array(n).fill(NaN) : null));
    this.codes = kinds.map((k) => (k === OBJECT ? new Int32Array(n) : null));
    this.objects = kinds.map((k) => (k === OBJECT ? new ObjectValues() : null));
  }

  /**
   * A store over read rows put together by hand (a table with an entry about to be added): their
   * values as they are, their cells read from their rows in schema order.
   */
  static fromReads(schema: TableSchema, reads: readonly ReadRow[]): TableStore {
    const store = new TableStore(schema, new ListRows(reads.map((r) => r.row)), schema.columns.map((_, i) => i), true);
    for (let j = 0; j < reads.length; j++) store.setValues(j, reads[j] as ReadRow);
    store.source = reads;
    return store;
  }

  get size(): number {
    return this.rows.length;
  }

  /** Line of row `j`. */
  line(j: number): number {
    return this.rows.line(j);
  }

  /** Row `j`, for a diagnostic (see `RowAccess.rowAt`). */
  rowAt(j: number): Row {
    return this.rows.rowAt(j);
  }

  /** Sets the state of a cell of a text or object column (numbers and instants keep none). */
  mark(j: number, i: number, state: number): void {
    const states = this.state[i];
    if (states) states[j] = state;
  }

  /** The state of a cell (of a number or instant column: VALUE or EMPTY). */
  stateOf(j: number, i: number): number {
    const states = this.state[i];
    if (states) return states[j] as number;
    return Number.isNaN(this.nums[i]?.[j]) ? EMPTY : VALUE;
  }

  /** Stores a read value of schema column `i` in row `j` (undefined: none). */
  set(j: number, i: number, value: unknown): void {
    const kind = this.kinds[i];
    const nums = this.nums[i];
    const codes = this.codes[i];
    if (value === undefined) {
      if (nums) nums[j] = NaN;
      if (codes) codes[j] = 0;
      return;
    }
    this.mark(j, i, VALUE);
    if (nums) nums[j] = kind === DATE ? (value as Date).getTime() : (value as number);
    else if (codes) codes[j] = (this.objects[i] as ObjectValues).code(value);
  }

  /** The object value of schema column `i` (an object kind) in row `j`, or undefined. */
  object(j: number, i: number): unknown {
    const code = this.codes[i]?.[j] ?? 0;
    return code === 0 ? undefined : (this.objects[i] as ObjectValues).values[code - 1];
  }

  /** Row `j` reads as `read` (its row's cells being the read's): its values and whether it is malformed. */
  setValues(j: number, read: Pick<ReadRow, 'values' | 'malformed'>): void {
    this.malformed[j] = read.malformed ? 1 : 0;
    for (let i = 0; i < this.kinds.length; i++) {
      const value = read.values[i];
      this.set(j, i, value);
      if (value === undefined) this.mark(j, i, this.text(j, i) ? FAILED : EMPTY);
    }
  }

  /** Copies `count` rows of `from` starting at `k` into this store starting at `j` (rows kept by an incremental bind). */
  copyRows(j: number, from: TableStore, k: number, count: number): void {
    if (count <= 0) return;
    this.malformed.set(from.malformed.subarray(k, k + count), j);
    for (let i = 0; i < this.kinds.length; i++) {
      this.state[i]?.set((from.state[i] as Uint8Array).subarray(k, k + count), j);
      this.nums[i]?.set((from.nums[i] as Float64Array).subarray(k, k + count), j);
      const codes = this.codes[i];
      if (codes) {
        for (let d = 0; d < count; d++) {
          const value = from.object(k + d, i);
          codes[j + d] = value === undefined ? 0 : (this.objects[i] as ObjectValues).code(value);
        }
      }
    }
  }

  /** This store with `read` (over a row with this table's header) added as one more row (its distinct values shared). */
  extended(read: ReadRow): TableStore {
    const store = new TableStore(this.schema, new ListRows(this.rows, read.row), this.index, this.identity);
    store.objects = this.objects;
    store.malformed.set(this.malformed);
    for (let i = 0; i < this.kinds.length; i++) {
      store.state[i]?.set(this.state[i] as Uint8Array);
      store.nums[i]?.set(this.nums[i] as Float64Array);
      store.codes[i]?.set(this.codes[i] as Int32Array);
    }
    store.setValues(this.size, read);
    return store;
  }

  /** Whether row `j` has a cell in schema column `i` (`cell(j, i)` is defined), without building it. */
  hasCell(j: number, i: number): boolean {
    return this.malformed[j] === 0 && (this.index[i] ?? -1) >= 0;
  }

  /** The cell of schema column `i` in row `j`; undefined when the column is absent or the row malformed. */
  cell(j: number, i: number): Cell | undefined {
    return this.hasCell(j, i) ? this.rows.rowAt(j).cells[this.index[i] as number] : undefined;
  }

  /** The plain text of that cell, without building the row's cells when it can. */
  text(j: number, i: number): string | undefined {
    return this.hasCell(j, i) ? this.rows.text(j, this.index[i] as number) : undefined;
  }

  /** The value of schema column `i` in row `j`, as `ReadRow.values[i]` gives it. */
  value(j: number, i: number): unknown {
    const nums = this.nums[i];
    if (nums) {
      const n = nums[j] as number;
      return Number.isNaN(n) ? undefined : this.kinds[i] === DATE ? new Date(n) : n;
    }
    if (this.codes[i]) return this.object(j, i);
    return this.state[i]?.[j] ? textValue(this.text(j, i)) : undefined;
  }

  /** Row `j`'s values by schema column (none for a malformed row), as a `ReadRow` gives them. */
  valuesOf(j: number): unknown[] {
    return this.malformed[j] ? [] : this.kinds.map((_, i) => this.value(j, i));
  }

  /** Row `j`'s cells by schema column (none for a malformed row), as a `ReadRow` gives them. */
  cellsOf(j: number, row: Row = this.rows.row(j)): (Cell | undefined)[] {
    return this.malformed[j] ? [] : pickCells(row.cells, this);
  }

  /** Every row as a read row (a view over this store). */
  reads(): ReadRow[] {
    return Array.from({ length: this.size }, (_, j) => new StoredRead(this.rows.row(j), this.malformed[j] === 1, this, j));
  }
}
