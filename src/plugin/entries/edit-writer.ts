import type { App } from 'obsidian';
import { editForm, missingRowReason, planEdit, type EditError, type EditForm, type EditPlan, type EditRequest, type RowChange, type VaultView } from '../../core';
import { writeNote } from '../vault/note-writer';
import type { StackIndex } from '../stack/stack-index';

/** The outcome of an edit from the plugin: the cells changed, or why nothing was written. */
export type EditOutcome =
  | { ok: true; path: string; line: number; id: string; changed: RowChange[]; warnings: EditError[] }
  | { ok: false; errors: EditError[]; cannotRun: boolean };

type Refusal = Extract<EditPlan, { ok: false }>;
type Planned = Extract<EditPlan, { ok: true }>;

/** The form of a row as the vault holds it now (its cells as written), or why it cannot be edited. */
export async function loadEditForm(index: StackIndex, id: string): Promise<EditForm> {
  const view = await index.view();
  if (typeof view === 'string') return { ok: false, message: `Canon cannot read canon.config.json:\n${view}`, cannotRun: true };
  const { model, readOnly } = index.load(view);
  return editForm(model, readOnly, id);
}

/** Plans an edit without writing it (the form's live check). */
export async function dryRunEdit(index: StackIndex, request: EditRequest): Promise<EditPlan> {
  const view = await index.view();
  if (typeof view === 'string') return targetRefusal(view, null);
  return planOn(index, view, request);
}

/**
 * Edits one row (README "Reliability: not one row lost") by the path an append takes: planned on the notes as they are, then
 * planned again inside the write (`writeNote`: the editor's transaction, or `Vault.process`) on the
 * text as it is at that moment. The row must still be the one the caller saw (`expectRow`; when
 * not given, the one the first plan found): a row that moved or changed refuses the write, never
 * guessed. Reported only once the note, read back, holds every changed row as planned.
 */
export async function editRow(app: App, index: StackIndex, request: EditRequest): Promise<EditOutcome> {
  const view = await index.view();
  if (typeof view === 'string') return failed(targetRefusal(view, null));
  const first = planOn(index, view, request);
  if (!first.ok) return failed(first);
  if (first.edits.length === 0) return written(first);
  const pinned: EditRequest = request.expectRow ? request : { ...request, expectRow: { line: first.line, source: first.source } };
  let done: Planned | null = null;
  let refusal: Refusal | null = null;
  const result = await writeNote(app, first.path, (text) => {
    const again = planOn(index, view, pinned, { path: first.path, text });
    if (!again.ok) {
      refusal = again;
      return { ok: false, message: again.errors.map((e) => e.message).join('; ') };
    }
    done = again;
    return { ok: true, edits: again.edits };
  });
  index.invalidate(first.path);
  if (!result.ok) return failed(refusal ?? targetRefusal(result.message, first.path));
  const plan: Planned | null = done;
  if (!plan) return failed(targetRefusal(`${first.path} could not be written`, first.path));
  // Reported means found: the note as read back must hold each changed row, as a row of its table.
  for (const expect of (plan as Planned).expects) {
    const lost = missingRowReason(result.text, expect);
    if (lost) return failed(targetRefusal(`${first.path} was written, but the edited row at line ${expect.line} is not where it should be: ${lost}; check the note`, first.path));
  }
  return written(plan);
}

function planOn(index: StackIndex, view: VaultView, request: EditRequest, override?: { path: string; text: string }): EditPlan {
  const { model, readOnly } = index.load(view, override);
  return planEdit(model, readOnly, request);
}

function written(plan: Planned): EditOutcome {
  return { ok: true, path: plan.path, line: plan.line, id: plan.id, changed: plan.changed, warnings: plan.warnings };
}

function failed(plan: Refusal): EditOutcome {
  return { ok: false, errors: plan.errors, cannotRun: plan.cannotRun };
}

function targetRefusal(message: string, path: string | null): Refusal {
  return { ok: false, errors: [{ column: null, rule: 'entry/target', message, path, line: null }], cannotRun: true, path };
}
