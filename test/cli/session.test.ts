import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault, EXAMPLE_VAULT } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';

interface Status {
  session: { path: string; objective: string; started: string; packets: string[] };
  items: { n: number; text: string; done: boolean; by: string | null; proof: string | null }[];
  required: { change: string; update: string; done: boolean }[];
  gates: { packet: string | null; gate: string; done: boolean; proof: string | null }[];
  guardrails: { status: string; recommendation: string };
}

function statusOf(vault: string): Status {
  const run = canon(['session', 'status', '--vault', vault, '--format', 'json']);
  expect(run.stderr).toBe('');
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout) as Status;
}

const statusLogRows = (vault: string): string[] => readFileSync(join(vault, CONTROL), 'utf8').split('\n').filter((l) => /^\| \d{4}-\d\d-\d\d \d\d:\d\d \|/.test(l));

describe('canon session', () => {
  it('start → add evidence → status proves the item with the W-id → close adds exactly one Status Log row', () => {
    const vault = copyExampleVault();
    const start = canon(['session', 'start', '--vault', vault, '--objective', 'Canary at 25 %', '--packet', 'P-4']);
    expect(start.stderr).toBe('');
    expect(start.status).toBe(0);
    const path = start.stdout.trim();
    expect(path).toMatch(/^sessions\/\d{4}-\d\d-\d\d \d{4} Canary at 25 %\.md$/);
    expect(readdirSync(join(vault, 'sessions'))).toHaveLength(1);

    const add = canon(['add', 'evidence', '--vault', vault, '--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00', '--set', 'Traffic=25%',
      '--set', 'Missions=180', '--set', 'Fallbacks=6', '--set', 'p95=630', '--set', 'Events=vp.mission.failed=0', '--set', 'Decision=hold']);
    expect(add.status).toBe(0);

    const status = statusOf(vault);
    expect(status.session).toMatchObject({ path, objective: 'Canary at 25 %', packets: ['P-4'] });
    expect(status.items[2]).toEqual({ n: 3, text: 'Rollout evidence captured (if applicable).', done: true, by: 'vault', proof: 'evidence log updated: W-11 added' });
    expect(status.items[3]).toMatchObject({ done: true, by: 'vault', proof: 'evidence log updated: W-11 added' });
    expect(status.required).toEqual([{ change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log', done: false }]);
    expect(status.gates.find((g) => g.gate === 'G3')).toEqual({ packet: 'P-4', gate: 'G3', done: true, proof: 'observability signal captured: W-11 added' });

    const refused = canon(['session', 'close', '--vault', vault]);
    expect(refused.status).toBe(1);
    for (const item of ['1. Code behavior validated.', '2. Relevant tests/probes run.', '6. Commits are scoped and understandable.', '7. Open risks and next actions are explicit.']) {
      expect(refused.stderr).toContain(item);
    }
    const rowsBefore = statusLogRows(vault);
    for (const n of ['1', '2', '6', '7']) expect(canon(['session', 'tick', n, '--vault', vault]).status).toBe(0);
    expect(statusOf(vault).items[0]).toMatchObject({ done: true, by: 'hand', proof: null });
    // Every gate of the session's packets must pass too (README "Command line"): G1 and G2 by hand.
    for (const gate of ['G1', 'G2']) expect(canon(['session', 'tick', '--gate', gate, '--vault', vault]).status).toBe(0);

    const close = canon(['session', 'close', '--vault', vault, '--verification', 'npm test: green', '--risks', 'watch p95']);
    expect(close.stderr).toBe('');
    expect(close.status).toBe(0);
    const rowsAfter = statusLogRows(vault);
    expect(rowsAfter).toHaveLength(rowsBefore.length + 1);
    expect(rowsAfter.at(-1)).toMatch(new RegExp(`\\| Canary at 25 % \\| .+ \\| G1, G2, G3, G4, G5 \\| \\[\\[${path.replace(/\.md$/, '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\]\\] \\|$`));
    const note = readFileSync(join(vault, path), 'utf8');
    for (const heading of ['What changed', 'Verification', 'Evidence captured', 'Docs updated', 'Risks and next checks']) expect(note).toContain(`\n## ${heading}\n`);
    expect(note).toMatch(/^status: closed$/m);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
    expect(canon(['session', 'status', '--vault', vault]).status).toBe(1);
  });

  it('status works on the example vault: the operating model checklist, no required updates yet, guardrails promote', () => {
    const vault = copyExampleVault();
    expect(canon(['session', 'start', '--vault', vault, '--objective', 'Look around']).status).toBe(0);
    const status = statusOf(vault);
    expect(status.items.map((i) => i.text)).toEqual([
      'Code behavior validated.', 'Relevant tests/probes run.', 'Rollout evidence captured (if applicable).',
      '`04` updated with new window(s) and decision notes.', '`00` updated (status/decision/lessons as needed).',
      'Commits are scoped and understandable.', 'Open risks and next actions are explicit.',
    ]);
    expect(status.items.every((i) => !i.done)).toBe(true);
    expect(status.required).toEqual([]);
    expect(status.gates.map((g) => [g.packet, g.gate, g.done])).toEqual([[null, 'G1', false], [null, 'G2', false], [null, 'G3', false], [null, 'G4', false], [null, 'G5', true]]);
    expect(status.guardrails).toEqual({ status: 'ok', recommendation: 'promote' });
    const text = canon(['session', 'status', '--vault', vault]);
    expect(text.stdout).toMatch(/Checklist \(0 of 7 done\):/);
    expect(text.stdout).toMatch(/Guardrails: ok — recommendation: promote/);
  });

  it('exits 1 for a second start, a missing session, or an item that does not exist; 2 for a bad flag', () => {
    const vault = copyExampleVault();
    expect(canon(['session', 'status', '--vault', vault]).status).toBe(1);
    expect(canon(['session', 'tick', '1', '--vault', vault]).status).toBe(1);
    expect(canon(['session', 'close', '--vault', vault]).status).toBe(1);
    expect(canon(['session', 'start', '--vault', vault, '--objective', 'One']).status).toBe(0);
    const again = canon(['session', 'start', '--vault', vault, '--objective', 'Two']);
    expect(again.status).toBe(1);
    expect(again.stderr).toMatch(/a session is already open: sessions\/.* One\.md/);
    expect(canon(['session', 'tick', '8', '--vault', vault]).stderr).toMatch(/the checklist has no item 8; expected 1 to 7/);
    expect(canon(['session', 'tick', '8', '--vault', vault]).status).toBe(1);
    expect(canon(['session', 'tick', '--change', 'billing', '--vault', vault]).status).toBe(1);
    for (const args of [['session', 'start', '--vault', vault], ['session', 'status', '--bogus'], ['session', 'launch'], ['session', 'tick', '--vault', vault], ['session', 'start', '--objective', 'x', '--packet', 'four', '--vault', vault]]) {
      const run = canon(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^canon session: /);
    }
  });

  it('persists ticks and undoes them', () => {
    const vault = copyExampleVault();
    const path = canon(['session', 'start', '--vault', vault, '--objective', 'Ticks', '--change', 'runtime behavior']).stdout.trim();
    expect(canon(['session', 'tick', '3', '--vault', vault]).stdout).toMatch(/Ticked item 3/);
    expect(canon(['session', 'tick', '--gate', 'G1', '--vault', vault]).status).toBe(0);
    expect(readFileSync(join(vault, path), 'utf8')).toMatch(/^ticks: \["Rollout evidence captured \(if applicable\)\."\]$/m);
    const status = statusOf(vault);
    expect(status.required).toEqual([{ change: 'Runtime behavior, routing, cancellation, recovery', update: '`00` status log + `00` decision log (if governance changed)', done: false }]);
    expect(status.gates[0]).toEqual({ packet: null, gate: 'G1', done: true, proof: 'ticked by hand' });
    expect(canon(['session', 'tick', '3', '--undo', '--vault', vault]).status).toBe(0);
    expect(readFileSync(join(vault, path), 'utf8')).toMatch(/^ticks: \[\]$/m);
  });

  it('closes with --force and lists the open items', () => {
    const vault = copyExampleVault();
    const path = canon(['session', 'start', '--vault', vault, '--objective', 'Quick']).stdout.trim();
    const run = canon(['session', 'close', '--force', '--vault', vault]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/closed with 6 overrides .*:\n {4}open checklist item: 1\. Code behavior validated\.\n/);
    expect(readFileSync(join(vault, path), 'utf8')).toMatch(/- Open at close: 3\. Rollout evidence captured/);
  });

  it('prints help for every subcommand', () => {
    expect(canon(['session', 'tick', '--help']).stdout).toContain('--reason TEXT');
    expect(canon(['session', 'close', '--help']).stdout).toContain('Overridden at');
    for (const sub of ['start', 'status', 'tick', 'close']) {
      const run = canon(['session', sub, '--help']);
      expect(run.status).toBe(0);
      expect(run.stdout).toMatch(new RegExp(`^Usage: canon session ${sub}`));
      expect(run.stdout).toMatch(/Exit status:/);
    }
    expect(canon(['session', '--help']).stdout).toMatch(/^Usage: canon session <start\|status\|tick\|close>/);
    expect(canon(['help', 'session']).stdout).toMatch(/^Usage: canon session/);
  });
});

describe('canon prompt', () => {
  it("prints the meta prompt with the objective and the vault's note paths", () => {
    const run = canon(['prompt', '--vault', EXAMPLE_VAULT, '--objective', 'Retire the fallback path']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^You are the implementation operator for DraganCorp Phase A\.\n\nObjective:\n- Retire the fallback path\n/);
    for (const note of [CONTROL, '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md', '03_Phase_A_CODER_VP_Observability_Playbook.md', '04_Phase_A_Controlled_Rollout_Evidence_Log.md']) {
      expect(run.stdout).toContain(`   - ${note}\n`);
    }
    expect(run.stdout).toMatch(/- Risks\/next guardrail checks\n$/);
  });

  it("uses the open session's objective, and the short prompt with --short", () => {
    const vault = copyExampleVault();
    canon(['session', 'start', '--vault', vault, '--objective', 'Session objective']);
    expect(canon(['prompt', '--vault', vault]).stdout).toContain('Objective:\n- Session objective\n');
    const short = canon(['prompt', '--short', '--vault', vault]);
    expect(short.stdout).toMatch(/^Objective: Session objective\n\nFollow the DraganCorp Phase A operating model: packetized changes/);
    expect(canon(['prompt', '--help']).stdout).toMatch(/^Usage: canon prompt/);
  });
});
