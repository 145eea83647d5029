import { readTriggerMatrix, type StackModel } from '../../core';

/** A Work Packets row the start form offers. */
export interface PacketChoice {
  id: string;
  goal: string;
  status: string;
  /** The row's line in the implementation plan (1-based). */
  line: number;
}

/** The Work Packets rows with a packet id, in table order. */
export function packetChoices(model: StackModel): PacketChoice[] {
  const bound = model.tables.get('packet');
  if (!bound) return [];
  const at = (name: string): number => bound.schema.columns.findIndex((c) => c.name === name);
  const [id, goal, status] = [at('Packet'), at('Goal'), at('Status')];
  const choices: PacketChoice[] = [];
  for (const read of bound.rows) {
    const text = (i: number): string => read.cells[i]?.text.trim() ?? '';
    const packet = /^P-[1-9]\d*$/i.exec(text(id))?.[0]?.toUpperCase();
    if (packet && !choices.some((c) => c.id === packet)) choices.push({ id: packet, goal: text(goal), status: text(status), line: read.row.line });
  }
  return choices;
}

/** The trigger matrix's kinds of change ("If you change…" texts), in order. */
export function triggerKinds(model: StackModel): string[] {
  return readTriggerMatrix(model).rows.map((r) => r.change);
}
