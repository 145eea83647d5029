/**
 * `<n> missions` against a plain model (README "Command line"): every window expanded into its missions, its fallbacks (or events)
 * spread evenly over them, and the last n missions summed. Canon's pro-rata estimate must be that sum, and the value
 * of any concrete placement of the counts within each window must lie within the bounds Canon reports.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateTrigger } from '../../src/core/guardrails/evaluate';
import { metricInfo, round2 } from '../../src/core/guardrails/metric-info';
import { aggregate, boundsOf, buildSeries, select } from '../../src/core/guardrails/series';
import type { Metric, WindowSpec } from '../../src/core/schema/cell-type';
import type { WindowRow } from '../../src/core/guardrails/types';
import { trigger } from './helpers';

const METRICS = ['fallback rate', 'fallbacks', 'vp.mission.failed'] as const;
type MetricName = (typeof METRICS)[number];
const EVENT = 'vp.mission.failed';

/** A window as generated: undefined cells are cells that failed their type; `seed` places its counts. */
interface Gen { missions: number | undefined; fallbacks: number | undefined; events: number | 'invalid'; seed: number }

/** Missions 0 (often), small or large; counts mostly within the missions, sometimes above (events may repeat). */
const genArb: fc.Arbitrary<Gen> = fc
  .record({
    missions: fc.option(fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 13, max: 400 })), { nil: undefined, freq: 8 }),
    fallbackShare: fc.option(fc.double({ min: 0, max: 1, noNaN: true }), { nil: undefined, freq: 8 }),
    eventShare: fc.oneof(fc.constant<'invalid'>('invalid'), fc.double({ min: 0, max: 1, noNaN: true }), fc.double({ min: 1, max: 3, noNaN: true })),
    seed: fc.integer(),
  })
  .map(({ missions, fallbackShare, eventShare, seed }) => {
    const m = missions ?? 7;
    return {
      missions,
      fallbacks: fallbackShare === undefined ? undefined : Math.round(fallbackShare * m),
      events: eventShare === 'invalid' ? 'invalid' : Math.round(eventShare * m + (m === 0 && eventShare > 1 ? 2 : 0)),
      seed,
    };
  });

/** Oldest first; null is a hole in the array the windows are given in. */
const tableArb = fc.array(fc.option(genArb, { nil: null, freq: 8 }), { maxLength: 10 });

/** n anywhere, exactly at a window boundary, or beyond all the missions. */
interface NPick { kind: 'any' | 'boundary' | 'beyond'; n: number }
const nPickArb: fc.Arbitrary<NPick> = fc.oneof(
  fc.record({ kind: fc.constant('any' as const), n: fc.integer({ min: 1, max: 1500 }) }),
  fc.record({ kind: fc.constant('boundary' as const), n: fc.nat() }),
  fc.record({ kind: fc.constant('beyond' as const), n: fc.integer({ min: 1, max: 50 }) }),
);

function rowsOf(table: (Gen | null)[]): WindowRow[] {
  const rows: WindowRow[] = [];
  rows.length = table.length;
  table.forEach((g, i) => {
    if (g === null) return;
    const row: WindowRow = { line: i + 1, id: `W-${i + 1}`, decision: 'hold' };
    if (g.missions !== undefined) row.missions = g.missions;
    if (g.fallbacks !== undefined) row.fallbacks = g.fallbacks;
    if (g.events !== 'invalid') row.events = new Map([[EVENT, g.events]]);
    rows[i] = row;
  });
  return rows;
}

/** The windows the metric can be read from over `<n> missions` (valid Missions and the metric's cell), oldest first. */
function usable(table: (Gen | null)[], metric: MetricName): { id: string; missions: number; count: number; seed: number }[] {
  return table.flatMap((g, i) => {
    if (g === null || g.missions === undefined) return [];
    const count = metric === EVENT ? g.events : g.fallbacks;
    return count === undefined || count === 'invalid' ? [] : [{ id: `W-${i + 1}`, missions: g.missions, count, seed: g.seed }];
  });
}

function nOf(pick: NPick, windows: { missions: number }[]): number {
  const total = windows.reduce((s, w) => s + w.missions, 0);
  if (pick.kind === 'any') return pick.n;
  if (pick.kind === 'beyond') return total + pick.n;
  // the missions of the newest j windows, for some j
  const j = pick.n % (windows.length + 1);
  return Math.max(1, windows.slice(windows.length - j).reduce((s, w) => s + w.missions, 0));
}

/** One mission of the model (0 missions: a window that has none, carrying its whole count) and what it holds. */
interface Item { window: string; missions: 0 | 1; count: number }

/** The last n missions of the items (oldest first): newest first until n missions are taken. */
function lastMissions(items: Item[], n: number): { taken: Item[]; missions: number } {
  const taken: Item[] = [];
  let missions = 0;
  for (let i = items.length - 1; i >= 0 && missions < n; i--) {
    const item = items[i] as Item;
    taken.unshift(item);
    missions += item.missions;
  }
  return { taken, missions };
}

function valueOf(metric: MetricName, { taken, missions }: { taken: Item[]; missions: number }): number {
  const sum = taken.reduce((s, it) => s + it.count, 0);
  return metric === 'fallback rate' ? (missions > 0 ? (sum / missions) * 100 : 0) : sum;
}

/** Every window expanded into its missions, its count spread evenly: F / M each. */
function evenly(windows: ReturnType<typeof usable>): Item[] {
  return windows.flatMap((w): Item[] => w.missions === 0
    ? [{ window: w.id, missions: 0, count: w.count }]
    : Array.from({ length: w.missions }, () => ({ window: w.id, missions: 1, count: w.count / w.missions })));
}

/** A small seeded generator (mulberry32), for placements. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * The counts placed in whole units within each window: at most one per mission when the count fits (a mission
 * falls back or not), anywhere (several per mission) when it does not. `order`: at random, or packed at the
 * window's newest or oldest missions (the placements that reach the bounds).
 */
function placed(windows: ReturnType<typeof usable>, order: 'random' | 'newest' | 'oldest'): Item[] {
  return windows.flatMap((w): Item[] => {
    if (w.missions === 0) return [{ window: w.id, missions: 0, count: w.count }];
    const counts = new Array<number>(w.missions).fill(0);
    const next = random(w.seed);
    if (w.count <= w.missions) {
      const slots = Array.from({ length: w.missions }, (_, i) => i);
      if (order === 'random') {
        for (let i = slots.length - 1; i > 0; i--) {
          const j = Math.floor(next() * (i + 1));
          [slots[i], slots[j]] = [slots[j] as number, slots[i] as number];
        }
      } else if (order === 'newest') slots.reverse();
      for (let i = 0; i < w.count; i++) counts[slots[i] as number] = 1;
    } else if (order === 'random') {
      for (let i = 0; i < w.count; i++) {
        const at = Math.floor(next() * w.missions);
        counts[at] = (counts[at] ?? 0) + 1;
      }
    } else counts[order === 'newest' ? w.missions - 1 : 0] = w.count;
    return counts.map((count) => ({ window: w.id, missions: 1, count }));
  });
}

function seriesOf(metric: MetricName, n: number, rows: WindowRow[]) {
  const t = trigger(metric, '> 10', `${n} missions`);
  const series = buildSeries(metricInfo(t.metric as Metric), t.window as WindowSpec, rows, () => false);
  const selection = select(series, series.size);
  return { series, selection };
}

const close = (a: number, b: number): boolean => Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(b));

describe('<n> missions against the model of missions', () => {
  const input = fc.record({ metric: fc.constantFrom(...METRICS), table: tableArb, pick: nPickArb });

  it('the pro-rata estimate is the sum over the last n missions, each window\'s count spread evenly', () => {
    fc.assert(
      fc.property(input, ({ metric, table, pick }) => {
        const windows = usable(table, metric);
        const n = nOf(pick, windows);
        const rows = rowsOf(table);
        const last = lastMissions(evenly(windows), n);
        const want = valueOf(metric, last);
        const { series, selection } = seriesOf(metric, n, rows);
        if (windows.length === 0) {
          expect(series.size).toBe(0);
          return;
        }
        const got = aggregate(series, selection);
        expect(close(got, want), `${got} vs ${want}`).toBe(true);

        // and the result a reader sees: the rounded value, the windows touched, the one taken in part
        const r = evaluateTrigger(trigger(metric, '> 10', `${n} missions`), rows);
        expect(Math.abs((r.observed ?? NaN) - want)).toBeLessThanOrEqual(0.005 + 1e-9);
        expect(r.windows).toEqual([...new Set(last.taken.map((it) => it.window))]);
        const oldest = windows.find((w) => w.id === r.windows[0]);
        const takenOfOldest = last.taken.filter((it) => it.window === oldest?.id).length;
        expect(r.partial ?? null).toEqual(oldest && takenOfOldest < oldest.missions ? { window: oldest.id, taken: takenOfOldest, missions: oldest.missions } : null);
        if (last.missions < n) expect(r.message).toContain(` in all, fewer than ${n})`);
      }),
      { numRuns: 600 },
    );
  });

  it('any placement of the counts within each window lies within the bounds, and the packed placements reach them', () => {
    fc.assert(
      fc.property(input, ({ metric, table, pick }) => {
        const windows = usable(table, metric);
        if (windows.length === 0) return;
        const n = nOf(pick, windows);
        const rows = rowsOf(table);
        const { series, selection } = seriesOf(metric, n, rows);
        const bounds = boundsOf(series, selection);
        if (!bounds) throw new Error('a rate or count over <n> missions has bounds');
        const estimate = aggregate(series, selection);
        expect(bounds.low <= estimate + 1e-9 && estimate <= bounds.high + 1e-9, `${bounds.low} ≤ ${estimate} ≤ ${bounds.high}`).toBe(true);

        const r = evaluateTrigger(trigger(metric, '> 10', `${n} missions`), rows);
        for (const order of ['random', 'newest', 'oldest'] as const) {
          const value = valueOf(metric, lastMissions(placed(windows, order), n));
          expect(bounds.low - 1e-9 <= value && value <= bounds.high + 1e-9, `${order}: ${bounds.low} ≤ ${value} ≤ ${bounds.high}`).toBe(true);
          expect(round2(value)).toBeGreaterThanOrEqual(r.bounds?.low ?? NaN);
          expect(round2(value)).toBeLessThanOrEqual(r.bounds?.high ?? NaN);
        }
        // the bounds are tight: packed at the newest missions of the window in part reaches the high, at its oldest the low
        expect(close(valueOf(metric, lastMissions(placed(windows, 'newest'), n)), bounds.high)).toBe(true);
        expect(close(valueOf(metric, lastMissions(placed(windows, 'oldest'), n)), bounds.low)).toBe(true);
      }),
      { numRuns: 600 },
    );
  });
});
