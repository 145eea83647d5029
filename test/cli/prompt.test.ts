import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const OPERATING = '05_Phase_A_Execution_Operating_Model.md';
const PRESET_SHORT = 'Follow the DraganCorp Phase A operating model: packetized changes, immediate verification, evidence-first rollout decisions, and mandatory doc sync (00/03/04).';

/** Changes one note of the vault in place. */
function edit(vault: string, path: string, change: (text: string) => string): void {
  const file = join(vault, path);
  const before = readFileSync(file, 'utf8');
  const after = change(before);
  expect(after).not.toBe(before);
  writeFileSync(file, after);
}

/** The operating-model note with the fenced block under the heading starting with `heading` replaced. */
const replaceBlock = (heading: string, body: string) => (text: string): string => {
  const open = text.indexOf('```text\n', text.indexOf(heading)) + '```text\n'.length;
  return `${text.slice(0, open)}${body}${text.slice(text.indexOf('\n```', open))}`;
};

function ok(args: string[]): string {
  const run = canon(args);
  expect(run.status, run.stderr).toBe(0);
  return run.stdout;
}

describe('canon prompt', () => {
  it("prints the team's edited meta prompt and short prompt from the operating-model note", () => {
    const vault = copyExampleVault();
    edit(vault, OPERATING, replaceBlock('## 8) Meta prompt', 'Team rule for DraganCorp: [INSERT CURRENT OBJECTIVE], one packet at a time.'));
    edit(vault, OPERATING, replaceBlock('## 9) Short meta prompt', 'Fast: verify, then log it.'));
    expect(ok(['prompt', '--vault', vault, '--objective', 'Retire the fallback path'])).toBe('Team rule for DraganCorp: Retire the fallback path, one packet at a time.\n');
    expect(ok(['prompt', '--vault', vault, '--short', '--objective', 'Retire the fallback path'])).toBe('Objective: Retire the fallback path\n\nFast: verify, then log it.\n');
  });

  it("names the program after a renamed control center, and after config `program` before that", () => {
    const vault = copyExampleVault();
    edit(vault, CONTROL, (t) => t.replace('# DraganCorp Program Control Center', '# Orion Program Control Center'));
    const meta = ok(['prompt', '--vault', vault]);
    expect(meta).toMatch(/^You are the implementation operator for Orion Phase A\.\n\nObjective:\n- \[INSERT CURRENT OBJECTIVE\]\n/);
    expect(meta).toContain(`   - ${CONTROL}\n`);
    expect(ok(['prompt', '--vault', vault, '--short'])).toMatch(/^Follow the Orion Phase A operating model:/);

    writeFileSync(join(vault, 'canon.config.json'), '{ "program": "Vega Labs" }\n');
    expect(ok(['prompt', '--vault', vault])).toMatch(/^You are the implementation operator for Vega Labs Phase A\./);
    const json = JSON.parse(ok(['prompt', '--vault', vault, '--short', '--format', 'json'])) as { text: string; program: unknown; source: { from: string } };
    expect(json.program).toEqual({ name: 'Vega Labs', from: 'config' });
    expect(json.text).toMatch(/^Follow the Vega Labs Phase A operating model:/);
    expect(json.source.from).toBe('note');

    writeFileSync(join(vault, 'canon.config.json'), '{\n  "program": ""\n}\n');
    const bad = canon(['prompt', '--vault', vault]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("canon.config.json:2: program: the name is empty; expected the program's name");
  });

  it('appends the open session: objective, scope, both packets, the open required update, the guardrail reading', () => {
    const vault = copyExampleVault();
    const start = canon(['session', 'start', '--vault', vault, '--objective', 'Canary at 25 %', '--packet', 'P-4', '--packet', 'P-5', '--change', 'Rollout windows or traffic policy']);
    expect(start.status, start.stderr).toBe(0);
    const session = start.stdout.trim();
    // The scope lock, as the session note's frontmatter keeps it.
    edit(vault, session, (t) => t.replace('\nstatus: open\n', '\ninScope: ["the handoff path", "cancellation"]\noutOfScope: ["the fallback path"]\nstatus: open\n'));
    // A window that breaches the rolling-20 fallback trigger: 3 fallbacks in 15 missions.
    const add = canon(['add', 'evidence', '--vault', vault, '--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00', '--set', 'Traffic=25%',
      '--set', 'Missions=15', '--set', 'Fallbacks=3', '--set', 'p95=630', '--set', 'Events=vp.mission.failed=0', '--set', 'Decision=hold']);
    expect(add.status, add.stderr).toBe(0);

    for (const args of [[], ['--short']]) {
      const run = canon(['prompt', '--vault', vault, ...args]);
      expect(run.status).toBe(0);
      expect(run.stderr).toBe('');
      const [head, block = ''] = run.stdout.split('\n\n<!-- canon:context -->\n');
      expect(head).toMatch(args.length === 0 ? /^You are the implementation operator for DraganCorp Phase A\.\n\nObjective:\n- Canary at 25 %\n/ : /^Objective: Canary at 25 %\n\nFollow the DraganCorp/);
      expect(block).toMatch(/^## Current session \(from the vault\)\n\nObjective: Canary at 25 %\nSession note: sessions\/.*Canary at 25 %\.md \(started \d{4}-\d\d-\d\d \d\d:\d\d\)\n\n/);
      for (const line of [
        'In scope:\n- the handoff path\n- cancellation\nOut of scope:\n- the fallback path\n',
        '- P-4: Cancellation-safe handoff (the timeout behind the W-3 failure).\n  - Files: `src/vp/handoff.ts`\n  - Verification: `npm test -- handoff`\n  - Expected evidence: No `vp.mission.failed` with reason `handoff_timeout` over three windows.\n',
        '- P-5: Propagate mission cancellation to the VP within 2 s.\n  - Files: `src/vp/cancel.ts`, `src/vp/mission-runner.ts`\n  - Verification: `npm run probe:cancel`\n  - Expected evidence: Cancel-to-stop under 2 s in 20 of 20 probe runs.\n',
        'Open required updates (trigger matrix):\n- Rollout windows or traffic policy → `04` evidence log + `00` status log\n',
        '\nGuardrails: breach — recommendation: rollback\n- Fallback rate over rolling 20 missions: fallback rate 16.02% over the last 20 missions',
      ]) expect(block).toContain(line);
      expect(block).toMatch(/\n<!-- \/canon:context -->\n$/);
    }
    const json = JSON.parse(ok(['prompt', '--vault', vault, '--format', 'json'])) as { session: { path: string; packets: { id: string }[]; requiredUpdates: unknown[]; inScope: string[] } };
    expect(json.session.path).toBe(session);
    expect(json.session.packets.map((p) => p.id)).toEqual(['P-4', 'P-5']);
    expect(json.session.inScope).toEqual(['the handoff path', 'cancellation']);
    expect(json.session.requiredUpdates).toHaveLength(1);
  });

  it("without an operating-model note, prints the preset's text; without a session, no block and a note on stderr", () => {
    const vault = copyExampleVault();
    rmSync(join(vault, OPERATING));
    const run = canon(['prompt', '--vault', vault, '--objective', 'X']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^You are the implementation operator for DraganCorp Phase A\.\n\nObjective:\n- X\n[^]*- Risks\/next guardrail checks\n$/);
    expect(run.stdout).not.toContain('canon:context');
    expect(run.stderr).toMatch(/^no open session: the prompt carries no session context/);
    expect(ok(['prompt', '--vault', vault, '--short'])).toBe(`${PRESET_SHORT} No change is complete without tests/probes + updated evidence/status/decision logs when applicable.\n`);
    const json = JSON.parse(ok(['prompt', '--vault', vault, '--format', 'json'])) as { source: unknown; session: unknown };
    expect(json.source).toEqual({ from: 'preset', path: null, line: null, problem: null });
    expect(json.session).toBeNull();
    expect(readdirSync(vault)).not.toContain(OPERATING);
  });

  it('warns when the section has no fenced block, and refuses an unknown format', () => {
    const vault = copyExampleVault();
    edit(vault, OPERATING, (t) => t.replace('## 9) Short meta prompt (fast mode)\n\n```text\n', '## 9) Short meta prompt (fast mode)\n\n').replace(/(when applicable\.)\n```\n/, '$1\n'));
    const run = canon(['prompt', '--vault', vault, '--short']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Follow the DraganCorp Phase A operating model/);
    expect(run.stderr).toMatch(/warning: 05_Phase_A_Execution_Operating_Model\.md:\d+: the section "9\) Short meta prompt \(fast mode\)" has no fenced code block; expected the prompt between ``` fences; the preset's prompt is used/);
    const bad = canon(['prompt', '--vault', vault, '--format', 'yaml']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain('--format `yaml` is not a format; expected text or json');
    expect(canon(['prompt', '--help']).stdout).toContain('--format FORMAT');
  });
});
