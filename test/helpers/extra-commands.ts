/**
 * The test-only `canon` of extra-main.ts, bundled the way esbuild.config.mjs bundles dist/cli.mjs, so
 * that tests (and git, as a merge driver) run it as a process.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtinModules } from 'node:module';
import { build } from 'esbuild';
import { REPO, type CliRun } from './run-cli';

/** Bundles test/helpers/extra-cli.ts into a fresh folder; returns the script's path. */
export async function buildExtraCli(): Promise<string> {
  const outfile = join(mkdtempSync(join(tmpdir(), 'canon-extra-')), 'canon.mjs');
  await build({
    entryPoints: [join(REPO, 'test/helpers/extra-cli.ts')],
    bundle: true,
    format: 'esm',
    target: 'node20',
    platform: 'node',
    external: builtinModules.flatMap((m) => [m, `node:${m}`]),
    logLevel: 'error',
    outfile,
    banner: { js: "import { createRequire as canonCreateRequire } from 'node:module'; const require = canonCreateRequire(import.meta.url);" },
  });
  return outfile;
}

/** Runs the bundled entry as a user would run `canon`. */
export function runExtra(script: string, args: string[], options: { cwd?: string; env?: NodeJS.ProcessEnv } = {}): CliRun {
  const result = spawnSync(process.execPath, [script, ...args], {
    cwd: options.cwd ?? REPO,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
