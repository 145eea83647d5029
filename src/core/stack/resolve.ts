import type { CanonConfig } from '../config/config';
import { normalizeVaultPath } from '../config/config';
import type { Preset } from '../schema/preset';
import type { Diagnostic } from '../rules/rule-ids';
import { isRole, REQUIRED_ROLES, ROLE_TITLES, ROLES, type Role } from './roles';

/** A markdown note of the vault as the resolver needs it: its path and its frontmatter `canon` value. */
export interface NoteEntry {
  path: string;
  /** The frontmatter `canon:` value, if any. */
  canon?: string;
  /** 1-based line of the `canon:` key, for diagnostics (also when the frontmatter around it cannot be read). */
  canonLine?: number;
  /** Why the frontmatter cannot be read (not valid YAML), and where: the note's claim, if any, is lost. */
  frontmatterProblem?: { line: number; message: string };
}

export type ClaimSource = 'frontmatter' | 'config' | 'prefix';

/** The note chosen for a role, or null when none is. */
export interface StackDoc {
  role: Role;
  path: string | null;
  via: ClaimSource | null;
  /** Where Canon expects the note when it is missing (for messages and `init`). */
  expected: string;
}

export interface ResolvedStack {
  docs: StackDoc[];
  diagnostics: Diagnostic[];
}

/**
 * Assigns a note to each role: frontmatter `canon` first, then the config's `notes` map, then the
 * preset's file-name prefix (inside `folder` when set; else anywhere, the shallowest match winning).
 * Two notes claiming one role at the same level is `doc/duplicate-role`.
 */
export function resolveStack(notes: readonly NoteEntry[], config: CanonConfig, preset: Preset): ResolvedStack {
  const diagnostics: Diagnostic[] = [];
  const byPath = new Map(notes.map((n) => [n.path, n]));
  const claimedElsewhere = new Set<string>();
  for (const note of notes) {
    if (note.canon === undefined) continue;
    if (isRole(note.canon)) claimedElsewhere.add(note.path);
    else if (note.canon !== 'session') {
      diagnostics.push(diag(note.path, note.canonLine ?? 1, 'doc/unknown-role', 'warning',
        `frontmatter \`canon: ${note.canon}\` names no role; expected one of ${ROLES.join(', ')}`));
    }
  }
  for (const path of Object.values(config.notes)) claimedElsewhere.add(normalizeVaultPath(path));

  const docs = ROLES.map((role): StackDoc => {
    const expected = expectedPath(role, config, preset);
    const fromFrontmatter = notes.filter((n) => n.canon === role);
    if (fromFrontmatter.length > 0) return pick(role, fromFrontmatter.map((n) => n.path), 'frontmatter', expected, diagnostics, byPath);
    const configured = config.notes[role];
    if (configured !== undefined) {
      const path = normalizeVaultPath(configured);
      return byPath.has(path) ? { role, path, via: 'config', expected } : { role, path: null, via: null, expected: path };
    }
    const prefixed = prefixMatches(notes, preset.prefixes[role] ?? '', config.folder).filter((p) => !claimedElsewhere.has(p));
    if (prefixed.length > 0) return pick(role, prefixed, 'prefix', expected, diagnostics, byPath);
    return { role, path: null, via: null, expected };
  });

  for (const note of notes) {
    // A claim lost with the frontmatter around it (a canonical note's frontmatter is checked by loadStack).
    const problem = note.frontmatterProblem;
    if (problem && note.canonLine !== undefined) {
      diagnostics.push(diag(note.path, problem.line, 'doc/invalid-frontmatter', 'warning', `its \`canon:\` claim is not read: ${problem.message}`));
    }
  }
  for (const doc of docs) {
    if (doc.path !== null) continue;
    const required = REQUIRED_ROLES.includes(doc.role);
    const fallback = required ? '' : '; the preset\'s checklist and trigger matrix stand in for it';
    diagnostics.push(diag(doc.expected, 1, 'doc/missing', required ? 'error' : 'warning',
      `no note plays the ${ROLE_TITLES[doc.role]} role; expected \`${doc.expected}\` or a note with \`canon: ${doc.role}\` in its frontmatter${fallback}`));
  }
  return { docs, diagnostics };
}

function pick(role: Role, paths: string[], via: ClaimSource, expected: string, diagnostics: Diagnostic[], byPath: Map<string, NoteEntry>): StackDoc {
  const sorted = [...paths].sort();
  if (sorted.length > 1) {
    for (const path of sorted) {
      const others = sorted.filter((p) => p !== path).map((p) => `\`${p}\``).join(', ');
      diagnostics.push(diag(path, via === 'frontmatter' ? (byPath.get(path)?.canonLine ?? 1) : 1, 'doc/duplicate-role', 'error',
        `this note and ${others} both claim the ${ROLE_TITLES[role]} role (by ${via}); expected one note per role`));
    }
  }
  return { role, path: sorted[0] ?? null, via, expected };
}

/** Notes whose file name starts with the prefix and `_`, `-`, `.` or a space. */
function prefixMatches(notes: readonly NoteEntry[], prefix: string, folder: string): string[] {
  if (prefix === '') return [];
  const dir = normalizeVaultPath(folder);
  const matches = notes.filter((n) => {
    const slash = n.path.lastIndexOf('/');
    const name = n.path.slice(slash + 1);
    const parent = slash < 0 ? '' : n.path.slice(0, slash);
    if (dir !== '' && parent !== dir) return false;
    return name.startsWith(prefix) && /^[_\-. ]/.test(name.slice(prefix.length));
  });
  if (dir !== '' || matches.length < 2) return matches.map((n) => n.path);
  const depth = (p: string): number => p.split('/').length;
  const shallowest = Math.min(...matches.map((n) => depth(n.path)));
  return matches.filter((n) => depth(n.path) === shallowest).map((n) => n.path);
}

function expectedPath(role: Role, config: CanonConfig, preset: Preset): string {
  const configured = config.notes[role];
  if (configured !== undefined) return normalizeVaultPath(configured);
  const dir = normalizeVaultPath(config.folder);
  return `${dir === '' ? '' : `${dir}/`}${preset.prefixes[role] ?? ''}_*.md`;
}

function diag(path: string, line: number, rule: Diagnostic['rule'], severity: Diagnostic['severity'], message: string): Diagnostic {
  return { path, line, column: 1, severity, rule, message };
}
