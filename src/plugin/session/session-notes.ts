import { parseYaml, type CachedMetadata } from 'obsidian';
import { claimOf, findSessions, SESSION_CANON, type FoundSessions, type VaultView } from '../../core';

/**
 * The session notes the plugin keeps in memory: the texts of the notes whose frontmatter says
 * `canon: session` and not `status: closed` (closed sessions are never needed again, so an archive
 * of them costs nothing). Read once after the layout is ready, then kept current from the metadata
 * cache's `changed` events (which carry the text) and from the plugin's own writes.
 */
export class SessionNotes {
  private readonly texts = new Map<string, string>();
  private found: FoundSessions | null = null;

  /** Whether a note's cached frontmatter makes it a session that may be open. */
  static isCandidate(cache: CachedMetadata | null | undefined): boolean {
    const frontmatter = cache?.frontmatter;
    return claimOf(frontmatter) === SESSION_CANON && frontmatter?.status !== 'closed';
  }

  has(path: string): boolean {
    return this.texts.has(path);
  }

  /** Keeps (or forgets, when it is no longer a candidate) a note's text; true when anything changed. */
  update(path: string, text: string, candidate: boolean): boolean {
    if (!candidate) return this.forget(path);
    if (this.texts.get(path) === text) return false;
    this.texts.set(path, text);
    this.found = null;
    return true;
  }

  /** Forgets a note (deleted, renamed away, closed); true when it was known. */
  forget(path: string): boolean {
    if (!this.texts.delete(path)) return false;
    this.found = null;
    return true;
  }

  /** The open sessions (newest first) and the unreadable session notes, as the core finds them. */
  sessions(): FoundSessions {
    if (this.found) return this.found;
    const view: VaultView = {
      notes: [...this.texts.keys()].map((path) => ({ path, canon: SESSION_CANON })),
      read: (path) => {
        const text = this.texts.get(path);
        return text === undefined ? undefined : { text };
      },
      headings: () => undefined,
      parseYaml,
    };
    this.found = findSessions(view);
    return this.found;
  }
}
