/**
 * Closes a session: one Status Log row (Change: the objective; Summary; Gates; Evidence: a link to the
 * session note) planned with planAppend, and the session note's summary and `status: closed`, both as
 * minimal edits. The checklist is judged with that row in place, so the "`00` updated" item the close
 * itself satisfies is not held against it. Refused while any close reason is left (an open item, an
 * open required update, a gate not passed for a session packet, guardrails in breach) unless forced;
 * a forced close lists the reasons it overrode in the session note and the row's Summary. The evidence
 * log's recommendation block is rewritten too (between the row and the session note).
 */
import { lightFormat as format } from 'date-fns';
import { loadStack } from '../check-stack';
import { planAppend, type EntryError } from '../edit/append-entry';
import { planRecommendation } from '../edit/recommendation';
import { applyEdits, type TextEdit } from '../edit/text-edit';
import type { RowExpectation } from '../edit/verify-append';
import type { LinkRef } from '../schema/cell-type';
import { columnIndex } from '../stack/bind-table';
import type { StackModel, VaultView } from '../stack/model';
import { closeReasons, overridesSummary, type CloseReason } from './close-reasons';
import { renderCloseSummary, type CloseTexts } from './close-summary';
import type { SessionRef } from './find-sessions';
import { passedGates } from './gates';
import { planPacketsDone, type PacketDone } from './packet-status';
import { packetId } from './start-session';
import { reviewSession } from './review-session';
import { readSessionNote } from './session-note';
import type { YamlParse } from '../markdown/frontmatter';
import { SESSION_TIME_FORMAT } from './start-session';
import type { ItemState, SessionReview } from './types';

export interface CloseRequest {
  /** The clock, injected. */
  now: Date;
  /** Close despite the close reasons (the session note and the Status Log row name them). */
  force: boolean;
  texts: CloseTexts;
  /** Packets of the session whose Work Packets Status the close sets to `done` (each needs every gate passed, unless forced). */
  done?: readonly string[];
}

/** The note edits of a close, in write order (control center first, then the session note). */
export interface NoteEdits {
  path: string;
  edits: TextEdit[];
}

/** The evidence log's recommendation block at close: its note and splice (null: it reads so already), or why it is not written. */
export type CloseRecommendation = { ok: true; path: string; edit: TextEdit | null } | { ok: false; message: string };

export type ClosePlan =
  /**
   * `resumed`: an earlier close wrote the Status Log row (found by its link to the session note); the row is not written again.
   * `overrides`: the close reasons a forced close overrode (empty otherwise).
   */
  | { ok: true; writes: NoteEdits[]; row: Record<string, string>; line: number; review: SessionReview; open: ItemState[]; overrides: CloseReason[]; recommendation: CloseRecommendation; resumed: boolean; expect: RowExpectation; done: PacketDone[] }
  | { ok: false; reason: 'blocked'; reasons: CloseReason[]; open: ItemState[]; review: SessionReview }
  /** `--done` names a packet that is not the session's, or a Work Packets row that cannot be written. */
  | { ok: false; reason: 'done'; message: string }
  | { ok: false; reason: 'entry'; errors: EntryError[]; cannotRun: boolean }
  | { ok: false; reason: 'session'; message: string };

/** The model as it would read with one note's text replaced. */
function withText(model: StackModel, path: string, text: string): StackModel {
  const vault: VaultView = {
    notes: model.vault.notes,
    read: (p) => (p === path ? { text } : model.vault.read(p)),
    headings: (p) => model.vault.headings(p),
    parseYaml: model.vault.parseYaml,
  };
  return loadStack(vault, model.config, model.preset).model;
}

function rowFields(ref: SessionRef, texts: CloseTexts, review: SessionReview | null, overrides: readonly CloseReason[] = []): Record<string, string> {
  const items = review?.status.items ?? [];
  const added = review ? [...review.changes.added.values()].flat().filter((r) => r.kind !== 'status').map((r) => r.label) : [];
  const auto = `Session closed: checklist ${items.filter((i) => i.done).length}/${items.length}; ${added.length > 0 ? `${added.join(', ')} added` : 'no canonical rows added'}.`;
  const gates = review ? passedGates(review.status.gates) : [];
  const summary = texts.changed?.trim() ? texts.changed.trim().replace(/\s+/g, (ws) => (ws.includes('\n') ? ' ' : ws)) : auto;
  const forced = overrides.length > 0 ? `${/[.!?]$/.test(summary) ? '' : '.'} ${overridesSummary(overrides)}` : '';
  return {
    Change: ref.session.objective,
    Summary: `${summary}${forced}`,
    Gates: gates.length > 0 ? gates.join(', ') : 'none',
    Evidence: `[[${ref.path.replace(/\.md$/i, '')}]]`,
  };
}

/** The session note's edits: `status: closed` and `closed:` in the frontmatter, the summary at the end. */
function sessionEdits(ref: SessionRef, closedAt: string, summary: string, parseYaml: YamlParse): TextEdit[] | string {
  const read = readSessionNote(ref.text, parseYaml);
  if (!read.ok) return `${ref.path}: ${read.problem}`;
  const { layout } = read;
  const eol = layout.eol;
  const status = layout.keys.find((k) => k.key === 'status');
  const closed = layout.keys.find((k) => k.key === 'closed');
  const edits: TextEdit[] = [];
  const closedLine = `closed: ${closedAt}${eol}`;
  if (status) edits.push({ from: status.from, to: status.to, insert: `status: closed${eol}${closed ? '' : closedLine}` });
  if (closed) edits.push({ from: closed.from, to: closed.to, insert: closedLine });
  const text = ref.text;
  const lead = text.length === 0 || text.endsWith(`${eol}${eol}`) || text.endsWith('\n\n') ? '' : text.endsWith('\n') ? eol : eol + eol;
  edits.push({ from: text.length, to: text.length, insert: `${lead}${summary.split('\n').join(eol)}${eol}` });
  return edits;
}

/**
 * The Status Log row an earlier, interrupted close of this session already wrote (its Evidence links
 * the session note), or null: a retry completes the close without a second row.
 */
export function closeRowOf(model: StackModel, sessionPath: string): { path: string; line: number; row: Record<string, string> } | null {
  const bound = model.tables.get('status');
  if (!bound?.table) return null;
  const evidence = columnIndex(bound.schema, 'Evidence');
  const target = sessionPath.replace(/\.md$/i, '').toLowerCase();
  const header = bound.table.header.cells.map((c) => c.text.trim());
  for (const read of bound.rows) {
    const links = read.values[evidence] as LinkRef[] | undefined;
    if (!links?.some((l) => l.kind === 'wiki' && l.target.replace(/\.md$/i, '').toLowerCase() === target)) continue;
    const row: Record<string, string> = {};
    header.forEach((name, i) => { row[name] = read.row.cells[i]?.text ?? ''; });
    return { path: bound.path, line: read.row.line, row };
  }
  return null;
}

/** The recommendation block's splice, or why it is not written (no evidence log, a note Canon does not write). */
export function closeRecommendation(model: StackModel, readOnly: ReadonlyMap<string, string>): CloseRecommendation {
  const plan = planRecommendation(model, readOnly);
  return plan.ok ? { ok: true, path: plan.path, edit: plan.edit } : { ok: false, message: plan.message };
}

/** The writes after the Status Log row's: the recommendation block (when it changes), the Work Packets Status cells, then the session note. */
function laterWrites(recommendation: CloseRecommendation, done: NoteEdits | null, ref: SessionRef, edits: TextEdit[]): NoteEdits[] {
  const block = recommendation.ok && recommendation.edit ? [{ path: recommendation.path, edits: [recommendation.edit] }] : [];
  return [...block, ...(done && done.edits.length > 0 ? [done] : []), { path: ref.path, edits }];
}

/** The `--done` packets as ids of the session, or why one is not. */
function donePackets(ref: SessionRef, done: readonly string[] | undefined): string[] | string {
  const ids: string[] = [];
  for (const given of done ?? []) {
    const id = packetId(given);
    if (!id) return `--done \`${given}\` is not a packet id; expected P-<n> as in Work Packets`;
    if (!ref.session.packets.some((p) => p.toUpperCase() === id)) {
      return `--done ${id}: not a packet of this session (its packets: ${ref.session.packets.join(', ') || 'none'}); only a session packet, whose gates the session judged, is set done`;
    }
    if (!ids.includes(id)) ids.push(id);
  }
  return ids;
}

/** Plans the close; refuses (naming each close reason) unless forced, or when the Status Log row cannot be written. */
export function planClose(model: StackModel, readOnly: ReadonlyMap<string, string>, ref: SessionRef, request: CloseRequest): ClosePlan {
  const doneIds = donePackets(ref, request.done);
  if (typeof doneIds === 'string') return { ok: false, reason: 'done', message: doneIds };
  const packetsDone = planPacketsDone(model, readOnly, doneIds, request.now);
  if (!packetsDone.ok) return { ok: false, reason: 'done', message: packetsDone.message };
  const doneWrite = packetsDone.path === null ? null : { path: packetsDone.path, edits: packetsDone.edits };
  const written = closeRowOf(model, ref.path);
  if (written) return finishClose(model, readOnly, ref, request, written, doneIds, doneWrite, packetsDone.rows);
  const draft = planAppend(model, readOnly, { kind: 'status', fields: rowFields(ref, request.texts, null), now: request.now });
  if (!draft.ok) return { ok: false, reason: 'entry', errors: draft.errors, cannotRun: draft.cannotRun };
  const before = model.notes.get(draft.path)?.text ?? '';
  const review = reviewSession(withText(model, draft.path, applyEdits(before, draft.edits)), ref.path, ref.session);
  const open = review.status.items.filter((i) => !i.done);
  const reasons = closeReasons(review.status, review.guardrails, doneIds);
  if (reasons.length > 0 && !request.force) return { ok: false, reason: 'blocked', reasons, open, review };
  const plan = planAppend(model, readOnly, { kind: 'status', fields: rowFields(ref, request.texts, review, reasons), now: request.now });
  if (!plan.ok) return { ok: false, reason: 'entry', errors: plan.errors, cannotRun: plan.cannotRun };
  const closedAt = format(request.now, SESSION_TIME_FORMAT);
  const edits = sessionEdits(ref, closedAt, renderCloseSummary({ review, texts: request.texts, closedAt, overrides: reasons, done: packetsDone.rows }), model.vault.parseYaml);
  if (typeof edits === 'string') return { ok: false, reason: 'session', message: edits };
  const recommendation = closeRecommendation(model, readOnly);
  const writes = [{ path: plan.path, edits: plan.edits }, ...laterWrites(recommendation, doneWrite, ref, edits)];
  return { ok: true, writes, row: plan.row, line: plan.line, review, open, overrides: reasons, recommendation, resumed: false, expect: plan.expect, done: packetsDone.rows };
}

/**
 * A close whose Status Log row is already written: the recommendation block and the session note are
 * left to write (the reasons still open are listed as overridden: the row that committed the close is there).
 */
function finishClose(
  model: StackModel, readOnly: ReadonlyMap<string, string>, ref: SessionRef, request: CloseRequest, done: { path: string; line: number; row: Record<string, string> },
  doneIds: readonly string[], doneWrite: NoteEdits | null, doneRows: PacketDone[],
): ClosePlan {
  const expect: RowExpectation = { section: model.preset.tables.find((t) => t.kind === 'status')?.section ?? 'Status Log', line: done.line, cells: Object.values(done.row) };
  const review = reviewSession(model, ref.path, ref.session);
  const open = review.status.items.filter((i) => !i.done);
  const overrides = closeReasons(review.status, review.guardrails, doneIds);
  const closedAt = format(request.now, SESSION_TIME_FORMAT);
  const edits = sessionEdits(ref, closedAt, renderCloseSummary({ review, texts: request.texts, closedAt, overrides, done: doneRows }), model.vault.parseYaml);
  if (typeof edits === 'string') return { ok: false, reason: 'session', message: edits };
  const recommendation = closeRecommendation(model, readOnly);
  return { ok: true, writes: laterWrites(recommendation, doneWrite, ref, edits), row: done.row, line: done.line, review, open, overrides, recommendation, resumed: true, expect, done: doneRows };
}
