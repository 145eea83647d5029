/**
 * The verification ladder as proof (README "Command line"): each packet's rungs (unit, integration, snapshot), in
 * the order they were recorded. A failure stops the ladder (operating model §4 step 4: stop, fix,
 * re-run), so only the rungs recorded after a packet's last failure count. G1 passes for a packet
 * when a unit or integration rung passed since; G2 when an integration rung did. The checklist item
 * "Code behavior validated" is proven by a passing rung since the last failure of every session
 * packet, "Relevant tests/probes run" by any rung recorded.
 */
import type { Rung, RungKind } from './session-note';

/** The gates the ladder proves, and the rungs each one takes. */
const GATE_RUNGS: Readonly<Record<'G1' | 'G2', readonly RungKind[]>> = { G1: ['unit', 'integration'], G2: ['integration'] };

/** A packet id as compared: `p-4` is `P-4`. */
function same(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

/** A rung's time as shown: `2026-11-24 14:05`, seconds left out. */
export function rungTime(at: string): string {
  return at.replace('T', ' ').replace(/^(\d{4}-\d\d-\d\d \d\d:\d\d):\d\d$/, '$1');
}

/** The packet's rungs, oldest first. */
export function packetRungs(ladder: readonly Rung[], packet: string): Rung[] {
  return ladder.filter((r) => same(r.packet, packet));
}

/** The packet's rungs recorded after its last failure (all of them when none failed). */
export function rungsSinceFailure(ladder: readonly Rung[], packet: string): Rung[] {
  const own = packetRungs(ladder, packet);
  let last = -1;
  own.forEach((r, i) => { if (r.result === 'fail') last = i; });
  return own.slice(last + 1);
}

// Not `.at(-1)`: Array.prototype.at is missing on iOS before 15.4, where the plugin runs too.
function lastOf<T>(list: readonly T[]): T | undefined {
  return list[list.length - 1];
}

/** `unit passed 2026-11-24 14:07 (npm test)`. */
function passPhrase(rung: Rung): string {
  return `${rung.rung} passed ${rungTime(rung.at)}${rung.command ? ` (${rung.command})` : ''}`;
}

/** The ladder's proof of G1 or G2 for a packet, or null (other gates are not the ladder's). */
export function ladderGateProof(ladder: readonly Rung[], packet: string, gate: string): string | null {
  if (gate !== 'G1' && gate !== 'G2') return null;
  const kinds = GATE_RUNGS[gate];
  const hit = lastOf(rungsSinceFailure(ladder, packet).filter((r) => r.result === 'pass' && kinds.includes(r.rung)));
  if (!hit) return null;
  const failed = packetRungs(ladder, packet).some((r) => r.result === 'fail');
  return `verification ladder: ${passPhrase(hit)}${failed ? ', after the last failure' : ''}`;
}

/** Which ladder item a checklist item is: behaviour validated, or tests/probes run. */
export type LadderItem = 'validated' | 'run';

/** What the ladder proves items from: the session's packets and its rungs. */
export interface LadderView {
  packets: readonly string[];
  rungs: readonly Rung[];
}

const MAX_LISTED = 5;

/** The ladder's proof of a ladder item, or null. */
export function ladderItemProof(item: LadderItem, ladder: LadderView): string | null {
  if (item === 'run') {
    const n = ladder.rungs.length;
    if (n === 0) return null;
    const listed = ladder.rungs.slice(-MAX_LISTED).map((r) => `${r.packet} ${r.rung} ${r.result}`);
    return `verification ladder: ${n} ${n === 1 ? 'rung' : 'rungs'} recorded (${n > MAX_LISTED ? '…, ' : ''}${listed.join(', ')})`;
  }
  if (ladder.packets.length === 0) return null;
  const passes: string[] = [];
  for (const packet of ladder.packets) {
    const hit = lastOf(rungsSinceFailure(ladder.rungs, packet).filter((r) => r.result === 'pass'));
    if (!hit) return null;
    passes.push(`${packet} ${hit.rung} ${rungTime(hit.at)}`);
  }
  return `verification ladder: a passing rung for ${passes.join(', ')}`;
}

/** What a ladder item still lacks, in one sentence (for the pane), or null when it is proven. */
export function ladderItemMissing(item: LadderItem, ladder: LadderView): string | null {
  if (ladderItemProof(item, ladder) !== null) return null;
  if (item === 'run') return 'No rung of the verification ladder recorded yet (Record result, or `canon session verify`).';
  if (ladder.packets.length === 0) return 'The session names no packet: tick by hand, or attach a packet and record its ladder.';
  const lacking = ladder.packets.filter((p) => !rungsSinceFailure(ladder.rungs, p).some((r) => r.result === 'pass'));
  return `No passing rung since the last failure for ${lacking.join(', ')}.`;
}

/** One rung as a line of text: `✔ unit pass 2026-11-24 14:07 — `npm test` exit 0 in 1.2 s — note`. */
export function rungLine(rung: Rung): string {
  const parts = [`${rung.result === 'pass' ? '✔' : '✘'} ${rung.rung} ${rung.result} ${rungTime(rung.at)}`];
  const ran: string[] = [];
  if (rung.command) ran.push(`\`${rung.command.replace(/`/g, "'")}\``);
  if (rung.by === 'run') ran.push(rung.timedOut ? 'timed out' : rung.exit === null || rung.exit === undefined ? 'ended by a signal' : `exit ${rung.exit}`);
  if (rung.ms !== undefined) ran.push(`in ${seconds(rung.ms)}`);
  if (rung.by === 'hand') ran.push('(result given by hand)');
  if (ran.length > 0) parts.push(ran.join(' '));
  if (rung.note) parts.push(rung.note);
  return parts.join(' — ');
}

/** A duration as `0.4 s`, `12.0 s`, `3 min 05 s`. */
export function seconds(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const s = Math.round(ms / 1000);
  return `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}

/** The Verification section's lines of the close summary: each session packet's ladder. */
export function ladderSummary(ladder: LadderView): string[] {
  const lines: string[] = [];
  for (const packet of ladder.packets) {
    const own = packetRungs(ladder.rungs, packet);
    if (own.length === 0) {
      lines.push(`- Verification ladder of ${packet}: no rung recorded`);
      continue;
    }
    lines.push(`- Verification ladder of ${packet}:`);
    for (const rung of own) lines.push(`  - ${rungLine(rung)}`);
  }
  const others = ladder.rungs.filter((r) => !ladder.packets.some((p) => same(p, r.packet)));
  for (const rung of others) lines.push(`- Verification ladder of ${rung.packet} (not a session packet): ${rungLine(rung)}`);
  return lines;
}
