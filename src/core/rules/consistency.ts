import type { Diagnostic } from './rule-ids';
import type { LinkRef } from '../schema/cell-type';
import { cellAt, columnIndex, valuesOf, type BoundTable, type ReadRow, type TableStore } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/** How far a written fallback rate may stray from Fallbacks / Missions, in percentage points. */
export const RATE_TOLERANCE = 0.05;

/** `row/consistency`: End ≥ Start, Fallbacks ≤ Missions, the rate adds up, superseded decisions say so. */
export const consistencyRule: Rule = {
  ids: ['row/consistency'],
  check(model, out) {
    const evidence = model.tables.get('evidence');
    if (evidence) {
      const store = valuesOf(evidence);
      const columns = windowColumns(evidence, store);
      for (let j = 0; j < store.size; j++) checkWindow(evidence, store, j, out, columns);
    }
    const decisions = model.tables.get('decision');
    if (decisions) checkSupersedes(decisions, out);
  },
};

/** Schema indexes of Start, End, Missions, Fallbacks and Fallback Rate, and their values (null when of another type). */
interface WindowColumns {
  at: readonly [number, number, number, number, number];
  values: readonly [Float64Array | null, Float64Array | null, Float64Array | null, Float64Array | null, Float64Array | null];
}

const DATES = ['datetime', 'date'];
const NUMBERS = ['percent', 'integer', 'number', 'id'];

function windowColumns(bound: BoundTable, store: TableStore): WindowColumns {
  const col = (name: string): number => columnIndex(bound.schema, name);
  const at = [col('Start'), col('End'), col('Missions'), col('Fallbacks'), col('Fallback Rate')] as const;
  const of = (i: number, kinds: readonly string[]): Float64Array | null => (kinds.includes(bound.schema.columns[i]?.type.kind ?? '') ? (store.nums[i] ?? null) : null);
  return { at, values: [of(at[0], DATES), of(at[1], DATES), of(at[2], NUMBERS), of(at[3], NUMBERS), of(at[4], NUMBERS)] };
}

/** Value of row `j` in a column's values, NaN when none. */
const valueAt = (values: Float64Array | null, j: number): number => (values ? (values[j] as number) : NaN);

/** The problems of row `j` of the Rollout Windows table. */
export function checkWindow(bound: BoundTable, store: TableStore, j: number, out: Diagnostic[], columns: WindowColumns = windowColumns(bound, store)): void {
  const [start, end, , fallbacks, rate] = columns.at;
  const [starts, ends, missionValues, fallbackValues, rates] = columns.values;
  const s = valueAt(starts, j);
  const e = valueAt(ends, j);
  if (e < s) {
    report(bound, store, j, out, end, `End \`${store.text(j, end) ?? ''}\` is before Start \`${store.text(j, start) ?? ''}\`; expected End ≥ Start`);
  }
  const m = valueAt(missionValues, j);
  const f = valueAt(fallbackValues, j);
  if (Number.isNaN(m) || Number.isNaN(f)) return;
  if (f > m) {
    report(bound, store, j, out, fallbacks, `Fallbacks ${f} exceed Missions ${m}; expected Fallbacks ≤ Missions`);
    return;
  }
  const r = valueAt(rates, j);
  if (Number.isNaN(r)) return;
  const expected = m === 0 ? 0 : (f / m) * 100;
  if (Math.abs(r - expected) > RATE_TOLERANCE + 1e-9) {
    report(bound, store, j, out, rate, `Fallback Rate ${store.text(j, rate) ?? ''} does not match ${f} / ${m}; expected ${formatRate(expected)}`);
  }
}

function report(bound: BoundTable, store: TableStore, j: number, out: Diagnostic[], i: number, message: string): void {
  const cell = store.cell(j, i);
  if (cell) out.push(cellAt(bound.path, bound.note, store.rowAt(j), cell, 'row/consistency', 'error', message));
}

/** Fallback rate as Canon writes it: two decimals, no unit. */
export function formatRate(rate: number): string {
  return (Math.round(rate * 100) / 100).toFixed(2);
}

function checkSupersedes(bound: BoundTable, out: Diagnostic[]): void {
  const id = columnIndex(bound.schema, 'ID');
  const status = columnIndex(bound.schema, 'Status');
  const supersedes = columnIndex(bound.schema, 'Supersedes');
  const byId = new Map<number, ReadRow>();
  for (const read of bound.rows) {
    const n = read.values[id];
    if (typeof n === 'number' && !byId.has(n)) byId.set(n, read);
  }
  for (const read of bound.rows) {
    const links = read.values[supersedes] as LinkRef[] | undefined;
    const own = read.values[id];
    const cell = read.cells[supersedes];
    if (!links || !cell || typeof own !== 'number') continue;
    for (const target of decisionIds(links)) {
      const older = byId.get(target);
      if (!older) continue; // link/unresolved reports it
      if (target >= own) {
        out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/consistency', 'error', `D-${own} supersedes D-${target}; expected a decision to supersede only older ones`));
      } else if (older.values[status] !== 'superseded') {
        out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/consistency', 'error',
          `D-${own} supersedes D-${target}, whose Status is \`${older.cells[status]?.text ?? ''}\`; expected D-${target} to read superseded`));
      }
    }
  }
}

/** The decision numbers a Supersedes cell names (`D-3` or `[[D-3]]`). */
export function decisionIds(links: readonly LinkRef[]): number[] {
  const ids: number[] = [];
  for (const link of links) {
    const text = link.kind === 'row-id' ? link.id : link.target;
    const match = /^D-(\d+)$/i.exec(text);
    if (match?.[1]) ids.push(Number(match[1]));
  }
  return ids;
}
