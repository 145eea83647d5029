/**
 * Gates G1–G5 per packet of the session, ticked by hand or proven by the vault. The vault cannot tell
 * packets apart, so a proof holds for every packet: G3 when a Rollout Windows row or a playbook query
 * was added (signal captured); G4 when the session's required updates (trigger matrix) are all done;
 * G5 when the evidence log has rollback triggers and none is in breach. G1 and G2 are proven per packet
 * by its verification ladder (ladder.ts: a unit or integration rung passed since its last failure for
 * G1, an integration rung for G2), else ticked by hand (G2's "justified exception" with a reason).
 * A hand tick of G4 or G5 does not count while the gate is blocked (gate-blocks.ts).
 */
import type { GuardrailReport } from '../guardrails/types';
import type { StackChanges } from './changes-since';
import { gateBlock } from './gate-blocks';
import { GATES, type GateId } from './gate-ids';
import { ladderGateProof } from './ladder';
import type { Rung } from './session-note';
import type { RequiredUpdate } from './required-updates';

export { GATES, type GateId };

/** One gate of one packet (status JSON); `packet` is null for a session without packets. */
export interface GateState {
  packet: string | null;
  gate: GateId;
  done: boolean;
  proof: string | null;
  /** The reason given with the hand tick (`tick --gate G --reason T`); absent when none was given (the README "Command line" shape). */
  reason?: string;
}

export interface GateInput {
  packets: readonly string[];
  /** Gates ticked by hand, as `gateKey` writes them. */
  hand: readonly string[];
  /** Reasons of hand ticks, by the tick's value (`P-4 G2`). */
  reasons?: Readonly<Record<string, string>>;
  changes: StackChanges;
  required: readonly RequiredUpdate[];
  guardrails: GuardrailReport;
  /** The session's verification ladder (none: G1 and G2 only by hand). */
  ladder?: readonly Rung[];
}

/** How a hand-ticked gate is stored in the session note: `P-4 G1`, or `G1` without a packet. */
export function gateKey(packet: string | null, gate: GateId): string {
  return packet === null ? gate : `${packet} ${gate}`;
}

/** The proof the vault gives for a gate, or null. */
function vaultProof(gate: GateId, input: GateInput): string | null {
  if (gate === 'G3') {
    const rows = [...(input.changes.added.get('evidence') ?? []), ...(input.changes.added.get('query') ?? [])];
    return rows.length > 0 ? `observability signal captured: ${rows.map((r) => r.label).join(', ')} added` : null;
  }
  if (gate === 'G4') {
    const { required } = input;
    if (required.length === 0 || required.some((r) => !r.done)) return null;
    return `docs synchronized: ${required.map((r) => r.update).join('; ')}`;
  }
  if (gate === 'G5') {
    const { triggers, status, recommendation } = input.guardrails;
    if (triggers.length === 0 || status === 'breach') return null;
    return `${triggers.length} rollback trigger${triggers.length === 1 ? '' : 's'} written; guardrails ${status} (${recommendation})`;
  }
  return null;
}

/** Every gate of every packet (or of the session when it names none), proven or ticked by hand. */
export function sessionGates(input: GateInput): GateState[] {
  const hand = new Set(input.hand.map((h) => h.trim().toUpperCase()));
  const reasons = new Map(Object.entries(input.reasons ?? {}).map(([key, reason]) => [key.trim().toUpperCase(), reason]));
  const packets: (string | null)[] = input.packets.length > 0 ? [...input.packets] : [null];
  const proofs = new Map(GATES.map((g) => [g, vaultProof(g, input)] as const));
  const blocked = new Set(GATES.filter((g) => gateBlock(g, input.required, input.guardrails) !== null));
  return packets.flatMap((packet) => GATES.map((gate): GateState => {
    const proof = proofs.get(gate) ?? (packet === null ? null : ladderGateProof(input.ladder ?? [], packet, gate));
    if (proof) return { packet, gate, done: true, proof };
    const key = gateKey(packet, gate).toUpperCase();
    const ticked = hand.has(key) && !blocked.has(gate);
    const reason = ticked ? reasons.get(key) : undefined;
    return { packet, gate, done: ticked, proof: ticked ? 'ticked by hand' : null, ...(reason === undefined ? {} : { reason }) };
  }));
}

/** The gates passed by every packet: what the Status Log row's Gates cell says. */
export function passedGates(gates: readonly GateState[]): GateId[] {
  return GATES.filter((g) => gates.filter((s) => s.gate === g).every((s) => s.done) && gates.some((s) => s.gate === g));
}
