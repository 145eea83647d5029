/**
 * Sets Work Packets rows' Status to `done` (README "Command line" `session close --done P-n`) through `canon edit`'s
 * planner (planEdit: one splice of the Status cell per row, the stack checked again with it), nothing
 * else of the plan touched.
 */
import { planEdit } from '../edit/edit-row';
import type { TextEdit } from '../edit/text-edit';
import type { StackModel } from '../stack/model';
import { findPacket } from './work-packets';

/** One row the close sets to done: `was` is its Status before (`done` when it already was: no edit). */
export interface PacketDone {
  packet: string;
  was: string;
  path: string;
  line: number;
}

export type DonePlan =
  | { ok: true; path: string | null; edits: TextEdit[]; rows: PacketDone[] }
  | { ok: false; message: string };

const DONE = 'done';

/** The Status cell edits; refused (naming the packet and why) when a row or its Status cell cannot be written. */
export function planPacketsDone(model: StackModel, readOnly: ReadonlyMap<string, string>, packets: readonly string[], now: Date): DonePlan {
  if (packets.length === 0) return { ok: true, path: null, edits: [], rows: [] };
  const edits: TextEdit[] = [];
  const rows: PacketDone[] = [];
  let path: string | null = null;
  for (const id of packets) {
    const row = findPacket(model, id);
    const plan = planEdit(model, readOnly, { id, sets: { Status: DONE }, now });
    if (!plan.ok) return { ok: false, message: `--done ${id}: ${plan.errors.map((e) => e.message).join('; ')}` };
    path = plan.path;
    edits.push(...plan.edits);
    rows.push({ packet: plan.id, was: row?.status ?? '', path: plan.path, line: plan.line });
  }
  return { ok: true, path, edits, rows };
}

/** The packets whose Status does not read `done` in the model (after the write, read back). */
export function notDone(model: StackModel, packets: readonly string[]): string[] {
  return packets.filter((id) => findPacket(model, id)?.status.toLowerCase() !== DONE);
}
