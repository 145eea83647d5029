/** Ticks by hand: a checklist item, a gate of a packet, or a kind of change of the trigger matrix. */
import type { TextEdit } from '../edit/text-edit';
import type { StackModel } from '../stack/model';
import { readChecklist } from './checklist';
import type { SessionRef } from './find-sessions';
import { setFrontmatterKey } from './frontmatter-layout';
import { gateKey, GATES, type GateId } from './gates';
import { matchChange } from './match-change';
import { packetId } from './start-session';
import { readSessionNote, yamlList } from './session-note';
import { readTriggerMatrix } from './trigger-matrix';

export type TickRequest =
  | { kind: 'item'; n: number; undo: boolean }
  | { kind: 'gate'; gate: string; packet?: string; undo: boolean }
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

/** Plans the one-key frontmatter edit of a tick (or its undo); no edit when nothing changes. */
export function planTick(model: StackModel, ref: SessionRef, request: TickRequest): TickPlan {
  const read = readSessionNote(ref.text);
  if (!read.ok) return { ok: false, message: `${ref.path}: ${read.problem}` };
  const target = request.kind === 'item' ? itemTarget(model, request.n)
    : request.kind === 'gate' ? gateTarget(ref, request.gate, request.packet) : changeTarget(model, request.change);
  if (!target.ok) return target;
  const current = read.session[target.key];
  const next = request.undo ? current.filter((v) => !target.values.includes(v)) : [...current, ...target.values.filter((v) => !current.includes(v))];
  const verb = request.undo ? 'Unticked' : 'Ticked';
  if (next.length === current.length && next.every((v, i) => v === current[i])) {
    return { ok: true, edits: [], message: `${target.what} was already ${request.undo ? 'not ticked' : 'ticked'} by hand` };
  }
  return { ok: true, edits: [setFrontmatterKey(read.layout, target.key, yamlList(next))], message: `${verb} ${target.what}` };
}
