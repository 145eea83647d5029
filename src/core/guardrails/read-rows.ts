import type { Condition, Metric, WindowSpec } from '../schema/cell-type';
import { columnIndex, type BoundTable, type ReadRow } from '../stack/bind-table';
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
  const rows: WindowRow[] = [];
  for (const read of bound.rows) if (!read.malformed) rows.push(readWindow(read, at));
  return rows;
}

/** One Rollout Windows row (not malformed), read. */
export function readWindow(read: ReadRow, at: WindowColumns): WindowRow {
  const v = read.values;
  const id = read.cells[at.id]?.text ?? '';
  const start = v[at.start];
  const end = v[at.end];
  const traffic = v[at.traffic];
  const missions = v[at.missions];
  const fallbacks = v[at.fallbacks];
  const rate = v[at.rate];
  const p95 = v[at.p95];
  const events = v[at.events];
  const decision = v[at.decision];
  const isDecision = decision === 'promote' || decision === 'hold' || decision === 'rollback';
  if (
    start instanceof Date && end instanceof Date && typeof traffic === 'number' && typeof missions === 'number' && typeof fallbacks === 'number' &&
    typeof rate === 'number' && typeof p95 === 'number' && events instanceof Map && isDecision
  ) {
    // Every cell read: one literal, with the keys in the order the general case adds them.
    return {
      line: read.row.line, id, start, end, traffic, missions, fallbacks, fallbackRate: rate, p95,
      events: events as Map<string, number>, decision,
    };
  }
  const eventsCell = read.cells[at.events];
  const row: WindowRow = { line: read.row.line, id };
  if (start instanceof Date) row.start = start;
  if (end instanceof Date) row.end = end;
  if (typeof traffic === 'number') row.traffic = traffic;
  if (typeof missions === 'number') row.missions = missions;
  if (typeof fallbacks === 'number') row.fallbacks = fallbacks;
  if (typeof rate === 'number') row.fallbackRate = rate;
  if (typeof p95 === 'number') row.p95 = p95;
  if (events instanceof Map) row.events = events as Map<string, number>;
  else if (eventsCell === undefined || eventsCell.text === '') row.events = new Map();
  if (isDecision) row.decision = decision;
  return row;
}
