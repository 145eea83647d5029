import { closeSync, constants, mkdirSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { findFrontmatter, isSkippedFolder, type NoteEntry, parseNote, readClaim, type VaultView } from '../core';
import { createFile, replaceFile, WriteStepError } from './atomic-file';
import { CannotRun } from './cannot-run';
import { fsFailure } from './fs-errors';
import { checkWriteTarget, readRegular, recheckFolder, releaseBytes } from './safe-paths';
import { parseYaml } from './parse-yaml';

/** How deep the vault scan goes; deeper folders are a loop of bind mounts or not a vault. */
const MAX_DEPTH = 64;
const HEAD_BYTES = 4096;
const BOM = '\uFEFF';

/**
 * A note's text as read from disk, and what is needed to write it back byte for byte. A vault opened
 * only to be read (`canon check`) keeps the bytes only of a note that did not decode cleanly: the
 * others' are their text encoded again (a 12 MB note held as bytes beside its text would be a third
 * of a check's memory). A vault opened to write keeps them, to compare without encoding again.
 */
interface ReadNote {
  text: string;
  bom: boolean;
  problem?: string;
  raw?: Buffer;
}

const BOM_BYTES = Buffer.from(BOM, 'utf8');

/** The bytes a note was read from. */
function rawOf(note: ReadNote): Buffer {
  if (note.raw) return note.raw;
  const body = Buffer.from(note.text, 'utf8');
  return note.bom ? Buffer.concat([BOM_BYTES, body]) : body;
}

/** The vault on disk, seen through the core's `VaultView`; reads are cached for one run. */
export class FsVault implements VaultView {
  readonly notes: NoteEntry[];
  readonly parseYaml = parseYaml;
  private readonly cache = new Map<string, ReadNote | null>();
  private readonly headingCache = new Map<string, string[]>();

  constructor(
    readonly root: string,
    /** Keep each note's bytes as read (a command that writes compares them before writing). */
    private readonly keepBytes = true,
  ) {
    this.notes = listNotes(root).map((path) => ({ path, ...frontmatterClaim(join(root, path)) }));
  }

  read(path: string): { text: string; problem?: string } | undefined {
    const note = this.load(path);
    if (!note) return undefined;
    return note.problem === undefined ? { text: note.text } : { text: note.text, problem: note.problem };
  }

  headings(path: string): readonly string[] | undefined {
    let cached = this.headingCache.get(path);
    if (!cached) {
      const note = this.load(path);
      if (!note) return undefined;
      cached = parseNote(note.text).headings.map((h) => h.text);
      this.headingCache.set(path, cached);
    }
    return cached;
  }

  /** Drops what was read of a note, so the next read sees the disk (a write under a lock re-reads). */
  forget(path: string): void {
    this.cache.delete(path);
    this.headingCache.delete(path);
  }

  /** The bytes of a note as last read, or null. */
  bytes(path: string): Buffer | null {
    const note = this.load(path);
    return note ? rawOf(note) : null;
  }

  /**
   * Replaces a note's text (README "Reliability"): refused when the path is not a plain note inside
   * the vault, or when the file changed since it was read (another editor, a sync tool); written to a
   * random temporary file and renamed over the note; read back and compared before it counts.
   */
  write(path: string, text: string): void {
    const before = this.cache.get(path);
    const target = checkWriteTarget(this.root, path, 'replace');
    if (!before || !target.stat) {
      throw new WriteConflict(`\`${path}\` ${before ? 'was removed' : 'was not read'} before Canon could write it; nothing was written, run the command again`);
    }
    const data = Buffer.from((before.bom ? BOM : '') + text, 'utf8');
    const stat = target.stat;
    try {
      replaceFile(target.full, data, stat, () => {
        recheckFolder(target, path, dirname(target.full));
        const now = readRegular(target.full);
        if (!now.ok || !now.data.equals(rawOf(before))) throw new WriteConflict(`\`${path}\` changed while Canon was writing it; nothing was written, run the command again`);
      });
    } catch (error) {
      if (error instanceof WriteConflict || error instanceof CannotRun) throw error;
      if (error instanceof WriteStepError) throw fsFailure(`write (${error.step})`, path, error.cause, 'the note is unchanged');
      throw fsFailure('write', path, error, 'the note is unchanged');
    }
    this.readBack(path, data);
    this.cache.set(path, { text, bom: before.bom, ...(this.keepBytes ? { raw: data } : {}) });
    this.headingCache.delete(path);
  }

  /** Creates a note that does not exist yet (never overwrites, never leaves a partial note). Returns false when something is there. */
  create(path: string, text: string): boolean {
    const target = checkWriteTarget(this.root, path, 'create');
    if (target.stat) return false;
    const data = Buffer.from(text, 'utf8');
    try {
      mkdirSync(dirname(target.full), { recursive: true });
      recheckFolder(target, path, dirname(target.full));
      if (!createFile(target.full, data)) return false;
    } catch (error) {
      if (error instanceof CannotRun) throw error;
      if (error instanceof WriteStepError) throw fsFailure(`create (${error.step})`, path, error.cause, 'no note was created');
      throw fsFailure('create', path, error, 'no note was created');
    }
    this.readBack(path, data);
    this.cache.set(path, { text, bom: false, ...(this.keepBytes ? { raw: data } : {}) });
    return true;
  }

  /** Reads a written note back: what a command reports as written must be on disk. */
  private readBack(path: string, data: Buffer): void {
    const back = readRegular(join(this.root, ...path.split('/')));
    if (!back.ok) throw new CannotRun(`\`${path}\` was written but cannot be read back (${back.why}); check the note`);
    if (!back.data.equals(data)) throw new CannotRun(`\`${path}\` was written but reads back differently (changed by another program at that moment); check the note and run the command again`);
  }

  private load(path: string): ReadNote | null {
    if (this.cache.has(path)) return this.cache.get(path) ?? null;
    // A vault that only reads keeps no bytes: they are given back as soon as they are decoded.
    const read = readRegular(join(this.root, ...path.split('/')), !this.keepBytes);
    const note = read.ok ? decode(read.data, this.keepBytes) : null;
    if (read.ok && !this.keepBytes) releaseBytes(read.data);
    this.cache.set(path, note);
    return note;
  }
}

/** Raised when a note changed under a write. */
export class WriteConflict extends Error {}

function decode(raw: Buffer, keepBytes: boolean): ReadNote {
  const nul = raw.indexOf(0);
  let text: string;
  let problem: string | undefined;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(raw);
  } catch {
    text = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(raw);
    problem = 'the note is not valid UTF-8 (shown with replacement characters); expected UTF-8 text, and Canon will not write to it';
  }
  if (nul >= 0) problem = 'the note is binary (it holds NUL bytes); expected a UTF-8 markdown note, and Canon will not write to it';
  const bom = text.startsWith(BOM);
  // Bytes kept are a copy when they were read to be given back (see `releaseBytes`).
  const kept = keepBytes ? raw : problem !== undefined ? Buffer.from(raw) : undefined;
  return { text: bom ? text.slice(1) : text, bom, ...(problem === undefined ? {} : { problem }), ...(kept ? { raw: kept } : {}) };
}

/** Every markdown note below the root, as vault-relative paths with `/`; links, special files and dot-folders skipped. */
export function listNotes(root: string): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  const stack: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
  while (stack.length > 0) {
    const { dir, depth } = stack.pop() as { dir: string; depth: number };
    let entries;
    try {
      // A folder met twice (a bind mount looping back) is read once.
      const id = statSync(dir, { bigint: true });
      const key = `${id.dev}:${id.ino}`;
      if (seen.has(key)) continue;
      seen.add(key);
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!isSkippedFolder(entry.name) && depth < MAX_DEPTH) stack.push({ dir: full, depth: depth + 1 });
      } else if (entry.isFile() && /\.md$/i.test(entry.name) && !entry.name.startsWith('.')) {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  }
  return out.sort();
}

/**
 * A note's `canon:` claim, read by the core's one frontmatter reader from the head of the file; the
 * whole file when its frontmatter goes on past the head.
 */
function frontmatterClaim(full: string): Pick<NoteEntry, 'canon' | 'canonLine' | 'frontmatterProblem'> {
  let head: string;
  let whole: boolean;
  try {
    const fd = openSync(full, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, n).toString('utf8');
      whole = n < HEAD_BYTES;
    } finally {
      closeSync(fd);
    }
  } catch {
    return {};
  }
  if (!whole && /^\uFEFF?---[ \t]*[\r\n]/.test(head) && !findFrontmatter(head)) {
    const read = readRegular(full, true);
    if (!read.ok) return {};
    head = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(read.data);
    releaseBytes(read.data);
  }
  return readClaim(head, parseYaml);
}
