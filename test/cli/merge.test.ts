// `canon merge` run as a process: the driver on three files, and --copy on a vault with a conflict copy.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExtraCli, runExtra } from '../helpers/extra-commands';
import { copyExampleVault, EXAMPLE_VAULT } from '../helpers/run-cli';

const CC = '00_DraganCorp_Program_Control_Center.md';
const D5 = '| D-5 | 2026-11-13 | Hold at 25 % for one week before proposing Phase B. | A longer continuity sample is needed before the fallback path is retired (P-6). | Dragan | proposed | |';
const cc = readFileSync(join(EXAMPLE_VAULT, CC), 'utf8');
const decision = (id: number, text: string, supersedes = ''): string => `| D-${id} | 2026-11-14 | ${text} | Because. | Ivo | proposed | ${supersedes} |`;

let script = '';
beforeAll(async () => {
  script = await buildExtraCli();
}, 60_000);

/** A vault with three versions of the control center as git hands them to a driver (temporary files at the top). */
function versions(base: string, ours: string, theirs: string): string {
  const dir = copyExampleVault();
  spawnSync('git', ['init', '-q'], { cwd: dir });
  writeFileSync(join(dir, '.merge_file_base'), base);
  writeFileSync(join(dir, '.merge_file_ours'), ours);
  writeFileSync(join(dir, '.merge_file_theirs'), theirs);
  return dir;
}

function gitMergeFile(dir: string, ...labels: string[]): { status: number | null; stdout: string } {
  const run = spawnSync('git', ['merge-file', '-p', ...labels.flatMap((l) => ['-L', l]), '.merge_file_ours', '.merge_file_base', '.merge_file_theirs'], { cwd: dir, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout };
}

describe('canon merge BASE OURS THEIRS PATH (the driver)', () => {
  it('merges rows both sides appended, writes OURS, exits 0 and says what it did on stderr', () => {
    const dir = versions(cc, cc.replace(D5, `${D5}\n${decision(6, 'Ours.')}`), cc.replace(D5, `${D5}\n${decision(6, 'Theirs.')}\n${decision(7, 'Theirs too.', 'D-6')}`));
    const run = runExtra(script, ['merge', '.merge_file_base', '.merge_file_ours', '.merge_file_theirs', CC], { cwd: dir });
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(`canon merge: ${CC}: merged row by row — Decision Log: ours' 1 new row, then theirs' 2 (D-6 → D-7, D-7 → D-8); 1 reference renumbered\n`);
    expect(readFileSync(join(dir, '.merge_file_ours'), 'utf8')).toBe(cc.replace(D5, `${D5}\n${decision(6, 'Ours.')}\n${decision(7, 'Theirs.')}\n${decision(8, 'Theirs too.', 'D-7')}`));
  });

  it('without PATH, a note whose frontmatter claims a role is merged as that role\'s note', () => {
    const dir = versions(cc, cc.replace(D5, `${D5}\n${decision(6, 'Ours.')}`), cc.replace(D5, `${D5}\n${decision(6, 'Theirs.')}`));
    const run = runExtra(script, ['merge', '.merge_file_base', '.merge_file_ours', '.merge_file_theirs'], { cwd: dir });
    expect(run.status).toBe(0);
    expect(readFileSync(join(dir, '.merge_file_ours'), 'utf8')).toBe(cc.replace(D5, `${D5}\n${decision(6, 'Ours.')}\n${decision(7, 'Theirs.')}`));
  });

  it('any other overlap: exactly git merge-file\'s result and exit status, with the labels given', () => {
    const ours = cc.replace('| Mara | accepted |', '| Ana | accepted |');
    const theirs = cc.replace('| Mara | accepted |', '| Bo | accepted |');
    const dir = versions(cc, ours, theirs);
    const expected = gitMergeFile(dir, 'HEAD', 'base', 'other');
    const run = runExtra(script, ['merge', '-L', 'HEAD', '-L', 'base', '-L', 'other', '.merge_file_base', '.merge_file_ours', '.merge_file_theirs', CC], { cwd: dir });
    expect(run.status).toBe(1);
    expect(expected.status).toBe(1);
    expect(readFileSync(join(dir, '.merge_file_ours'), 'utf8')).toBe(expected.stdout);
    expect(expected.stdout).toContain('<<<<<<< HEAD\n');
    expect(run.stderr).toMatch(/1 conflict left with markers, as git would leave it/);
  });

  it('a note that is not canonical: git\'s merge, even when both sides appended table rows', () => {
    const note = '| a | b |\n| --- | --- |\n| 1 | x |\n';
    const dir = versions(note, `${note}| 2 | ours |\n`, `${note}| 2 | theirs |\n`);
    const expected = gitMergeFile(dir, 'ours', 'base', 'theirs');
    const run = runExtra(script, ['merge', '.merge_file_base', '.merge_file_ours', '.merge_file_theirs', 'notes/table.md'], { cwd: dir });
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, '.merge_file_ours'), 'utf8')).toBe(expected.stdout);
  });

  it('a conflict marker size from git (%L)', () => {
    const dir = versions(cc, cc.replace('| Mara | accepted |', '| Ana | accepted |'), cc.replace('| Mara | accepted |', '| Bo | accepted |'));
    const run = runExtra(script, ['merge', '--marker-size', '9', '.merge_file_base', '.merge_file_ours', '.merge_file_theirs', CC], { cwd: dir });
    expect(run.status).toBe(1);
    expect(readFileSync(join(dir, '.merge_file_ours'), 'utf8')).toMatch(/^<{9} ours$/m);
  });

  it('exit 2 on wrong arguments, with one line', () => {
    const run = runExtra(script, ['merge', 'only-one']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe("canon merge: expected BASE OURS THEIRS [PATH] (git's %O %A %B %P), got 1 argument; see `canon merge --help`\n");
  });
});

describe('canon merge --copy', () => {
  const COPY = '00_DraganCorp_Program_Control_Center (Conflicted copy Laptop 202611141015).md';

  function vaultWithCopy(note: string, copy: string): string {
    const dir = copyExampleVault();
    writeFileSync(join(dir, CC), note);
    writeFileSync(join(dir, COPY), copy);
    return dir;
  }

  it('check warns about the copy; --copy folds its rows, renumbered, and removes it; check is clean after', () => {
    const dir = vaultWithCopy(cc.replace(D5, `${D5}\n${decision(6, 'Ours.')}`), cc.replace(D5, `${D5.replace('| proposed |', '| superseded |')}\n${decision(6, 'From the copy.', 'D-5')}`));
    const before = runExtra(script, ['check', '--vault', dir, '--format', 'json']);
    expect((JSON.parse(before.stdout) as { diagnostics: { rule: string }[] }).diagnostics.map((d) => d.rule)).toEqual(['doc/conflict-copy']);
    const run = runExtra(script, ['merge', '--copy', COPY, '--vault', dir]);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe([
      `Folded \`${COPY}\` into the control center \`${CC}\`: 1 row`,
      '  Decision Log: 1 row added, renumbered D-6 → D-7',
      `  ${CC}:57 (Decision Log)`,
      `  also changed D-5 (${CC}:55) Status: proposed → superseded`,
      `Removed \`${COPY}\`: nothing is left in it.`,
      '',
    ].join('\n'));
    expect(existsSync(join(dir, COPY))).toBe(false);
    expect(readFileSync(join(dir, CC), 'utf8')).toBe(cc.replace(D5, `${D5.replace('| proposed |', '| superseded |')}\n${decision(6, 'Ours.')}\n${decision(7, 'From the copy.', 'D-5')}`));
    expect(runExtra(script, ['check', '--vault', dir]).status).toBe(0);
  });

  it('--dry-run changes nothing; a copy with more than rows is folded and kept, saying why', () => {
    const copy = cc.replace(D5, `${D5}\n${decision(6, 'From the copy.')}`).replace('Program status, decisions', 'Program status and decisions');
    const dir = vaultWithCopy(cc, copy);
    const dry = runExtra(script, ['merge', '--copy', join(dir, COPY), '--vault', dir, '--dry-run', '--format', 'json']);
    expect(dry.status).toBe(0);
    expect(JSON.parse(dry.stdout)).toMatchObject({ copy: COPY, note: CC, folded: true, removed: false, dryRun: true, tables: [{ section: 'Decision Log', added: 1, renumbered: [] }] });
    expect(readFileSync(join(dir, CC), 'utf8')).toBe(cc);
    const run = runExtra(script, ['merge', '--copy', COPY, '--vault', dir]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('The copy was kept: it still holds what the note does not:\n  the copy\'s text outside the tables differs from the note\'s (from line 12:');
    expect(existsSync(join(dir, COPY))).toBe(true);
    expect(readFileSync(join(dir, CC), 'utf8')).toBe(cc.replace(D5, `${D5}\n${decision(6, 'From the copy.')}`));
    // Folded once: a second run adds nothing.
    const again = runExtra(script, ['merge', '--copy', COPY, '--vault', dir]);
    expect(again.stdout).toMatch(/^Folded .*: no rows it lacks$/m);
  });

  it('a note that is not a conflict copy, or no such note: exit 2', () => {
    const dir = copyExampleVault();
    const not = runExtra(script, ['merge', '--copy', CC, '--vault', dir]);
    expect(not.status).toBe(2);
    expect(not.stderr).toMatch(/^canon merge: `00_DraganCorp_Program_Control_Center\.md` is not a conflict copy of a canonical note/);
    const none = runExtra(script, ['merge', '--copy', 'missing.md', '--vault', dir]);
    expect(none.status).toBe(2);
    expect(none.stderr).toMatch(/^canon merge: `missing\.md` is not a note of the vault/);
  });
});
