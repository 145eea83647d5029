// `canon merge` as git's merge driver, with real git: two clones of one vault append to the same
// tables, push and pull; the same row edited on both sides; a note that is not canonical.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExtraCli, runExtra } from '../helpers/extra-commands';
import { EXAMPLE_VAULT, tempDir } from '../helpers/run-cli';

const CC = '00_DraganCorp_Program_Control_Center.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
/** Git as the tests run it: no editor, no global config, no hooks from the machine. */
const ENV = { GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null', GIT_TERMINAL_PROMPT: '0' };

let canonScript = '';

function git(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...ENV } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

function ok(cwd: string, ...args: string[]): string {
  const run = git(cwd, ...args);
  if (run.status !== 0) throw new Error(`git ${args.join(' ')} failed (${run.status}): ${run.stderr}${run.stdout}`);
  return run.stdout;
}

function canon(cwd: string, ...args: string[]): { status: number | null; stdout: string; stderr: string } {
  return runExtra(canonScript, args, { cwd, env: ENV });
}

function identity(dir: string, name: string): void {
  ok(dir, 'config', 'user.name', name);
  ok(dir, 'config', 'user.email', `${name.toLowerCase()}@example.com`);
  ok(dir, 'config', 'pull.rebase', 'false');
}

/** A bare origin holding the example vault with Canon's .gitattributes, and two clones, each with the driver registered. */
function twoClones(): { a: string; b: string; origin: string } {
  const root = tempDir('canon-git-');
  const origin = join(root, 'origin.git');
  ok(root, 'init', '--bare', '-q', '-b', 'main', origin);
  const a = join(root, 'a');
  mkdirSync(a);
  cpSync(EXAMPLE_VAULT, a, { recursive: true, filter: (src) => !src.includes('.obsidian') });
  ok(a, 'init', '-q', '-b', 'main');
  identity(a, 'Ana');
  const setup = canon(a, 'git-setup');
  expect(setup.stderr).toBe('');
  expect(setup.status).toBe(0);
  ok(a, 'add', '-A');
  ok(a, 'commit', '-q', '-m', 'The stack');
  ok(a, 'remote', 'add', 'origin', origin);
  ok(a, 'push', '-q', '-u', 'origin', 'main');
  const b = join(root, 'b');
  ok(root, 'clone', '-q', origin, b);
  identity(b, 'Bo');
  expect(canon(b, 'git-setup').status).toBe(0);
  return { a, b, origin };
}

function add(dir: string, kind: string, sets: Record<string, string>): void {
  const args = ['add', kind, '--vault', dir, ...Object.entries(sets).flatMap(([k, v]) => ['--set', `${k}=${v}`])];
  const run = canon(dir, ...args);
  if (run.status !== 0) throw new Error(`canon ${args.join(' ')}: ${run.stderr}`);
}

function rows(text: string, prefix: string): string[] {
  return text.split('\n').filter((l) => l.startsWith(`| ${prefix}`));
}

beforeAll(async () => {
  canonScript = await buildExtraCli();
}, 60_000);

describe('canon merge as git merge driver', () => {
  it('git-setup registers the driver: quoted node and canon, the canonical notes in .gitattributes', () => {
    const { a } = twoClones();
    const driver = ok(a, 'config', '--local', 'merge.canon.driver').trim();
    expect(driver).toBe(`'${process.execPath}' '${canonScript}' merge --marker-size %L %O %A %B %P`);
    const attributes = readFileSync(join(a, '.gitattributes'), 'utf8');
    expect(attributes).toContain(`/${CC} merge=canon\n`);
    expect(attributes).toContain(`/${EV} merge=canon\n`);
    expect(ok(a, 'check-attr', 'merge', '--', CC).trim()).toBe(`${CC}: merge: canon`);
    expect(ok(a, 'check-attr', 'merge', '--', 'notes/Handoff timeout postmortem.md').trim()).toMatch(/merge: unspecified$/);
    const again = canon(a, 'git-setup');
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/already set up .*nothing changed/);
  });

  it('two clones append windows, decisions and lessons with colliding ids: the pull merges with no conflict, every row once, check clean', () => {
    const { a, b } = twoClones();
    // Ana: a decision that supersedes D-5, a window whose Notes name it, a lesson, a status row naming both.
    add(a, 'decision', { ID: 'D-6', Date: '2026-11-17', Decision: 'Promote to 35 % after the week at 25 %.', Rationale: 'Seven clean windows.', Owner: 'Ana', Status: 'accepted', Supersedes: 'D-5' });
    add(a, 'evidence', { Start: '2026-11-17 09:00', End: '2026-11-17 17:00', Traffic: '25%', Missions: '180', Fallbacks: '6', p95: '630', Events: 'vp.mission.failed=0', Decision: 'hold', Notes: 'Held per D-6 until the review.' });
    add(a, 'lesson', { Date: '2026-11-17', Lesson: 'Ana: the review needs a full week of windows.' });
    add(a, 'status', { Date: '2026-11-17 18:00', Change: 'Ana: promotion decided', Summary: 'W-11 clean; decision recorded.', Gates: 'G4', Evidence: 'D-6, W-11' });
    ok(a, 'commit', '-q', '-am', 'Ana: D-6, W-11');
    ok(a, 'push', '-q');
    // Bo, meanwhile: his own D-6, W-11 (a day earlier) and lesson.
    add(b, 'decision', { ID: 'D-6', Date: '2026-11-16', Decision: 'Keep the fallback path until Phase B.', Rationale: 'Continuity sample still short.', Owner: 'Bo', Status: 'proposed' });
    add(b, 'evidence', { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '175', Fallbacks: '5', p95: '640', Events: 'vp.mission.failed=0', Decision: 'hold', Notes: 'Bo: steady window.' });
    add(b, 'lesson', { Date: '2026-11-16', Lesson: 'Bo: warm-up holds across deploys.' });
    add(b, 'status', { Date: '2026-11-16 18:00', Change: 'Bo: window captured', Summary: 'W-11 steady.', Gates: 'G3', Evidence: 'W-11' });
    ok(b, 'commit', '-q', '-am', 'Bo: D-6, W-11');

    const pull = git(b, 'pull', '-q', 'origin', 'main');
    expect(pull.status, pull.stderr).toBe(0);
    expect(git(b, 'status', '--porcelain').stdout).toBe('');
    const cc = readFileSync(join(b, CC), 'utf8');
    const ev = readFileSync(join(b, EV), 'utf8');
    expect(cc).not.toContain('<<<<<<<');
    expect(rows(cc, 'D-')).toHaveLength(7);
    expect(rows(cc, 'D-6 ')[0]).toContain('Keep the fallback path until Phase B.');
    expect(rows(cc, 'D-7 ')[0]).toContain('Promote to 35 %');
    expect(rows(cc, 'D-7 ')[0]).toMatch(/\| D-5 \|$/);
    expect(rows(cc, 'D-5 ')[0]).toContain('| superseded |');
    expect(rows(ev, 'W-11 ')[0]).toContain('Bo: steady window.');
    // Ana's window, renumbered, names Ana's decision by its new id (merged in the other note).
    expect(rows(ev, 'W-12 ')[0]).toContain('Held per D-7 until the review.');
    // Every mention of Ana's ids in her rows follows them, text cells too.
    expect(cc).toContain('| Ana: promotion decided | W-12 clean; decision recorded. | G4 | D-7, W-12 |');
    expect(cc).toContain('| Bo: window captured | W-11 steady. | G3 | W-11 |');
    for (const lesson of ['Ana: the review needs a full week of windows.', 'Bo: warm-up holds across deploys.']) expect(cc.split(lesson)).toHaveLength(2);
    const check = canon(b, 'check', '--vault', b, '--format', 'json');
    const report = JSON.parse(check.stdout) as { counts: Record<string, number>; diagnostics: unknown[] };
    expect(report.counts, JSON.stringify(report.diagnostics, null, 1)).toMatchObject({ error: 0, warning: 0 });
    expect(check.status).toBe(0);

    // Bo pushes the merge; Ana pulls it (a fast-forward) and has every row once too.
    ok(b, 'push', '-q');
    ok(a, 'pull', '-q');
    expect(readFileSync(join(a, CC), 'utf8')).toBe(cc);
    expect(readFileSync(join(a, EV), 'utf8')).toBe(ev);
  });

  it('pull --rebase replays the local rows after the upstream ones, renumbered the same way', () => {
    const { a, b } = twoClones();
    add(a, 'decision', { ID: 'D-6', Date: '2026-11-16', Decision: 'Ana decides first.', Rationale: 'Because.', Owner: 'Ana', Status: 'proposed' });
    ok(a, 'commit', '-q', '-am', 'Ana: D-6');
    ok(a, 'push', '-q');
    add(b, 'decision', { ID: 'D-6', Date: '2026-11-17', Decision: 'Bo decides second.', Rationale: 'Because.', Owner: 'Bo', Status: 'proposed' });
    add(b, 'status', { Date: '2026-11-17 18:00', Change: 'Bo: decision', Summary: 'Recorded.', Gates: 'G4', Evidence: 'D-6' });
    ok(b, 'commit', '-q', '-am', 'Bo: D-6');
    const pull = git(b, 'pull', '-q', '--rebase', 'origin', 'main');
    expect(pull.status, pull.stderr).toBe(0);
    const cc = readFileSync(join(b, CC), 'utf8');
    expect(rows(cc, 'D-6 ')[0]).toContain('Ana decides first.');
    expect(rows(cc, 'D-7 ')[0]).toContain('Bo decides second.');
    expect(cc).toContain('| Bo: decision | Recorded. | G4 | D-7 |');
    expect(canon(b, 'check', '--vault', b).status).toBe(0);
  });

  it('the same row edited on both sides: conflict markers, exit 1, exactly what git writes without the driver', () => {
    const { a, b } = twoClones();
    const edit = (dir: string, owner: string): void => {
      const path = join(dir, CC);
      writeFileSync(path, readFileSync(path, 'utf8').replace('| No broadening without explicit rollback conditions, owners and responses. | Mara |', `| No broadening without explicit rollback conditions, owners and responses. | ${owner} |`));
    };
    edit(a, 'Ana');
    add(a, 'lesson', { Date: '2026-11-17', Lesson: 'Ana: one more lesson.' });
    ok(a, 'commit', '-q', '-am', 'Ana: D-3 owner');
    ok(a, 'push', '-q');
    edit(b, 'Bo');
    add(b, 'lesson', { Date: '2026-11-16', Lesson: 'Bo: one more lesson.' });
    ok(b, 'commit', '-q', '-am', 'Bo: D-3 owner');
    ok(b, 'config', 'merge.conflictStyle', 'diff3');

    const withDriver = git(b, 'pull', 'origin', 'main');
    expect(withDriver.status).toBe(1);
    expect(withDriver.stdout).toContain(`CONFLICT (content): Merge conflict in ${CC}`);
    const driven = readFileSync(join(b, CC), 'utf8');
    expect(driven).toMatch(/^<<<<<<< HEAD\n[^]*\| Bo \|[^]*\n\|\|\|\|\|\|\| [0-9a-f]{7,}\n[^]*\| Mara \|[^]*\n=======\n[^]*\| Ana \|[^]*\n>>>>>>> [^\n]+$/m);
    ok(b, 'merge', '--abort');

    // The same pull with git's own text merge for every file.
    writeFileSync(join(b, '.git/info/attributes'), '* merge=text\n');
    const without = git(b, 'pull', 'origin', 'main');
    expect(without.status).toBe(1);
    expect(readFileSync(join(b, CC), 'utf8')).toBe(driven);
  });

  it('a note that is not canonical merges as git merges it, conflict and all', () => {
    const { a, b } = twoClones();
    // A .gitattributes line of the user's own, outside Canon's block, sends every note to the driver.
    const attributes = join(a, '.gitattributes');
    writeFileSync(attributes, `${readFileSync(attributes, 'utf8')}notes/*.md merge=canon\n`);
    ok(a, 'commit', '-q', '-am', 'All notes through canon');
    ok(a, 'push', '-q');
    ok(b, 'pull', '-q');
    const note = 'notes/Handoff timeout postmortem.md';
    const change = (dir: string, text: string): void => {
      const path = join(dir, note);
      const lines = readFileSync(path, 'utf8').split('\n');
      lines.splice(3, 1, text);
      writeFileSync(path, `${lines.join('\n')}\n| W-20 | appended by ${text} |\n`);
    };
    change(a, 'Ana wrote this line.');
    ok(a, 'commit', '-q', '-am', 'Ana: postmortem');
    ok(a, 'push', '-q');
    change(b, 'Bo wrote this line.');
    ok(b, 'commit', '-q', '-am', 'Bo: postmortem');

    const withDriver = git(b, 'pull', 'origin', 'main');
    const driven = readFileSync(join(b, note), 'utf8');
    ok(b, 'merge', '--abort');
    writeFileSync(join(b, '.git/info/attributes'), '* merge=text\n');
    const without = git(b, 'pull', 'origin', 'main');
    expect(withDriver.status).toBe(without.status);
    expect(withDriver.status).toBe(1);
    expect(readFileSync(join(b, note), 'utf8')).toBe(driven);
    expect(driven).toContain('<<<<<<< HEAD');
  });

  it('git-setup outside a git repository: exit 2 and a clear message', () => {
    const dir = tempDir('canon-nogit-');
    cpSync(EXAMPLE_VAULT, dir, { recursive: true, filter: (src) => !src.includes('.obsidian') });
    const run = canon(dir, 'git-setup', '--vault', dir);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^canon git-setup: `.*` is not inside a git repository; expected a vault in a git working tree/);
  });
});
