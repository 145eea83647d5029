/**
 * What Canon knows about the open session, as the coder prompts carry it (README "Command line"): objective,
 * scope, the session packets' Work Packets rows, the open required updates and the guardrail
 * reading, between `<!-- canon:context -->` markers so that a reader (or a script) can find it.
 */
import type { Recommendation, TriggerStatus } from '../guardrails/types';
import type { StackModel } from '../stack/model';

/** The open session as the caller read it: plain data, no session internals. */
export interface PromptSession {
  /** The session note's path. */
  path: string;
  objective: string;
  /** As the note writes it (`2026-11-16T09:00`). */
  started?: string;
  /** Packet ids (`P-4`), in the session's order. */
  packets: readonly string[];
  inScope?: readonly string[];
  outOfScope?: readonly string[];
  /** The trigger matrix's updates for the session's kinds of change; only those not done are carried. */
  required: readonly { change: string; update: string; done: boolean }[];
  guardrails: { status: TriggerStatus; recommendation: Recommendation; reasons: readonly string[] };
}

/** A session packet with its Work Packets cells as written (markdown kept, `\|` read as `|`); found false when the plan has no such row. */
export interface PromptPacket {
  id: string;
  found: boolean;
  goal: string;
  files: string;
  verification: string;
  expectedEvidence: string;
  status: string;
}

/** The context block's content (what `canon prompt --format json` gives as `session`). */
export interface PromptContext {
  path: string;
  objective: string;
  started: string | null;
  inScope: string[];
  outOfScope: string[];
  packets: PromptPacket[];
  requiredUpdates: { change: string; update: string }[];
  guardrails: { status: TriggerStatus; recommendation: Recommendation; reasons: string[] };
}

export const CONTEXT_START = '<!-- canon:context -->';
export const CONTEXT_END = '<!-- /canon:context -->';
export const CONTEXT_HEADING = '## Current session (from the vault)';

const COLUMNS = { goal: 'Goal', files: 'Files', verification: 'Verification', expectedEvidence: 'Expected Evidence', status: 'Status' } as const;

/** The session packets with their Work Packets rows (the first row of each id). */
export function promptPackets(model: StackModel, ids: readonly string[]): PromptPacket[] {
  const bound = model.tables.get('packet');
  const at = (name: string): number => bound?.schema.columns.findIndex((c) => c.name === name) ?? -1;
  const idAt = at('Packet');
  return ids.map((id): PromptPacket => {
    const key = id.trim().toUpperCase();
    const read = bound?.rows.find((r) => !r.malformed && (r.cells[idAt]?.text.trim().toUpperCase() ?? '') === key);
    const cell = (name: string): string => read?.cells[at(name)]?.raw.replace(/\\\|/g, '|').trim() ?? '';
    return {
      id: key,
      found: read !== undefined,
      goal: cell(COLUMNS.goal),
      files: cell(COLUMNS.files),
      verification: cell(COLUMNS.verification),
      expectedEvidence: cell(COLUMNS.expectedEvidence),
      status: cell(COLUMNS.status),
    };
  });
}

/** The context of the open session on the stack as it stands. */
export function promptContext(model: StackModel, session: PromptSession): PromptContext {
  const clean = (items: readonly string[] | undefined): string[] => (items ?? []).map((i) => i.trim()).filter((i) => i !== '');
  return {
    path: session.path,
    objective: session.objective.trim(),
    started: session.started ?? null,
    inScope: clean(session.inScope),
    outOfScope: clean(session.outOfScope),
    packets: promptPackets(model, session.packets),
    requiredUpdates: session.required.filter((r) => !r.done).map((r) => ({ change: r.change, update: r.update })),
    guardrails: { status: session.guardrails.status, recommendation: session.guardrails.recommendation, reasons: [...session.guardrails.reasons] },
  };
}

function packetLines(packet: PromptPacket, plan: string): string[] {
  if (!packet.found) return [`- ${packet.id}: not in the Work Packets table${plan}`];
  const field = (label: string, value: string): string[] => (value === '' ? [] : [`  - ${label}: ${value}`]);
  return [
    `- ${packet.id}: ${packet.goal === '' ? '(no goal written)' : packet.goal}`,
    ...field('Files', packet.files),
    ...field('Verification', packet.verification),
    ...field('Expected evidence', packet.expectedEvidence),
    ...field('Status', packet.status),
  ];
}

const list = (label: string, items: readonly string[]): string[] => (items.length === 0 ? [] : [`${label}:`, ...items.map((i) => `- ${i}`)]);

/** The context block, markers included (LF line endings). */
export function renderContext(context: PromptContext, planPath: string | null = null): string {
  const started = context.started === null ? '' : ` (started ${context.started.replace('T', ' ')})`;
  const scope = [...list('In scope', context.inScope), ...list('Out of scope', context.outOfScope)];
  const plan = planPath === null ? '' : ` of ${planPath}`;
  const { status, recommendation, reasons } = context.guardrails;
  return [
    CONTEXT_START,
    CONTEXT_HEADING,
    '',
    `Objective: ${context.objective}`,
    `Session note: ${context.path}${started}`,
    '',
    ...(scope.length > 0 ? scope : ['Scope: not written in the session note.']),
    '',
    ...(context.packets.length > 0 ? ['Packets:', ...context.packets.flatMap((p) => packetLines(p, plan))] : ['Packets: none attached to the session.']),
    '',
    ...(context.requiredUpdates.length > 0
      ? ['Open required updates (trigger matrix):', ...context.requiredUpdates.map((r) => `- ${r.change} → ${r.update}`)]
      : ['Open required updates: none.']),
    '',
    `Guardrails: ${status} — recommendation: ${recommendation}`,
    ...reasons.map((r) => `- ${r}`),
    CONTEXT_END,
  ].join('\n');
}
