import type { App } from 'obsidian';
import { missingRowReason, planClose, readSessionNote, type ClosePlan, type CloseTexts, type ItemState, type RowExpectation, type SessionRef, type StackModel } from '../../core';
import type { StackIndex } from '../stack/stack-index';
import { writeNote } from '../stack/note-writer';

/** What a close asks for. */
export interface CloseInput {
  texts: CloseTexts;
  /** Close even with open checklist items (the user confirmed). */
  force: boolean;
  now: Date;
}

/** Closed (with the message to show), refused for open items (to confirm), or refused with the reason. */
export type CloseOutcome =
  | { ok: true; message: string; sessionText: string; open: ItemState[] }
  | { ok: false; reason: 'open-items'; open: ItemState[]; message: string }
  | { ok: false; reason: 'refused'; message: string };

type Refusal = Extract<ClosePlan, { ok: false }>;

/** Why a close plan was refused, in one sentence. */
function refusal(plan: Refusal): string {
  if (plan.reason === 'open-items') return `${plan.open.length} checklist item${plan.open.length === 1 ? ' is' : 's are'} open`;
  if (plan.reason === 'session') return plan.message;
  return `the Status Log row cannot be written: ${plan.errors.map((e) => e.message).join('; ')}`;
}

/**
 * Closes a session (SPEC §6): the control center's Status Log row, then the session note's summary
 * and `status: closed`. Each write is planned again inside it on the note as it is then (editor
 * transaction when the note is the active view, else `Vault.process`); a target that moved is found
 * again, one that changed shape refuses the write with the reason.
 */
export async function closeSession(app: App, index: StackIndex, session: SessionRef, input: CloseInput): Promise<CloseOutcome> {
  const view = await index.view();
  if (typeof view === 'string') return { ok: false, reason: 'refused', message: `canon.config.json cannot be read: ${view}` };
  const { model, readOnly } = index.load(view);
  const request = { now: input.now, force: input.force, texts: input.texts };
  const plan = planClose(model, readOnly, session, request);
  if (!plan.ok) {
    if (plan.reason === 'open-items') return { ok: false, reason: 'open-items', open: plan.open, message: `The session was not closed: ${refusal(plan)}.` };
    return { ok: false, reason: 'refused', message: `The session was not closed: ${refusal(plan)}.` };
  }
  const rowPath = model.docs.find((d) => d.role === 'control-center')?.path ?? '';
  const forced = { ...request, force: true };
  const editsFor = (p: ClosePlan, path: string) => (p.ok ? (p.writes.find((w) => w.path === path)?.edits ?? []) : []);

  // The control center first; the model it was planned on is kept for the session note's summary.
  // A close that stopped after the row was written (found by its link to the session note) writes only the note.
  const kept: { model: StackModel; line: number; expect: RowExpectation } = { model, line: plan.line, expect: plan.expect };
  if (!plan.resumed) {
    const row = await writeNote(app, rowPath, (text) => {
      const onText = index.load(view, { path: rowPath, text }).model;
      const again = planClose(onText, readOnly, session, forced);
      if (!again.ok) return { ok: false, message: refusal(again) };
      kept.model = onText;
      kept.line = again.line;
      kept.expect = again.expect;
      return { ok: true, edits: editsFor(again, rowPath) };
    });
    if (!row.ok) return { ok: false, reason: 'refused', message: `The session was not closed: ${row.message}.` };
    index.invalidate(rowPath);
    const lost = missingRowReason(row.text, kept.expect);
    if (lost) return { ok: false, reason: 'refused', message: `${rowPath} was written, but the session's Status Log row is not where it should be: ${lost}. The session is still open.` };
  }

  const note = await writeNote(app, session.path, (text) => {
    const read = readSessionNote(text);
    if (!read.ok) return { ok: false, message: `${session.path}: ${read.problem}` };
    if (read.session.status !== 'open') return { ok: false, message: `${session.path} is closed already` };
    const again = planClose(kept.model, readOnly, { path: session.path, text, session: read.session }, forced);
    if (!again.ok) return { ok: false, message: refusal(again) };
    return { ok: true, edits: editsFor(again, session.path) };
  });
  if (!note.ok) {
    return { ok: false, reason: 'refused', message: `The Status Log row was added to ${rowPath}, but the session note was not written: ${note.message}. The session is still open.` };
  }
  const open = plan.open.length > 0 ? ` with ${plan.open.length} open item${plan.open.length === 1 ? '' : 's'}` : '';
  return {
    ok: true,
    open: plan.open,
    sessionText: note.text,
    message: `Session closed${open}: ${plan.resumed ? 'Status Log row already in' : 'Status Log row added to'} ${rowPath} line ${kept.line}; summary written to ${session.path}.`,
  };
}
