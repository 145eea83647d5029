import type { App } from 'obsidian';
import { fixFor, missingRowReason, type Diagnostic, type Fix, type RefusedFix, type TextEdit, type VaultView } from '../../core';
import { writeNote } from '../vault/note-writer';
import type { StackIndex } from '../stack/stack-index';

/** What a "Fix" or "Fix all" did: the fixes written, those refused and why, and the notes that could not be written. */
export interface FixOutcome {
  fixed: Fix[];
  refused: RefusedFix[];
  /** Why a note's fixes were not written (the note changed meanwhile, or is gone), one line each. */
  failed: string[];
}

/** A fix and the problem it was planned for (planned again from it inside the write). */
interface Planned {
  fix: Fix;
  problem: Diagnostic;
}

/**
 * Fixes one problem of the problem list (README "Fixes"): checked again on the vault as it is now
 * (the problem must still be there, and the fix must add no error), then written by the path an
 * append takes — the editor's transaction or `Vault.process` — planned again inside the write when
 * the note changed meanwhile, and refused when the rows it changes no longer read the same.
 */
export async function fixProblem(app: App, index: StackIndex, problem: Diagnostic): Promise<FixOutcome | string> {
  const view = await index.view();
  if (typeof view === 'string') return `Canon cannot read canon.config.json:\n${view}`;
  const before = await index.checkNow(view);
  const now = before.diagnostics.find((d) => sameProblem(d, problem));
  if (!now) return `the problem is no longer there: ${problem.path} line ${problem.line} (${problem.rule}); the list is checked again`;
  const fix = fixFor(before.model, now);
  if (!fix) return `Canon has no fix for ${problem.path} line ${problem.line} as the row reads now`;
  const added = await index.addedErrors(view, before, [fix]);
  if (added.length > 0) {
    return { fixed: [], refused: [{ fix, reason: `it would add ${added.length === 1 ? 'an error' : `${added.length} errors`}: ${added.slice(0, 2).map(describe).join('; ')}` }], failed: [] };
  }
  return writeFixes(app, index, view, [{ fix, problem: now }], []);
}

/** Fixes every fixable problem (`canon fix` in the plugin): planned together, then written note by note. */
export async function fixAll(app: App, index: StackIndex): Promise<FixOutcome | string> {
  const view = await index.view();
  if (typeof view === 'string') return `Canon cannot read canon.config.json:\n${view}`;
  const plan = await index.planFixes(view);
  const planned = plan.fixes.flatMap((fix) => {
    const problem = plan.before.diagnostics.find((d) => d.path === fix.path && d.line === fix.line && d.rule === fix.rule);
    return problem ? [{ fix, problem }] : [];
  });
  return writeFixes(app, index, view, planned, plan.refused);
}

async function writeFixes(app: App, index: StackIndex, view: VaultView, planned: readonly Planned[], refused: RefusedFix[]): Promise<FixOutcome> {
  const outcome: FixOutcome = { fixed: [], refused, failed: [] };
  const byPath = new Map<string, Planned[]>();
  for (const p of planned) byPath.set(p.fix.path, [...(byPath.get(p.fix.path) ?? []), p]);
  for (const [path, fixes] of byPath) {
    const plannedText = view.read(path)?.text;
    let written: Fix[] = [];
    const result = await writeNote(app, path, (text) => {
      const again = text === plannedText ? fixes.map((p) => p.fix) : replan(index, view, path, text, fixes);
      if (typeof again === 'string') return { ok: false, message: again };
      written = again;
      return { ok: true, edits: again.flatMap((f): TextEdit[] => f.edits) };
    });
    index.invalidate(path);
    if (!result.ok) {
      outcome.failed.push(result.message);
      continue;
    }
    // Reported means found: the note as read back must hold each changed row as planned.
    const lost = written.flatMap((f) => f.expects.map((e) => ({ e, reason: missingRowReason(result.text, e) }))).find((x) => x.reason !== null);
    if (lost) outcome.failed.push(`${path} was written, but the row at line ${lost.e.line} is not where it should be: ${lost.reason ?? ''}; check the note`);
    else outcome.fixed.push(...written);
  }
  return outcome;
}

/**
 * The fixes planned again on the note's text at the moment of writing (it changed since the plan):
 * each must change the same rows from the same text to the same text, or nothing is written.
 */
function replan(index: StackIndex, view: VaultView, path: string, text: string, fixes: readonly Planned[]): Fix[] | string {
  const { model } = index.load(view, { path, text });
  const again: Fix[] = [];
  for (const { fix, problem } of fixes) {
    const next = fixFor(model, problem);
    if (!next || !sameChanges(next, fix)) return `${path} changed at line ${fix.line} since the fix was planned; nothing was written (the problems are checked again)`;
    again.push(next);
  }
  return again;
}

function sameChanges(a: Fix, b: Fix): boolean {
  return a.changes.length === b.changes.length && a.changes.every((c, i) => {
    const d = b.changes[i];
    return d !== undefined && c.line === d.line && c.before === d.before && c.after === d.after;
  });
}

function sameProblem(a: Diagnostic, b: Diagnostic): boolean {
  return a.path === b.path && a.line === b.line && a.rule === b.rule && a.message === b.message;
}

function describe(d: Diagnostic): string {
  return `${d.path}:${d.line} ${d.message} (${d.rule})`;
}
