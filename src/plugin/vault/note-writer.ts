import { MarkdownView, type App } from 'obsidian';
import { applyEdits, type TextEdit } from '../../core';

/** The edits a write makes, planned on the note's text as it is at the moment of writing; or why it refuses. */
export type Replan = (text: string) => { ok: true; edits: TextEdit[] } | { ok: false; message: string };

/** The note's text after the write, or why nothing was written. */
export type NoteWrite = { ok: true; text: string } | { ok: false; message: string };

/** Thrown inside `Vault.process` to abandon the write. */
class Refused extends Error {
  constructor(readonly reason: string) {
    super(reason);
  }
}

/**
 * Writes one note (README "Writes"): through the editor's transaction when the note is the active
 * view in Source mode or Live Preview (one undo step; a CRLF note excepted, as the editor would
 * rewrite its line endings); else any pane holding it saves first, then `Vault.process` runs the plan
 * again on the text as it is inside the write, so a target that moved is found again and one that
 * changed shape refuses the write. Never a read-then-modify pair. In Reading view the editor is not
 * the view's data (a row written there is lost at the next save or mode switch), so the vault is.
 * The text returned is the note as read back from the vault after the write.
 */
export async function writeNote(app: App, path: string, replan: Replan): Promise<NoteWrite> {
  const file = app.vault.getFileByPath(path);
  if (!file) return { ok: false, message: `${path} is gone; nothing was written` };

  const active = app.workspace.getActiveViewOfType(MarkdownView);
  // The editor holds LF only, so a CRLF note is written through the vault to keep its line endings.
  const crlf = (await app.vault.cachedRead(file)).includes('\r\n');
  if (active?.file?.path === path && !crlf && active.getMode() === 'source') {
    const editor = active.editor;
    const plan = replan(editor.getValue());
    if (!plan.ok) return plan;
    if (plan.edits.length > 0) {
      editor.transaction({
        changes: plan.edits.map((e) => ({ from: editor.offsetToPos(e.from), to: editor.offsetToPos(e.to), text: e.insert })),
      });
      // Saved at once (still one undo step), so the next check and the next write see the new text.
      await active.save();
    }
    return { ok: true, text: await app.vault.read(file) };
  }

  // Unsaved typing in another pane goes to disk first, so the write below sees it.
  for (const leaf of app.workspace.getLeavesOfType('markdown')) {
    if (leaf.view instanceof MarkdownView && leaf.view.file?.path === path) await leaf.view.save();
  }
  try {
    await app.vault.process(file, (now) => {
      const plan = replan(now);
      if (!plan.ok) throw new Refused(plan.message);
      return plan.edits.length > 0 ? applyEdits(now, plan.edits) : now;
    });
    return { ok: true, text: await app.vault.read(file) };
  } catch (error) {
    if (error instanceof Refused) return { ok: false, message: error.reason };
    throw error;
  }
}
