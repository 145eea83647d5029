// `canon git-setup`: Canon's block in .gitattributes, the patterns for odd names, idempotence, a vault
// in a subfolder of the repository (and the driver merging there), --dry-run and JSON.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { attributePattern, withBlock } from '../../src/cli/commands/git-setup';
import { buildExtraCli, runExtra } from '../helpers/extra-commands';
import { EXAMPLE_VAULT, tempDir } from '../helpers/run-cli';

const ENV = { GIT_EDITOR: 'true', GIT_MERGE_AUTOEDIT: 'no', GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
const CC = '00_DraganCorp_Program_Control_Center.md';
const D5 = '| D-5 | 2026-11-13 | Hold at 25 % for one week before proposing Phase B. | A longer continuity sample is needed before the fallback path is retired (P-6). | Dragan | proposed | |';

let script = '';
beforeAll(async () => {
  script = await buildExtraCli();
}, 60_000);

function git(cwd: string, ...args: string[]): string {
  const run = spawnSync('git', args, { cwd, encoding: 'utf8', env: { ...process.env, ...ENV } });
  if (run.status !== 0) throw new Error(`git ${args.join(' ')}: ${run.stderr}`);
  return run.stdout;
}

describe('.gitattributes', () => {
  it('patterns match one path: anchored, glob characters escaped, a path with spaces quoted', () => {
    expect(attributePattern('00_Control.md')).toBe('/00_Control.md');
    expect(attributePattern('#00_x[2]*.md')).toBe('/#00_x\\[2\\]\\*.md');
    expect(attributePattern('team vault/00 Control [v2].md')).toBe('"/team vault/00 Control \\\\[v2\\\\].md"');
  });

  it('git reads each pattern as the one path', () => {
    const repo = tempDir('canon-attr-');
    git(repo, 'init', '-q');
    const paths = ['team vault/00 Control [v2].md', 'a*b?.md', 'plain.md'];
    writeFileSync(join(repo, '.gitattributes'), paths.map((p) => `${attributePattern(p)} merge=canon\n`).join(''));
    for (const p of paths) expect(git(repo, 'check-attr', 'merge', '--', p).trim()).toBe(`${p}: merge: canon`);
    expect(git(repo, 'check-attr', 'merge', '--', 'axxb1.md').trim()).toBe('axxb1.md: merge: unspecified');
  });

  it('Canon\'s block replaces itself and leaves every other line as it was', () => {
    const first = withBlock('*.png binary\n', ['/a.md merge=canon']);
    expect(first).toBe('*.png binary\n\n# >>> canon git-setup: the canonical notes merge with `canon merge` (edit outside this block) >>>\n/a.md merge=canon\n# <<< canon git-setup <<<\n');
    const second = withBlock(`${first}*.pdf binary\n`, ['/b.md merge=canon']);
    expect(second).toBe('*.png binary\n\n# >>> canon git-setup: the canonical notes merge with `canon merge` (edit outside this block) >>>\n/b.md merge=canon\n# <<< canon git-setup <<<\n*.pdf binary\n');
    expect(withBlock(second, ['/b.md merge=canon'])).toBe(second);
    expect(withBlock('x\r\n', ['/a.md merge=canon'])).toMatch(/^x\r\n\r\n# >>> .*\r\n\/a\.md merge=canon\r\n# <<< canon git-setup <<<\r\n$/);
  });
});

describe('canon git-setup', () => {
  it('a vault in a subfolder: patterns from the repository top, the driver told where the vault is, and merging works', () => {
    const repo = tempDir('canon-git-sub-');
    const vault = join(repo, 'team vault');
    mkdirSync(vault);
    cpSync(EXAMPLE_VAULT, vault, { recursive: true, filter: (src) => !src.includes('.obsidian') });
    git(repo, 'init', '-q', '-b', 'main');
    git(repo, 'config', 'user.name', 'T');
    git(repo, 'config', 'user.email', 't@example.com');
    const dry = runExtra(script, ['git-setup', '--vault', vault, '--dry-run', '--format', 'json'], { env: ENV });
    expect(dry.status).toBe(0);
    const planned = JSON.parse(dry.stdout) as { attributes: string[]; driver: string; changed: string[]; dryRun: boolean };
    expect(planned.attributes[0]).toBe(`"/team vault/${CC}" merge=canon`);
    expect(planned.driver).toBe(`'${process.execPath}' '${script}' merge --vault 'team vault' --marker-size %L %O %A %B %P`);
    expect(planned.changed).toHaveLength(3);
    expect(spawnSync('git', ['config', '--local', 'merge.canon.driver'], { cwd: repo }).status).toBe(1);

    const run = runExtra(script, ['git-setup', '--vault', vault], { env: ENV });
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Set up `canon merge` for 5 canonical notes in /);
    expect(git(repo, 'check-attr', 'merge', '--', `team vault/${CC}`).trim()).toBe(`team vault/${CC}: merge: canon`);
    git(repo, 'add', '-A');
    git(repo, 'commit', '-q', '-m', 'stack');
    git(repo, 'checkout', '-q', '-b', 'other');
    const path = join(vault, CC);
    const text = readFileSync(path, 'utf8');
    writeFileSync(path, text.replace(D5, `${D5}\n| D-6 | 2026-11-14 | Theirs. | Because. | Ivo | proposed | |`));
    git(repo, 'commit', '-q', '-am', 'theirs');
    git(repo, 'checkout', '-q', 'main');
    writeFileSync(path, text.replace(D5, `${D5}\n| D-6 | 2026-11-14 | Ours. | Because. | Ivo | proposed | |`));
    git(repo, 'commit', '-q', '-am', 'ours');
    const merge = spawnSync('git', ['merge', 'other'], { cwd: repo, encoding: 'utf8', env: { ...process.env, ...ENV } });
    expect(merge.status, merge.stderr).toBe(0);
    expect(merge.stderr).toContain(`canon merge: team vault/${CC}: merged row by row — Decision Log: ours' 1 new row, then theirs' 1 (D-6 → D-7)`);
    expect(readFileSync(path, 'utf8')).toBe(text.replace(D5, `${D5}\n| D-6 | 2026-11-14 | Ours. | Because. | Ivo | proposed | |\n| D-7 | 2026-11-14 | Theirs. | Because. | Ivo | proposed | |`));
  });
});
