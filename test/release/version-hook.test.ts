import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, REPO, tempDir } from '../helpers/run-cli';

const readJson = (path: string): Record<string, unknown> => JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
const PACKAGE = readJson(join(REPO, 'package.json')) as { version: string; scripts: Record<string, string> };
const MANIFEST = readJson(join(REPO, 'manifest.json')) as { version: string; minAppVersion: string };

function run(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): SpawnSyncReturns<string> {
  const result = spawnSync(command, args, { cwd, encoding: 'utf8', timeout: 60_000, env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  return result;
}

/**
 * A git repository holding what `npm version` touches, copied from this one: package.json (its
 * version and scripts), .npmrc, manifest.json, versions.json and scripts/version.mjs.
 */
function releaseCopy(): string {
  const dir = tempDir('canon-version-');
  mkdirSync(join(dir, 'scripts'));
  for (const file of ['.npmrc', 'manifest.json', 'versions.json', 'scripts/version.mjs']) copyFileSync(join(REPO, file), join(dir, file));
  writeFileSync(join(dir, 'package.json'), `${JSON.stringify({ name: 'canon', version: PACKAGE.version, private: true, type: 'module', scripts: { version: PACKAGE.scripts.version } }, null, 2)}\n`);
  const git = (...args: string[]): void => {
    expect(run('git', ['-c', 'user.name=Canon test', '-c', 'user.email=test@canon.invalid', '-c', 'commit.gpgsign=false', ...args], dir).status).toBe(0);
  };
  git('init', '-q');
  git('add', '.');
  git('commit', '-q', '-m', 'start');
  return dir;
}

const GIT_IDENTITY = { GIT_AUTHOR_NAME: 'Canon test', GIT_AUTHOR_EMAIL: 'test@canon.invalid', GIT_COMMITTER_NAME: 'Canon test', GIT_COMMITTER_EMAIL: 'test@canon.invalid' };

describe('npm version keeps manifest.json and versions.json in step', () => {
  it('package.json, manifest.json and versions.json agree now', () => {
    expect(MANIFEST.version).toBe(PACKAGE.version);
    expect(readJson(join(REPO, 'versions.json'))[PACKAGE.version]).toBe(MANIFEST.minAppVersion);
    expect(PACKAGE.scripts.version).toBe('node scripts/version.mjs && git add manifest.json versions.json');
  });

  it('`npm version minor` writes the new version into both files, commits them with package.json and tags it without a v', () => {
    const dir = releaseCopy();
    const bump = run('npm', ['version', 'minor'], dir, GIT_IDENTITY);
    expect(bump.stderr).not.toMatch(/npm error/);
    expect(bump.status).toBe(0);
    const [major = 0, minor = 0] = PACKAGE.version.split('.').map(Number);
    const next = `${major}.${minor + 1}.0`;
    expect(readJson(join(dir, 'package.json')).version).toBe(next);
    expect(readJson(join(dir, 'manifest.json'))).toEqual({ ...MANIFEST, version: next });
    expect(readJson(join(dir, 'versions.json'))).toEqual({ ...readJson(join(REPO, 'versions.json')), [next]: MANIFEST.minAppVersion });
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(`${JSON.stringify({ ...MANIFEST, version: next }, null, 2)}\n`);
    // One commit with the three files, tagged exactly as manifest.json's version (Obsidian's release lookup).
    expect(run('git', ['show', '--name-only', '--format=%s', 'HEAD'], dir).stdout.trim().split('\n').filter(Boolean)).toEqual([next, 'manifest.json', 'package.json', 'versions.json']);
    expect(run('git', ['tag', '--points-at', 'HEAD'], dir).stdout.trim()).toBe(next);
    expect(run('git', ['status', '--porcelain'], dir).stdout).toBe('');
  });

  it('refuses a pre-release version (Obsidian reads x.y.z), changing nothing', () => {
    const dir = releaseCopy();
    const before = readFileSync(join(dir, 'manifest.json'), 'utf8');
    const script = run(process.execPath, ['scripts/version.mjs'], dir, { npm_package_version: '1.0.0-beta.1' });
    expect(script.status).toBe(1);
    expect(script.stderr).toContain('`1.0.0-beta.1` is not a plugin version; expected x.y.z');
    expect(readFileSync(join(dir, 'manifest.json'), 'utf8')).toBe(before);
  });

  it('run by hand, it syncs the two files to package.json\'s version', () => {
    const dir = releaseCopy();
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'canon', version: '3.4.5' }));
    const env = { ...process.env };
    delete env.npm_package_version;
    const script = spawnSync(process.execPath, ['scripts/version.mjs'], { cwd: dir, encoding: 'utf8', env });
    expect(script.status).toBe(0);
    expect(readJson(join(dir, 'manifest.json')).version).toBe('3.4.5');
    expect(readJson(join(dir, 'versions.json'))['3.4.5']).toBe(MANIFEST.minAppVersion);
  });

  it('the built CLI reports package.json\'s version', () => {
    expect(canon(['--version']).stdout.trim()).toBe(PACKAGE.version);
  });
});
