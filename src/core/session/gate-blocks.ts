/**
 * Gates a hand tick cannot pass (README "Command line" "Ladder and gates"): G5 while a rollback trigger is in
 * breach, G4 while a required update of the trigger matrix is open. The vault proves either gate
 * once its condition clears; until then a tick is refused and a tick made earlier does not count.
 */
import type { GuardrailReport } from '../guardrails/types';
import type { GateId } from './gate-ids';
import type { RequiredUpdate } from './required-updates';

/** Why a gate cannot be ticked by hand now: a short text (beside a checkbox) and the whole message. */
export interface GateBlock {
  gate: 'G4' | 'G5';
  short: string;
  message: string;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** The block of G5: each trigger in breach, by name, and what would lift it. */
function g5Block(guardrails: GuardrailReport): GateBlock | null {
  const breached = guardrails.triggers.filter((t) => t.status === 'breach');
  if (breached.length === 0) return null;
  const lines = breached.map((t) => `  - ${t.trigger || t.metric}: ${t.message}`);
  return {
    gate: 'G5',
    short: `${plural(breached.length, 'rollback trigger', 'rollback triggers')} in breach`,
    message: [
      `G5 cannot be ticked: ${plural(breached.length, 'rollback trigger is', 'rollback triggers are')} in breach:`,
      ...lines,
      'It can be ticked once no trigger is in breach: newer Rollout Windows rows within each condition (`canon guardrails` shows the readings).',
    ].join('\n'),
  };
}

/** The block of G4: each open required update, and what would lift it. */
function g4Block(required: readonly RequiredUpdate[]): GateBlock | null {
  const open = required.filter((r) => !r.done);
  if (open.length === 0) return null;
  return {
    gate: 'G4',
    short: `${plural(open.length, 'required update', 'required updates')} open`,
    message: [
      `G4 cannot be ticked: ${plural(open.length, 'required update is', 'required updates are')} open:`,
      ...open.map((r) => `  - "${r.change}" requires ${r.update}`),
      'It can be ticked once each is done: a row added to each note it names (the vault then proves G4 by itself).',
    ].join('\n'),
  };
}

/** Why `gate` cannot be ticked by hand now, or null when it can. */
export function gateBlock(gate: GateId, required: readonly RequiredUpdate[], guardrails: GuardrailReport): GateBlock | null {
  if (gate === 'G5') return g5Block(guardrails);
  if (gate === 'G4') return g4Block(required);
  return null;
}
