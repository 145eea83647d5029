/** The operating model's short meta prompt (§9, fast mode), with the objective when one is given. */
import { presetShortPrompt } from './templates';

/** What the short prompt is filled with. */
export interface ShortPromptInput {
  objective?: string;
  program?: string;
}

/** The preset's short meta prompt; an objective, when given, is its first line. */
export function renderShortMetaPrompt(input: ShortPromptInput = {}): string {
  const body = presetShortPrompt(input.program);
  const objective = input.objective?.trim();
  return objective ? `Objective: ${objective}\n\n${body}` : body;
}
