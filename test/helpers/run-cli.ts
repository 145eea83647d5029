import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO = join(import.meta.dirname, '../..');
export const EXAMPLE_VAULT = join(REPO, 'example-vault');

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `canon` bin (bin/canon.mjs → dist/cli.mjs) as a user would. */
export function canon(args: string[], options: { cwd?: string; timeout?: number } = {}): CliRun {
  const result = spawnSync(process.execPath, [join(REPO, 'bin/canon.mjs'), ...args], {
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
