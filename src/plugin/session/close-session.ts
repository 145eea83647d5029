import { parseYaml, type App } from 'obsidian';
import {
  findRecommendationBlock, missingRowReason, overrideKinds, parseNote, planClose, planRecommendation, readSessionNote,
  type CloseReason, type ClosePlan, type CloseTexts, type ItemState, type RowExpectation, type SessionRef, type StackModel, type VaultView,
} from '../../core';
import type { StackIndex } from '../stack/stack-index';
import { writeNote } from '../vault/note-writer';

/** What a close asks for. */
export interface CloseInput {
  texts: CloseTexts;
  /** Close despite the close reasons (the user chose "Close anyway"). */
  force: boolean;
  now: Date;
}

/** Closed (with the message to show), refused for close reasons (to confirm), or refused with the reason. */
export type CloseOutcome =
  | { ok: true; message: string; sessionText: string; open: ItemState[]; overrides: CloseReason[] }
  | { ok: false; reason: 'blocked'; reasons: CloseReason[]; open: ItemState[]; message: string }
  | { ok: false; reason: 'refused'; message: string };

type Refusal = Extract<ClosePlan, { ok: false }>;

/** Why a close plan was refused, in one sentence. */
function refusal(plan: Refusal): string {
  if (plan.reason === 'blocked') return `${plan.reasons.length} reason${plan.reasons.length === 1 ? ' is' : 's are'} left: ${plan.reasons.map((r) => r.text).join('; ')}`;
  if (plan.reason === 'session' || plan.reason === 'done') return plan.message;
  return `the Status Log row cannot be written: ${plan.errors.map((e) => e.message).join('; ')}`;
}

/** `6 open items, 1 open required update and guardrails in breach`. */
function andList(parts: readonly string[]): string {
  return parts.length <= 1 ? (parts[0] ?? '') : `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1] ?? ''}`;
}

/**
 * Closes a session (README "Command line"): the control center's Status Log row, the evidence log's
 * recommendation block, then the session note's summary and `status: closed`. Refused with the close
 * reasons unless forced. Each write is planned again inside it on the note as it is then (editor
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
    if (plan.reason === 'blocked') return { ok: false, reason: 'blocked', reasons: plan.reasons, open: plan.open, message: `The session was not closed: ${refusal(plan)}.` };
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

  const block = await writeRecommendation(app, index, view, model, plan, readOnly);
  if (!block.ok) return { ok: false, reason: 'refused', message: `The Status Log row was added to ${rowPath}, but ${block.message}. The session is still open.` };

  const note = await writeNote(app, session.path, (text) => {
    const read = readSessionNote(text, parseYaml);
    if (!read.ok) return { ok: false, message: `${session.path}: ${read.problem}` };
    if (read.session.status !== 'open') return { ok: false, message: `${session.path} is closed already` };
    const again = planClose(kept.model, readOnly, { path: session.path, text, session: read.session }, forced);
    if (!again.ok) return { ok: false, message: refusal(again) };
    return { ok: true, edits: editsFor(again, session.path) };
  });
  if (!note.ok) {
    return { ok: false, reason: 'refused', message: `The Status Log row was added to ${rowPath}, but the session note was not written: ${note.message}. The session is still open.` };
  }
  const overridden = plan.overrides.length > 0 ? ` with ${andList(overrideKinds(plan.overrides))}` : '';
  return {
    ok: true,
    open: plan.open,
    overrides: plan.overrides,
    sessionText: note.text,
    message: `Session closed${overridden}: ${plan.resumed ? 'Status Log row already in' : 'Status Log row added to'} ${rowPath} line ${kept.line}; summary written to ${session.path}; ${block.message}.`,
  };
}

type Written = { ok: true; message: string } | { ok: false; message: string };

/**
 * Rewrites the evidence log's recommendation block (README "Command line") through the note writer, planned again
 * inside the write on the note as it is then; says what it did, for the close's notice.
 */
async function writeRecommendation(app: App, index: StackIndex, view: VaultView, model: StackModel, plan: Extract<ClosePlan, { ok: true }>, readOnly: ReadonlyMap<string, string>): Promise<Written> {
  const rec = plan.recommendation;
  if (!rec.ok) return { ok: true, message: `recommendation block not written (${rec.message})` };
  const path = rec.path;
  if (rec.edit === null) {
    const note = model.notes.get(path);
    const place = note ? findRecommendationBlock(note) : null;
    return { ok: true, message: `recommendation block in ${path}${place ? ` line ${place.line}` : ''} already up to date` };
  }
  const written = await writeNote(app, path, (text) => {
    const again = planRecommendation(index.load(view, { path, text }).model, readOnly);
    if (!again.ok) return { ok: false, message: again.message };
    return { ok: true, edits: again.edit ? [again.edit] : [] };
  });
  if (!written.ok) return { ok: false, message: `the recommendation block was not written to ${path}: ${written.message}` };
  index.invalidate(path);
  const place = findRecommendationBlock(parseNote(written.text));
  if (!place) return { ok: false, message: `${path} was written, but the recommendation block is not in its Current Recommendation section` };
  return { ok: true, message: `recommendation block written to ${path} line ${place.line}` };
}
