/**
 * Writing the evidence log's recommendation block (README "Command line"; guardrails/recommendation-block.ts):
 * the guardrails evaluated over the stack as it is, rendered, and spliced in place of the block
 * (or added), so `canon guardrails --write` and a session close change only those lines.
 */
import { evaluateTriggers } from '../guardrails/evaluate';
import { readTriggers, readWindows } from '../guardrails/read-rows';
import { renderRecommendation, recommendationEdit } from '../guardrails/recommendation-block';
import type { GuardrailReport } from '../guardrails/types';
import { pathOf, type StackModel } from '../stack/model';
import type { TextEdit } from './text-edit';

export type RecommendationPlan =
  | { ok: true; path: string; report: GuardrailReport; block: string; edit: TextEdit | null }
  | { ok: false; message: string };

/** The block the guardrails give now, and the splice that writes it into the evidence log (null when it reads so already). */
export function planRecommendation(model: StackModel, readOnly: ReadonlyMap<string, string> = new Map()): RecommendationPlan {
  const path = pathOf(model, 'evidence-log');
  const note = path ? model.notes.get(path) : undefined;
  if (!path || !note) return { ok: false, message: 'no evidence log in the vault; expected a note with `canon: evidence-log` or a `04_` file name (run `canon init`)' };
  const problem = readOnly.get(path);
  if (problem !== undefined) return { ok: false, message: `${path} is not written: ${problem}` };
  const windows = readWindows(model.tables.get('evidence'));
  const report = evaluateTriggers(readTriggers(model.tables.get('trigger')), windows);
  const block = renderRecommendation(report, windows[windows.length - 1] ?? null, note.eol);
  return { ok: true, path, report, block, edit: recommendationEdit(note, block) };
}
