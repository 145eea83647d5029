import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Condition, Metric, WindowSpec } from '../../src/core/schema/cell-type';
import { parseCell } from '../../src/core/schema/parse-cell';
import {
  evaluateTrigger, evaluateTriggers, findPromoteInBreach, overallStatus, recommend,
} from '../../src/core/guardrails/evaluate';
import type { TriggerResult, TriggerRow, TriggerStatus, WindowRow } from '../../src/core/guardrails/types';

/** A trigger row as the reader builds it: each cell read with parseCell, null when it fails. */
function trigger(metricText: string, conditionText: string, windowText: string, name = 'T'): TriggerRow {
  const metric = parseCell({ kind: 'metric' }, metricText);
  const condition = parseCell({ kind: 'condition' }, conditionText);
  const window = parseCell({ kind: 'window' }, windowText);
  return {
    line: 1, trigger: name, metricText, conditionText, windowText,
    metric: metric.ok ? metric.value : null, condition: condition.ok ? condition.value : null, window: window.ok ? window.value : null,
  };
}

let nextLine = 10;
/** A window row; `missions`/`fallbacks` given, the rest as overrides. */
function win(id: string, missions: number | undefined, fallbacks: number | undefined, more: Partial<WindowRow> = {}): WindowRow {
  const row: WindowRow = { line: nextLine++, id, events: new Map(), decision: 'hold', ...more };
  if (missions !== undefined) row.missions = missions;
  if (fallbacks !== undefined) row.fallbacks = fallbacks;
  return row;
}

/** One window per value of one numeric column, ids W-1…W-n. */
function series(column: 'p95' | 'traffic' | 'missions', values: number[]): WindowRow[] {
  return values.map((v, i) => win(`W-${i + 1}`, column === 'missions' ? v : 100, 0, column === 'missions' ? {} : { [column]: v }));
}

/** Windows with the given fallback rates over 100 missions each. */
function rates(values: number[]): WindowRow[] {
  return values.map((v, i) => win(`W-${i + 1}`, 100, v));
}

describe('window <n> missions', () => {
  const windows = [win('W-1', 100, 1), win('W-2', 50, 10), win('W-3', 30, 5)];

  it('takes the newest windows whole while they fit in n, then the missions still needed from the next older one, pro rata', () => {
    // W-3 whole (30 missions, 5 fallbacks) and 30 of W-2's 50 missions: 30 × 10 / 50 = 6 fallbacks; 11 / 60
    const r = evaluateTrigger(trigger('fallback rate', '> 10%', '60 missions'), windows);
    expect(r).toMatchObject({ status: 'breach', observed: 18.33, threshold: 10, windows: ['W-2', 'W-3'] });
    expect(r.bounds).toEqual({ low: 8.33, high: 25 });
    expect(r.partial).toEqual({ window: 'W-2', taken: 30, missions: 50 });
    expect(r.message).toBe("fallback rate 18.33% over the last 60 missions (all of W-3, 30 of W-2's 50 missions pro rata; between 8.33% and 25% by the window totals); trigger at > 10%: breach");
  });

  it('stops at the first window that reaches n exactly', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 10%', '30 missions'), windows);
    expect(r).toMatchObject({ status: 'breach', observed: 16.67, windows: ['W-3'] });
    expect(r.message).toBe('fallback rate 16.67% over W-3 (1 window, 30 missions); trigger at > 10%: breach');
  });

  it('takes every window when there are fewer missions than n', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 10%', '1000 missions'), windows);
    expect(r).toMatchObject({ status: 'warn', observed: 8.89, windows: ['W-1', 'W-2', 'W-3'] });
    expect(r.bounds).toEqual({ low: 8.89, high: 8.89 });
    expect(r.partial).toBeUndefined();
    expect(r.message).toBe('fallback rate 8.89% over W-1…W-3 (3 windows, 180 missions in all, fewer than 1000); trigger at > 10%: warn (within 20% of the threshold)');
  });

  it('skips windows with zero missions only when they are not needed', () => {
    const w = [win('W-1', 40, 4), win('W-2', 0, 0), win('W-3', 0, 0)];
    expect(evaluateTrigger(trigger('fallback rate', '> 5%', '10 missions'), w).windows).toEqual(['W-1', 'W-2', 'W-3']);
  });

  it('gives a fallback rate of 0 over 0 missions', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 0', '5 missions'), [win('W-1', 0, 0)]);
    expect(r).toMatchObject({ status: 'ok', observed: 0 });
  });

  it('leaves out windows without valid Missions for other metrics too', () => {
    const w = [win('W-1', 10, 0, { p95: 700 }), win('W-2', undefined, 0, { p95: 2000 })];
    const r = evaluateTrigger(trigger('p95', '> 1000 ms', '5 missions'), w);
    expect(r).toMatchObject({ status: 'ok', observed: 700, windows: ['W-1'] });
    expect(r.message).toBe("p95 700 ms over the last 5 missions (5 of W-1's 10 missions; the window's own p95); trigger at > 1000 ms: ok");
    expect(r.bounds).toBeUndefined();
  });
});

describe('window <n> windows and aggregation', () => {
  const windows = [
    win('W-1', 100, 2, { p95: 700, traffic: 5, events: new Map([['vp.mission.failed', 1]]) }),
    win('W-2', 200, 4, { p95: 950, traffic: 10, events: new Map([['vp.other', 9]]) }),
    win('W-3', 100, 20, { p95: 820, traffic: 25, events: new Map([['vp.mission.failed', 3]]) }),
  ];
  const cases: [string, string, string, number, string[]][] = [
    ['fallback rate', '> 10%', '2 windows', 8, ['W-2', 'W-3']],
    ['fallback rate', '> 10%', '3 windows', 6.5, ['W-1', 'W-2', 'W-3']],
    ['fallback rate', '> 10%', '9 windows', 6.5, ['W-1', 'W-2', 'W-3']],
    ['p95', '> 900 ms', '2 windows', 950, ['W-2', 'W-3']],
    ['p95', '> 900 ms', '1 window', 820, ['W-3']],
    ['missions', '> 300', '2 windows', 300, ['W-2', 'W-3']],
    ['fallbacks', '> 10', '3 windows', 26, ['W-1', 'W-2', 'W-3']],
    ['traffic', '> 20%', '3 windows', 25, ['W-1', 'W-2', 'W-3']],
    ['vp.mission.failed', '> 3', '3 windows', 4, ['W-1', 'W-2', 'W-3']],
    ['vp.mission.failed', '> 3', '2 windows', 3, ['W-2', 'W-3']],
    ['vp.never.seen', '> 0', '3 windows', 0, ['W-1', 'W-2', 'W-3']],
  ];
  it.each(cases)('%s %s over %s reads %d', (metric, condition, window, observed, ids) => {
    const r = evaluateTrigger(trigger(metric, condition, window), windows);
    expect(r.observed).toBe(observed);
    expect(r.windows).toEqual(ids);
  });

  it('reports the event messages with counts', () => {
    const r = evaluateTrigger(trigger('vp.mission.failed', '> 3', '3 windows'), windows);
    expect(r.message).toBe('vp.mission.failed 4 over W-1…W-3 (3 windows); trigger at > 3: breach');
    expect(r.metric).toBe('vp.mission.failed');
  });

  it('reports the metric as written', () => {
    expect(evaluateTrigger(trigger('P95 (ms)', '> 900 ms', '1 window'), windows).metric).toBe('P95 (ms)');
  });
});

describe('comparators and warn bands', () => {
  // p95 over one window: the observed value is the row's p95.
  const cases: [string, number, TriggerStatus][] = [
    ['> 10', 10.01, 'breach'], ['> 10', 10, 'warn'], ['> 10', 8.01, 'warn'], ['> 10', 8, 'ok'], ['> 10', 0, 'ok'],
    ['>= 10', 10, 'breach'], ['>= 10', 9.99, 'warn'], ['>= 10', 8, 'ok'],
    ['≥ 10', 10, 'breach'], ['⩾ 10', 9, 'warn'],
    ['< 50', 49.99, 'breach'], ['< 50', 50, 'warn'], ['< 50', 59.99, 'warn'], ['< 50', 60, 'ok'],
    ['<= 50', 50, 'breach'], ['<= 50', 50.01, 'warn'], ['<= 50', 60, 'ok'], ['≤ 50', 55, 'warn'],
    ['= 10', 10, 'breach'], ['== 10', 10, 'breach'], ['= 10', 11, 'warn'], ['= 10', 9, 'warn'], ['= 10', 12, 'ok'], ['= 10', 8, 'ok'],
    ['> 0', 0.01, 'breach'], ['> 0', 0, 'ok'], ['>= 0', 0, 'breach'], ['< 0', 0, 'ok'], ['= 0', 0.01, 'ok'],
    ['> 800 ms', 801, 'breach'], ['> 800 ms', 700, 'warn'], ['> 800 ms', 640, 'ok'],
    ['> 1 s', 1001, 'breach'], ['> 1 s', 900, 'warn'], ['> 0.8 s', 640, 'ok'], ['> 1,200 ms', 1000, 'warn'],
  ];
  it.each(cases)('p95 %s with %d is %s', (condition, value, status) => {
    expect(evaluateTrigger(trigger('p95', condition, '1 window'), series('p95', [value])).status).toBe(status);
  });

  it('gives the threshold in the metric unit (ms for p95)', () => {
    expect(evaluateTrigger(trigger('p95', '> 1.5 s', '1 window'), series('p95', [1])).threshold).toBe(1500);
  });

  it('warns above 8% for > 10% on fallback rate', () => {
    const at = (fallbacks: number): TriggerStatus => evaluateTrigger(trigger('fallback rate', '> 10%', '1 window'), rates([fallbacks])).status;
    expect([at(8), at(9), at(10), at(11)]).toEqual(['ok', 'warn', 'warn', 'breach']);
  });

  it('compares the rounded value: 7/700 is 1%, not above it', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 1%', '1 window'), [win('W-1', 700, 7)]);
    expect(r).toMatchObject({ observed: 1, status: 'warn' });
  });

  it('reads a unitless threshold on a percent metric as percent points', () => {
    expect(evaluateTrigger(trigger('fallback rate', '> 10', '1 window'), rates([12])).status).toBe('breach');
  });
});

describe('window <n> consecutive windows', () => {
  const t = trigger('fallback rate', '> 10%', '3 consecutive windows');
  const cases: [number[], TriggerStatus, number][] = [
    [[20, 20, 20], 'breach', 20],
    [[5, 20, 20, 20], 'breach', 20],
    [[20, 20, 20, 5], 'warn', 5],
    [[5, 20, 20], 'warn', 20],
    [[20, 5, 20], 'warn', 20],
    [[5, 5, 5], 'ok', 5],
    [[10, 10, 10], 'ok', 10],
    [[20, 20], 'warn', 20],
    [[5, 5], 'ok', 5],
    [[20], 'warn', 20],
  ];
  it.each(cases)('rates %j → %s', (values, status, newest) => {
    const r = evaluateTrigger(t, rates(values));
    expect(r.status).toBe(status);
    expect(r.observed).toBe(newest);
    expect(r.windows).toEqual(rates(values).slice(-3).map((w) => w.id));
  });

  it('says how many windows held', () => {
    expect(evaluateTrigger(t, rates([5, 20, 12.5])).message).toBe('fallback rate > 10% in 2 of the newest 3 windows W-1…W-3 (newest 12.5%): warn');
    expect(evaluateTrigger(t, rates([20, 20])).message).toBe('fallback rate > 10% in 2 of 2 windows W-1…W-2 (3 consecutive needed; newest 20%): warn');
  });

  it('uses each window\'s own rate, 0 for 0 missions', () => {
    const w = [win('W-1', 10, 5), win('W-2', 0, 0), win('W-3', 10, 5)];
    expect(evaluateTrigger(trigger('fallback rate', '> 10%', '3 consecutive windows'), w)).toMatchObject({ status: 'warn', observed: 50 });
  });

  it('works for events, a missing event counting 0', () => {
    const w = [
      win('W-1', 1, 0, { events: new Map([['vp.mission.failed', 2]]) }),
      win('W-2', 1, 0, { events: new Map() }),
      win('W-3', 1, 0, { events: new Map([['vp.mission.failed', 1]]) }),
    ];
    expect(evaluateTrigger(trigger('vp.mission.failed', '> 0', '2 consecutive windows'), w)).toMatchObject({ status: 'warn', observed: 1 });
    expect(evaluateTrigger(trigger('vp.mission.failed', '> 0', '1 consecutive window'), w)).toMatchObject({ status: 'breach' });
  });
});

describe('unknown', () => {
  it('when a cell of the trigger did not parse', () => {
    const r = evaluateTrigger(trigger('latency', '> 10%', '3 windows'), rates([1]));
    expect(r).toMatchObject({ status: 'unknown', observed: null, windows: [], metric: 'latency', threshold: 10 });
    expect(r.message).toBe('not evaluated: Metric `latency` does not read as a valid cell: unknown');
    const all = evaluateTrigger(trigger('?', 'big', 'soon'), rates([1]));
    expect(all.message).toBe('not evaluated: Metric `?` and Condition `big` and Window `soon` do not read as a valid cell: unknown');
    expect(all.threshold).toBeNaN();
  });

  it('when there are no windows', () => {
    expect(evaluateTrigger(trigger('p95', '> 800 ms', '3 windows'), [])).toMatchObject({
      status: 'unknown', message: 'p95: no rollout windows yet: unknown',
    });
  });

  it('when no window has the cells the metric needs', () => {
    const w = [win('W-1', undefined, 3), win('W-2', 10, undefined)];
    expect(evaluateTrigger(trigger('fallback rate', '> 10%', '3 windows'), w)).toMatchObject({
      status: 'unknown', message: 'fallback rate: no rollout window has a valid Missions and Fallbacks: unknown',
    });
    const noEvents = [win('W-1', 10, 0, { events: undefined })];
    expect(evaluateTrigger(trigger('vp.x.y', '> 0', '3 windows'), noEvents).status).toBe('unknown');
    expect(evaluateTrigger(trigger('p95', '> 1', '9 missions'), [win('W-1', undefined, 0, { p95: 5 })]).message)
      .toBe('p95: no rollout window has a valid p95 and Missions: unknown');
  });

  it('on a unit that does not fit the metric', () => {
    const cases: [string, string, string][] = [
      ['fallback rate', '> 800 ms', '`> 800 ms` does not apply to fallback rate; expected a condition in % or without a unit: unknown'],
      ['p95', '> 5%', '`> 5%` does not apply to p95; expected a condition in ms, s or without a unit: unknown'],
      ['vp.mission.failed', '> 2%', '`> 2%` does not apply to vp.mission.failed; expected a condition without a unit (a count): unknown'],
      ['missions', '> 2 s', '`> 2 s` does not apply to missions; expected a condition without a unit (a count): unknown'],
    ];
    for (const [metric, condition, message] of cases) {
      expect(evaluateTrigger(trigger(metric, condition, '3 windows'), rates([50]))).toMatchObject({ status: 'unknown', message });
    }
  });

  it('skips rows whose needed cells failed, and only for that metric', () => {
    const w = [win('W-1', 100, 50, { p95: 100 }), win('W-2', 100, undefined, { p95: 100 }), win('W-3', 100, 0, { p95: undefined })];
    expect(evaluateTrigger(trigger('fallback rate', '> 10%', '2 windows'), w).windows).toEqual(['W-1', 'W-3']);
    expect(evaluateTrigger(trigger('p95', '> 10', '2 windows'), w).windows).toEqual(['W-1', 'W-2']);
    expect(evaluateTrigger(trigger('vp.a.b', '> 0', '5 windows'), [...w, win('W-4', 1, 0, { events: undefined })]).windows)
      .toEqual(['W-1', 'W-2', 'W-3']);
  });
});

function result(status: TriggerStatus): TriggerResult {
  return { trigger: status, metric: 'p95', status, observed: null, threshold: 0, windows: [], message: status, line: 1 };
}

describe('overall status and recommendation', () => {
  const table: [TriggerStatus[], TriggerStatus, string][] = [
    [[], 'unknown', 'hold'],
    [['unknown'], 'unknown', 'hold'],
    [['unknown', 'unknown'], 'unknown', 'hold'],
    [['ok'], 'ok', 'promote'],
    [['ok', 'ok'], 'ok', 'promote'],
    [['ok', 'unknown'], 'ok', 'hold'],
    [['warn', 'ok'], 'warn', 'hold'],
    [['unknown', 'warn'], 'warn', 'hold'],
    [['breach', 'ok'], 'breach', 'rollback'],
    [['warn', 'breach', 'unknown'], 'breach', 'rollback'],
  ];
  it.each(table)('%j → %s, %s', (statuses, status, recommendation) => {
    const results = statuses.map(result);
    expect(overallStatus(results)).toBe(status);
    expect(recommend(results)).toBe(recommendation);
  });

  it('evaluateTriggers gives the report with the non-ok reasons', () => {
    const triggers = [
      trigger('fallback rate', '> 10%', '2 windows', 'Fallback spike'),
      trigger('p95', '> 800 ms', '1 window', 'Slow'),
      trigger('nonsense', '> 1', '1 window', 'Broken'),
    ];
    const windows = [win('W-1', 100, 15, { p95: 500 }), win('W-2', 100, 3, { p95: 500 })];
    const report = evaluateTriggers(triggers, windows);
    expect(report.status).toBe('warn');
    expect(report.recommendation).toBe('hold');
    expect(report.triggers.map((t) => t.status)).toEqual(['warn', 'ok', 'unknown']);
    expect(report.reasons).toEqual([
      'Fallback spike: fallback rate 9% over W-1…W-2 (2 windows, 200 missions); trigger at > 10%: warn (within 20% of the threshold)',
      'Broken: not evaluated: Metric `nonsense` does not read as a valid cell: unknown',
    ]);
  });

  it('recommends rollback on any breach and promote when all are ok', () => {
    const windows = [win('W-1', 100, 50, { p95: 500 })];
    expect(evaluateTriggers([trigger('fallback rate', '> 10%', '1 window')], windows).recommendation).toBe('rollback');
    expect(evaluateTriggers([trigger('p95', '> 800 ms', '1 window')], windows)).toMatchObject({ status: 'ok', recommendation: 'promote', reasons: [] });
    expect(evaluateTriggers([], windows)).toMatchObject({ status: 'unknown', recommendation: 'hold', reasons: [] });
  });
});

describe('findPromoteInBreach', () => {
  it('judges each promoted window over the windows up to and including it', () => {
    const windows = [
      win('W-1', 100, 1, { decision: 'promote' }),
      win('W-2', 100, 30, { decision: 'promote' }),
      win('W-3', 100, 0, { decision: 'hold' }),
      win('W-4', 100, 0, { decision: 'promote' }),
      win('W-5', 100, 40, { decision: 'rollback' }),
    ];
    const found = findPromoteInBreach([trigger('fallback rate', '> 10%', '2 windows', 'Spike')], windows);
    expect(found.map((f) => f.window.id)).toEqual(['W-2']);
    expect(found[0]?.breaches[0]).toMatchObject({ trigger: 'Spike', status: 'breach', observed: 15.5, windows: ['W-1', 'W-2'] });
  });

  it('lists every trigger in breach and ignores unknown ones', () => {
    const windows = [win('W-1', 10, 5, { p95: 2000, decision: 'promote' })];
    const found = findPromoteInBreach([
      trigger('fallback rate', '> 10%', '1 window', 'A'),
      trigger('p95', '> 1 s', '1 window', 'B'),
      trigger('p95', '> 1 %', '1 window', 'C'),
      trigger('bogus', '> 1', '1 window', 'D'),
    ], windows);
    expect(found).toHaveLength(1);
    expect(found[0]?.breaches.map((b) => b.trigger)).toEqual(['A', 'B']);
  });

  it('counts consecutive windows within the prefix only', () => {
    const windows = [win('W-1', 10, 5), win('W-2', 10, 5, { decision: 'promote' }), win('W-3', 10, 5, { decision: 'promote' })];
    const found = findPromoteInBreach([trigger('fallback rate', '> 10%', '3 consecutive windows')], windows);
    expect(found.map((f) => f.window.id)).toEqual(['W-3']);
  });

  it('stays fast on 50k promoted windows', () => {
    const windows = Array.from({ length: 50_000 }, (_, i) =>
      win(`W-${i + 1}`, i % 7 === 0 ? 0 : 40, i % 5, { p95: 500 + (i % 900), decision: 'promote', events: new Map([['vp.f.x', i % 3]]) }));
    const triggers = [
      trigger('fallback rate', '> 10%', '500 missions'),
      trigger('p95', '> 1300 ms', '20 windows'),
      trigger('vp.f.x', '> 1', '3 consecutive windows'),
      trigger('p95', '> 5000 ms', '100000 missions'),
      trigger('fallbacks', '> 1000000', '30000 windows'),
    ];
    const t0 = performance.now();
    const found = findPromoteInBreach(triggers, [...windows.slice(0, 2000).map((w): WindowRow => ({ ...w, missions: 0 })), ...windows]);
    expect(found.length).toBeGreaterThan(0);
    expect(performance.now() - t0).toBeLessThan(5000);
  });
});

// A straightforward model of README "Command line", to check the prefix-sum machinery against.
function reference(t: TriggerRow, windows: WindowRow[]): { status: TriggerStatus; observed: number | null; ids: string[] } {
  const metric = t.metric as Metric;
  const condition = t.condition as Condition;
  const spec = t.window as WindowSpec;
  const need = (w: WindowRow): boolean => {
    const missionsOk = w.missions !== undefined && w.missions >= 0;
    if (metric.kind === 'event' || metric.kind === 'family') return w.events !== undefined && (spec.kind !== 'missions' || missionsOk);
    if (metric.column === 'fallback rate') return missionsOk && w.fallbacks !== undefined;
    const has = { p95: w.p95, traffic: w.traffic, missions: w.missions, fallbacks: w.fallbacks }[metric.column] !== undefined;
    return has && (spec.kind !== 'missions' || missionsOk);
  };
  const rowValue = (w: WindowRow): number => {
    if (metric.kind === 'event') return w.events?.get(metric.name) ?? 0;
    if (metric.kind === 'family') return [...(w.events ?? [])].filter(([e]) => e === metric.suffix || e.endsWith(`.${metric.suffix}`)).reduce((a, [, n]) => a + n, 0);
    if (metric.column === 'fallback rate') return w.missions ? ((w.fallbacks ?? 0) / w.missions) * 100 : 0;
    return { p95: w.p95, traffic: w.traffic, missions: w.missions, fallbacks: w.fallbacks }[metric.column] ?? 0;
  };
  const usable = windows.filter(need);
  if (usable.length === 0) return { status: 'unknown', observed: null, ids: [] };
  let chosen: WindowRow[];
  // `<n> missions`: the share of the oldest chosen window's missions that is taken (1: whole)
  let share = 1;
  if (spec.kind === 'missions') {
    chosen = [];
    let sum = 0;
    for (let i = usable.length - 1; i >= 0 && sum < spec.n; i--) {
      const m = usable[i]?.missions ?? 0;
      chosen.unshift(usable[i] as WindowRow);
      if (sum + m > spec.n) share = (spec.n - sum) / m;
      sum += m;
    }
  } else chosen = usable.slice(-spec.n);
  const r2 = (x: number): number => Math.round(x * 100 * (1 + Number.EPSILON)) / 100;
  const cmp = (v: number): boolean => ({ '>': v > condition.value, '>=': v >= condition.value, '<': v < condition.value, '<=': v <= condition.value, '=': v === condition.value })[condition.comparator];
  const ids = chosen.map((w) => w.id);
  if (spec.kind === 'consecutive') {
    const held = chosen.filter((w) => cmp(r2(rowValue(w)))).length;
    const status = held === chosen.length && chosen.length >= spec.n ? 'breach' : held > 0 ? 'warn' : 'ok';
    return { status, observed: r2(rowValue(chosen[chosen.length - 1] as WindowRow)), ids };
  }
  let observed: number;
  const weight = (i: number): number => (i === 0 ? share : 1);
  if (metric.kind === 'column' && metric.column === 'fallback rate') {
    const m = chosen.reduce((s, w, i) => s + (w.missions ?? 0) * weight(i), 0);
    observed = m ? (chosen.reduce((s, w, i) => s + (w.fallbacks ?? 0) * weight(i), 0) / m) * 100 : 0;
  } else if (metric.kind === 'column' && (metric.column === 'p95' || metric.column === 'traffic')) {
    observed = Math.max(...chosen.map(rowValue));
  } else observed = chosen.reduce((s, w, i) => s + rowValue(w) * weight(i), 0);
  observed = r2(observed);
  const t0 = condition.value;
  const band = Math.abs(t0) * 0.2;
  const warn = t0 !== 0 && (condition.comparator.startsWith('>') ? observed > t0 - band : condition.comparator.startsWith('<') ? observed < t0 + band : Math.abs(observed - t0) < band);
  return { status: cmp(observed) ? 'breach' : warn ? 'warn' : 'ok', observed, ids };
}

const maybe = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | undefined> => fc.option(arb, { nil: undefined, freq: 6 });
const windowArb = fc.record({
  missions: maybe(fc.integer({ min: 0, max: 60 })),
  fallbacks: maybe(fc.integer({ min: 0, max: 30 })),
  p95: maybe(fc.integer({ min: 0, max: 2000 })),
  traffic: maybe(fc.integer({ min: 0, max: 100 })),
  events: fc.constantFrom('invalid', 'empty', 'count'),
  failed: fc.integer({ min: 0, max: 5 }),
  decision: fc.constantFrom<'promote' | 'hold' | 'rollback'>('promote', 'hold', 'rollback'),
});
const windowsArb = fc.array(windowArb, { maxLength: 14 }).map((rows) =>
  rows.map((r, i): WindowRow => {
    const row: WindowRow = { line: i + 1, id: `W-${i + 1}`, decision: r.decision };
    if (r.missions !== undefined) row.missions = r.missions;
    if (r.fallbacks !== undefined) row.fallbacks = r.fallbacks;
    if (r.p95 !== undefined) row.p95 = r.p95;
    if (r.traffic !== undefined) row.traffic = r.traffic;
    if (r.events !== 'invalid') row.events = r.events === 'empty' ? new Map() : new Map([['vp.mission.failed', r.failed]]);
    return row;
  }));
const triggerArb = fc
  .tuple(
    fc.constantFrom('fallback rate', 'p95', 'traffic', 'missions', 'fallbacks', 'vp.mission.failed'),
    fc.constantFrom('>', '>=', '<', '<=', '='),
    fc.constantFrom(0, 1, 2, 5, 10, 20, 50, 800),
    fc.constantFrom('missions', 'windows', 'consecutive windows'),
    fc.integer({ min: 1, max: 6 }),
  )
  .map(([metric, cmp, value, kind, n]) => trigger(metric, `${cmp} ${value}`, `${kind === 'missions' ? n * 15 : n} ${kind}`));

describe('properties', () => {
  it('agrees with a straightforward model of README "Command line"', () => {
    fc.assert(
      fc.property(triggerArb, windowsArb, (t, windows) => {
        const got = evaluateTrigger(t, windows);
        const want = reference(t, windows);
        expect({ status: got.status, observed: got.observed, ids: got.windows }).toEqual(want);
      }),
      { numRuns: 2000 },
    );
  });

  it('judges every promoted window as evaluateTriggers does over its prefix', () => {
    fc.assert(
      fc.property(fc.array(triggerArb, { maxLength: 3 }), windowsArb, (triggers, windows) => {
        const naive = windows.flatMap((w, i) => {
          if (w.decision !== 'promote') return [];
          const breaches = evaluateTriggers(triggers, windows.slice(0, i + 1)).triggers.filter((r) => r.status === 'breach');
          return breaches.length ? [{ window: w, breaches }] : [];
        });
        expect(findPromoteInBreach(triggers, windows)).toEqual(naive);
      }),
      { numRuns: 500 },
    );
  });

  it('a window in which the condition does not hold ends a consecutive breach', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 40 }), { maxLength: 10 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 0, max: 10 }), (values, n, calm) => {
        const t = trigger('fallback rate', '> 10%', `${n} consecutive windows`);
        const windows = rates([...values, calm]);
        expect(evaluateTrigger(t, windows).status).not.toBe('breach');
      }),
    );
  });

  it('never throws, whatever the rows hold', () => {
    const anyNumber = maybe(fc.oneof(fc.double(), fc.integer()));
    const rowArb = fc.record({
      id: fc.string(), missions: anyNumber, fallbacks: anyNumber, p95: anyNumber, traffic: anyNumber, fallbackRate: anyNumber,
      events: maybe(fc.array(fc.tuple(fc.string(), fc.oneof(fc.double(), fc.integer()))).map((e) => new Map(e))),
      decision: maybe(fc.constantFrom<'promote' | 'hold' | 'rollback'>('promote', 'hold', 'rollback')),
    });
    const text = fc.string({ maxLength: 20 });
    const anyTrigger = fc.tuple(fc.oneof(text, fc.constantFrom('p95', 'fallback rate', 'vp.a.b', 'traffic')), fc.oneof(text, fc.constantFrom('> 1', '<= 0 ms', '= 2 s')), fc.oneof(text, fc.constantFrom('1 window', '3 missions', '2 consecutive windows')))
      .map(([m, c, w]) => trigger(m, c, w));
    fc.assert(
      fc.property(fc.array(anyTrigger, { maxLength: 4 }), fc.array(rowArb, { maxLength: 10 }), (triggers, rows) => {
        const windows = rows.map((r, i) => {
          const row: WindowRow = { line: i, id: r.id };
          for (const [k, v] of Object.entries(r)) if (v !== undefined) Object.assign(row, { [k]: v });
          return row;
        });
        const report = evaluateTriggers(triggers, windows);
        expect(report.triggers).toHaveLength(triggers.length);
        findPromoteInBreach(triggers, windows);
      }),
    );
  });
});
