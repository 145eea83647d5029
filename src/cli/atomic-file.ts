/**
 * Writes that are all or nothing (git's `index.lock` discipline): the new bytes go to a temporary
 * file created exclusively (`O_EXCL`, so never through a planted link) under a random name in the
 * note's own folder, are flushed, take the note's mode and owner, and replace the note in one rename.
 * A new note is linked into place, which fails rather than overwrite. On any failure the temporary
 * file is removed and the note is as it was.
 *
 * Why not write-file-atomic: it names the temporary file from the process id (predictable), opens
 * it without O_EXCL (a planted symlink is followed) and follows a symlinked target to its real path.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fchmodSync, fchownSync, fsyncSync, linkSync, openSync, renameSync, unlinkSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { errorCode } from './fs-errors';

/** The step of a write that failed, with the file-system error. */
export class WriteStepError extends Error {
  constructor(readonly step: string, override readonly cause: unknown) {
    super(`${step}: ${cause instanceof Error ? cause.message : String(cause)}`);
  }
}

/** Replaces `full` with `data` in one rename, keeping the old file's mode and (where permitted) owner. */
export function replaceFile(full: string, data: Buffer, old: Stats, beforeRename: () => void = () => undefined): void {
  const temp = writeTemp(full, data, old);
  try {
    beforeRename();
    step('rename the new text into place', full, () => renameSync(temp, full));
  } catch (error) {
    removeQuietly(temp);
    throw error;
  }
}

/** Creates `full` with `data`; returns false (writing nothing) when something is already there. */
export function createFile(full: string, data: Buffer): boolean {
  const temp = writeTemp(full, data, null);
  try {
    step('link the new note into place', full, () => linkSync(temp, full));
    return true;
  } catch (error) {
    if (error instanceof WriteStepError && errorCode(error.cause) === 'EEXIST') return false;
    if (error instanceof WriteStepError && ['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS'].includes(errorCode(error.cause) ?? '')) return createWithoutLink(full, data);
    throw error;
  } finally {
    removeQuietly(temp);
  }
}

/** For file systems without hard links (FAT, some network shares): exclusive create, removed again if the write fails. */
function createWithoutLink(full: string, data: Buffer): boolean {
  let fd: number;
  try {
    fd = openSync(full, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, 0o666);
  } catch (error) {
    if (errorCode(error) === 'EEXIST') return false;
    throw new WriteStepError('create the note', error);
  }
  try {
    writeAll(fd, data, full);
    closeSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(full);
    throw error;
  }
  return true;
}

function writeTemp(full: string, data: Buffer, old: Stats | null): string {
  const temp = join(dirname(full), `.${basename(full)}.canon-${randomBytes(8).toString('hex')}.tmp`);
  // A replacement starts private and takes the note's mode below; a new note gets the usual mode (umask applied).
  const fd = step('create a temporary file beside', full, () => openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW, old ? 0o600 : 0o666));
  try {
    writeAll(fd, data, full);
    if (old) {
      const stat = old;
      step('keep the mode of', full, () => fchmodSync(fd, stat.mode & 0o7777));
      try {
        fchownSync(fd, stat.uid, stat.gid);
      } catch {
        // Only root may give a file away: a note owned by someone else keeps the writer as owner.
      }
    }
    step('flush', full, () => fsyncSync(fd));
    closeSync(fd);
  } catch (error) {
    closeSync(fd);
    removeQuietly(temp);
    throw error;
  }
  return temp;
}

function writeAll(fd: number, data: Buffer, full: string): void {
  let at = 0;
  while (at < data.length) at += step('write', full, () => writeSync(fd, data, at, data.length - at));
}

function step<T>(name: string, full: string, run: () => T): T {
  try {
    injectFault(name.split(' ')[0] ?? name, full);
    return run();
  } catch (error) {
    if (error instanceof WriteStepError) throw error;
    throw new WriteStepError(name, error);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already gone.
  }
}

/**
 * Test hook (as git's GIT_TEST_*): `CANON_TEST_FAULTS="rename:EIO:sessions/,write:ENOSPC"` makes the
 * named step fail with that error code for paths containing the text. Used by the fault-injection
 * tests where a real full disk cannot be made (no root for a small tmpfs).
 */
function injectFault(stepName: string, full: string): void {
  const spec = process.env.CANON_TEST_FAULTS;
  if (!spec) return;
  for (const fault of spec.split(',')) {
    const [name, code, part] = fault.split(':');
    if (name === stepName && code && (part === undefined || full.split('\\').join('/').includes(part))) {
      throw Object.assign(new Error(`${code}: injected fault, ${stepName} '${full}'`), { code });
    }
  }
}
