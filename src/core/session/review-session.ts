/** Reviews an open session against the vault: checklist with proofs, required updates, gates, guardrails. */
import { evaluateTriggers } from '../guardrails/evaluate';
import { readTriggers, readWindows } from '../guardrails/read-rows';
import type { StackModel } from '../stack/model';
import { changesSince, type StackChanges } from './changes-since';
import { readChecklist } from './checklist';
import { sessionGates } from './gates';
import { proveItem } from './provers';
import { requiredUpdates } from './required-updates';
import type { SessionNote } from './session-note';
import { readTriggerMatrix } from './trigger-matrix';
import type { ItemState, SessionReview } from './types';

/** Each item proven by the vault when its prover sees a change, else ticked by hand when the note says so. */
function itemStates(items: readonly string[], session: SessionNote, changes: StackChanges, model: StackModel): ItemState[] {
  const hand = new Set(session.ticks.map((t) => t.trim()));
  const reasons = new Map(Object.entries(session.reasons).map(([tick, reason]) => [tick.trim(), reason]));
  return items.map((text, i): ItemState => {
    const { proof } = proveItem(text, changes, model.preset, { packets: session.packets, rungs: session.ladder });
    if (proof) return { n: i + 1, text, done: true, by: 'vault', proof };
    const ticked = hand.has(text.trim());
    const reason = ticked ? reasons.get(text.trim()) : undefined;
    return { n: i + 1, text, done: ticked, by: ticked ? 'hand' : null, proof: null, ...(reason === undefined ? {} : { reason }) };
  });
}

/** The session's review on the stack as it stands now. */
export function reviewSession(model: StackModel, path: string, session: SessionNote): SessionReview {
  const changes = changesSince(model, session.baseline);
  const checklist = readChecklist(model);
  const matrix = readTriggerMatrix(model);
  const memo = model.guardrails;
  const guardrails = memo
    ? memo.evaluate(memo.triggers(model.tables.get('trigger')), memo.windows(model.tables.get('evidence')))
    : evaluateTriggers(readTriggers(model.tables.get('trigger')), readWindows(model.tables.get('evidence')));
  const required = requiredUpdates(matrix.rows, session.changes, changes, model.preset);
  const gates = sessionGates({ packets: session.packets, hand: session.gates, reasons: session.reasons, changes, required, guardrails, ladder: session.ladder });
  return {
    status: {
      session: {
        path, objective: session.objective, started: session.started, packets: [...session.packets],
        ...(session.inScope.length > 0 ? { inScope: [...session.inScope] } : {}),
        ...(session.outOfScope.length > 0 ? { outOfScope: [...session.outOfScope] } : {}),
      },
      items: itemStates(checklist.items, session, changes, model),
      required,
      gates,
      guardrails: { status: guardrails.status, recommendation: guardrails.recommendation },
      ...(session.ladder.length > 0 ? { ladder: session.ladder.map((r) => ({ ...r })) } : {}),
    },
    changes,
    guardrails,
    checklist,
    matrix,
  };
}
