import { MarkdownView, type App } from 'obsidian';
import { applyEdits, findColumn, idColumn, PHASE_A, planAppend, tableFor, type AppendPlan, type EntryError, type EntryKind, type VaultView } from '../../core';
import type { StackIndex } from './stack-index';

/** The outcome of an append from the plugin: where the row went, or why nothing was written. */
export type WriteOutcome =
  | { ok: true; path: string; line: number; id: string | null }
  | { ok: false; errors: EntryError[]; cannotRun: boolean };

type Refusal = Extract<AppendPlan, { ok: false }>;
type Planned = Extract<AppendPlan, { ok: true }>;

/** Thrown inside `Vault.process` to abandon the write: the target is not as planned. */
class Refused extends Error {
  constructor(readonly plan: Refusal) {
    super('refused');
  }
}

/** Plans an entry without writing it (the form's live check). */
export async function dryRun(index: StackIndex, kind: EntryKind, fields: Record<string, string>, now: Date): Promise<AppendPlan> {
  const view = await index.view();
  if (typeof view === 'string') return targetRefusal(view, null);
  return planOn(index, view, kind, fields, now);
}

/**
 * Appends one entry (SPEC §4): planned on the notes as they are, then planned again inside the
 * write on the text as it is at that moment, so a table that moved is found again and one that
 * changed shape refuses the write. An open note is written through its editor (one undo step).
 */
export async function appendEntry(app: App, index: StackIndex, kind: EntryKind, fields: Record<string, string>, now: Date): Promise<WriteOutcome> {
  const view = await index.view();
  if (typeof view === 'string') return failed(targetRefusal(view, null));
  const plan = planOn(index, view, kind, fields, now);
  if (!plan.ok) return failed(plan);
  const file = app.vault.getFileByPath(plan.path);
  if (!file) return failed(targetRefusal(`${plan.path} is gone; nothing was written`, plan.path));

  const active = app.workspace.getActiveViewOfType(MarkdownView);
  // The editor holds LF only, so a CRLF note is written through the vault to keep its line endings (SPEC §4).
  const crlf = (await app.vault.cachedRead(file)).includes('\r\n');
  if (active?.file?.path === plan.path && !crlf) {
    const editor = active.editor;
    const again = planOn(index, view, kind, fields, now, { path: plan.path, text: editor.getValue() });
    if (!again.ok) return failed(again);
    editor.transaction({
      changes: again.edits.map((e) => ({ from: editor.offsetToPos(e.from), to: editor.offsetToPos(e.to), text: e.insert })),
    });
    index.invalidate(plan.path);
    return written(again, kind);
  }

  // Unsaved typing in another pane goes to disk first, so the write below sees it.
  for (const leaf of app.workspace.getLeavesOfType('markdown')) {
    if (leaf.view instanceof MarkdownView && leaf.view.file?.path === plan.path) await leaf.view.save();
  }
  let done: Planned | null = null;
  try {
    await app.vault.process(file, (text) => {
      const again = planOn(index, view, kind, fields, now, { path: plan.path, text });
      if (!again.ok) throw new Refused(again);
      done = again;
      return applyEdits(text, again.edits);
    });
  } catch (error) {
    if (error instanceof Refused) return failed(error.plan);
    throw error;
  }
  index.invalidate(plan.path);
  return done ? written(done, kind) : failed(targetRefusal(`${plan.path} could not be written`, plan.path));
}

function planOn(index: StackIndex, view: VaultView, kind: EntryKind, fields: Record<string, string>, now: Date, override?: { path: string; text: string }): AppendPlan {
  const { model, readOnly } = index.load(view, override);
  return planAppend(model, readOnly, { kind, fields, now });
}

function written(plan: Planned, kind: EntryKind): WriteOutcome {
  const schema = tableFor(PHASE_A, kind);
  const idName = idColumn(schema)?.name;
  const idKey = idName === undefined ? undefined : Object.keys(plan.row).find((k) => findColumn(schema, k)?.name === idName);
  return { ok: true, path: plan.path, line: plan.line, id: idKey ? (plan.row[idKey] ?? null) : null };
}

function failed(plan: Refusal): WriteOutcome {
  return { ok: false, errors: plan.errors, cannotRun: plan.cannotRun };
}

function targetRefusal(message: string, path: string | null): Refusal {
  return { ok: false, errors: [{ column: null, rule: 'entry/target', message }], cannotRun: true, path };
}
