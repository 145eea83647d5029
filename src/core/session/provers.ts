/**
 * Which checklist items the vault can prove, and the proof. An item is matched to a prover by
 * keywords, in three tiers (the first tier with a hit decides, so "`04` updated with … decision
 * notes" is the evidence log's, not the decision log's):
 * 1. a note's preset prefix as a token: `00` control center, `02` plan, `03` playbook, `04` evidence log;
 * 2. a role's name: "control center", "implementation plan", "observability playbook" or "playbook", "evidence log";
 * 3. a table's words: "evidence", "rollout window" (evidence log); "status log", "decision log",
 *    "lessons" (control center); "quer" (playbook); "work packet" (plan).
 * 4. the verification ladder's items (ladder.ts): "behavior"/"behaviour" or "validat…" (code behaviour
 *    validated: a passing rung for every session packet), "test" or "probe" (tests/probes run: any rung).
 * Items that match none ("Commits are scoped …") are ticked by hand; so are ladder items not proven yet.
 */
import type { Preset } from '../schema/preset';
import type { EntryKind } from '../schema/table-schema';
import type { Role } from '../stack/roles';
import type { AddedRow, StackChanges } from './changes-since';
import { ladderItemProof, type LadderItem, type LadderView } from './ladder';

/** The roles whose changes can prove an item, with the tables each one's proof looks at. */
const PROVERS: readonly { role: Role; name: string; tables: readonly EntryKind[]; names: RegExp; words: RegExp }[] = [
  { role: 'evidence-log', name: 'evidence log', tables: ['evidence'], names: /evidence log/, words: /evidence|rollout window/ },
  { role: 'control-center', name: 'control center', tables: ['status', 'decision', 'lesson'], names: /control cent(er|re)/, words: /status log|decision log|lessons?\b/ },
  { role: 'observability-playbook', name: 'observability playbook', tables: ['query'], names: /playbook/, words: /quer(y|ies)/ },
  { role: 'implementation-plan', name: 'implementation plan', tables: ['packet'], names: /implementation plan/, words: /work packets?/ },
];

/** The ladder's items, matched when no note's prover is (the first hit wins). */
const LADDER_ITEMS: readonly { item: LadderItem; words: RegExp }[] = [
  { item: 'validated', words: /behaviou?r|validat/ },
  { item: 'run', words: /\btests?\b|\bprob(e|es|ed|ing)\b/ },
];

/** An item's prover (the role whose note proves it; null for the ladder's items and hand ones) and, when the vault shows the change, the proof. */
export interface ItemProof {
  role: Role | null;
  proof: string | null;
}

/** The ladder item a checklist item is, or null: when no note's prover matches it, by the ladder's words. */
export function matchLadderItem(text: string, preset: Preset): LadderItem | null {
  const lower = text.toLowerCase();
  if (matchProver(lower, preset)) return null;
  return LADDER_ITEMS.find((l) => l.words.test(lower))?.item ?? null;
}

/** Matches a checklist item to a prover and proves it from the changes since the session started (and the ladder, when given). */
export function proveItem(text: string, changes: StackChanges, preset: Preset, ladder?: LadderView): ItemProof {
  const prover = matchProver(text.toLowerCase(), preset);
  if (!prover) {
    const item = matchLadderItem(text, preset);
    return { role: null, proof: item && ladder ? ladderItemProof(item, ladder) : null };
  }
  const parts: string[] = [];
  for (const kind of prover.tables) {
    const rows = changes.added.get(kind) ?? [];
    if (rows.length > 0) parts.push(rowsPhrase(kind, rows));
  }
  if (prover.role === 'control-center' && changes.checklist?.changed) {
    parts.push(`Checklist Status ${changes.checklist.done}/${changes.checklist.items} ticked (was ${changes.checklist.wasDone})`);
  }
  return { role: prover.role, proof: parts.length > 0 ? `${prover.name} updated: ${parts.join('; ')}` : null };
}

function matchProver(text: string, preset: Preset): (typeof PROVERS)[number] | undefined {
  const byPrefix = PROVERS.find((p) => {
    const prefix = preset.prefixes[p.role];
    return prefix !== undefined && new RegExp(`(?:^|[^\\w-])${prefix}(?!\\d)`).test(text);
  });
  return byPrefix ?? PROVERS.find((p) => p.names.test(text)) ?? PROVERS.find((p) => p.words.test(text));
}

/** `W-14 added`, `W-14, W-15 added`, `Status Log row 2026-11-24 14:05 added`, `query Failed missions added`. */
function rowsPhrase(kind: EntryKind, rows: readonly AddedRow[]): string {
  const labels = rows.map((r) => r.label).join(', ');
  if (kind === 'evidence' || kind === 'packet') return `${labels} added`;
  if (kind === 'decision') return `Decision Log ${labels} added`;
  if (kind === 'query') return `${rows.length === 1 ? 'query' : 'queries'} ${labels} added`;
  const table = rows[0]?.table ?? kind;
  return `${table} ${rows.length === 1 ? 'row' : 'rows'} ${labels} added`;
}
