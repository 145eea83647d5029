// "No continuity regressions" (the seed's promote criterion) as a metric word: `continuity
// regressions` sums every `….continuity.lost` event of a window.
import { describe, expect, it } from 'vitest';
import { evaluateTrigger } from '../../src/core/guardrails/evaluate';
import type { WindowRow } from '../../src/core/guardrails/types';
import { parseMetric } from '../../src/core/schema/parse-rollout';
import { trigger } from './helpers';

function window(id: string, missions: number, events: Record<string, number>): WindowRow {
  return { line: Number(id.slice(2)), id, missions, fallbacks: 0, events: new Map(Object.entries(events)) };
}

describe('the continuity regressions metric', () => {
  it('reads the word in any case and spelling the seed uses', () => {
    for (const text of ['continuity regressions', 'Continuity regression', 'continuity-regressions']) {
      expect(parseMetric(text)).toEqual({ ok: true, value: { kind: 'family', name: 'continuity regressions', suffix: 'continuity.lost', label: text } });
    }
  });

  it('sums every continuity.lost event of the family, and no other event', () => {
    const windows = [
      window('W-1', 40, { 'vp.continuity.lost': 0, 'vp.mission.failed': 3 }),
      window('W-2', 40, { 'vp.continuity.lost': 1, 'billing.continuity.lost': 2, 'vp.continuity.lostx': 5 }),
    ];
    const result = evaluateTrigger(trigger('continuity regressions', '> 0', '2 windows', 'No continuity regressions'), windows);
    expect(result).toMatchObject({ status: 'breach', observed: 3, windows: ['W-1', 'W-2'] });
    expect(result.message).toBe('continuity regressions 3 over W-1…W-2 (2 windows); trigger at > 0: breach');
  });

  it('is ok over windows without a lost event', () => {
    const windows = [window('W-1', 40, { 'vp.mission.completed': 40 })];
    expect(evaluateTrigger(trigger('continuity regressions', '> 0', '1 windows'), windows)).toMatchObject({ status: 'ok', observed: 0 });
  });

  it('says how to write a metric when the word is unknown', () => {
    expect(parseMetric('continuity')).toEqual({
      ok: false,
      message: '`continuity` is not a metric; expected fallback rate, p95, missions, fallbacks, traffic, continuity regressions, or an event name such as vp.mission.failed',
    });
  });
});
