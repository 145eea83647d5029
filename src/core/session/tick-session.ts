/**
 * Ticks by hand: a checklist item, a gate of a packet, or a kind of change of the trigger matrix.
 * A tick of an item or a gate may carry a reason, kept in the frontmatter's `reasons` map beside the
 * tick lists. G5 is refused while a rollback trigger is in breach, G4 while a required update is open.
 */
import type { TextEdit } from '../edit/text-edit';
import type { StackModel } from '../stack/model';
import { readChecklist } from './checklist';
import type { SessionRef } from './find-sessions';
import { setFrontmatterKey, type FrontmatterLayout } from './frontmatter-layout';
import { gateBlock } from './gate-blocks';
import { gateKey, GATES, type GateId } from './gates';
import { matchChange } from './match-change';
import { reviewSession } from './review-session';
import { packetId } from './start-session';
import { readSessionNote, yamlList, yamlReasons, type SessionNote } from './session-note';
import { readTriggerMatrix } from './trigger-matrix';

export type TickRequest =
  | { kind: 'item'; n: number; undo: boolean; reason?: string }
  | { kind: 'gate'; gate: string; packet?: string; undo: boolean; reason?: string }
  | { kind: 'change'; change: string; undo: boolean };

export type TickPlan = { ok: true; edits: TextEdit[]; message: string } | { ok: false; message: string };

type ListKey = 'ticks' | 'gates' | 'changes';

/** The values to add or remove, in which frontmatter list, and how the message names them. */
type Target = { ok: true; key: ListKey; values: string[]; what: string } | { ok: false; message: string };

function itemTarget(model: StackModel, n: number): Target {
  const { items } = readChecklist(model);
  const text = Number.isInteger(n) ? items[n - 1] : undefined;
  if (text === undefined) return { ok: false, message: `the checklist has no item ${n}; expected 1 to ${items.length}` };
  return { ok: true, key: 'ticks', values: [text], what: `item ${n} (${text})` };
}

function gateTarget(ref: SessionRef, gate: string, packet: string | undefined): Target {
  const id = gate.trim().toUpperCase() as GateId;
  if (!GATES.includes(id)) return { ok: false, message: `\`${gate}\` is not a gate; expected one of ${GATES.join(', ')}` };
  const packets = ref.session.packets;
  if (packet !== undefined) {
    const p = packetId(packet);
    if (!p || !packets.includes(p)) return { ok: false, message: `\`${packet}\` is not a packet of this session; expected one of ${packets.join(', ') || '(none: the session has no packets)'}` };
    return { ok: true, key: 'gates', values: [gateKey(p, id)], what: `${id} of ${p}` };
  }
  const keys = packets.length > 0 ? packets.map((p) => gateKey(p, id)) : [gateKey(null, id)];
  return { ok: true, key: 'gates', values: keys, what: packets.length > 0 ? `${id} of ${packets.join(', ')}` : id };
}

function changeTarget(model: StackModel, change: string): Target {
  const match = matchChange(readTriggerMatrix(model).rows, change);
  if (!match.ok) return match;
  return { ok: true, key: 'changes', values: [match.row.change], what: `change "${match.row.change}" (requires ${match.row.update})` };
}

/** A reason as kept: one line, spaces collapsed; null when none was given. */
function cleanReason(reason: string | undefined): string | null {
  return reason === undefined ? null : reason.replace(/\s+/g, ' ').trim();
}

/** Why a reason cannot go with this request, or null. */
function reasonProblem(request: TickRequest, reason: string | null): string | null {
  if (reason === null) return null;
  if (request.kind === 'change') return 'a reason goes with a tick of an item or a gate; a kind of change takes none';
  if (request.undo) return 'a reason goes with a tick, not with its undo';
  return reason === '' ? 'the reason is empty; expected a few words saying why the tick is made by hand' : null;
}

/** Why a gate tick is refused (G5 in breach, G4 with a required update open), or null. */
function blockedGate(model: StackModel, ref: SessionRef, session: SessionNote, gate: string): string | null {
  const id = gate.trim().toUpperCase();
  if (id !== 'G4' && id !== 'G5') return null;
  const review = reviewSession(model, ref.path, session);
  return gateBlock(id, review.status.required, review.guardrails)?.message ?? null;
}

/** The reasons after the tick: set for each value ticked with one, dropped for each value unticked. */
function nextReasons(current: Readonly<Record<string, string>>, values: readonly string[], undo: boolean, reason: string | null): Record<string, string> {
  const next = { ...current };
  for (const value of values) {
    if (undo) delete next[value];
    else if (reason !== null) next[value] = reason;
  }
  return next;
}

function sameReasons(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/** The edits of a tick: its list key, and the `reasons` key (in place, else added just after `gates`: beside the ticks). */
function tickEdits(layout: FrontmatterLayout, key: string, list: string[] | null, reasons: Record<string, string> | null): TextEdit[] {
  const edits: TextEdit[] = list ? [setFrontmatterKey(layout, key, yamlList(list))] : [];
  if (!reasons) return edits;
  const yaml = yamlReasons(reasons);
  const insert = `reasons:${yaml.startsWith('\n') ? '' : ' '}${yaml.split('\n').join(layout.eol)}${layout.eol}`;
  const existing = layout.keys.find((k) => k.key === 'reasons');
  if (existing) return [...edits, { from: existing.from, to: existing.to, insert }];
  const anchor = layout.keys.find((k) => k.key === 'gates') ?? layout.keys.find((k) => k.key === key);
  const at = anchor ? anchor.to : layout.closeFrom;
  const first = edits[0];
  // An edit that ends where the key goes: one edit, so that the two never land at one offset in either order.
  if (first && first.to === at) return [{ ...first, insert: first.insert + insert }];
  return [...edits, { from: at, to: at, insert }];
}

/** Plans the frontmatter edit of a tick (or its undo), with its reason; no edit when nothing changes. */
export function planTick(model: StackModel, ref: SessionRef, request: TickRequest): TickPlan {
  const read = readSessionNote(ref.text, model.vault.parseYaml);
  if (!read.ok) return { ok: false, message: `${ref.path}: ${read.problem}` };
  const reason = cleanReason(request.kind === 'change' ? (request as { reason?: string }).reason : request.reason);
  const problem = reasonProblem(request, reason);
  if (problem) return { ok: false, message: problem };
  const target = request.kind === 'item' ? itemTarget(model, request.n)
    : request.kind === 'gate' ? gateTarget(ref, request.gate, request.packet) : changeTarget(model, request.change);
  if (!target.ok) return target;
  if (request.kind === 'gate' && !request.undo) {
    const blocked = blockedGate(model, ref, read.session, request.gate);
    if (blocked) return { ok: false, message: blocked };
  }
  const current = read.session[target.key];
  const next = request.undo ? current.filter((v) => !target.values.includes(v)) : [...current, ...target.values.filter((v) => !current.includes(v))];
  const listChanged = next.length !== current.length || next.some((v, i) => v !== current[i]);
  const reasons = nextReasons(read.session.reasons, target.values, request.undo, reason);
  const reasonsChanged = !sameReasons(reasons, read.session.reasons);
  const because = reason === null ? '' : `, reason: ${reason}`;
  if (!listChanged && !reasonsChanged) {
    return { ok: true, edits: [], message: `${target.what} was already ${request.undo ? 'not ticked' : 'ticked'} by hand${because}` };
  }
  const edits = tickEdits(read.layout, target.key, listChanged ? next : null, reasonsChanged ? reasons : null);
  if (!listChanged) return { ok: true, edits, message: request.undo ? `${target.what} was already not ticked by hand` : `${target.what} was already ticked by hand; reason now: ${reason ?? ''}` };
  return { ok: true, edits, message: `${request.undo ? 'Unticked' : 'Ticked'} ${target.what}${because}` };
}
