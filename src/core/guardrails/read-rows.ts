import type { Condition, Metric, WindowSpec } from '../schema/cell-type';
import { columnIndex, valuesOf, type BoundTable, type TableStore } from '../stack/bind-table';
import { EMPTY, VALUE } from '../stack/table-store';
import type { WindowSource } from './evaluate';
import type { TriggerRow, WindowRow } from './types';

/** Reads the Rollback Triggers table; malformed rows are left out. */
export function readTriggers(bound: BoundTable | undefined): TriggerRow[] {
  if (!bound) return [];
  const col = (name: string): number => columnIndex(bound.schema, name);
  const [trigger, metric, condition, window] = [col('Trigger'), col('Metric'), col('Condition'), col('Window')];
  return bound.rows
    .filter((read) => !read.malformed)
    .map((read) => ({
      line: read.row.line,
      trigger: read.cells[trigger]?.text ?? '',
      metric: (read.values[metric] as Metric | undefined) ?? null,
      condition: (read.values[condition] as Condition | undefined) ?? null,
      window: (read.values[window] as WindowSpec | undefined) ?? null,
      metricText: read.cells[metric]?.text ?? '',
      conditionText: read.cells[condition]?.text ?? '',
      windowText: read.cells[window]?.text ?? '',
    }));
}

/** Schema indexes of the Rollout Windows columns a window row is read from. */
export interface WindowColumns {
  id: number;
  start: number;
  end: number;
  traffic: number;
  missions: number;
  fallbacks: number;
  rate: number;
  p95: number;
  events: number;
  decision: number;
}

/** Where each column a window row is read from sits in the schema. */
export function windowColumns(bound: BoundTable): WindowColumns {
  const col = (name: string): number => columnIndex(bound.schema, name);
  return {
    id: col('Window'), start: col('Start'), end: col('End'), traffic: col('Traffic'), missions: col('Missions'),
    fallbacks: col('Fallbacks'), rate: col('Fallback Rate'), p95: col('p95 (ms)'), events: col('Events'), decision: col('Decision'),
  };
}

/** Reads the Rollout Windows table, newest last; cells that failed their type stay undefined. */
export function readWindows(bound: BoundTable | undefined): WindowRow[] {
  if (!bound) return [];
  const at = windowColumns(bound);
  const store = valuesOf(bound);
  const rows: WindowRow[] = [];
  for (let j = 0; j < store.size; j++) if (!store.malformed[j]) rows.push(readWindowAt(store, j, at));
  return rows;
}

/** Row `j` of a Rollout Windows store (not malformed), read: `readWindow` of its read row. */
export function readWindowAt(store: TableStore, j: number, at: WindowColumns): WindowRow {
  return windowOf(store.line(j), store.text(j, at.id) ?? '', at, (i) => store.value(j, i), () => store.hasCell(j, at.events) && store.text(j, at.events) !== '');
}

/**
 * The windows of a Rollout Windows table for the triggers, read from its values row by row into one
 * reused object (only what the metrics read: no instants, no id); `row` reads a window of its own. A
 * malformed row is a hole (`readWindows` leaves it out: the same windows, in the same order).
 */
export function windowSource(bound: BoundTable): WindowSource {
  const at = windowColumns(bound);
  const store = valuesOf(bound);
  const numbers = (i: number): Float64Array | null => (['percent', 'integer', 'number'].includes(bound.schema.columns[i]?.type.kind ?? '') ? (store.nums[i] ?? null) : null);
  const traffic = numbers(at.traffic);
  const missions = numbers(at.missions);
  const fallbacks = numbers(at.fallbacks);
  const rate = numbers(at.rate);
  const p95 = numbers(at.p95);
  const num = (column: Float64Array | null, j: number): number | undefined => {
    const n = column ? (column[j] as number) : NaN;
    return Number.isNaN(n) ? undefined : n;
  };
  const cursor: WindowRow = { line: 0, id: '' };
  const noEvents = new Map<string, number>();
  const decision = (j: number): WindowRow['decision'] => {
    const value = store.malformed[j] ? undefined : store.value(j, at.decision);
    return value === 'promote' || value === 'hold' || value === 'rollback' ? value : undefined;
  };
  return {
    length: store.size,
    window(j) {
      if (store.malformed[j] !== 0) return undefined;
      cursor.line = store.line(j);
      cursor.traffic = num(traffic, j);
      cursor.missions = num(missions, j);
      cursor.fallbacks = num(fallbacks, j);
      cursor.fallbackRate = num(rate, j);
      cursor.p95 = num(p95, j);
      cursor.events = eventsAt(store, j, at.events, noEvents);
      cursor.decision = decision(j);
      return cursor;
    },
    decision,
    id: (j) => store.text(j, at.id) ?? '',
    row: (j) => readWindowAt(store, j, at),
  };
}

/** The Events value of row `j` as a read row gives it: the map, none for an empty cell (or no column), undefined when it failed. */
function eventsAt(store: TableStore, j: number, i: number, none: Map<string, number>): Map<string, number> | undefined {
  if (i < 0 || !store.hasCell(j, i)) return none;
  const state = store.stateOf(j, i);
  if (state === EMPTY) return none;
  const value = state === VALUE ? store.value(j, i) : undefined;
  return value instanceof Map ? (value as Map<string, number>) : undefined;
}

/** A window from its line, id, values by schema column, and whether its Events cell holds text. */
function windowOf(line: number, id: string, at: WindowColumns, v: (i: number) => unknown, eventsWritten: () => boolean): WindowRow {
  const start = v(at.start);
  const end = v(at.end);
  const traffic = v(at.traffic);
  const missions = v(at.missions);
  const fallbacks = v(at.fallbacks);
  const rate = v(at.rate);
  const p95 = v(at.p95);
  const events = v(at.events);
  const decision = v(at.decision);
  const isDecision = decision === 'promote' || decision === 'hold' || decision === 'rollback';
  if (
    start instanceof Date && end instanceof Date && typeof traffic === 'number' && typeof missions === 'number' && typeof fallbacks === 'number' &&
    typeof rate === 'number' && typeof p95 === 'number' && events instanceof Map && isDecision
  ) {
    // Every cell read: one literal, with the keys in the order the general case adds them.
    return {
      line, id, start, end, traffic, missions, fallbacks, fallbackRate: rate, p95,
      events: events as Map<string, number>, decision,
    };
  }
  const row: WindowRow = { line, id };
  if (start instanceof Date) row.start = start;
  if (end instanceof Date) row.end = end;
  if (typeof traffic === 'number') row.traffic = traffic;
  if (typeof missions === 'number') row.missions = missions;
  if (typeof fallbacks === 'number') row.fallbacks = fallbacks;
  if (typeof rate === 'number') row.fallbackRate = rate;
  if (typeof p95 === 'number') row.p95 = p95;
  if (events instanceof Map) row.events = events as Map<string, number>;
  else if (!eventsWritten()) row.events = new Map();
  if (isDecision) row.decision = decision;
  return row;
}
