/** Finds the vault's session notes (frontmatter `canon: session`) and the open one. */
import type { VaultView } from '../stack/model';
import { readSessionNote, SESSION_CANON, type SessionNote } from './session-note';

/** A session note read from the vault. */
export interface SessionRef {
  path: string;
  text: string;
  session: SessionNote;
}

export interface FoundSessions {
  /** Open sessions, the most recently started first (one is expected; README "Command line"). */
  open: SessionRef[];
  /** Session notes whose frontmatter cannot be read, with the reason. */
  problems: { path: string; problem: string }[];
}

/** Reads every note whose frontmatter says `canon: session`. */
export function findSessions(vault: VaultView): FoundSessions {
  const found: FoundSessions = { open: [], problems: [] };
  for (const note of vault.notes) {
    if (note.canon !== SESSION_CANON) continue;
    const read = vault.read(note.path);
    if (!read) continue;
    const parsed = readSessionNote(read.text, vault.parseYaml);
    if (!parsed.ok) found.problems.push({ path: note.path, problem: parsed.problem });
    else if (parsed.session.status === 'open') found.open.push({ path: note.path, text: read.text, session: parsed.session });
  }
  found.open.sort((a, b) => b.session.started.localeCompare(a.session.started) || b.path.localeCompare(a.path));
  return found;
}
