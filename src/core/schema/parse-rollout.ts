import type { CellResult, Comparator, Condition, Metric, WindowSpec } from './cell-type';
import { notA, ok } from './cell-message';
import { readDecimal, readInteger } from './parse-number';
import { keyLongerThan } from './parse-words';

type ColumnName = Extract<Metric, { kind: 'column' }>['column'];

// Keys are lower-cased with `-`/`_`/space runs collapsed to one space and a trailing `(%)`/`(ms)` dropped.
const METRIC_COLUMNS: Readonly<Record<string, ColumnName>> = {
  'fallback rate': 'fallback rate',
  'fallbacks rate': 'fallback rate',
  p95: 'p95',
  'p95 latency': 'p95',
  'latency p95': 'p95',
  missions: 'missions',
  fallbacks: 'fallbacks',
  traffic: 'traffic',
};
/** Metric words for a family of events: the events whose name ends with the suffix (`vp.continuity.lost`). */
const METRIC_FAMILIES: Readonly<Record<string, { name: string; suffix: string }>> = {
  'continuity regressions': { name: 'continuity regressions', suffix: 'continuity.lost' },
  'continuity regression': { name: 'continuity regressions', suffix: 'continuity.lost' },
};
const LONGEST_KEY = Math.max(...[...Object.keys(METRIC_COLUMNS), ...Object.keys(METRIC_FAMILIES)].map((k) => k.length));
const EVENT_NAME = /^[A-Za-z][\w.:-]*$/;
const COMPARATORS: Readonly<Record<string, Comparator>> = {
  '>': '>', '>=': '>=', '≥': '>=', '⩾': '>=', '<': '<', '<=': '<=', '≤': '<=', '⩽': '<=', '=': '=', '==': '=',
};
const CONDITION = /^(>=|<=|==|[>≥⩾<≤⩽=])\s*([^\s%a-zA-Z]+)\s*(%|ms|s)?$/i;
const WINDOW = /^(?:last\s+)?([\d,]+)\s+(consecutive\s+windows?|windows?|missions?)$/i;

// No `\s*\((?:%|ms)\)$` regex: tried at every position of a long run of spaces it is quadratic.
// The unit is cut with endsWith; the spaces before it go with the collapse and trim below. A text
// with more letters than the longest key is no column, and is not collapsed ('' is no key).
function metricKey(text: string): string {
  const lower = text.toLowerCase();
  const unit = lower.endsWith('(%)') ? 3 : lower.endsWith('(ms)') ? 4 : 0;
  const name = lower.slice(0, lower.length - unit);
  return keyLongerThan(name, LONGEST_KEY) ? '' : name.replace(/[\s_-]+/g, ' ').trim();
}

/** Reads a `metric` cell: a Rollout Windows column, or an event name (which must hold a dot, so a typo is not an event). */
export function parseMetric(text: string): CellResult<Metric> {
  const key = metricKey(text);
  const column = Object.prototype.hasOwnProperty.call(METRIC_COLUMNS, key) ? METRIC_COLUMNS[key] : undefined;
  if (column) return ok({ kind: 'column', column, label: text });
  const family = Object.prototype.hasOwnProperty.call(METRIC_FAMILIES, key) ? METRIC_FAMILIES[key] : undefined;
  if (family) return ok({ kind: 'family', ...family, label: text });
  if (EVENT_NAME.test(text) && text.includes('.')) return ok({ kind: 'event', name: text, label: text });
  return notA(text, 'a metric', 'fallback rate, p95, missions, fallbacks, traffic, continuity regressions, or an event name such as vp.mission.failed');
}

/** Reads a `condition` cell: a comparator and a number with an optional unit (`> 10%`, `>= 800 ms`, `≤ 0.5 s`). */
export function parseCondition(text: string): CellResult<Condition> {
  const m = CONDITION.exec(text);
  const comparator = m ? COMPARATORS[m[1] ?? ''] : undefined;
  const value = m ? readDecimal(m[2] ?? '') : null;
  if (!comparator || value === null) return notA(text, 'a condition', 'a comparator and a number, e.g. > 10% or >= 800 ms');
  const unit = (m?.[3]?.toLowerCase() ?? null) as Condition['unit'];
  return ok({ comparator, value, unit });
}

/** Reads a `window` cell: `<n> missions`, `<n> windows` or `<n> consecutive windows` (singular too, `last` allowed). */
export function parseWindow(text: string): CellResult<WindowSpec> {
  const m = WINDOW.exec(text);
  const n = m ? readInteger(m[1] ?? '') : null;
  if (!m || n === null || n < 1) return notA(text, 'a window', '<n> missions, <n> windows or <n> consecutive windows with n ≥ 1');
  const word = (m[2] ?? '').toLowerCase();
  const kind = word.startsWith('consecutive') ? 'consecutive' : word.startsWith('window') ? 'windows' : 'missions';
  return ok({ kind, n });
}
