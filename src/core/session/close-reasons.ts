/**
 * Why a session may not close yet (README "Command line"): an open checklist item, an open required update, a gate
 * not passed for a session packet, guardrails in breach. `session close` refuses while any is left,
 * unless forced; a forced close writes them into the session note and the Status Log row's Summary.
 */
import type { GuardrailReport } from '../guardrails/types';
import type { SessionStatus } from './types';

export type CloseReasonKind = 'item' | 'required' | 'gate' | 'guardrails' | 'done';

/** One reason, as one line: `text` is `<kind>: <detail>`. */
export interface CloseReason {
  kind: CloseReasonKind;
  /** The reason without its kind: `1. Code behavior validated.`, `G1 of P-4`. */
  detail: string;
  text: string;
}

const LABELS: Readonly<Record<CloseReasonKind, string>> = {
  item: 'open checklist item',
  required: 'open required update',
  gate: 'gate not passed',
  guardrails: 'guardrails in breach',
  done: 'packet to set done with gates not passed',
};

function reason(kind: CloseReasonKind, detail: string): CloseReason {
  return { kind, detail, text: `${LABELS[kind]}: ${detail}` };
}

/** Every reason the session cannot close now, in the order: items, required updates, gates, guardrails, packets to set done. */
export function closeReasons(status: SessionStatus, guardrails: GuardrailReport, done: readonly string[] = []): CloseReason[] {
  const reasons = status.items.filter((i) => !i.done).map((i) => reason('item', `${i.n}. ${i.text}`));
  for (const r of status.required.filter((x) => !x.done)) reasons.push(reason('required', `"${r.change}" requires ${r.update}`));
  for (const g of status.gates) if (g.packet !== null && !g.done) reasons.push(reason('gate', `${g.gate} of ${g.packet}`));
  const breached = guardrails.triggers.filter((t) => t.status === 'breach').map((t) => t.trigger || t.metric);
  if (guardrails.status === 'breach') reasons.push(reason('guardrails', `${breached.join('; ')} (recommendation: ${guardrails.recommendation})`));
  for (const packet of done) {
    const open = status.gates.filter((g) => g.packet === packet && !g.done).map((g) => g.gate);
    if (open.length > 0) reasons.push(reason('done', `${packet} (${open.join(', ')} not passed)`));
  }
  return reasons;
}

const count = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The reasons by kind, in a few words each: `6 open items`, `2 gates not passed`, `guardrails in breach`. */
export function overrideKinds(reasons: readonly CloseReason[]): string[] {
  const of = (kind: CloseReasonKind) => reasons.filter((r) => r.kind === kind);
  const parts: string[] = [];
  if (of('item').length > 0) parts.push(count(of('item').length, 'open item', 'open items'));
  if (of('required').length > 0) parts.push(count(of('required').length, 'open required update', 'open required updates'));
  if (of('gate').length > 0) parts.push(count(of('gate').length, 'gate not passed', 'gates not passed'));
  if (of('guardrails').length > 0) parts.push('guardrails in breach');
  if (of('done').length > 0) parts.push(count(of('done').length, 'packet set done with gates not passed', 'packets set done with gates not passed'));
  return parts;
}

/**
 * The Status Log Summary's short account of a forced close:
 * `Closed with 4 overrides: items 1, 2 open; 1 required update open; gates not passed: G1 of P-4; guardrails in breach.`
 */
export function overridesSummary(reasons: readonly CloseReason[]): string {
  const of = (kind: CloseReasonKind) => reasons.filter((r) => r.kind === kind);
  const parts: string[] = [];
  const items = of('item').map((r) => r.detail.slice(0, r.detail.indexOf('.')));
  if (items.length > 0) parts.push(`${items.length === 1 ? 'item' : 'items'} ${items.join(', ')} open`);
  if (of('required').length > 0) parts.push(`${count(of('required').length, 'required update', 'required updates')} open`);
  if (of('gate').length > 0) parts.push(`gates not passed: ${of('gate').map((r) => r.detail).join(', ')}`);
  if (of('guardrails').length > 0) parts.push('guardrails in breach');
  if (of('done').length > 0) parts.push(`set done with gates not passed: ${of('done').map((r) => r.detail.slice(0, r.detail.indexOf(' '))).join(', ')}`);
  return `Closed with ${count(reasons.length, 'override', 'overrides')}: ${parts.join('; ')}.`;
}

/** The heading of the session note's list of overridden reasons. */
export const OVERRIDES_HEADING = 'Overridden at close';

/** The session note's section listing each overridden reason (markdown, `\n` line endings). */
export function renderOverrides(reasons: readonly CloseReason[]): string {
  return [
    `## ${OVERRIDES_HEADING}`,
    '',
    `The session was closed by force despite ${count(reasons.length, 'reason', 'reasons')}:`,
    '',
    ...reasons.map((r) => `- ${r.text}`),
  ].join('\n');
}
