import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { evaluateTrigger, evaluateTriggers, evaluateTriggersSteps, findPromoteInBreach } from '../../src/core/guardrails/evaluate';
import type { TriggerResult, WindowRow } from '../../src/core/guardrails/types';
import { trigger } from './helpers';

interface FixtureWindow { id: string; missions?: number; fallbacks?: number; p95?: number; events?: Record<string, number>; decision?: WindowRow['decision'] }
interface Fixture {
  name: string;
  trigger: [string, string, string];
  windows: (FixtureWindow | null)[];
  expect: Pick<TriggerResult, 'status' | 'observed' | 'windows' | 'message'> & { bounds: TriggerResult['bounds'] | null; partial: TriggerResult['partial'] | null };
}

/** The fixture's windows as the reader gives them; null is a hole in the array (a row left out of the reads). */
function windowsOf(rows: (FixtureWindow | null)[]): WindowRow[] {
  const out: WindowRow[] = [];
  out.length = rows.length;
  rows.forEach((r, i) => {
    if (r === null) return;
    const row: WindowRow = { line: 10 + i, id: r.id, decision: r.decision ?? 'hold', events: new Map(Object.entries(r.events ?? {})) };
    if (r.missions !== undefined) row.missions = r.missions;
    if (r.fallbacks !== undefined) row.fallbacks = r.fallbacks;
    if (r.p95 !== undefined) row.p95 = r.p95;
    out[i] = row;
  });
  return out;
}

const fixtures = (JSON.parse(readFileSync(join(import.meta.dirname, '../fixtures/guardrails/missions-window.json'), 'utf8')) as { cases: Fixture[] }).cases;

describe('<n> missions: pinned outcomes (test/fixtures/guardrails/missions-window.json)', () => {
  it.each(fixtures.map((f) => [f.name, f] as const))('%s', (_, f) => {
    const r = evaluateTrigger(trigger(...f.trigger), windowsOf(f.windows));
    expect({ status: r.status, observed: r.observed, windows: r.windows, bounds: r.bounds ?? null, partial: r.partial ?? null, message: r.message })
      .toEqual(f.expect);
  });

  it('the fixtures hold holes where they say so', () => {
    const holed = fixtures.find((f) => f.windows.includes(null));
    expect(holed && 1 in windowsOf(holed.windows)).toBe(false);
  });
});

describe('<n> missions: the dilution case of README "Command line"', () => {
  const spike = [
    { id: 'W-1', missions: 60, fallbacks: 0 }, { id: 'W-2', missions: 60, fallbacks: 0 }, { id: 'W-3', missions: 60, fallbacks: 0 },
    { id: 'W-4', missions: 15, fallbacks: 3 },
  ];

  it('180 clean missions in several windows do not dilute 3 fallbacks in 15', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 10%', '20 missions'), windowsOf(spike));
    expect(r).toMatchObject({ status: 'breach', observed: 15, windows: ['W-3', 'W-4'], bounds: { low: 15, high: 15 }, partial: { window: 'W-3', taken: 5, missions: 60 } });
  });

  it('a promote on the spike is a promote in breach', () => {
    const windows = windowsOf(spike.map((w, i) => ({ ...w, decision: i === 3 ? 'promote' as const : 'hold' as const })));
    const found = findPromoteInBreach([trigger('fallback rate', '> 10%', '20 missions', 'Spike')], windows);
    expect(found.map((f) => f.window.id)).toEqual(['W-4']);
    expect(found[0]?.breaches[0]).toMatchObject({ trigger: 'Spike', observed: 15, bounds: { low: 15, high: 15 }, partial: { window: 'W-3', taken: 5, missions: 60 } });
  });

  it('evaluateTriggers gives the reason in the new wording', () => {
    const report = evaluateTriggers([trigger('fallback rate', '> 10%', '20 missions', 'Fallback spike')], windowsOf(spike));
    expect(report).toMatchObject({ status: 'breach', recommendation: 'rollback' });
    expect(report.reasons).toEqual([
      "Fallback spike: fallback rate 15% over the last 20 missions (all of W-4, 5 of W-3's 60 missions pro rata; exactly 15% by the window totals); trigger at > 10%: breach",
    ]);
  });
});

describe('<n> missions: results of the other windows carry no bounds', () => {
  const windows = windowsOf([{ id: 'W-1', missions: 100, fallbacks: 20, p95: 900 }, { id: 'W-2', missions: 10, fallbacks: 0, p95: 500 }]);
  it.each([
    ['fallback rate', '> 10%', '2 windows'],
    ['fallback rate', '> 10%', '2 consecutive windows'],
    ['p95', '> 800 ms', '20 missions'],
  ])('%s %s over %s', (metric, condition, window) => {
    const r = evaluateTrigger(trigger(metric, condition, window), windows);
    expect(r.bounds).toBeUndefined();
    if (window.endsWith('windows')) expect(r.partial).toBeUndefined();
  });

  it('an unknown trigger has neither', () => {
    const r = evaluateTrigger(trigger('fallback rate', '> 10%', '20 missions'), []);
    expect(r.status).toBe('unknown');
    expect('bounds' in r || 'partial' in r).toBe(false);
  });
});

describe('<n> missions: work that can pause', () => {
  it('evaluateTriggersSteps pauses between slices of a long table and ends as evaluateTriggers', () => {
    const windows = windowsOf(Array.from({ length: 2000 }, (_, i) => ({ id: `W-${i + 1}`, missions: 40 + (i % 7), fallbacks: i % 5 })));
    const triggers = [trigger('fallback rate', '> 10%', '500 missions'), trigger('fallbacks', '> 10', '75 missions')];
    const steps = evaluateTriggersSteps(triggers, windows);
    let pauses = 0;
    let step = steps.next();
    while (!step.done) {
      pauses++;
      step = steps.next();
    }
    expect(pauses).toBeGreaterThan(1);
    expect(step.value).toEqual(evaluateTriggers(triggers, windows));
  });
});
