import type { App } from 'obsidian';
import { findColumn, idColumn, missingRowReason, PHASE_A, planAppend, tableFor, type AppendPlan, type EntryError, type EntryKind, type RowChange, type VaultView } from '../../core';
import { writeNote } from '../vault/note-writer';
import type { StackIndex } from '../stack/stack-index';

/** The outcome of an append from the plugin: where the row went, or why nothing was written. */
export type WriteOutcome =
  /** `changed`: the cells of existing rows the append also changed (a superseded decision's Status). */
  | { ok: true; path: string; line: number; id: string | null; changed: RowChange[]; warnings: EntryError[] }
  | { ok: false; errors: EntryError[]; cannotRun: boolean };

type Refusal = Extract<AppendPlan, { ok: false }>;
type Planned = Extract<AppendPlan, { ok: true }>;

/** Plans an entry without writing it (the form's live check). */
export async function dryRun(index: StackIndex, kind: EntryKind, fields: Record<string, string>, now: Date): Promise<AppendPlan> {
  const view = await index.view();
  if (typeof view === 'string') return targetRefusal(view, null);
  return planOn(index, view, kind, fields, now);
}

/**
 * Appends one entry (README "Reliability: not one row lost"): planned on the notes as they are, then planned again inside the
 * write (`writeNote`) on the text as it is at that moment, so a table that moved is found again and
 * one that changed shape refuses the write.
 */
export async function appendEntry(app: App, index: StackIndex, kind: EntryKind, fields: Record<string, string>, now: Date): Promise<WriteOutcome> {
  const view = await index.view();
  if (typeof view === 'string') return failed(targetRefusal(view, null));
  const plan = planOn(index, view, kind, fields, now);
  if (!plan.ok) return failed(plan);
  let done: Planned | null = null;
  let refusal: Refusal | null = null;
  const result = await writeNote(app, plan.path, (text) => {
    const again = planOn(index, view, kind, fields, now, { path: plan.path, text });
    if (!again.ok) {
      refusal = again;
      return { ok: false, message: again.errors.map((e) => e.message).join('; ') };
    }
    done = again;
    return { ok: true, edits: again.edits };
  });
  index.invalidate(plan.path);
  if (!result.ok) return failed(refusal ?? targetRefusal(result.message, plan.path));
  if (!done) return failed(targetRefusal(`${plan.path} could not be written`, plan.path));
  // Reported means found: the note as read back must hold the row, as a row of its table (and each row it changed).
  const expects = (done as Planned).expects;
  for (const [i, expect] of expects.entries()) {
    const lost = missingRowReason(result.text, expect);
    if (lost) return failed(targetRefusal(`${plan.path} was written, but ${i === 0 ? 'the new row' : `the changed row at line ${expect.line}`} is not where it should be: ${lost}; check the note`, plan.path));
  }
  return written(done, kind);
}

function planOn(index: StackIndex, view: VaultView, kind: EntryKind, fields: Record<string, string>, now: Date, override?: { path: string; text: string }): AppendPlan {
  const { model, readOnly } = index.load(view, override);
  return planAppend(model, readOnly, { kind, fields, now });
}

function written(plan: Planned, kind: EntryKind): WriteOutcome {
  const schema = tableFor(PHASE_A, kind);
  const idName = idColumn(schema)?.name;
  const idKey = idName === undefined ? undefined : Object.keys(plan.row).find((k) => findColumn(schema, k)?.name === idName);
  return { ok: true, path: plan.path, line: plan.line, id: idKey ? (plan.row[idKey] ?? null) : null, changed: plan.changed, warnings: plan.warnings };
}

function failed(plan: Refusal): WriteOutcome {
  return { ok: false, errors: plan.errors, cannotRun: plan.cannotRun };
}

function targetRefusal(message: string, path: string | null): Refusal {
  return { ok: false, errors: [{ column: null, rule: 'entry/target', message }], cannotRun: true, path };
}
