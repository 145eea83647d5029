import { spawnSync } from 'node:child_process';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO, tempDir } from '../helpers/run-cli';

interface Step { name?: string; uses?: string; with?: Record<string, unknown>; env?: Record<string, string>; run?: string }
interface Workflow { on: Record<string, unknown>; permissions: Record<string, string>; jobs: Record<string, { 'runs-on': string; steps: Step[] }> }

const workflow = (name: string): Workflow => parse(readFileSync(join(REPO, '.github/workflows', name), 'utf8')) as Workflow;
const steps = (w: Workflow): Step[] => Object.values(w.jobs)[0]?.steps ?? [];

/** Runs one `run:` block of a workflow with bash (as GitHub runs it: `bash -e {0}`) in `cwd`. */
function runStep(step: Step | undefined, cwd: string, env: Record<string, string>): { status: number | null; stdout: string } {
  if (!step?.run) throw new Error('no such step');
  const result = spawnSync('bash', ['-e', '-c', step.run], { cwd, encoding: 'utf8', env: { ...process.env, ...env } });
  return { status: result.status, stdout: result.stdout };
}

describe('the GitHub workflows', () => {
  it('test.yml: on push and pull request, checkout, Node 20, npm ci, npm test', () => {
    const test = workflow('test.yml');
    expect(Object.keys(test.on).sort()).toEqual(['pull_request', 'push']);
    expect(test.permissions).toEqual({ contents: 'read' });
    expect(steps(test).map((s) => s.uses ?? s.run)).toEqual(['actions/checkout@v5', 'actions/setup-node@v5', 'npm ci', 'npm test']);
    expect(steps(test)[1]?.with).toMatchObject({ 'node-version': 20 });
  });

  it('release.yml: on a tag, builds and releases main.js, manifest.json and styles.css', () => {
    const release = workflow('release.yml');
    expect(release.on).toEqual({ push: { tags: ['*'] } });
    expect(release.permissions).toEqual({ contents: 'write' });
    const runs = steps(release).map((s) => s.run ?? s.uses ?? '');
    expect(runs.indexOf('npm run build')).toBeGreaterThan(runs.indexOf('npm ci'));
    expect(runs.at(-1)).toMatch(/gh release create "\$TAG" .* main\.js manifest\.json styles\.css\n$/);
  });

  it('release.yml refuses a tag that is not the version of manifest.json, package.json and versions.json', () => {
    const check = steps(workflow('release.yml')).find((s) => s.name?.startsWith('The tag is the version'));
    const dir = tempDir('canon-release-');
    for (const file of ['manifest.json', 'package.json', 'versions.json']) copyFileSync(join(REPO, file), join(dir, file));
    const version = (JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8')) as { version: string }).version;
    expect(runStep(check, dir, { TAG: version }).status).toBe(0);
    for (const tag of [`v${version}`, '9.9.9']) {
      const refused = runStep(check, dir, { TAG: tag });
      expect(refused.status).toBe(1);
      expect(refused.stdout).toContain(`::error title=release::tag ${tag} must equal manifest.json's version (${version})`);
    }
  });

  it('release.yml takes the release notes from the tag\'s CHANGELOG section, else none (GitHub then generates them)', () => {
    const notes = steps(workflow('release.yml')).find((s) => s.name === 'Release notes from CHANGELOG.md');
    const dir = tempDir('canon-release-');
    writeFileSync(join(dir, 'CHANGELOG.md'), '# Changelog\n\n## [Unreleased]\n\n- next\n\n## [0.2.0] - 2026-12-03\n\n### Added\n- SARIF\n\n## [0.1.0]\n\n- first\n');
    expect(runStep(notes, dir, { TAG: '0.2.0' }).status).toBe(0);
    expect(readFileSync(join(dir, 'release-notes.md'), 'utf8')).toBe('\n### Added\n- SARIF\n\n');
    runStep(notes, dir, { TAG: '0.3.0' });
    expect(readFileSync(join(dir, 'release-notes.md'), 'utf8')).toBe('');
  });
});
