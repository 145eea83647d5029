import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CLI_BUILD, requireFreshBuild } from './fresh-build';

export const REPO = join(import.meta.dirname, '../..');
export const EXAMPLE_VAULT = join(REPO, 'example-vault');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

let checked = false;

/**
 * The path of the `canon` bin (bin/canon.mjs → dist/cli.mjs), for a test that spawns it itself.
 * Throws when dist/cli.mjs is missing or older than its sources (fresh-build.ts); checked once per test file.
 */
export function canonBin(): string {
  if (!checked) requireFreshBuild(CLI_BUILD);
  checked = true;
  return join(REPO, 'bin/canon.mjs');
}

/** Runs the built `canon` bin (bin/canon.mjs → dist/cli.mjs) as a user would; refuses a stale build (`canonBin`). */
export function canon(args: string[], options: { cwd?: string; timeout?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [canonBin(), ...args], {
    cwd: options.cwd ?? REPO,
    encoding: 'utf8',
    timeout: options.timeout ?? 60_000,
    env: { ...process.env, NO_COLOR: '1' },
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder. */
export function tempDir(prefix = 'canon-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/** A writable copy of the example vault. */
export function copyExampleVault(): string {
  const dir = tempDir('canon-vault-');
  cpSync(EXAMPLE_VAULT, dir, { recursive: true, filter: (src) => !src.includes('.obsidian') });
  return dir;
}
