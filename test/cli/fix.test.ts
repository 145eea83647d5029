// `canon fix` run as a process: every changed row reported, written under the lock and read back.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExtraCli, runExtra } from '../helpers/extra-commands';
import { copyExampleVault, EXAMPLE_VAULT } from '../helpers/run-cli';

const CC = '00_DraganCorp_Program_Control_Center.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

let script = '';
beforeAll(async () => {
  script = await buildExtraCli();
}, 60_000);

/** A copy of the example vault with four fixable problems. */
function broken(): string {
  const dir = copyExampleVault();
  const edit = (path: string, find: string, replace: string): void => {
    const full = join(dir, path);
    const text = readFileSync(full, 'utf8');
    if (!text.includes(find)) throw new Error(`no ${find}`);
    writeFileSync(full, text.replace(find, replace));
  };
  edit(EV, '| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |');
  edit(EV, '| W-10 |', '| W-9 |');
  edit(CC, '| Ivo | superseded | |', '| Ivo | accepted | |');
  edit(CC, '[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem|postmortem]]');
  return dir;
}

describe('canon fix', () => {
  it('--dry-run lists every fix with the rows before and after, and writes nothing', () => {
    const dir = broken();
    const before = [readFileSync(join(dir, CC), 'utf8'), readFileSync(join(dir, EV), 'utf8')];
    const run = runExtra(script, ['fix', '--vault', dir, '--dry-run']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines.filter((l) => l.startsWith('Would fix'))).toEqual([
      `Would fix ${CC}:37 table/malformed: [[Handoff timeout postmortem|postmortem]] → [[Handoff timeout postmortem\\|postmortem]]: the alias pipe escaped, so the row has the header's 5 cells`,
      `Would fix ${CC}:54 row/consistency: D-2 Status accepted → superseded (D-4 supersedes it)`,
      `Would fix ${EV}:37 row/consistency: Fallback Rate 9.26% → 5.26% (3 / 57)`,
      `Would fix ${EV}:44 id/duplicate: W-9 on line 44 repeats an earlier row's id; renumbered W-10, the next free id`,
    ]);
    const at = lines.indexOf(`Would fix ${EV}:37 row/consistency: Fallback Rate 9.26% → 5.26% (3 / 57)`);
    expect(lines.slice(at + 1, at + 4)).toEqual([`  ${EV}:37`, expect.stringMatching(/^ {4}- \| W-3 \|.*\| 9\.26% \|/) as string, expect.stringMatching(/^ {4}\+ \| W-3 \|.*\| 5\.26% \|/) as string]);
    expect(run.stdout).toMatch(/\(dry run: nothing written\)\n$/);
    expect([readFileSync(join(dir, CC), 'utf8'), readFileSync(join(dir, EV), 'utf8')]).toEqual(before);
  });

  it('writes the fixes (the notes become the example vault again), check is clean, a second run has nothing to fix', () => {
    const dir = broken();
    const run = runExtra(script, ['fix', '--vault', dir, '--format', 'json']);
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as { fixes: { rule: string; kind: string; path: string; line: number; changes: { line: number; before: string; after: string }[] }[]; refused: unknown[] };
    expect(report.fixes.map((f) => [f.kind, f.path, f.line])).toEqual([['alias-pipe', CC, 37], ['superseded-status', CC, 54], ['fallback-rate', EV, 37], ['duplicate-id', EV, 44]]);
    expect(report.refused).toEqual([]);
    expect(readFileSync(join(dir, CC), 'utf8')).toBe(readFileSync(join(EXAMPLE_VAULT, CC), 'utf8'));
    expect(readFileSync(join(dir, EV), 'utf8')).toBe(readFileSync(join(EXAMPLE_VAULT, EV), 'utf8'));
    expect(runExtra(script, ['check', '--vault', dir]).status).toBe(0);
    const again = runExtra(script, ['fix', '--vault', dir]);
    expect(again.status).toBe(0);
    expect(again.stdout).toBe('✔ nothing to fix\n');
  });

  it('--rule picks the problems; a rule without a fix is refused with exit 2', () => {
    const dir = broken();
    const run = runExtra(script, ['fix', '--vault', dir, '--rule', 'id/duplicate']);
    expect(run.status).toBe(0);
    expect(run.stdout.split('\n').filter((l) => l.startsWith('Fixed'))).toEqual([`Fixed ${EV}:44 id/duplicate: W-9 on line 44 repeats an earlier row's id; renumbered W-10, the next free id`]);
    expect(readFileSync(join(dir, EV), 'utf8')).toContain('| 57 | 3 | 9.26% |');
    const bad = runExtra(script, ['fix', '--vault', dir, '--rule', 'link/unresolved']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('canon fix: --rule `link/unresolved` has no fix; expected one of row/consistency, id/duplicate, table/malformed\n');
  });

  it('a fix that would add an error is refused: exit 1, the reason, that note unchanged', () => {
    const dir = copyExampleVault();
    const path = join(dir, EV);
    const text = readFileSync(path, 'utf8').replace('| W-2 | 2026-11-03', '| W-1 | 2026-11-03');
    writeFileSync(path, text);
    const run = runExtra(script, ['fix', '--vault', dir]);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(new RegExp(`^✖ not fixed ${EV}:36 id/duplicate: W-1 on line 36 repeats an earlier row's id; renumbered W-11, the next free id — it would add 8 errors: `));
    expect(readFileSync(path, 'utf8')).toBe(text);
  });
});
