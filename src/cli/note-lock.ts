/**
 * One lock per note for every CLI write (proper-lockfile: an atomic `mkdir` beside the note, kept
 * fresh while held, so it also holds on network and synced folders). Writers queue: a held lock is
 * waited for, up to a bound, with a clear message when the bound is reached; a lock left by a
 * process that died (not refreshed for STALE_MS) is broken, and the user is told.
 */
import { statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import lockfile from 'proper-lockfile';
import { CannotRun } from './cannot-run';
import { errorCode, fsFailure } from './fs-errors';

/** A lock not refreshed for this long belongs to a process that stopped (proper-lockfile refreshes every STALE_MS / 2). */
export const STALE_MS = 15_000;
/** How long a writer waits for a lock by default (CANON_LOCK_TIMEOUT, seconds, overrides). */
const DEFAULT_WAIT_MS = 60_000;

/** The lock folder of a note: hidden, beside it, so Obsidian and the vault scan ignore it. */
export function lockPath(full: string): string {
  return join(dirname(full), `.${basename(full)}.canon.lock`);
}

function waitLimit(): number {
  const given = Number(process.env.CANON_LOCK_TIMEOUT);
  return Number.isFinite(given) && given > 0 ? given * 1000 : DEFAULT_WAIT_MS;
}

const pause = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs `work` holding the locks of the given notes (vault-relative paths; locked in sorted order so
 * two writers of the same pair never deadlock), then releases them, also when `work` throws.
 * `warn` receives the message about a stale lock broken.
 */
export async function withNoteLocks<T>(root: string, paths: readonly string[], warn: (message: string) => void, work: () => T | Promise<T>): Promise<T> {
  const releases: (() => Promise<void>)[] = [];
  try {
    for (const path of [...new Set(paths)].sort()) releases.push(await acquire(root, path, warn));
    return await work();
  } finally {
    for (const release of releases.reverse()) await release().catch(() => undefined);
  }
}

async function acquire(root: string, path: string, warn: (message: string) => void): Promise<() => Promise<void>> {
  const full = join(root, ...path.split('/'));
  const lockDir = lockPath(full);
  const deadline = Date.now() + waitLimit();
  let delay = 5;
  let warned = false;
  for (;;) {
    if (!warned) warned = warnIfStale(lockDir, path, warn);
    try {
      return await lockfile.lock(full, {
        realpath: false,
        lockfilePath: lockDir,
        stale: STALE_MS,
        retries: 0,
        // A lost lock must not crash the process from a timer: the write re-checks the note before its rename.
        onCompromised: () => undefined,
      });
    } catch (error) {
      const code = errorCode(error);
      if (code === 'ENOENT') throw new CannotRun(`cannot lock \`${path}\`: its folder does not exist; nothing was changed`);
      if (code !== 'ELOCKED') throw fsFailure('lock', path, error);
      if (Date.now() >= deadline) {
        throw new CannotRun(`\`${path}\` is locked by another Canon command (lock \`${basename(lockDir)}\`) and stayed locked for ${Math.round(waitLimit() / 1000)} s; nothing was changed. Run the command again; a lock left by a process that stopped is broken after ${STALE_MS / 1000} s`);
      }
      await pause(delay + Math.random() * delay);
      delay = Math.min(delay * 1.5, 100);
    }
  }
}

/** Says so when the lock found is stale (its holder stopped): proper-lockfile breaks it next. */
function warnIfStale(lockDir: string, path: string, warn: (message: string) => void): boolean {
  try {
    const age = Date.now() - statSync(lockDir).mtimeMs;
    if (age <= STALE_MS) return false;
    warn(`warning: breaking a stale lock on \`${path}\`: its holder stopped refreshing it ${Math.round(age / 1000)} s ago (a Canon command that crashed or was killed)`);
    return true;
  } catch {
    return false;
  }
}
