/**
 * `doc/conflict-copy`: a sync service's conflict copy of a canonical note (README "Many machines, one vault"). The copy is left
 * out of role resolution (it would otherwise claim the note's role twice, and its name can sort
 * before the original's), and Canon says how to fold its rows back: `canon merge --copy COPY`.
 *
 * The names each service gives a copy, as observed (not all as documented):
 * - Obsidian Sync, with "Create conflict file": `note (Conflicted copy <device> <YYYYMMDDHHmm>).md`
 *   (help.obsidian.md documents `note.sync-conflict-YYYYMMDD-HHMMSS.md`; obsidianmd/obsidian-help#1056
 *   reports the files it really writes, e.g. `2026-03-12 (Conflicted copy ThinkPad-T14-G5 202603121129).md`).
 * - Syncthing: `<name>.sync-conflict-<YYYYMMDD>-<HHMMSS>-<device id, 7 characters>.<ext>`
 *   (docs.syncthing.net, FAQ "What if there is a conflict?"; the device part was added in 0.14).
 * - Dropbox: `note (<person or computer>'s conflicted copy <YYYY-MM-DD>).md` (Dropbox help, "What's a
 *   conflicted copy?": the name, "conflicted copy", who, and the date).
 * - Nextcloud and ownCloud: `note (conflicted copy <YYYY-MM-DD> <HHMMSS>).md` (pbek/QOwnNotes#3662).
 * - iCloud Drive: `note 2.md` beside `note.md` (logseq/logseq#6972: "the file conflict suffix added
 *   by iCloud"). `Plan 2.md` is also an ordinary name, so such a note is a copy only when it stands
 *   beside a canonical note of the same name, or its frontmatter claims that note's role.
 * Every pattern is held to the same test: the name with the suffix removed is a canonical note's
 * name in the same folder, or the copy's frontmatter `canon:` claims a role a canonical note plays.
 */
import type { CanonConfig } from '../config/config';
import type { Preset } from '../schema/preset';
import { resolveStack, type NoteEntry } from '../stack/resolve';
import { isRole, ROLE_TITLES, type Role } from '../stack/roles';
import type { Diagnostic } from './rule-ids';

/** A conflict copy of a canonical note. */
export interface ConflictCopy {
  /** The copy's vault path. */
  path: string;
  /** The canonical note it is a copy of. */
  original: string;
  role: Role;
  /** The service whose naming it follows. */
  service: string;
}

/** What a file name (without `.md`) says when it is a conflict copy's: the original's name and the service. */
export interface ConflictName {
  base: string;
  service: string;
}

const CONFLICTED_COPY = /^(.+?) \(([^()]*\bconflicted copy\b[^()]*)\)$/i;
const SYNC_CONFLICT = /^(.+)\.sync-conflict-\d{8}-\d{6}(?:-[A-Za-z0-9]{7})?$/;
const NUMBERED = /^(.+) (?:[2-9]|[1-9]\d{1,2})$/;

/** The original name and service a note's file name (`.md` included or not) points to, or null. */
export function conflictName(fileName: string): ConflictName | null {
  const name = fileName.replace(/\.md$/i, '');
  const copy = CONFLICTED_COPY.exec(name);
  if (copy?.[1]) {
    const inner = copy[2] ?? '';
    const service = inner.startsWith('Conflicted copy ') ? 'Obsidian Sync'
      : /'s conflicted copy/i.test(inner) ? 'Dropbox'
        : /^conflicted copy \d{4}-\d{2}-\d{2} \d{6}$/.test(inner) ? 'Nextcloud'
          : 'sync service';
    return { base: copy[1], service };
  }
  const syncthing = SYNC_CONFLICT.exec(name);
  if (syncthing?.[1]) return { base: syncthing[1], service: 'Syncthing' };
  const numbered = NUMBERED.exec(name);
  if (numbered?.[1]) return { base: numbered[1], service: 'iCloud Drive' };
  return null;
}

/**
 * The conflict copies among the vault's notes, and the notes without them (what role resolution
 * should see). A note named like a copy that is neither beside a canonical note of its base name nor
 * claims a canonical note's role is an ordinary note, and stays.
 */
export function findConflictCopies(notes: readonly NoteEntry[], config: CanonConfig, preset: Preset): { copies: ConflictCopy[]; notes: NoteEntry[] } {
  const candidates = new Map<string, ConflictName>();
  for (const note of notes) {
    const name = conflictName(note.path.slice(note.path.lastIndexOf('/') + 1));
    if (name) candidates.set(note.path, name);
  }
  if (candidates.size === 0) return { copies: [], notes: [...notes] };
  const rest = notes.filter((n) => !candidates.has(n.path));
  const docs = resolveStack(rest, config, preset).docs;
  const roleOf = new Map(docs.flatMap((d) => (d.path === null ? [] : [[d.path, d.role] as const])));
  const copies: ConflictCopy[] = [];
  for (const note of notes) {
    const name = candidates.get(note.path);
    if (!name) continue;
    const folder = note.path.slice(0, note.path.lastIndexOf('/') + 1);
    const beside = `${folder}${name.base}.md`;
    const besideRole = roleOf.get(beside);
    if (besideRole) {
      copies.push({ path: note.path, original: beside, role: besideRole, service: name.service });
      continue;
    }
    const claimed = note.canon !== undefined && isRole(note.canon) ? docs.find((d) => d.role === note.canon && d.path !== null) : undefined;
    if (claimed?.path) copies.push({ path: note.path, original: claimed.path, role: claimed.role, service: name.service });
  }
  const flagged = new Set(copies.map((c) => c.path));
  return { copies, notes: notes.filter((n) => !flagged.has(n.path)) };
}

/** The vault's notes without the conflict copies of canonical notes: what role resolution should be given. */
export function withoutConflictCopies(notes: readonly NoteEntry[], config: CanonConfig, preset: Preset): NoteEntry[] {
  return findConflictCopies(notes, config, preset).notes;
}

/** One warning per conflict copy, naming its canonical note and the command that folds it. */
export function conflictCopyDiagnostics(copies: readonly ConflictCopy[]): Diagnostic[] {
  return copies.map((c) => ({
    path: c.path,
    line: 1,
    column: 1,
    severity: 'warning',
    rule: 'doc/conflict-copy',
    message: `\`${c.path}\` is ${/^[AEIOUaeiou]/.test(c.service) ? 'an' : 'a'} ${c.service} conflict copy of the ${ROLE_TITLES[c.role]} \`${c.original}\`; expected its rows folded into that note: run \`canon merge --copy ${shellWord(c.path)}\``,
  }));
}

/** A path as one shell word (single-quoted when it holds anything but plain characters). */
export function shellWord(path: string): string {
  return /^[\w./-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}
