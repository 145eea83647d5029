/**
 * Where the CLI may read and write (README "Reliability"): only real files inside the vault. A path
 * whose real location leaves the vault, a symbolic link (folder or note), a FIFO, socket or device, a
 * dot-folder Canon does not scan, a hard-linked or read-only note: each is refused with the reason.
 */
import { closeSync, constants, fstatSync, lstatSync, openSync, readSync, realpathSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import { hiddenPathProblem } from '../core';
import { CannotRun } from './cannot-run';
import { errorCode, fsFailure } from './fs-errors';

/** A special file's kind in words, or null for a regular file or folder. */
export function specialKind(stat: Stats): string | null {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  if (stat.isSymbolicLink()) return 'a symbolic link';
  return null;
}

/** What the vault has at a path that Canon is about to replace or create. */
export interface WriteTarget {
  /** Absolute path. */
  full: string;
  /** The note as it is (null: it does not exist yet). */
  stat: Stats | null;
  /** The real path the note's folder must still have when the write is committed. */
  realDir: string;
}

/**
 * Checks a vault-relative path before a write: no dot-folder, no symbolic link on the way (folders
 * that do not exist yet are fine: they are made as real folders), and for an existing note a regular,
 * writable file with one link. Throws CannotRun naming the path and why.
 */
export function checkWriteTarget(root: string, path: string, mode: 'replace' | 'create'): WriteTarget {
  const hidden = hiddenPathProblem(path);
  if (hidden) throw new CannotRun(`\`${path}\` is not written: it ${hidden}, so Canon could not find it again; expected a path in the vault's visible folders`);
  const parts = path.split('/').filter((p) => p !== '' && p !== '.');
  if (parts.some((p) => p === '..')) throw new CannotRun(`\`${path}\` leaves the vault; expected a path inside it`);
  let realDir: string;
  try {
    realDir = realpathSync(root);
  } catch (error) {
    throw fsFailure('open the vault', root, error);
  }
  let dir = root;
  for (const part of parts.slice(0, -1)) {
    dir = join(dir, part);
    const stat = lstatOrNull(dir, path);
    if (!stat) {
      realDir = join(realDir, part);
      continue;
    }
    if (stat.isSymbolicLink()) throw new CannotRun(`\`${path}\` is not written: its folder \`${relativeTo(root, dir)}\` is a symbolic link, and Canon writes only inside the vault's own folders`);
    if (!stat.isDirectory()) throw new CannotRun(`\`${path}\` is not written: \`${relativeTo(root, dir)}\` is not a folder`);
    realDir = join(realDir, part);
  }
  const full = join(root, ...parts);
  const stat = lstatOrNull(full, path);
  if (stat === null) return { full, stat: null, realDir };
  if (mode === 'create' && !stat.isSymbolicLink()) return { full, stat, realDir };
  const special = stat.isDirectory() ? 'a folder' : specialKind(stat);
  if (special) throw new CannotRun(`\`${path}\` is not written: it is ${special}, not a note${stat.isSymbolicLink() ? '; Canon does not follow links out of place' : ''}`);
  if (stat.nlink > 1) throw new CannotRun(`\`${path}\` is not written: it has ${stat.nlink} hard links, which replacing it would break; make it a plain file first`);
  if ((stat.mode & 0o222) === 0) throw new CannotRun(`\`${path}\` is not written: it is read-only; make it writable first if Canon should change it`);
  return { full, stat, realDir };
}

/**
 * The config's paths as they stand on disk (checked when the config is read, before any command
 * runs): a folder on the way that is a symbolic link or not a folder. Returns `key: message` lines.
 */
export function configPathProblems(root: string, paths: readonly { key: string; path: string; isNote: boolean }[]): string[] {
  const problems: string[] = [];
  for (const { key, path, isNote } of paths) {
    const parts = path.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
    let dir = root;
    for (const [i, part] of parts.entries()) {
      dir = join(dir, part);
      let stat: Stats;
      try {
        stat = lstatSync(dir);
      } catch {
        break;
      }
      const last = i === parts.length - 1;
      const where = last ? `\`${path}\`` : `\`${parts.slice(0, i + 1).join('/')}\` (in \`${path}\`)`;
      if (stat.isSymbolicLink()) problems.push(`${key}: ${where} is a symbolic link; Canon reads and writes only the vault's own folders and notes, so expected a real ${last && isNote ? 'note' : 'folder'} inside the vault`);
      else if (!last || !isNote ? !stat.isDirectory() : !stat.isFile()) problems.push(`${key}: ${where} is not a ${!last || !isNote ? 'folder' : 'note'}`);
      else continue;
      break;
    }
  }
  return problems;
}

/** Fails when the note's folder no longer is where it was checked to be (a folder swapped for a link meanwhile). */
export function recheckFolder(target: WriteTarget, path: string, folder: string): void {
  let real: string;
  try {
    real = realpathSync(folder);
  } catch (error) {
    throw fsFailure('open the folder of', path, error);
  }
  if (real !== target.realDir) throw new CannotRun(`\`${path}\` is not written: its folder now resolves to \`${real}\`, outside the vault's own folders`);
}

function lstatOrNull(full: string, path: string): Stats | null {
  try {
    return lstatSync(full);
  } catch (error) {
    if (errorCode(error) === 'ENOENT') return null;
    throw fsFailure('look at', path, error);
  }
}

function relativeTo(root: string, full: string): string {
  return full.slice(root.length).replace(/^[\\/]+/, '').split(/[\\/]/).join('/');
}

/** A file read without following a symbolic link and without blocking on a FIFO or device. */
export type RegularRead = { ok: true; data: Buffer; stat: Stats } | { ok: false; why: string; code: string | null };

/** A resizable ArrayBuffer (ES2024; Node 20 has them): shrinking one to 0 gives its memory back at once. */
interface Resizable {
  resize?(byteLength: number): void;
  readonly resizable?: boolean;
}
const ResizableBuffer = ArrayBuffer as unknown as new (byteLength: number, options: { maxByteLength: number }) => ArrayBuffer;
const CAN_RELEASE = typeof (ArrayBuffer.prototype as Resizable).resize === 'function';

/** Room for `size` bytes; `releasable`: in a buffer whose memory `releaseBytes` gives back before the collector runs. */
function allocate(size: number, releasable: boolean): Buffer {
  return releasable && CAN_RELEASE && size > 0 ? Buffer.from(new ResizableBuffer(size, { maxByteLength: size }), 0, size) : Buffer.alloc(size);
}

/**
 * Gives back the memory of bytes read with `releasable` (they read as empty afterwards): a 12 MB note's
 * bytes are garbage once decoded, but would stay resident beside the text until the next full
 * collection, which a short run may never reach.
 */
export function releaseBytes(data: Buffer): void {
  const buffer = data.buffer as ArrayBuffer & Resizable;
  if (buffer.resizable) buffer.resize?.(0);
}

/**
 * Reads a regular file; a link, special file or folder is refused (never opened for reading).
 * `releasable`: the caller calls `releaseBytes(data)` once it is done with them.
 */
export function readRegular(full: string, releasable = false): RegularRead {
  let fd: number;
  try {
    fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
  } catch (error) {
    const code = errorCode(error);
    return { ok: false, why: code === 'ELOOP' ? 'it is a symbolic link, which Canon does not follow' : String(code ?? error), code };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { ok: false, why: `it is ${stat.isDirectory() ? 'a folder' : (specialKind(stat) ?? 'not a regular file')}, not a file Canon reads`, code: null };
    const data = allocate(stat.size, releasable);
    let at = 0;
    while (at < data.length) {
      const n = readSync(fd, data, at, data.length - at, at);
      if (n === 0) break;
      at += n;
    }
    return { ok: true, data: at === data.length ? data : data.subarray(0, at), stat };
  } catch (error) {
    return { ok: false, why: String(errorCode(error) ?? error), code: errorCode(error) };
  } finally {
    closeSync(fd);
  }
}
