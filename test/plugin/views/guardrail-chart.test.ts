import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTriggers, readTriggers, readWindows, type TriggerRow, type WindowRow } from '../../../src/core';
import type { Condition, Metric } from '../../../src/core/schema/cell-type';
import {
  buildGuardrailChart, niceCeil, thresholdsFor, windowValue, yDomain, type ChartPanel, type GuardrailChart,
} from '../../../src/plugin/guardrails/guardrail-chart';
import { polylinePoints } from '../../../src/plugin/guardrails/render-chart';
import { load } from '../../helpers/memory-vault';
import { REPO } from '../../helpers/run-cli';



function win(n: number, fields: Partial<WindowRow> = {}): WindowRow {
  return { line: 10 + n, id: `W-${n}`, ...fields };
}

/** A window whose Missions/Fallbacks give `rate` percent, with a p95. */
function rated(n: number, rate: number | null, p95?: number): WindowRow {
  const base: Partial<WindowRow> = rate === null ? {} : { missions: 100, fallbacks: rate, fallbackRate: rate };
  return win(n, p95 === undefined ? base : { ...base, p95 });
}

function trigger(line: number, column: 'fallback rate' | 'p95', condition: Condition, name = `T${line}`): TriggerRow {
  const metric: Metric = { kind: 'column', column, label: column };
  return { line, trigger: name, metric, condition, window: { kind: 'windows', n: 3 }, metricText: column, conditionText: '' };
}

const panel = (chart: GuardrailChart, metric: 'fallback rate' | 'p95'): ChartPanel => {
  const found = chart.panels.find((p) => p.metric === metric);
  if (!found) throw new Error(`no ${metric} panel`);
  return found;
};

/** Every number anywhere in the chart. */
function numbers(value: unknown): number[] {
  if (typeof value === 'number') return [value];
  if (typeof value === 'string') return [];
  if (Array.isArray(value)) return value.flatMap(numbers);
  if (value && typeof value === 'object') return Object.values(value).flatMap(numbers);
  return [];
}

function expectNoNaN(chart: GuardrailChart): void {
  for (const n of numbers(chart)) expect(Number.isFinite(n)).toBe(true);
  for (const p of chart.panels) {
    for (const l of [...p.yLabels, ...p.xLabels, ...p.points]) expect(JSON.stringify(l)).not.toMatch(/NaN|Infinity/);
  }
}

describe('niceCeil and yDomain', () => {
  it.each([
    [0.7, 0.8], [1, 1], [5.5, 6], [11, 12], [13, 15], [880, 1000], [761 * 1.1, 1000], [9.9, 10], [0.011, 0.012],
  ])('rounds %s up to %s', (x, nice) => {
    expect(niceCeil(x)).toBe(nice);
  });

  it('gives 1 for zero, negatives and non-finite input', () => {
    expect(niceCeil(0)).toBe(1);
    expect(niceCeil(-3)).toBe(1);
    expect(niceCeil(Number.NaN)).toBe(1);
    expect(niceCeil(Infinity)).toBe(1);
  });

  it('runs from 0 to a round number a little above the maximum', () => {
    expect(yDomain([3, 8.33, 4])).toEqual({ min: 0, max: 10 });
    expect(yDomain([])).toEqual({ min: 0, max: 1 });
    expect(yDomain([0, 0])).toEqual({ min: 0, max: 1 });
    expect(yDomain([5, 5, 5])).toEqual({ min: 0, max: 6 });
  });
});

describe('buildGuardrailChart', () => {
  it('scales values between the plot bottom (0) and top (domain maximum), windows evenly across', () => {
    const rows = [rated(1, 0, 400), rated(2, 5, 500), rated(3, 10, 600)];
    const chart = buildGuardrailChart(rows, [], null, { width: 136, height: 128 });
    const rate = panel(chart, 'fallback rate');
    expect(rate.domain).toEqual({ min: 0, max: 12 });
    const { left, right, top, bottom } = rate.plot;
    expect(rate.points.map((p) => p.x)).toEqual([left, (left + right) / 2, right]);
    expect(rate.points[0]?.y).toBe(bottom);
    const span = bottom - top;
    expect(rate.points[1]?.y).toBeCloseTo(bottom - (5 / 12) * span, 1);
    expect(rate.points[2]?.y).toBeCloseTo(bottom - (10 / 12) * span, 1);
    expect(rate.segments).toHaveLength(1);
    expect(rate.empty).toBe(false);
    const p95 = panel(chart, 'p95');
    expect(p95.domain).toEqual({ min: 0, max: 800 });
    expect(p95.points.map((p) => p.label)).toEqual(['W-1: 400 ms', 'W-2: 500 ms', 'W-3: 600 ms']);
  });

  it('labels points with the window id and the value in its unit', () => {
    const chart = buildGuardrailChart([win(12, { missions: 1000, fallbacks: 31, fallbackRate: 3.1, p95: 612.5 })], []);
    expect(panel(chart, 'fallback rate').points[0]?.label).toBe('W-12: 3.1%');
    expect(panel(chart, 'p95').points[0]?.label).toBe('W-12: 612.5 ms');
  });

  it('reads the fallback rate as Fallbacks / Missions (as the guardrails do), else the written rate', () => {
    expect(windowValue(win(1, { missions: 8, fallbacks: 1, fallbackRate: 99 }), 'fallback rate')).toBe(12.5);
    expect(windowValue(win(1, { missions: 0, fallbacks: 0 }), 'fallback rate')).toBe(0);
    expect(windowValue(win(1, { fallbackRate: 4.2 }), 'fallback rate')).toBe(4.2);
    expect(windowValue(win(1, {}), 'fallback rate')).toBeNull();
    expect(windowValue(win(1, { p95: Number.NaN }), 'p95')).toBeNull();
  });

  it('leaves a gap for a window without a value: no point, and the line breaks there', () => {
    const rows = [rated(1, 1, 500), rated(2, null, 510), rated(3, 3, undefined), rated(4, 4, 530), rated(5, 5, 540)];
    const chart = buildGuardrailChart(rows, []);
    const rate = panel(chart, 'fallback rate');
    expect(rate.points.map((p) => p.window)).toEqual(['W-1', 'W-3', 'W-4', 'W-5']);
    expect(rate.segments.map((s) => s.map((p) => p.window))).toEqual([['W-1'], ['W-3', 'W-4', 'W-5']]);
    const p95 = panel(chart, 'p95');
    expect(p95.segments.map((s) => s.map((p) => p.window))).toEqual([['W-1', 'W-2'], ['W-4', 'W-5']]);
    // a gap keeps its slot on the x axis
    const x = (id: string): number | undefined => p95.points.find((p) => p.window === id)?.x;
    expect((x('W-4') ?? 0) - (x('W-2') ?? 0)).toBeCloseTo(2 * ((x('W-2') ?? 0) - (x('W-1') ?? 0)), 1);
    expectNoNaN(chart);
  });

  it('draws each fallback-rate and p95 trigger as a threshold line inside the domain, with its status', () => {
    const rows = [rated(1, 2, 500), rated(2, 30, 900)];
    const triggers = [
      trigger(3, 'fallback rate', { comparator: '>', value: 10, unit: '%' }, 'Fallback rate'),
      trigger(4, 'p95', { comparator: '>=', value: 0.8, unit: 's' }, 'Latency'),
      trigger(5, 'p95', { comparator: '>=', value: 10, unit: '%' }, 'Wrong unit'),
      { ...trigger(6, 'p95', { comparator: '>', value: 1, unit: null }), metric: { kind: 'event', name: 'vp.mission.failed', label: 'vp.mission.failed' } } as TriggerRow,
      { ...trigger(7, 'p95', { comparator: '>', value: 1, unit: null }), condition: null },
    ];
    const report = evaluateTriggers(triggers, rows);
    const chart = buildGuardrailChart(rows, triggers, report);
    const rate = panel(chart, 'fallback rate');
    expect(rate.thresholds).toHaveLength(1);
    const limit = rate.thresholds[0];
    expect(limit).toMatchObject({ value: 10, label: '> 10%', status: 'breach', title: 'Fallback rate: > 10%' });
    expect(limit?.y).toBeCloseTo(rate.plot.bottom - (10 / rate.domain.max) * (rate.plot.bottom - rate.plot.top), 1);
    expect(rate.points.map((p) => p.over)).toEqual([false, true]);

    const p95 = panel(chart, 'p95');
    // seconds are converted to ms; a condition in % does not apply to p95; events and unread rows are not charted
    expect(p95.thresholds.map((t) => [t.value, t.label])).toEqual([[800, '>= 0.8 s']]);
    expect(p95.domain.max).toBeGreaterThanOrEqual(900);
    for (const t of [...rate.thresholds, ...p95.thresholds]) {
      expect(t.y).toBeGreaterThanOrEqual(rate.plot.top);
      expect(t.y).toBeLessThanOrEqual(rate.plot.bottom);
    }
  });

  it('merges triggers that share a threshold into one line, keeping the worse status', () => {
    const triggers = [
      trigger(3, 'fallback rate', { comparator: '>', value: 10, unit: '%' }, 'Rolling'),
      trigger(4, 'fallback rate', { comparator: '>', value: 10, unit: null }, 'Per window'),
    ];
    const report = {
      status: 'warn' as const, recommendation: 'hold' as const, reasons: [],
      triggers: [
        { trigger: 'Rolling', metric: 'fallback rate', status: 'ok' as const, observed: 1, threshold: 10, windows: [], message: '', line: 3 },
        { trigger: 'Per window', metric: 'fallback rate', status: 'warn' as const, observed: 9, threshold: 10, windows: [], message: '', line: 4 },
      ],
    };
    const thresholds = thresholdsFor('fallback rate', triggers, report);
    expect(thresholds).toHaveLength(1);
    expect(thresholds[0]).toMatchObject({ value: 10, status: 'warn', title: 'Rolling: > 10%\nPer window: > 10' });
    expect(thresholdsFor('fallback rate', triggers, null)[0]?.status).toBeNull();
  });

  it('shows only the newest windows when there are many, and says so', () => {
    const rows = Array.from({ length: 140 }, (_, i) => rated(i + 1, i % 7, 500 + i));
    const chart = buildGuardrailChart(rows, [], null, { maxWindows: 20 });
    expect(chart).toMatchObject({ total: 140, shown: 20, caption: 'Last 20 of 140 windows' });
    const rate = panel(chart, 'fallback rate');
    expect(rate.points).toHaveLength(20);
    expect(rate.points[0]?.window).toBe('W-121');
    expect(rate.xLabels.map((l) => l.text)).toEqual(['W-121', 'W-140']);
    // the domain is of the windows drawn only
    expect(panel(chart, 'p95').domain.max).toBe(niceCeil(639 * 1.1));

    const few = buildGuardrailChart(rows.slice(0, 5), []);
    expect(few).toMatchObject({ total: 5, shown: 5, caption: null });
    expect(buildGuardrailChart(rows, [], null, { maxWindows: 0 }).shown).toBe(1);
  });

  it('produces no NaN with no windows (thresholds still drawn)', () => {
    const triggers = [trigger(3, 'fallback rate', { comparator: '>', value: 10, unit: '%' })];
    const chart = buildGuardrailChart([], triggers);
    expectNoNaN(chart);
    const rate = panel(chart, 'fallback rate');
    expect(rate).toMatchObject({ empty: true, points: [], segments: [], xLabels: [] });
    expect(rate.thresholds).toHaveLength(1);
    expect(panel(chart, 'p95')).toMatchObject({ empty: true, domain: { min: 0, max: 1 } });
    expect(chart).toMatchObject({ total: 0, shown: 0, caption: null });
  });

  it('centres a single window and produces no NaN', () => {
    const chart = buildGuardrailChart([rated(1, 4, 600)], []);
    expectNoNaN(chart);
    const rate = panel(chart, 'fallback rate');
    expect(rate.points).toHaveLength(1);
    expect(rate.points[0]?.x).toBe((rate.plot.left + rate.plot.right) / 2);
    expect(rate.xLabels).toEqual([expect.objectContaining({ text: 'W-1', anchor: 'middle' })]);
    expect(rate.segments).toEqual([[rate.points[0]]]);
  });

  it('produces no NaN when every value is equal, or zero', () => {
    const equal = buildGuardrailChart([rated(1, 5, 700), rated(2, 5, 700), rated(3, 5, 700)], []);
    expectNoNaN(equal);
    const rate = panel(equal, 'fallback rate');
    expect(new Set(rate.points.map((p) => p.y)).size).toBe(1);
    expect(rate.points[0]?.y).toBeLessThan(rate.plot.bottom);
    expect(rate.points[0]?.y).toBeGreaterThan(rate.plot.top);

    const zero = buildGuardrailChart([rated(1, 0, 0), rated(2, 0, 0)], []);
    expectNoNaN(zero);
    expect(panel(zero, 'p95').points.every((p) => p.y === panel(zero, 'p95').plot.bottom)).toBe(true);
  });

  it('labels the y axis with the domain in the metric\'s unit', () => {
    const chart = buildGuardrailChart([rated(1, 8.33, 612)], []);
    expect(panel(chart, 'fallback rate').yLabels.map((l) => l.text)).toEqual(['10%', '0%']);
    expect(panel(chart, 'p95').yLabels.map((l) => l.text)).toEqual(['800 ms', '0 ms']);
  });

  it('charts the example vault: ten windows, the 10% and 800 ms triggers, every trigger ok', () => {
    const dir = join(REPO, 'example-vault');
    const names = ['00_DraganCorp_Program_Control_Center.md', '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md',
      '03_Phase_A_CODER_VP_Observability_Playbook.md', '04_Phase_A_Controlled_Rollout_Evidence_Log.md', '05_Phase_A_Execution_Operating_Model.md'];
    const files = Object.fromEntries(names.map((n) => [n, readFileSync(join(dir, n), 'utf8')]));
    const { model } = load(files);
    const windows = readWindows(model.tables.get('evidence'));
    const triggers = readTriggers(model.tables.get('trigger'));
    const chart = buildGuardrailChart(windows, triggers, evaluateTriggers(triggers, windows));
    expectNoNaN(chart);
    const rate = panel(chart, 'fallback rate');
    expect(rate.points).toHaveLength(10);
    expect(rate.points[0]?.label).toBe('W-1: 8.33%');
    expect(rate.thresholds).toEqual([expect.objectContaining({ value: 10, label: '> 10%', status: 'ok' })]);
    const p95 = panel(chart, 'p95');
    expect(p95.points[3]?.label).toBe('W-4: 761 ms');
    expect(p95.thresholds).toEqual([expect.objectContaining({ value: 800, label: '>= 800 ms', status: 'ok' })]);
    expect(polylinePoints(p95.segments[0] ?? [])).toMatch(/^[\d.]+,[\d.]+( [\d.]+,[\d.]+){9}$/);
  });
});
