/** The operating model's short meta prompt (§9, fast mode), with the objective when one is given. */
import { PHASE_A_PROGRAM } from './templates';

/** What the short prompt is filled with. */
export interface ShortPromptInput {
  objective?: string;
  program?: string;
}

/** The short meta prompt; an objective, when given, is its first line. */
export function renderShortMetaPrompt(input: ShortPromptInput = {}): string {
  const body = `Follow the ${input.program ?? PHASE_A_PROGRAM} Phase A operating model: packetized changes, immediate verification, evidence-first rollout decisions, and mandatory doc sync (00/03/04). No change is complete without tests/probes + updated evidence/status/decision logs when applicable.`;
  const objective = input.objective?.trim();
  return objective ? `Objective: ${objective}\n\n${body}` : body;
}
