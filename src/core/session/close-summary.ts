/** The five parts of the operating model's output format, written into the session note at close. */
import type { AddedRow } from './changes-since';
import { renderOverrides, type CloseReason } from './close-reasons';
import { passedGates, type GateState } from './gates';
import { ladderSummary } from './ladder';
import type { ItemState, SessionReview } from './types';

/** What the operator says at close; every part is optional (Canon fills in what the vault shows). */
export interface CloseTexts {
  changed?: string;
  verification?: string;
  evidence?: string;
  risks?: string;
}

/** The headings of the summary, in order (README "Command line"). */
export const SUMMARY_HEADINGS = ['What changed', 'Verification', 'Evidence captured', 'Docs updated', 'Risks and next checks'] as const;

export interface SummaryInput {
  review: SessionReview;
  texts: CloseTexts;
  /** When the session closed, as written in the frontmatter. */
  closedAt: string;
  /** The reasons a forced close overrode (listed under their own heading after the five parts). */
  overrides?: readonly CloseReason[];
  /** The Work Packets rows the close sets to `done` (`close --done`). */
  done?: readonly { packet: string; was: string; path: string; line: number }[];
}

const EVIDENCE_COLUMNS = ['Traffic', 'Missions', 'Fallbacks', 'Fallback Rate', 'p95 (ms)', 'Decision'];

function given(text: string | undefined): string | null {
  return text !== undefined && text.trim() !== '' ? text.trim() : null;
}

function link(path: string): string {
  return `[[${path.replace(/\.md$/i, '')}]]`;
}

function itemLine(item: ItemState): string {
  const how = item.by === 'vault' ? ` — ${item.proof ?? ''}` : item.by === 'hand' ? ` (ticked by hand${item.reason ? `: ${item.reason}` : ''})` : ' (open)';
  return `- ${item.done ? '✔' : '✘'} ${item.n}. ${item.text}${how}`;
}

function gateLines(gates: readonly GateState[]): string[] {
  const packets = [...new Set(gates.map((g) => g.packet))];
  return packets.map((packet) => {
    const own = gates.filter((g) => g.packet === packet).map((g) => `${g.done ? '✔' : '✘'} ${g.gate}${g.proof ? ` (${g.proof}${g.reason ? `: ${g.reason}` : ''})` : ''}`);
    return `- Gates${packet === null ? '' : ` of ${packet}`}: ${own.join(', ')}`;
  });
}

function evidenceLine(row: AddedRow): string {
  const parts = EVIDENCE_COLUMNS.filter((name) => (row.fields[name] ?? '') !== '').map((name) => `${name} ${row.fields[name] ?? ''}`);
  return `- ${row.label}: ${parts.join(', ')}`;
}

function whatChanged({ review, texts, closedAt, done }: SummaryInput): string[] {
  const { session } = review.status;
  const passed = passedGates(review.status.gates);
  const lines = [given(texts.changed) ?? `${session.objective} (no description given at close)`, ''];
  lines.push(`- Session: ${session.started.replace('T', ' ')} to ${closedAt.replace('T', ' ')}`);
  lines.push(`- Packets: ${session.packets.length > 0 ? session.packets.join(', ') : 'none named'}; gates passed: ${passed.length > 0 ? passed.join(', ') : 'none'}`);
  if (session.inScope) lines.push(`- In scope: ${session.inScope.join('; ')}`);
  if (session.outOfScope) lines.push(`- Out of scope: ${session.outOfScope.join('; ')}`);
  for (const d of done ?? []) lines.push(`- ${d.packet} set to done in ${link(d.path)} (line ${d.line}${d.was === 'done' ? ', already done' : `, was ${d.was || 'empty'}`})`);
  return lines;
}

function verification({ review, texts }: SummaryInput): string[] {
  const lines = given(texts.verification) ? [given(texts.verification) ?? '', ''] : [];
  const ladder = ladderSummary({ packets: review.status.session.packets, rungs: review.status.ladder ?? [] });
  return [...lines, ...review.status.items.map(itemLine), ...gateLines(review.status.gates), ...ladder];
}

function evidence({ review, texts }: SummaryInput): string[] {
  const lines = given(texts.evidence) ? [given(texts.evidence) ?? '', ''] : [];
  const windows = review.changes.added.get('evidence') ?? [];
  lines.push(...(windows.length > 0 ? windows.map(evidenceLine) : ['- No rollout window added this session.']));
  const g = review.guardrails;
  lines.push(`- Guardrails: ${g.status} — recommendation: ${g.recommendation}`);
  return lines;
}

function docsUpdated({ review }: SummaryInput): string[] {
  const byNote = new Map<string, string[]>();
  for (const rows of review.changes.added.values()) {
    const first = rows[0];
    if (!first) continue;
    const list = byNote.get(first.path) ?? [];
    list.push(`${first.table} ${rows.map((r) => r.label).join(', ')}`);
    byNote.set(first.path, list);
  }
  const lines = [...byNote].map(([path, parts]) => `- ${link(path)}: ${parts.join('; ')}`);
  const c = review.changes.checklist;
  if (c?.changed) lines.push(`- Checklist Status: ${c.done}/${c.items} ticked (was ${c.wasDone})`);
  if (lines.length === 0) lines.push('- No canonical note changed.');
  for (const r of review.status.required) lines.push(`- Required by "${r.change}": ${r.update} — ${r.done ? 'done' : 'NOT done'}`);
  return lines;
}

function risks({ review, texts }: SummaryInput): string[] {
  const lines = given(texts.risks) ? [given(texts.risks) ?? '', ''] : [];
  for (const item of review.status.items.filter((i) => !i.done)) lines.push(`- Open at close: ${item.n}. ${item.text}`);
  for (const r of review.status.required.filter((x) => !x.done)) lines.push(`- Update still required: ${r.update} (${r.change})`);
  for (const reason of review.guardrails.reasons) lines.push(`- Guardrail: ${reason}`);
  const failed = review.status.gates.filter((g) => !g.done).map((g) => (g.packet ? `${g.packet} ${g.gate}` : g.gate));
  if (failed.length > 0) lines.push(`- Gates not passed: ${failed.join(', ')}`);
  if (lines.length === 0) lines.push('- None recorded.');
  return lines;
}

/** The summary as markdown (`\n` line endings): one `##` section per part, in the output format's order. */
export function renderCloseSummary(input: SummaryInput): string {
  const parts = [whatChanged, verification, evidence, docsUpdated, risks].map((part) => part(input));
  const sections = SUMMARY_HEADINGS.map((heading, i) => [`## ${heading}`, '', ...(parts[i] ?? [])].join('\n'));
  if (input.overrides && input.overrides.length > 0) sections.push(renderOverrides(input.overrides));
  return sections.join('\n\n');
}
