import type { Comparator, Condition, Metric } from '../schema/cell-type';
import type { WindowRow } from './types';

/** How a metric is read from a window row and aggregated over several (README "Command line"). */
export interface MetricInfo {
  /** The name messages use: `fallback rate`, `p95`, or the event name. */
  name: string;
  /** `ratio`: Σ Fallbacks / Σ Missions × 100; `max`; `sum`. */
  aggregation: 'ratio' | 'max' | 'sum';
  /** Unit appended to a value in messages. */
  unit: '%' | ' ms' | '';
  /** The cells a row needs for this metric, for the "no usable rows" message. */
  needs: string;
  usable(row: WindowRow): boolean;
  /** The metric over this one row (for `ratio`, the row's own fallback rate). */
  value(row: WindowRow): number;
}

const finite = (n: number | undefined): n is number => n !== undefined && Number.isFinite(n);
const rowRate = (row: WindowRow): number => (row.missions ? ((row.fallbacks ?? 0) / row.missions) * 100 : 0);

/** The reading and aggregation rule of a metric. Traffic aggregates as the maximum (the widest exposure). */
export function metricInfo(metric: Metric): MetricInfo {
  if (metric.kind === 'family') {
    // Every event of the family in a window: `vp.continuity.lost` and `billing.continuity.lost` are both continuity regressions.
    const { name, suffix } = metric;
    const dotted = `.${suffix}`;
    const value = (r: WindowRow): number => {
      let sum = 0;
      for (const [event, count] of r.events ?? []) if (event === suffix || event.endsWith(dotted)) sum += count;
      return sum;
    };
    return { name, aggregation: 'sum', unit: '', needs: `Events (${suffix} events)`, usable: (r) => r.events !== undefined, value };
  }
  if (metric.kind === 'event') {
    const name = metric.name;
    return { name, aggregation: 'sum', unit: '', needs: 'Events', usable: (r) => r.events !== undefined, value: (r) => r.events?.get(name) ?? 0 };
  }
  switch (metric.column) {
    case 'fallback rate':
      return {
        name: 'fallback rate', aggregation: 'ratio', unit: '%', needs: 'Missions and Fallbacks',
        usable: (r) => finite(r.missions) && r.missions >= 0 && finite(r.fallbacks), value: rowRate,
      };
    case 'p95':
      return { name: 'p95', aggregation: 'max', unit: ' ms', needs: 'p95', usable: (r) => finite(r.p95), value: (r) => r.p95 ?? 0 };
    case 'traffic':
      return { name: 'traffic', aggregation: 'max', unit: '%', needs: 'Traffic', usable: (r) => finite(r.traffic), value: (r) => r.traffic ?? 0 };
    case 'missions':
      return { name: 'missions', aggregation: 'sum', unit: '', needs: 'Missions', usable: (r) => finite(r.missions), value: (r) => r.missions ?? 0 };
    case 'fallbacks':
      return { name: 'fallbacks', aggregation: 'sum', unit: '', needs: 'Fallbacks', usable: (r) => finite(r.fallbacks), value: (r) => r.fallbacks ?? 0 };
  }
}

/** Rounds to 2 decimals; values are compared as reported, so 7/700 reads as 1%, not 1.0000000000000002%. */
export function round2(x: number): number {
  return Math.round(x * 100 * (1 + Number.EPSILON)) / 100;
}

function round6(x: number): number {
  return Math.round(x * 1e6) / 1e6;
}

/**
 * The condition's threshold in the metric's unit, or why the unit does not fit: percents take `%` or no unit,
 * p95 takes `ms`, `s` (× 1000) or no unit (ms), counts take no unit.
 */
export function thresholdFor(info: MetricInfo, condition: Condition): { threshold: number } | { expected: string } {
  const { unit, value } = condition;
  if (info.unit === '%') return unit === '%' || unit === null ? { threshold: value } : { expected: 'a condition in % or without a unit' };
  if (info.unit === ' ms') {
    if (unit === 's') return { threshold: round6(value * 1000) };
    return unit === 'ms' || unit === null ? { threshold: value } : { expected: 'a condition in ms, s or without a unit' };
  }
  return unit === null ? { threshold: value } : { expected: 'a condition without a unit (a count)' };
}

/** Whether `observed comparator threshold` holds. */
export function holds(observed: number, comparator: Comparator, threshold: number): boolean {
  switch (comparator) {
    case '>': return observed > threshold;
    case '>=': return observed >= threshold;
    case '<': return observed < threshold;
    case '<=': return observed <= threshold;
    case '=': return observed === threshold;
  }
}

/** Within 20% of a non-zero threshold on the unsafe side (`> 10` warns above 8, `< 50` below 60, `= 10` within 8–12). */
export function nearThreshold(observed: number, comparator: Comparator, threshold: number): boolean {
  if (threshold === 0) return false;
  const band = round6(Math.abs(threshold) * 0.2);
  if (comparator === '>' || comparator === '>=') return observed > round6(threshold - band);
  if (comparator === '<' || comparator === '<=') return observed < round6(threshold + band);
  return Math.abs(observed - threshold) < band;
}
