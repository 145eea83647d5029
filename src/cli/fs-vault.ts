import { closeSync, lstatSync, openSync, readdirSync, readFileSync, readSync, renameSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { parseNote } from '../core/markdown/parse-note';
import type { VaultView } from '../core/stack/model';
import type { NoteEntry } from '../core/stack/resolve';

/** Folders never searched for notes. */
const SKIPPED_DIRS = new Set(['.obsidian', '.git', '.trash', 'node_modules']);
const HEAD_BYTES = 4096;
const BOM = '\uFEFF';

/** A note's text as read from disk, and what is needed to write it back byte for byte. */
interface ReadNote {
  text: string;
  bom: boolean;
  problem?: string;
  raw: Buffer;
}

/** The vault on disk, seen through the core's `VaultView`; reads are cached for one run. */
export class FsVault implements VaultView {
  readonly notes: NoteEntry[];
  private readonly cache = new Map<string, ReadNote | null>();
  private readonly headingCache = new Map<string, string[]>();

  constructor(readonly root: string) {
    this.notes = listNotes(root).map((path) => ({ path, ...frontmatterRole(join(root, path)) }));
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

  /**
   * Writes a note's new text, refusing when the file changed since it was read (another editor,
   * a sync tool): the write goes to a temporary file first and replaces the note in one rename.
   */
  write(path: string, text: string): void {
    const full = join(this.root, path);
    const before = this.cache.get(path);
    if (existsSync(full)) {
      const now = readFileSync(full);
      if (!before || !now.equals(before.raw)) throw new WriteConflict(`${path} changed while Canon was writing it; nothing was written, run the command again`);
    } else if (before) {
      throw new WriteConflict(`${path} was removed while Canon was writing it; nothing was written`);
    }
    mkdirSync(dirname(full), { recursive: true });
    const data = Buffer.from((before?.bom ? BOM : '') + text, 'utf8');
    const temp = `${full}.canon-${process.pid}.tmp`;
    writeFileSync(temp, data);
    renameSync(temp, full);
    this.cache.set(path, { text, bom: before?.bom ?? false, raw: data });
  }

  /** Creates a note that does not exist yet (never overwrites). Returns false when it exists. */
  create(path: string, text: string): boolean {
    const full = join(this.root, path);
    if (existsSync(full)) return false;
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text, { flag: 'wx' });
    return true;
  }

  private load(path: string): ReadNote | null {
    if (this.cache.has(path)) return this.cache.get(path) ?? null;
    let note: ReadNote | null = null;
    try {
      note = decode(readFileSync(join(this.root, path)));
    } catch {
      note = null;
    }
    this.cache.set(path, note);
    return note;
  }
}

/** Raised when a note changed under a write. */
export class WriteConflict extends Error {}

function decode(raw: Buffer): ReadNote {
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
  return { text: bom ? text.slice(1) : text, bom, raw, ...(problem === undefined ? {} : { problem }) };
}

/** Every markdown note below the root, as vault-relative paths with `/`; links and dot-folders skipped. */
export function listNotes(root: string): string[] {
  const out: string[] = [];
  const stack = [root];
  while (stack.length > 0) {
    const dir = stack.pop() as string;
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    for (const entry of entries) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) stack.push(full);
      } else if (entry.isFile() && /\.md$/i.test(entry.name)) {
        out.push(relative(root, full).split(sep).join('/'));
      }
    }
  }
  return out.sort();
}

/** Reads only the head of a file for its frontmatter `canon:` value. */
function frontmatterRole(full: string): { canon?: string; canonLine?: number } {
  let head: string;
  try {
    if (!lstatSync(full).isFile()) return {};
    const fd = openSync(full, 'r');
    try {
      const buffer = Buffer.alloc(HEAD_BYTES);
      const n = readSync(fd, buffer, 0, HEAD_BYTES, 0);
      head = buffer.subarray(0, n).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return {};
  }
  if (head.startsWith(BOM)) head = head.slice(1);
  const lines = head.split(/\r?\n/);
  if (lines[0]?.trimEnd() !== '---') return {};
  for (let i = 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (/^(---|\.\.\.)\s*$/.test(line)) break;
    const match = /^canon\s*:\s*(.*?)\s*$/.exec(line);
    if (match) return { canon: (match[1] ?? '').replace(/^(['"])(.*)\1$/, '$2'), canonLine: i + 1 };
  }
  return {};
}
