/** The shapes a session's review is reported in (README "Command line" `session status --format json`). */
import type { GuardrailReport, Recommendation, TriggerStatus } from '../guardrails/types';
import type { StackChanges } from './changes-since';
import type { ChecklistSource } from './checklist';
import type { GateState } from './gates';
import type { RequiredUpdate } from './required-updates';
import type { Rung } from './session-note';
import type { MatrixSource } from './trigger-matrix';

/** One checklist item: ticked by the vault (with its proof), by hand, or open. */
export interface ItemState {
  /** 1-based, as `canon session tick N` takes it. */
  n: number;
  text: string;
  done: boolean;
  by: 'vault' | 'hand' | null;
  proof: string | null;
  /** The reason given with the hand tick (`tick N --reason T`); absent when none was given (the README "Command line" shape). */
  reason?: string;
}

/**
 * The status of the open session, exactly as `canon session status --format json` prints it: the README "Command line"
 * shape; the scope lock (`session.inScope`, `session.outOfScope`) and the verification ladder (`ladder`,
 * oldest rung first) only when the session has them, so a session without them keeps that shape exactly.
 */
export interface SessionStatus {
  session: { path: string; objective: string; started: string; packets: string[]; inScope?: string[]; outOfScope?: string[] };
  items: ItemState[];
  required: RequiredUpdate[];
  gates: GateState[];
  guardrails: { status: TriggerStatus; recommendation: Recommendation };
  ladder?: Rung[];
}

/** The status with what it was computed from, for the pane and the close summary. */
export interface SessionReview {
  status: SessionStatus;
  changes: StackChanges;
  guardrails: GuardrailReport;
  checklist: ChecklistSource;
  matrix: MatrixSource;
}
