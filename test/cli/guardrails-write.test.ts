// `canon guardrails` on the cases README "Command line" names (a spike after a large clean window, a held window in
// breach, an unguarded broadening) and `--write`, as a program manager runs them: real processes
// on a copy of the example vault, the notes' text asserted.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault } from '../helpers/run-cli';

const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

function addWindow(vault: string, sets: Record<string, string>): ReturnType<typeof canon> {
  return canon(['add', 'evidence', '--vault', vault, ...Object.entries(sets).flatMap(([k, v]) => ['--set', `${k}=${v}`])]);
}

describe('canon guardrails: the last n missions', () => {
  it('reads a small newest window with a spike as a breach, not diluted by the large clean one before it', () => {
    const vault = copyExampleVault();
    expect(addWindow(vault, { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '180', Fallbacks: '0', p95: '600', Events: 'vp.mission.failed=0, vp.continuity.lost=0', Decision: 'hold' }).status).toBe(0);
    expect(addWindow(vault, { Start: '2026-11-17 09:00', End: '2026-11-17 12:00', Traffic: '25%', Missions: '15', Fallbacks: '3', p95: '600', Events: 'vp.mission.failed=0, vp.continuity.lost=0', Decision: 'rollback' }).status).toBe(0);
    const run = canon(['guardrails', '--vault', vault, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { status: string; recommendation: string; triggers: Array<Record<string, unknown>> };
    expect(report).toMatchObject({ status: 'breach', recommendation: 'rollback' });
    expect(report.triggers[0]).toMatchObject({
      trigger: 'Fallback rate over rolling 20 missions', status: 'breach', observed: 15, windows: ['W-11', 'W-12'],
      bounds: { low: 15, high: 15 }, partial: { window: 'W-11', taken: 5, missions: 180 },
    });
    expect(report.triggers[0]?.message).toBe('fallback rate 15% over the last 20 missions (all of W-12, 5 of W-11\'s 180 missions pro rata; exactly 15% by the window totals); trigger at > 10%: breach');
  });
});

describe('canon check: the decisions the guardrails judge', () => {
  it('warns on a window held while a trigger is in breach, and add says so as it writes the row', () => {
    const vault = copyExampleVault();
    const added = addWindow(vault, { Start: '2026-11-16 09:00', End: '2026-11-16 12:00', Traffic: '25%', Missions: '20', Fallbacks: '5', p95: '600', Events: 'vp.mission.failed=0, vp.continuity.lost=0', Decision: 'hold' });
    expect(added.status).toBe(0);
    expect(added.stderr).toContain('W-11 is held while `Fallback rate over rolling 20 missions` was in breach');
    expect(added.stderr).toContain('guardrail/hold-in-breach');
    const check = canon(['check', '--vault', vault, '--format', 'json']);
    expect(check.status).toBe(0);
    const { diagnostics } = JSON.parse(check.stdout) as { diagnostics: Array<{ rule: string; severity: string; line: number }> };
    expect(diagnostics.map((d) => [d.rule, d.severity])).toEqual([['guardrail/hold-in-breach', 'warning']]);
  });

  it('warns on a window that broadens traffic without naming its decision', () => {
    const vault = copyExampleVault();
    expect(addWindow(vault, { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '50%', Missions: '300', Fallbacks: '3', p95: '600', Events: 'vp.mission.failed=0, vp.continuity.lost=0', Decision: 'hold', Notes: 'Broadened for the load test.' }).status).toBe(0);
    const check = canon(['check', '--vault', vault]);
    expect(check.status).toBe(0);
    expect(check.stdout).toContain('W-11 broadens traffic from 25% to 50% with no decision named for it (expected a decision such as D-4 in W-11\'s Notes, or a Decision Log row naming W-11)');
  });
});

describe('canon guardrails --write', () => {
  it('writes the recommendation block into Current Recommendation, changes nothing else, and then reports it up to date', () => {
    const vault = copyExampleVault();
    const before = readFileSync(join(vault, LOG), 'utf8');
    const first = canon(['guardrails', '--vault', vault, '--write']);
    expect(first.status).toBe(0);
    expect(first.stdout).toMatch(/Wrote the recommendation block in 04_Phase_A_Controlled_Rollout_Evidence_Log\.md:\d+$/m);
    const after = readFileSync(join(vault, LOG), 'utf8');
    expect(after.startsWith(before.trimEnd())).toBe(true);
    const block = after.slice(before.trimEnd().length);
    expect(block.split('\n')).toEqual([
      '', '', '<!-- canon:recommendation -->',
      '**Guardrails: ok. Recommendation: promote.** Written by Canon from the Rollback Triggers and Rollout Windows above; `canon guardrails --write` rewrites it.',
      '', 'Newest window: W-10 (2026-11-13 09:00 to 2026-11-13 17:00, traffic 25%, decision hold).', '',
      '- Fallback rate over rolling 20 missions: fallback rate 4.09% over the last 20 missions (20 of W-10\'s 171 missions pro rata; between 0% and 35% by the window totals); trigger at > 10%: ok',
      '- Latency regression: p95 626 ms over W-8…W-10 (3 windows); trigger at >= 800 ms: ok',
      '- Sustained mission failures: vp.mission.failed > 0 in 0 of the newest 3 windows W-8…W-10 (newest 0): ok',
      '- Continuity regression: vp.continuity.lost 0 over the last 20 missions (20 of W-10\'s 171 missions pro rata; exactly 0 by the window totals); trigger at > 0: ok',
      '<!-- /canon:recommendation -->', '',
    ]);
    expect(canon(['check', '--vault', vault]).stdout).toContain('0 errors, 0 warnings in 5 canonical notes');
    const second = canon(['guardrails', '--vault', vault, '--write']);
    expect(second.stdout).toMatch(/already reads so; nothing written$/m);
    expect(readFileSync(join(vault, LOG), 'utf8')).toBe(after);
  });

  it('reports the block stale after a new window, and rewrites only its lines', () => {
    const vault = copyExampleVault();
    expect(canon(['guardrails', '--vault', vault, '--write']).status).toBe(0);
    expect(addWindow(vault, { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '180', Fallbacks: '2', p95: '610', Events: 'vp.mission.failed=0, vp.continuity.lost=0', Decision: 'hold' }).status).toBe(0);
    const stale = canon(['check', '--vault', vault]);
    expect(stale.stdout).toContain('info     the recommendation block no longer reads as the guardrails do (now ok, recommendation promote)');
    const withRow = readFileSync(join(vault, LOG), 'utf8');
    expect(canon(['guardrails', '--vault', vault, '--write']).status).toBe(0);
    const rewritten = readFileSync(join(vault, LOG), 'utf8');
    const outside = (t: string): string => t.replace(/<!-- canon:recommendation -->[\s\S]*<!-- \/canon:recommendation -->/, 'BLOCK');
    expect(outside(rewritten)).toBe(outside(withRow));
    expect(rewritten).toContain('Newest window: W-11 (2026-11-16 09:00 to 2026-11-16 17:00, traffic 25%, decision hold).');
    expect(canon(['check', '--vault', vault]).stdout).toContain('0 errors, 0 warnings in 5 canonical notes');
  });
});
