import { formatCondition, holds, metricInfo, round2, thresholdFor, type GuardrailReport, type TriggerRow, type TriggerStatus, type WindowRow } from '../../core';
// Not in the core barrel yet: how a metric is read and which threshold a condition means in its unit.

/** The two metrics the stack view charts per rollout window. */
export type ChartMetric = 'fallback rate' | 'p95';

export interface ChartOptions {
  /** Size of one panel in SVG user units (the SVG scales to the pane's width). */
  width: number;
  height: number;
  /** Only the newest windows are drawn when there are more. */
  maxWindows: number;
}

export const DEFAULT_CHART_OPTIONS: ChartOptions = { width: 280, height: 96, maxWindows: 20 };

/** A window's value, placed. */
export interface ChartPoint {
  x: number;
  y: number;
  window: string;
  value: number;
  /** Tooltip text: `W-12: 3.1%`. */
  label: string;
  /** The window's own value meets a trigger's condition. */
  over: boolean;
}

/** A rollback trigger's threshold, drawn as a dashed horizontal line. */
export interface ChartThreshold {
  y: number;
  value: number;
  /** `> 10%`, `>= 800 ms`. */
  label: string;
  /** Tooltip: the triggers with this threshold and their conditions. */
  title: string;
  /** The worst status among those triggers in the guardrail report; null when the report does not list them. */
  status: TriggerStatus | null;
}

export interface ChartLabel {
  x: number;
  y: number;
  text: string;
  anchor: 'start' | 'middle' | 'end';
}

/** One metric's chart: everything the renderer draws, already in SVG coordinates. */
export interface ChartPanel {
  metric: ChartMetric;
  title: string;
  width: number;
  height: number;
  /** The plotting area; the y axis runs from `bottom` (domain minimum) up to `top` (domain maximum). */
  plot: { left: number; top: number; right: number; bottom: number };
  /** The y domain. */
  domain: { min: number; max: number };
  points: ChartPoint[];
  /** Runs of consecutive windows with a value; a window without one breaks the line. */
  segments: ChartPoint[][];
  thresholds: ChartThreshold[];
  yLabels: ChartLabel[];
  xLabels: ChartLabel[];
  /** No window has a value for this metric. */
  empty: boolean;
}

export interface GuardrailChart {
  panels: ChartPanel[];
  /** All windows, and the newest ones drawn. */
  total: number;
  shown: number;
  /** `Last 20 of 140 windows`, or null when every window is drawn. */
  caption: string | null;
}

const PANELS: { metric: ChartMetric; title: string; unit: string }[] = [
  { metric: 'fallback rate', title: 'Fallback rate', unit: '%' },
  { metric: 'p95', title: 'p95 latency', unit: ' ms' },
];

// Room for the y labels on the left, the x labels below and a threshold label above the top line.
const MARGIN = { left: 36, right: 8, top: 12, bottom: 16 };

/** Lays out the fallback-rate and p95 charts of the newest rollout windows, with each matching trigger's threshold. */
export function buildGuardrailChart(
  windows: readonly WindowRow[], triggers: readonly TriggerRow[], report: GuardrailReport | null = null,
  options: Partial<ChartOptions> = {},
): GuardrailChart {
  const opts = { ...DEFAULT_CHART_OPTIONS, ...options };
  const limit = Number.isFinite(opts.maxWindows) ? Math.max(1, Math.floor(opts.maxWindows)) : windows.length;
  const shown = windows.slice(Math.max(0, windows.length - limit));
  const caption = shown.length < windows.length ? `Last ${shown.length} of ${windows.length} windows` : null;
  const panels = PANELS.map((p) => buildPanel(p, shown, triggers, report, opts));
  return { panels, total: windows.length, shown: shown.length, caption };
}

/** A window's value for a metric, or null (a gap). Fallback rate is Fallbacks / Missions as the guardrails read it. */
export function windowValue(row: WindowRow, metric: ChartMetric): number | null {
  const info = metricInfo({ kind: 'column', column: metric, label: metric });
  if (info.usable(row)) return finiteOrNull(info.value(row));
  // Missions or Fallbacks unreadable: the written rate is the best there is.
  return metric === 'fallback rate' ? finiteOrNull(row.fallbackRate) : null;
}

interface Threshold {
  value: number;
  comparator: NonNullable<TriggerRow['condition']>['comparator'];
  label: string;
  title: string;
  status: TriggerStatus | null;
}

/** The thresholds of the triggers on this metric whose condition fits its unit, one per distinct value. */
export function thresholdsFor(metric: ChartMetric, triggers: readonly TriggerRow[], report: GuardrailReport | null): Threshold[] {
  const byValue = new Map<number, Threshold>();
  for (const t of triggers) {
    if (t.metric?.kind !== 'column' || t.metric.column !== metric || !t.condition) continue;
    const fit = thresholdFor(metricInfo(t.metric), t.condition);
    if (!('threshold' in fit) || !Number.isFinite(fit.threshold)) continue;
    const label = formatCondition(t.condition);
    const status = report?.triggers.find((r) => r.line === t.line)?.status ?? null;
    const title = `${t.trigger || t.metricText}: ${label}`;
    const seen = byValue.get(fit.threshold);
    if (seen) {
      seen.title += `\n${title}`;
      seen.status = worse(seen.status, status);
    } else {
      byValue.set(fit.threshold, { value: fit.threshold, comparator: t.condition.comparator, label, title, status });
    }
  }
  return [...byValue.values()];
}

function buildPanel(
  panel: (typeof PANELS)[number], rows: readonly WindowRow[], triggers: readonly TriggerRow[], report: GuardrailReport | null, opts: ChartOptions,
): ChartPanel {
  const width = Math.max(opts.width, MARGIN.left + MARGIN.right + 1);
  const height = Math.max(opts.height, MARGIN.top + MARGIN.bottom + 1);
  const plot = { left: MARGIN.left, top: MARGIN.top, right: width - MARGIN.right, bottom: height - MARGIN.bottom };
  const values = rows.map((r) => windowValue(r, panel.metric));
  const limits = thresholdsFor(panel.metric, triggers, report);
  const domain = yDomain([...values.filter((v): v is number => v !== null), ...limits.map((l) => l.value)]);
  const xAt = (i: number): number => rows.length <= 1
    ? (plot.left + plot.right) / 2
    : plot.left + (i * (plot.right - plot.left)) / (rows.length - 1);
  const yAt = (v: number): number => plot.bottom - ((v - domain.min) / (domain.max - domain.min)) * (plot.bottom - plot.top);
  const format = (v: number): string => `${round2(v)}${panel.unit}`;

  const points: ChartPoint[] = [];
  const segments: ChartPoint[][] = [];
  let run: ChartPoint[] = [];
  rows.forEach((row, i) => {
    const value = values[i] ?? null;
    if (value === null) {
      if (run.length > 0) segments.push(run);
      run = [];
      return;
    }
    const over = limits.some((l) => holds(round2(value), l.comparator, l.value));
    const point = { x: px(xAt(i)), y: px(yAt(value)), window: row.id, value, label: `${row.id}: ${format(value)}`, over };
    points.push(point);
    run.push(point);
  });
  if (run.length > 0) segments.push(run);

  const thresholds = limits.map((l) => ({ y: px(yAt(l.value)), value: l.value, label: l.label, title: l.title, status: l.status }));
  const yLabels: ChartLabel[] = [
    { x: plot.left - 4, y: px(plot.top + 3), text: format(domain.max), anchor: 'end' },
    { x: plot.left - 4, y: px(plot.bottom + 3), text: format(domain.min), anchor: 'end' },
  ];
  const xLabels = axisLabels(rows, xAt, height - 3);
  return { metric: panel.metric, title: panel.title, width, height, plot, domain, points, segments, thresholds, yLabels, xLabels, empty: points.length === 0 };
}

/** First and last window ids under the axis (one label when there is a single window). */
function axisLabels(rows: readonly WindowRow[], xAt: (i: number) => number, y: number): ChartLabel[] {
  const first = rows[0];
  const last = rows[rows.length - 1];
  if (!first || !last) return [];
  if (rows.length === 1) return [{ x: px(xAt(0)), y, text: first.id, anchor: 'middle' }];
  return [
    { x: px(xAt(0)), y, text: first.id, anchor: 'start' },
    { x: px(xAt(rows.length - 1)), y, text: last.id, anchor: 'end' },
  ];
}

/** From 0 (or the lowest value, if negative) up to a round number a little above the highest value or threshold. */
export function yDomain(values: readonly number[]): { min: number; max: number } {
  const finite = values.filter((v) => Number.isFinite(v));
  const min = Math.min(0, ...finite);
  const high = Math.max(0, ...finite);
  const max = niceCeil(min + (high - min) * 1.1);
  return max > min ? { min, max } : { min, max: min + 1 };
}

const STEPS = [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10];

/** The smallest "round" number (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8 times a power of ten) at or above x; 1 for x ≤ 0. */
export function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const power = 10 ** Math.floor(Math.log10(x));
  const step = STEPS.find((s) => s * power >= x * (1 - 1e-9)) ?? 10;
  return Number((step * power).toPrecision(6));
}

function worse(a: TriggerStatus | null, b: TriggerStatus | null): TriggerStatus | null {
  const rank = (s: TriggerStatus | null): number => (s === null ? -1 : ['unknown', 'ok', 'warn', 'breach'].indexOf(s));
  return rank(b) > rank(a) ? b : a;
}

function finiteOrNull(n: number | undefined): number | null {
  return n !== undefined && Number.isFinite(n) ? n : null;
}

/** One decimal is plenty in a 280-unit view box and keeps the SVG short. */
function px(n: number): number {
  return Math.round(n * 10) / 10;
}
