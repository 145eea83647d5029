/** Every session note of the vault, open and closed, newest first (README "Command line" `session list`). */
import type { VaultView } from '../stack/model';
import { readSessionNote, SESSION_CANON } from './session-note';

/** One session as `session list --format json` prints it. */
export interface SessionSummary {
  path: string;
  objective: string;
  started: string;
  /** When it closed; null while open. */
  closed: string | null;
  status: 'open' | 'closed';
  packets: string[];
}

export interface SessionList {
  /** Newest first: by `started`, then by path. */
  sessions: SessionSummary[];
  /** Session notes whose frontmatter cannot be read, with the reason. */
  problems: { path: string; problem: string }[];
}

/** Reads every note whose frontmatter says `canon: session`. */
export function listSessions(vault: VaultView): SessionList {
  const list: SessionList = { sessions: [], problems: [] };
  for (const note of vault.notes) {
    if (note.canon !== SESSION_CANON) continue;
    const read = vault.read(note.path);
    if (!read) continue;
    const parsed = readSessionNote(read.text, vault.parseYaml);
    if (!parsed.ok) {
      list.problems.push({ path: note.path, problem: parsed.problem });
      continue;
    }
    const { session } = parsed;
    list.sessions.push({ path: note.path, objective: session.objective, started: session.started, closed: session.closed ?? null, status: session.status, packets: [...session.packets] });
  }
  list.sessions.sort((a, b) => b.started.localeCompare(a.started) || b.path.localeCompare(a.path));
  return list;
}

/** The most recently closed session (by its close time, else its start), or null. */
export function lastClosed(list: SessionList): SessionSummary | null {
  const closed = list.sessions.filter((s) => s.status === 'closed');
  closed.sort((a, b) => (b.closed ?? b.started).localeCompare(a.closed ?? a.started) || b.path.localeCompare(a.path));
  return closed[0] ?? null;
}
