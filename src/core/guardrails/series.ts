import type { WindowSpec } from '../schema/cell-type';
import { round2, type MetricInfo } from './metric-info';
import type { WindowRow } from './types';

/**
 * One trigger's view of the windows: the usable rows, in table order, with prefix sums (and a range-maximum table)
 * so that the trigger can be evaluated over any prefix of the table in O(log n) — `findPromoteInBreach` asks once
 * per promoted row, on tables of tens of thousands of rows. Typed arrays: a 50k-row table makes no garbage here.
 */
export interface Series {
  info: MetricInfo;
  window: WindowSpec;
  /** The id of the window at a table index (for the ids of a selection). */
  idOf: (i: number) => string;
  /** How many rows are usable. */
  size: number;
  /** Table index of each usable row, ascending; null when the usable rows are the first `size` rows. */
  at: Int32Array | null;
  values: Float64Array;
  /** Prefix sums: `numerator` (Fallbacks for a ratio, the value for a sum), `missions` (NaN-free only when `countsMissions`). */
  numerator: Float64Array;
  missions: Float64Array;
  countsMissions: boolean;
  /** Prefix count of rows in which the condition holds on the row alone (consecutive windows). */
  holding: Int32Array;
  /** Sparse table of maxima (for `max` metrics; empty until a long range is asked for). */
  maxima: Float64Array[];
}

/**
 * The rows the series covers for a table prefix: usable positions `[from, to)`. For `<n> missions` the oldest row
 * (`from`) may be taken in part: `part` is then the missions taken from it (0 < part < its Missions); otherwise 0
 * and every row of the range is taken whole.
 */
export interface Selection {
  from: number;
  to: number;
  part: number;
}

function sparseMax(values: Float64Array): Float64Array[] {
  const levels = [Float64Array.from(values)];
  for (let span = 1; span * 2 <= values.length; span *= 2) {
    const below = levels[levels.length - 1] ?? new Float64Array();
    const level = new Float64Array(values.length - span * 2 + 1);
    for (let i = 0; i < level.length; i++) level[i] = Math.max(below[i] ?? -Infinity, below[i + span] ?? -Infinity);
    levels.push(level);
  }
  return levels;
}

/** Collects one trigger's series row by row (several triggers can share one pass over the table). */
export class SeriesBuilder {
  private readonly countsMissions: boolean;
  private readonly ratio: boolean;
  /** Which arrays the trigger's evaluation reads (the others stay empty: four triggers over 50k rows are megabytes). */
  private readonly keepValues: boolean;
  private readonly keepNumerator: boolean;
  private readonly keepHolding: boolean;
  /** Made when a row is first skipped (until then the usable rows are the rows). */
  private at: Int32Array | null = null;
  private readonly n: number;
  private readonly values: Float64Array;
  private readonly numerator: Float64Array;
  private readonly missions: Float64Array;
  private readonly holding: Int32Array;
  private count = 0;

  /** A series over `n` windows; `idOf` names the window at a table index. */
  constructor(
    private readonly info: MetricInfo,
    private readonly window: WindowSpec,
    n: number,
    private readonly idOf: (i: number) => string,
    private readonly hold: (v: number) => boolean,
  ) {
    this.countsMissions = info.aggregation === 'ratio' || window.kind === 'missions';
    this.ratio = info.aggregation === 'ratio';
    // `max` and consecutive windows read the values; `sum` and `ratio` the prefix sums; consecutive windows the holding counts.
    this.keepValues = info.aggregation === 'max' || window.kind === 'consecutive';
    this.keepNumerator = info.aggregation !== 'max';
    this.keepHolding = window.kind === 'consecutive';
    this.n = n;
    this.values = new Float64Array(this.keepValues ? n : 0);
    this.numerator = new Float64Array(this.keepNumerator ? n + 1 : 0);
    this.missions = new Float64Array(this.countsMissions ? n + 1 : 0);
    this.holding = new Int32Array(this.keepHolding ? n + 1 : 0);
  }

  /** Takes table row `i` when the metric can be read from it. */
  add(row: WindowRow, i: number): void {
    if (!this.info.usable(row)) return;
    if (this.countsMissions && !(row.missions !== undefined && Number.isFinite(row.missions) && row.missions >= 0)) return;
    const value = this.info.value(row);
    const k = this.count++;
    if (this.at) this.at[k] = i;
    else if (i !== k) {
      this.at = new Int32Array(this.n);
      for (let m = 0; m < k; m++) this.at[m] = m;
      this.at[k] = i;
    }
    if (this.keepValues) this.values[k] = value;
    if (this.keepNumerator) this.numerator[k + 1] = (this.numerator[k] as number) + (this.ratio ? (row.fallbacks ?? 0) : value);
    if (this.countsMissions) this.missions[k + 1] = (this.missions[k] as number) + (row.missions ?? 0);
    if (this.keepHolding) this.holding[k + 1] = (this.holding[k] as number) + (this.hold(round2(value)) ? 1 : 0);
  }

  finish(): Series {
    const n = this.count;
    return {
      info: this.info, window: this.window, idOf: this.idOf, countsMissions: this.countsMissions, maxima: [],
      size: n, at: this.at ? this.at.subarray(0, n) : null, values: this.values.subarray(0, n),
      numerator: this.numerator.subarray(0, n + 1), missions: this.missions.subarray(0, n + 1), holding: this.holding.subarray(0, n + 1),
    };
  }
}

/** Builds a trigger's series over the table; `hold` tells whether the condition holds on one row's (rounded) value. */
export function buildSeries(info: MetricInfo, window: WindowSpec, windows: readonly WindowRow[], hold: (v: number) => boolean): Series {
  const builder = new SeriesBuilder(info, window, windows.length, (i) => (windows[i] as WindowRow).id, hold);
  for (let i = 0; i < windows.length; i++) if (i in windows) builder.add(windows[i] as WindowRow, i);
  return builder.finish();
}

/** Ids of the rows of a selection, oldest first. */
export function idsIn(series: Series, { from, to }: Selection): string[] {
  const ids: string[] = [];
  for (let k = from; k < to; k++) ids.push(series.idOf(series.at ? (series.at[k] as number) : k));
  return ids;
}

/** How many usable rows lie at table index `< end`. */
export function usableBefore(series: Series, end: number): number {
  const at = series.at;
  // Every row usable (the usual table): the indexes are 0, 1, 2, … up to the rows taken.
  if (!at) return Math.max(0, Math.min(end, series.size));
  if (end > 0 && end <= at.length && at[end - 1] === end - 1) return end;
  let lo = 0;
  let hi = at.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((at[mid] ?? 0) < end) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The newest rows of the first `to` usable rows that the window names (README "Command line"). For `<n> missions`: the newest rows
 * whole while their Missions fit in n, then the missions still needed from the next older row (its `part`); every row
 * when they hold fewer than n missions. O(log n): a binary search over the prefix sums.
 */
export function select(series: Series, to: number): Selection {
  const n = Math.max(1, Math.floor(series.window.n));
  if (series.window.kind !== 'missions') return { from: Math.max(0, to - n), to, part: 0 };
  const sums = series.missions;
  const end = sums[to] ?? 0;
  if (!(end - (sums[0] ?? 0) >= n)) return { from: 0, to, part: 0 };
  // the largest `from` whose rows add up to n missions or more: the row in which the n-th newest mission lies
  let lo = 0;
  let hi = to - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (end - (sums[mid] ?? 0) >= n) lo = mid;
    else hi = mid - 1;
  }
  // the newer rows hold fewer than n missions; this one holds the rest, all of them or only some
  const take = n - (end - (sums[lo + 1] ?? 0));
  const missions = (sums[lo + 1] ?? 0) - (sums[lo] ?? 0);
  return { from: lo, to, part: take < missions ? take : 0 };
}

/** The oldest row of a selection taken in part: its numerator (Fallbacks, or the summed value), its Missions and the share taken. */
function partOf(series: Series, { from, part }: Selection): { count: number; missions: number; share: number } {
  const count = (series.numerator[from + 1] ?? 0) - (series.numerator[from] ?? 0);
  const missions = (series.missions[from + 1] ?? 0) - (series.missions[from] ?? 0);
  return { count, missions, share: (part * count) / missions };
}

/** The numerator over the rows of a selection taken whole (all but a cut oldest row). */
function wholeNumerator(series: Series, { from, to, part }: Selection): number {
  return (series.numerator[to] ?? 0) - (series.numerator[part > 0 ? from + 1 : from] ?? 0);
}

/**
 * The metric aggregated over a selection. A row taken in part gives its pro-rata share (`part × F / M` of its
 * Fallbacks, or of its summed value); for `max` metrics every row that overlaps counts whole.
 */
export function aggregate(series: Series, selection: Selection): number {
  const { from, to } = selection;
  const { maxima } = series;
  switch (series.info.aggregation) {
    case 'sum':
      return wholeNumerator(series, selection) + (selection.part > 0 ? partOf(series, selection).share : 0);
    case 'ratio': {
      const m = missionsIn(series, selection) ?? 0;
      const numerator = wholeNumerator(series, selection) + (selection.part > 0 ? partOf(series, selection).share : 0);
      return m > 0 ? (numerator / m) * 100 : 0;
    }
    case 'max': {
      // Short ranges (`3 windows`) are scanned; longer ones use the sparse table, built on first need.
      if (to - from <= SCAN_MAX) {
        let max = -Infinity;
        for (let i = from; i < to; i++) max = Math.max(max, series.values[i] ?? -Infinity);
        return max;
      }
      if (maxima.length === 0) maxima.push(...sparseMax(series.values));
      const level = 31 - Math.clz32(to - from);
      const row = maxima[level];
      return Math.max(row?.[from] ?? -Infinity, row?.[to - (1 << level)] ?? -Infinity);
    }
  }
}

/**
 * The lowest and highest values the window totals allow for a `<n> missions` selection of a `ratio` or `sum`
 * metric, in the metric's unit (README "Command line"): the row taken in part holds between max(0, F − (M − k)) and min(F, k) of
 * its F fallbacks (or events) in the k missions taken, one per mission at most. A count above the row's missions
 * cannot be one per mission, so it may then lie anywhere: between 0 and F. Both bounds equal the value when no row
 * is cut. Null for other windows and for `max` metrics.
 */
export function boundsOf(series: Series, selection: Selection): { low: number; high: number } | null {
  if (series.window.kind !== 'missions' || series.info.aggregation === 'max') return null;
  if (selection.part === 0) {
    const value = aggregate(series, selection);
    return { low: value, high: value };
  }
  const whole = wholeNumerator(series, selection);
  const { count, missions } = partOf(series, selection);
  const k = selection.part;
  const [low, high] = count >= 0 && count <= missions
    ? [Math.max(0, count - (missions - k)), Math.min(count, k)]
    : [Math.min(0, count), Math.max(0, count)];
  if (series.info.aggregation === 'sum') return { low: whole + low, high: whole + high };
  const m = missionsIn(series, selection) ?? 0;
  return m > 0 ? { low: ((whole + low) / m) * 100, high: ((whole + high) / m) * 100 } : { low: 0, high: 0 };
}

/** Longest range whose maximum is found by scanning rather than by the sparse table. */
const SCAN_MAX = 32;

/** Missions over a selection (a row taken in part counts its `part`), when the series counts them. */
export function missionsIn(series: Series, { from, to, part }: Selection): number | null {
  if (!series.countsMissions) return null;
  return part > 0 ? (series.missions[to] ?? 0) - (series.missions[from + 1] ?? 0) + part : (series.missions[to] ?? 0) - (series.missions[from] ?? 0);
}

/** How many rows of a selection hold on their own. */
export function holdingIn(series: Series, { from, to }: Selection): number {
  return (series.holding[to] ?? 0) - (series.holding[from] ?? 0);
}
