// The stale-build check (fresh-build.ts) on a throwaway copy of the build's layout, never the real
// sources: a build newer than everything it is built from passes; one older than a source, a nested
// source, package.json or esbuild.config.mjs is refused, naming that file; a missing one is refused.
import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CLI_BUILD, PLUGIN_BUILD, requireFreshBuild, staleBuild } from './fresh-build';

const T0 = new Date('2026-11-24T14:00:00Z');
const minutes = (n: number): Date => new Date(T0.getTime() + n * 60_000);

/** A repository-like folder with each file at its time (minutes after T0). */
function tree(files: Record<string, number>): string {
  const root = mkdtempSync(join(tmpdir(), 'canon-fresh-'));
  for (const [path, at] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), '');
    utimesSync(join(root, path), minutes(at), minutes(at));
  }
  return root;
}

const SOURCES = { 'src/core/index.ts': 0, 'src/core/markdown/parse-note.ts': 0, 'src/cli/main.ts': 0, 'src/plugin/main.ts': 0, 'package.json': 0, 'esbuild.config.mjs': 0 };

describe('requireFreshBuild', () => {
  it('passes a build newer than every file it is built from', () => {
    const root = tree({ ...SOURCES, 'dist/cli.mjs': 5, 'main.js': 5 });
    expect(staleBuild(CLI_BUILD, root)).toBeNull();
    expect(() => requireFreshBuild(PLUGIN_BUILD, root)).not.toThrow();
  });

  it('refuses dist/cli.mjs older than a nested core source, naming it and both times', () => {
    const root = tree({ ...SOURCES, 'src/core/markdown/parse-note.ts': 10, 'dist/cli.mjs': 5 });
    expect(() => requireFreshBuild(CLI_BUILD, root)).toThrow(
      'dist/cli.mjs is older than src/core/markdown/parse-note.ts (built 2026-11-24 14:05:00 UTC, changed 2026-11-24 14:10:00 UTC): run `npm run build`',
    );
  });

  it('refuses a build older than package.json or esbuild.config.mjs', () => {
    expect(staleBuild(CLI_BUILD, tree({ ...SOURCES, 'package.json': 10, 'dist/cli.mjs': 5 }))).toMatch(/^dist\/cli\.mjs is older than package\.json /);
    expect(staleBuild(PLUGIN_BUILD, tree({ ...SOURCES, 'esbuild.config.mjs': 10, 'main.js': 5 }))).toMatch(/^main\.js is older than esbuild\.config\.mjs /);
  });

  it('judges each bundle by its own sources: a CLI change leaves main.js fresh, a plugin change dist/cli.mjs', () => {
    const cliChanged = tree({ ...SOURCES, 'src/cli/main.ts': 10, 'dist/cli.mjs': 5, 'main.js': 5 });
    expect(staleBuild(PLUGIN_BUILD, cliChanged)).toBeNull();
    expect(staleBuild(CLI_BUILD, cliChanged)).toMatch(/older than src\/cli\/main\.ts/);
    const pluginChanged = tree({ ...SOURCES, 'src/plugin/main.ts': 10, 'dist/cli.mjs': 5, 'main.js': 5 });
    expect(staleBuild(CLI_BUILD, pluginChanged)).toBeNull();
    expect(staleBuild(PLUGIN_BUILD, pluginChanged)).toMatch(/^main\.js is older than src\/plugin\/main\.ts/);
  });

  it('refuses a missing build', () => {
    expect(() => requireFreshBuild(CLI_BUILD, tree(SOURCES))).toThrow('dist/cli.mjs does not exist: run `npm run build`');
  });
});
