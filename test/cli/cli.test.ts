import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault, EXAMPLE_VAULT, tempDir } from '../helpers/run-cli';

const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

describe('canon check', () => {
  it('passes the example vault with no diagnostics at all', () => {
    const run = canon(['check', '--vault', EXAMPLE_VAULT, '--format', 'json']);
    const report = JSON.parse(run.stdout) as { docs: { role: string; path: string | null }[]; diagnostics: unknown[]; counts: Record<string, number> };
    expect(report.diagnostics).toEqual([]);
    expect(report.counts).toEqual({ error: 0, warning: 0, info: 0 });
    expect(report.docs.map((d) => d.role)).toEqual(['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log', 'operating-model']);
    expect(report.docs.every((d) => d.path !== null)).toBe(true);
    expect(run.status).toBe(0);
  });

  it('prints a readable summary in text mode', () => {
    const run = canon(['check', '--vault', EXAMPLE_VAULT]);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/✔ 0 errors, 0 warnings in 5 canonical notes/);
  });

  it('exits 1 and names file, line, column and rule for a broken note', () => {
    const vault = copyExampleVault();
    const path = join(vault, EVIDENCE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('| W-3 | 2026-11-04 09:00 | 2026-11-04 17:00 | 10% | 57 | 3 | 5.26% |', '| W-3 | 2026-11-04 09:00 | 2026-11-04 17:00 | 10% | 57 | 3 | 9.26% |'));
    const run = canon(['check', '--vault', vault, '--format', 'json']);
    expect(run.status).toBe(1);
    const report = JSON.parse(run.stdout) as { diagnostics: { path: string; line: number; column: number; rule: string; message: string; severity: string }[] };
    const d = report.diagnostics.find((x) => x.rule === 'row/consistency');
    expect(d).toMatchObject({ path: EVIDENCE, severity: 'error' });
    expect(d?.message).toMatch(/Fallback Rate 9\.26% does not match 3 \/ 57; expected 5\.26/);
    const line = readFileSync(path, 'utf8').split('\n')[(d?.line ?? 0) - 1] ?? '';
    expect(line.slice((d?.column ?? 0) - 1)).toMatch(/^9\.26%/);
  });

  it('exits 2 on a bad flag, a bad format or a missing vault, with one line and no stack trace', () => {
    for (const args of [['check', '--bogus'], ['check', '--format', 'xml'], ['check', '--vault', '/nonexistent/vault']]) {
      const run = canon(args);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/^canon check: /);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('exits 2 on a bad config, naming the file, line, key and what was expected', () => {
    const vault = copyExampleVault();
    writeFileSync(join(vault, 'canon.config.json'), '{\n  "notes": {\n    "evidence-log": "../../etc/passwd.md"\n  }\n}\n');
    const run = canon(['check', '--vault', vault]);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/canon\.config\.json:3: notes\.evidence-log: `\.\.\/\.\.\/etc\/passwd\.md` leaves the vault; expected a path inside the vault/);
  });

  it('applies rule severities from the config', () => {
    const vault = copyExampleVault();
    const path = join(vault, EVIDENCE);
    writeFileSync(path, readFileSync(path, 'utf8').replace('| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |'));
    writeFileSync(join(vault, 'canon.config.json'), JSON.stringify({ rules: { 'row/consistency': 'warning' } }));
    const run = canon(['check', '--vault', vault, '--format', 'json']);
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { counts: unknown }).counts).toMatchObject({ error: 0, warning: 1 });
  });
});

describe('canon add', () => {
  it('appends exactly one row and the stack still checks clean', () => {
    const vault = copyExampleVault();
    const path = join(vault, EVIDENCE);
    const before = readFileSync(path, 'utf8');
    const run = canon(['add', 'evidence', '--vault', vault, '--format', 'json', '--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00',
      '--set', 'Traffic=25%', '--set', 'Missions=180', '--set', 'Fallbacks=6', '--set', 'p95=630', '--set', 'Events=vp.mission.failed=0', '--set', 'Decision=hold']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const result = JSON.parse(run.stdout) as { path: string; line: number; row: Record<string, string> };
    expect(result.path).toBe(EVIDENCE);
    expect(result.row).toMatchObject({ Window: 'W-11', 'Fallback Rate': '3.33%', Decision: 'hold' });
    const after = readFileSync(path, 'utf8');
    const added = after.split('\n')[result.line - 1];
    expect(after.replace(`${added}\n`, '')).toBe(before);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
  });

  it('with --dry-run writes nothing', () => {
    const vault = copyExampleVault();
    const before = readFileSync(join(vault, '00_DraganCorp_Program_Control_Center.md'), 'utf8');
    const run = canon(['add', 'lesson', '--vault', vault, '--dry-run', '--set', 'Lesson=Dry runs are free']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/Would add lesson to 00_DraganCorp_Program_Control_Center\.md:\d+/);
    expect(readFileSync(join(vault, '00_DraganCorp_Program_Control_Center.md'), 'utf8')).toBe(before);
  });

  it('exits 1 listing every field error, and changes no file', () => {
    const vault = copyExampleVault();
    const snapshot = () => readdirSync(vault).filter((f) => f.endsWith('.md')).map((f) => readFileSync(join(vault, f), 'utf8'));
    const before = snapshot();
    const run = canon(['add', 'decision', '--vault', vault, '--set', 'Date=yesterday', '--set', 'Status=maybe', '--set', 'Supersedes=D-99']);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/the decision was not added/);
    for (const expected of [/Date: `yesterday` is not a date/, /Status: `maybe`/, /Decision is empty/, /Rationale is empty/, /Owner is empty/, /D-99/]) {
      expect(run.stderr).toMatch(expected);
    }
    expect(snapshot()).toEqual(before);
  });

  it('exits 2 for an unknown kind or a --set without a column', () => {
    expect(canon(['add', 'memo', '--vault', EXAMPLE_VAULT]).status).toBe(2);
    expect(canon(['add', 'lesson', '--vault', EXAMPLE_VAULT, '--set', 'novalue']).stderr).toMatch(/--set `novalue` has no column/);
  });
});

describe('canon guardrails', () => {
  it('evaluates the example vault: all ok, recommendation promote', () => {
    const run = canon(['guardrails', '--vault', EXAMPLE_VAULT, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { status: string; recommendation: string; triggers: { trigger: string; status: string; windows: string[] }[] };
    expect(report.status).toBe('ok');
    expect(report.recommendation).toBe('promote');
    expect(report.triggers).toHaveLength(4);
    const keys = ['trigger', 'metric', 'status', 'observed', 'threshold', 'windows', 'message'];
    // The two `20 missions` triggers take part of W-10 and give the bounds its totals allow.
    expect(report.triggers.map((t) => Object.keys(t))).toEqual([[...keys, 'bounds', 'partial'], keys, keys, [...keys, 'bounds', 'partial']]);
    expect(report.triggers[0]).toMatchObject({ observed: 4.09, bounds: { low: 0, high: 35 }, partial: { window: 'W-10', taken: 20, missions: 171 } });
  });

  it('exits 1 on a breach and recommends rollback', () => {
    const vault = copyExampleVault();
    expect(canon(['add', 'evidence', '--vault', vault, '--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00', '--set', 'Traffic=25',
      '--set', 'Missions=50', '--set', 'Fallbacks=20', '--set', 'p95=900', '--set', 'Decision=rollback']).status).toBe(0);
    const run = canon(['guardrails', '--vault', vault]);
    expect(run.status).toBe(1);
    expect(run.stdout).toMatch(/Guardrails: breach — recommendation: rollback/);
  });
});

describe('canon init', () => {
  it('creates the five notes in an empty vault and never overwrites', () => {
    const vault = tempDir();
    const first = canon(['init', '--vault', vault]);
    expect(first.status).toBe(0);
    expect(readdirSync(vault).sort()).toHaveLength(5);
    const check = JSON.parse(canon(['check', '--vault', vault, '--format', 'json']).stdout) as { diagnostics: { rule: string }[] };
    expect(check.diagnostics.map((d) => d.rule)).toEqual(['guardrail/no-triggers']);
    const control = join(vault, readdirSync(vault).find((f) => f.startsWith('00_')) ?? '');
    writeFileSync(control, `${readFileSync(control, 'utf8')}\nMine.\n`);
    const again = canon(['init', '--vault', vault]);
    expect(again.status).toBe(0);
    expect(readFileSync(control, 'utf8')).toMatch(/Mine\.\n$/);
  });
});

describe('canon tables', () => {
  it('shows every table of a note as JSON', () => {
    const run = canon(['tables', EVIDENCE, '--vault', EXAMPLE_VAULT, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { path: string; tables: { section: string | null; header: string[]; rows: { cells: string[] }[] }[] };
    expect(report.path).toBe(EVIDENCE);
    expect(report.tables.map((t) => t.section)).toEqual(['Rollback Triggers', 'Rollout Windows']);
    expect(report.tables[1]?.header[0]).toBe('Window');
  });

  it('exits 2 when the note does not exist', () => {
    expect(canon(['tables', 'nope.md', '--vault', EXAMPLE_VAULT]).status).toBe(2);
  });
});

describe('help', () => {
  it.each(['check', 'add', 'guardrails', 'init', 'tables'])('canon %s --help', (command) => {
    const run = canon([command, '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(new RegExp(`^Usage: canon ${command}`));
  });
  it('canon with no command prints usage and exits 2', () => {
    const run = canon([]);
    expect(run.status).toBe(2);
    expect(run.stdout).toMatch(/^Usage: canon <command>/);
  });
});
