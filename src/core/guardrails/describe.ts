import type { Condition } from '../schema/cell-type';
import { round2, type MetricInfo } from './metric-info';
import type { TriggerRow, TriggerStatus } from './types';

/** A value with its metric's unit: `12.5%`, `850 ms`, `3`. */
export function formatValue(value: number, info: MetricInfo): string {
  return `${round2(value)}${info.unit}`;
}

/** A condition in its canonical spelling: `> 10%`, `>= 800 ms`. */
export function formatCondition(condition: Condition): string {
  const unit = condition.unit === null ? '' : condition.unit === '%' ? '%' : ` ${condition.unit}`;
  return `${condition.comparator} ${condition.value}${unit}`;
}

/** `W-5`, or `W-3…W-5` for several windows (oldest first). */
export function formatSpan(ids: string[]): string {
  const first = ids[0] ?? '';
  const last = ids[ids.length - 1] ?? '';
  return ids.length > 1 ? `${first}…${last}` : first;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** "fallback rate 12.5% over W-3…W-5 (3 windows, 40 missions); trigger at > 10%: breach". */
export function aggregateMessage(
  info: MetricInfo, observed: number, ids: string[], missions: number | null, condition: Condition, status: TriggerStatus, note = '',
): string {
  const counts = missions === null ? plural(ids.length, 'window') : `${plural(ids.length, 'window')}, ${plural(missions, 'mission')}`;
  return `${info.name} ${formatValue(observed, info)} over ${formatSpan(ids)} (${counts}${note}); trigger at ${formatCondition(condition)}: ${statusText(status)}`;
}

/** What a `<n> missions` window covered, for its message. */
export interface MissionsCover {
  /** The n of the window. */
  n: number;
  /** Missions the value covers (n, unless the windows hold fewer). */
  missions: number;
  /** The oldest window when taken in part. */
  partial: { window: string; taken: number; missions: number } | null;
  /** The range the window totals allow (rates and counts). */
  bounds: { low: number; high: number } | null;
}

/**
 * A `<n> missions` trigger. Every window whole: "fallback rate 16.67% over W-3 (1 window, 30 missions); …", and
 * "(3 windows, 180 missions in all, fewer than 1000)" when they hold fewer than n. The oldest window cut:
 * "fallback rate 15% over the last 20 missions (all of W-7, 5 of W-6's 180 missions pro rata; exactly 15% by the
 * window totals); trigger at > 10%: breach" — "between 5% and 20% by the window totals" when the totals leave a range.
 */
export function missionsMessage(
  info: MetricInfo, observed: number, ids: string[], cover: MissionsCover, condition: Condition, status: TriggerStatus,
): string {
  const { n, missions, partial, bounds } = cover;
  if (!partial) {
    const short = missions < n ? ` in all, fewer than ${n}` : '';
    return aggregateMessage(info, observed, ids, missions, condition, status, short);
  }
  const whole = ids.slice(1);
  const taken = `${whole.length > 0 ? `all of ${formatSpan(whole)}, ` : ''}${round2(partial.taken)} of ${partial.window}'s ${plural(partial.missions, 'mission')}`;
  const how = bounds
    ? ` pro rata; ${bounds.low === bounds.high ? `exactly ${formatValue(bounds.low, info)}` : `between ${formatValue(bounds.low, info)} and ${formatValue(bounds.high, info)}`} by the window totals`
    : ids.length > 1 ? `; the maximum over ${plural(ids.length, 'window')}` : `; the window's own ${info.name}`;
  return `${info.name} ${formatValue(observed, info)} over the last ${plural(n, 'mission')} (${taken}${how}); trigger at ${formatCondition(condition)}: ${statusText(status)}`;
}

function statusText(status: TriggerStatus): string {
  return status === 'warn' ? 'warn (within 20% of the threshold)' : status;
}

/** "fallback rate > 10% in 2 of the newest 3 windows W-3…W-5 (newest 12.5%): warn". */
export function consecutiveMessage(
  info: MetricInfo, newest: number, ids: string[], holding: number, needed: number, condition: Condition, status: TriggerStatus,
): string {
  const where = ids.length < needed
    ? `in ${holding} of ${plural(ids.length, 'window')} ${formatSpan(ids)} (${needed} consecutive needed; newest ${formatValue(newest, info)})`
    : `in ${holding} of the newest ${plural(ids.length, 'window')} ${formatSpan(ids)} (newest ${formatValue(newest, info)})`;
  return `${info.name} ${formatCondition(condition)} ${where}: ${status}`;
}

/** Why a trigger row cannot be evaluated: the cells that did not parse. */
export function unreadMessage(trigger: TriggerRow): string {
  const cells: string[] = [];
  const cell = (name: string, text: string | undefined): string => (text ? `${name} \`${text}\`` : name);
  if (!trigger.metric) cells.push(cell('Metric', trigger.metricText));
  if (!trigger.condition) cells.push(cell('Condition', trigger.conditionText));
  if (!trigger.window) cells.push(cell('Window', trigger.windowText));
  return `not evaluated: ${cells.join(' and ')} ${cells.length === 1 ? 'does' : 'do'} not read as a valid cell: unknown`;
}
