/** The implementation plan's Work Packets rows as sessions use them: ids, verification commands, statuses. */
import type { ReadRow } from '../stack/bind-table';
import type { StackModel } from '../stack/model';

/** One Work Packets row with a packet id. */
export interface PacketRow {
  id: string;
  goal: string;
  /** The Verification cell as written (markup kept) and as plain text. */
  verificationRaw: string;
  verification: string;
  status: string;
  path: string;
  /** 1-based line of the row. */
  line: number;
  read: ReadRow;
}

/** Every Work Packets row with a readable packet id, in table order (the first row of a duplicated id wins). */
export function readPackets(model: StackModel): PacketRow[] {
  const bound = model.tables.get('packet');
  if (!bound?.table) return [];
  const at = (name: string): number => bound.schema.columns.findIndex((c) => c.name === name);
  const [id, goal, verification, status] = [at('Packet'), at('Goal'), at('Verification'), at('Status')];
  const out: PacketRow[] = [];
  for (const read of bound.rows) {
    const cell = (i: number) => read.cells[i];
    const packet = /^P-([1-9]\d*)$/i.exec(cell(id)?.text.trim() ?? '')?.[1];
    if (packet === undefined || out.some((p) => p.id === `P-${packet}`)) continue;
    out.push({
      id: `P-${packet}`,
      goal: cell(goal)?.text.trim() ?? '',
      verificationRaw: cell(verification)?.raw.trim() ?? '',
      verification: cell(verification)?.text.trim() ?? '',
      status: cell(status)?.text.trim() ?? '',
      path: bound.path,
      line: read.row.line,
      read,
    });
  }
  return out;
}

/** The packet's row, or undefined. */
export function findPacket(model: StackModel, id: string): PacketRow | undefined {
  const wanted = id.trim().toUpperCase();
  return readPackets(model).find((p) => p.id === wanted);
}

const MAX_SCANNED = 4096;

/** Inline code spans of a cell's source: `` `npm test` `` → `npm test` (GFM's `\|` in a table cell is a pipe). */
function codeSpans(raw: string): string[] {
  const spans: string[] = [];
  let i = 0;
  while (i < raw.length) {
    const open = raw.indexOf('`', i);
    if (open < 0) break;
    let n = open;
    while (raw.charAt(n) === '`') n++;
    const fence = raw.slice(open, n);
    const close = findRun(raw, fence, n);
    if (close < 0) { i = n; continue; }
    let body = raw.slice(n, close).replace(/\\\|/g, '|');
    if (body.length > 2 && body.startsWith(' ') && body.endsWith(' ') && body.trim() !== '') body = body.slice(1, -1);
    spans.push(body);
    i = close + fence.length;
  }
  return spans;
}

/** The offset of a backtick run of exactly `fence`'s length at or after `from`, or -1. */
function findRun(raw: string, fence: string, from: number): number {
  let at = raw.indexOf(fence, from);
  while (at >= 0) {
    let end = at;
    while (raw.charAt(end) === '`') end++;
    if (end - at === fence.length) return at;
    at = raw.indexOf(fence, end);
  }
  return -1;
}

/**
 * The command a packet's Verification cell names: the code span when the cell holds exactly one
 * (`` `npm test` (full regression suite) `` → `npm test`), else the cell's plain text; null when empty.
 */
export function verificationCommand(packet: PacketRow): string | null {
  // A command is a line, not a page: a cell beyond the bound is taken as its plain text, unscanned.
  const spans = packet.verificationRaw.length <= MAX_SCANNED ? codeSpans(packet.verificationRaw) : [];
  const command = (spans.length === 1 ? (spans[0] ?? '') : packet.verification).trim();
  return command === '' ? null : command;
}
