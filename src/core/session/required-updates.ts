/**
 * The trigger matrix applied to a session: for each kind of change the session made, whether the
 * updates it requires are in the vault. A kind applies when the operator marked it, or when the
 * vault shows it: a Rollout Windows row added ("rollout windows or traffic policy") or a playbook
 * query added ("new operational query").
 *
 * An update text ("`04` evidence log + `00` status log") is split on `+`, `;` and " and "; each
 * part names a table by its words (checklist, trigger, lesson, decision, status, evidence or
 * rollout window, playbook or query, work packet or plan), else a note by its prefix or role
 * name (any table of it). A part saying "(if …)", "if applicable", "as needed" or "when …" is
 * conditional and is not required; a part naming nothing Canon can see cannot be proven (not done).
 */
import type { Preset } from '../schema/preset';
import type { EntryKind } from '../schema/table-schema';
import type { Role } from '../stack/roles';
import type { TriggerMatrixRow } from '../stack/templates';
import type { StackChanges } from './changes-since';

/** One kind of change the session made and whether its required updates are done (status JSON). */
export interface RequiredUpdate {
  change: string;
  update: string;
  done: boolean;
}

type Target = EntryKind | 'checklist';

const TABLE_WORDS: readonly [RegExp, Target][] = [
  [/checklist/, 'checklist'],
  [/trigger/, 'trigger'],
  [/lesson/, 'lesson'],
  [/decision/, 'decision'],
  [/status/, 'status'],
  [/evidence|rollout window/, 'evidence'],
  [/playbook|quer(y|ies)/, 'query'],
  [/work packet|\bplan\b/, 'packet'],
];

const ROLE_TABLES: Readonly<Record<Role, readonly Target[]>> = {
  'control-center': ['status', 'decision', 'lesson', 'checklist'],
  'implementation-plan': ['packet'],
  'observability-playbook': ['query'],
  'evidence-log': ['evidence', 'trigger'],
  'operating-model': [],
};

const ROLE_NAMES: readonly [RegExp, Role][] = [[/control cent(er|re)/, 'control-center'], [/implementation plan/, 'implementation-plan']];

const CONDITIONAL = /\(if\b|\bif applicable\b|\bas needed\b|\bwhen\b/;

/** The tables one part of an update text names. */
function partTables(part: string, preset: Preset): readonly Target[] {
  const hit = TABLE_WORDS.find(([words]) => words.test(part));
  if (hit) return [hit[1]];
  for (const [role, prefix] of Object.entries(preset.prefixes)) {
    if (new RegExp(`(?:^|[^\\w-])${prefix}(?!\\d)`).test(part)) return ROLE_TABLES[role as Role] ?? [];
  }
  return ROLE_TABLES[ROLE_NAMES.find(([words]) => words.test(part))?.[1] ?? 'operating-model'];
}

/** Whether a table changed since the start. */
function changed(target: Target, changes: StackChanges): boolean {
  if (target === 'checklist') return changes.checklist?.changed === true;
  return (changes.added.get(target)?.length ?? 0) > 0;
}

/** Whether every required (not conditional) part of an update text is in the vault. */
export function updateDone(update: string, changes: StackChanges, preset: Preset): boolean {
  const parts = update.toLowerCase().split(/\+|;|\band\b/).map((p) => p.trim()).filter((p) => p !== '');
  return parts.every((part) => CONDITIONAL.test(part) || partTables(part, preset).some((t) => changed(t, changes)));
}

/** Whether the vault itself shows a kind of change (a window or a query added). */
function shownByVault(change: string, changes: StackChanges): boolean {
  const text = change.toLowerCase();
  if (/rollout window|traffic/.test(text) && changed('evidence', changes)) return true;
  return /quer(y|ies)/.test(text) && changed('query', changes);
}

/** The matrix rows that apply to the session (marked or shown by the vault), each done or not. */
export function requiredUpdates(matrix: readonly TriggerMatrixRow[], marked: readonly string[], changes: StackChanges, preset: Preset): RequiredUpdate[] {
  const isMarked = new Set(marked.map((m) => m.trim().toLowerCase()));
  return matrix
    .filter((row) => isMarked.has(row.change.trim().toLowerCase()) || shownByVault(row.change, changes))
    .map((row) => ({ change: row.change, update: row.update, done: updateDone(row.update, changes, preset) }));
}
