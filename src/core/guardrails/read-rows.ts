import type { Condition, Metric, WindowSpec } from '../schema/cell-type';
import { columnIndex, type BoundTable } from '../stack/bind-table';
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

/** Reads the Rollout Windows table, newest last; cells that failed their type stay undefined. */
export function readWindows(bound: BoundTable | undefined): WindowRow[] {
  if (!bound) return [];
  const col = (name: string): number => columnIndex(bound.schema, name);
  const at = {
    id: col('Window'), start: col('Start'), end: col('End'), traffic: col('Traffic'), missions: col('Missions'),
    fallbacks: col('Fallbacks'), rate: col('Fallback Rate'), p95: col('p95 (ms)'), events: col('Events'), decision: col('Decision'),
  };
  const rows: WindowRow[] = [];
  for (const read of bound.rows) {
    if (read.malformed) continue;
    const v = read.values;
    const eventsCell = read.cells[at.events];
    const row: WindowRow = { line: read.row.line, id: read.cells[at.id]?.text ?? '' };
    if (v[at.start] instanceof Date) row.start = v[at.start] as Date;
    if (v[at.end] instanceof Date) row.end = v[at.end] as Date;
    if (typeof v[at.traffic] === 'number') row.traffic = v[at.traffic] as number;
    if (typeof v[at.missions] === 'number') row.missions = v[at.missions] as number;
    if (typeof v[at.fallbacks] === 'number') row.fallbacks = v[at.fallbacks] as number;
    if (typeof v[at.rate] === 'number') row.fallbackRate = v[at.rate] as number;
    if (typeof v[at.p95] === 'number') row.p95 = v[at.p95] as number;
    if (v[at.events] instanceof Map) row.events = v[at.events] as Map<string, number>;
    else if (eventsCell === undefined || eventsCell.text === '') row.events = new Map();
    const decision = v[at.decision];
    if (decision === 'promote' || decision === 'hold' || decision === 'rollback') row.decision = decision;
    rows.push(row);
  }
  return rows;
}
