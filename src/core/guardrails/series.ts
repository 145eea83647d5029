import type { WindowSpec } from '../schema/cell-type';
import { round2, type MetricInfo } from './metric-info';
import type { WindowRow } from './types';

/**
 * One trigger's view of the windows: the usable rows, in table order, with prefix sums (and a range-maximum table)
 * so that the trigger can be evaluated over any prefix of the table in O(log n) — `findPromoteInBreach` asks once
 * per promoted row, on tables of tens of thousands of rows.
 */
export interface Series {
  info: MetricInfo;
  window: WindowSpec;
  /** Table index of each usable row, ascending. */
  at: number[];
  ids: string[];
  values: number[];
  /** Prefix sums: `numerator` (Fallbacks for a ratio, the value for a sum), `missions` (NaN-free only when `countsMissions`). */
  numerator: Float64Array;
  missions: Float64Array;
  countsMissions: boolean;
  /** Prefix count of rows in which the condition holds on the row alone (consecutive windows). */
  holding: Int32Array;
  /** Sparse table of maxima (only for `max` metrics). */
  maxima: Float64Array[];
}

/** The rows the series covers for a table prefix: usable positions `[from, to)`. */
export interface Selection {
  from: number;
  to: number;
}

function prefix(values: number[]): Float64Array {
  const sums = new Float64Array(values.length + 1);
  for (let i = 0; i < values.length; i++) sums[i + 1] = (sums[i] ?? 0) + (values[i] ?? 0);
  return sums;
}

function sparseMax(values: number[]): Float64Array[] {
  const levels = [Float64Array.from(values)];
  for (let span = 1; span * 2 <= values.length; span *= 2) {
    const below = levels[levels.length - 1] ?? new Float64Array();
    const level = new Float64Array(values.length - span * 2 + 1);
    for (let i = 0; i < level.length; i++) level[i] = Math.max(below[i] ?? -Infinity, below[i + span] ?? -Infinity);
    levels.push(level);
  }
  return levels;
}

/** Builds a trigger's series over the table; `hold` tells whether the condition holds on one row's (rounded) value. */
export function buildSeries(info: MetricInfo, window: WindowSpec, windows: WindowRow[], hold: (v: number) => boolean): Series {
  const countsMissions = info.aggregation === 'ratio' || window.kind === 'missions';
  const at: number[] = [];
  const ids: string[] = [];
  const values: number[] = [];
  const numerators: number[] = [];
  const missions: number[] = [];
  windows.forEach((row, i) => {
    if (!info.usable(row)) return;
    if (countsMissions && !(row.missions !== undefined && Number.isFinite(row.missions) && row.missions >= 0)) return;
    const value = info.value(row);
    at.push(i);
    ids.push(row.id);
    values.push(value);
    numerators.push(info.aggregation === 'ratio' ? (row.fallbacks ?? 0) : value);
    missions.push(row.missions ?? 0);
  });
  const holding = new Int32Array(values.length + 1);
  values.forEach((v, i) => (holding[i + 1] = (holding[i] ?? 0) + (hold(round2(v)) ? 1 : 0)));
  return {
    info, window, at, ids, values, numerator: prefix(numerators), missions: prefix(missions), countsMissions, holding,
    maxima: info.aggregation === 'max' ? sparseMax(values) : [],
  };
}

/** How many usable rows lie at table index `< end`. */
export function usableBefore(series: Series, end: number): number {
  let lo = 0;
  let hi = series.at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((series.at[mid] ?? 0) < end) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The newest rows of the first `to` usable rows that the window names (SPEC §2). */
export function select(series: Series, to: number): Selection {
  const n = Math.max(1, Math.floor(series.window.n));
  if (series.window.kind !== 'missions') return { from: Math.max(0, to - n), to };
  const sums = series.missions;
  const total = (sums[to] ?? 0) - (sums[0] ?? 0);
  if (total < n) return { from: 0, to };
  // the largest `from` whose rows still add up to n missions: the fewest newest windows
  let lo = 0;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((sums[to] ?? 0) - (sums[mid] ?? 0) >= n) lo = mid;
    else hi = mid - 1;
  }
  return { from: lo, to };
}

/** The metric aggregated over a selection. */
export function aggregate(series: Series, { from, to }: Selection): number {
  const { numerator, missions, maxima } = series;
  switch (series.info.aggregation) {
    case 'sum':
      return (numerator[to] ?? 0) - (numerator[from] ?? 0);
    case 'ratio': {
      const m = (missions[to] ?? 0) - (missions[from] ?? 0);
      return m > 0 ? (((numerator[to] ?? 0) - (numerator[from] ?? 0)) / m) * 100 : 0;
    }
    case 'max': {
      const level = 31 - Math.clz32(to - from);
      const row = maxima[level];
      return Math.max(row?.[from] ?? -Infinity, row?.[to - (1 << level)] ?? -Infinity);
    }
  }
}

/** Missions over a selection, when the series counts them. */
export function missionsIn(series: Series, { from, to }: Selection): number | null {
  return series.countsMissions ? (series.missions[to] ?? 0) - (series.missions[from] ?? 0) : null;
}

/** How many rows of a selection hold on their own. */
export function holdingIn(series: Series, { from, to }: Selection): number {
  return (series.holding[to] ?? 0) - (series.holding[from] ?? 0);
}
