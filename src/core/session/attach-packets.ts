/**
 * Adds packets to the open session (README "Command line" `session attach`): the frontmatter's `packets` list gains
 * them, nothing else changes — the baseline stays the one taken at start, so what the session changed
 * is still told from its start.
 */
import type { TextEdit } from '../edit/text-edit';
import type { StackModel } from '../stack/model';
import type { SessionRef } from './find-sessions';
import { setFrontmatterKey } from './frontmatter-layout';
import { packetCountWarning, packetId, unknownPackets } from './start-session';
import { readSessionNote, yamlList } from './session-note';

/** `added`: the packets attached now; `already`: those the session had; `warnings`: said, not refused. */
export type AttachPlan =
  | { ok: true; edits: TextEdit[]; added: string[]; already: string[]; packets: string[]; warnings: string[] }
  | { ok: false; message: string };

/** The packet ids given (`P-4`, `p-5`, `P-4,P-6`), each checked, in order, without repeats; or the first that is not an id. */
export function packetIds(given: readonly string[]): { ok: true; ids: string[] } | { ok: false; message: string } {
  const ids: string[] = [];
  for (const word of given.flatMap((g) => g.split(',')).map((w) => w.trim()).filter((w) => w !== '')) {
    const id = packetId(word);
    if (!id) return { ok: false, message: `\`${word}\` is not a packet id; expected P-<n> as in Work Packets` };
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) return { ok: false, message: 'expected at least one packet id (P-<n>)' };
  return { ok: true, ids };
}

/** Plans the attach: refused when an id is not a Work Packets row (each such id named). */
export function planAttach(model: StackModel, ref: SessionRef, given: readonly string[]): AttachPlan {
  const read = readSessionNote(ref.text, model.vault.parseYaml);
  if (!read.ok) return { ok: false, message: `${ref.path}: ${read.problem}` };
  if (read.session.status !== 'open') return { ok: false, message: `${ref.path} is closed` };
  const ids = packetIds(given);
  if (!ids.ok) return ids;
  const unknown = unknownPackets(model, ids.ids, 'attach');
  if (unknown) return { ok: false, message: unknown };
  const current = read.session.packets;
  const has = (id: string) => current.some((p) => p.toUpperCase() === id);
  const added = ids.ids.filter((id) => !has(id));
  const already = ids.ids.filter(has);
  const packets = [...current, ...added];
  const warning = added.length > 0 ? packetCountWarning(packets.length) : null;
  const edits = added.length > 0 ? [setFrontmatterKey(read.layout, 'packets', yamlList(packets))] : [];
  return { ok: true, edits, added, already, packets, warnings: warning ? [warning] : [] };
}
