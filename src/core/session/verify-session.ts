/**
 * Records one rung of the verification ladder in the session note (README "Command line" `session verify`): a line
 * added to the frontmatter's `ladder` list (one JSON map an item; nothing else in the frontmatter
 * moves), and an entry in the body's "Verification ladder" section, readable, with the output's last
 * lines when Canon ran the command. Nothing here runs anything: the host runs the command and passes
 * the outcome in.
 */
import { lightFormat as format } from 'date-fns';
import type { TextEdit } from '../edit/text-edit';
import type { YamlParse } from '../markdown/frontmatter';
import { parseNote } from '../markdown/parse-note';
import { findSection } from '../stack/sections';
import type { SessionRef } from './find-sessions';
import type { FrontmatterKey, FrontmatterLayout } from './frontmatter-layout';
import { rungTime, seconds } from './ladder';
import { packetId } from './start-session';
import { readSessionNote, RUNGS, type Rung, type RungKind, type SessionNote } from './session-note';

/** The body section the rungs are listed in. */
export const LADDER_HEADING = 'Verification ladder';

/** How many lines of a command's output are kept. */
export const TAIL_LINES = 20;

/** When rungs are recorded: local time with seconds (two rungs a minute apart stay in order). */
export const RUNG_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm:ss";

/** What running a command gave (the host ran it). */
export interface RunOutcome {
  /** The command exactly as run. */
  command: string;
  /** The folder it ran in. */
  cwd: string;
  /** Its exit status; null when a signal (or the timeout) ended it. */
  exit: number | null;
  ms: number;
  timedOut: boolean;
  /** The last lines of its output (outputTail). */
  tail: string[];
}

export interface VerifyRequest {
  packet: string;
  rung: string;
  /** The result given by hand (`--result`); a run's result is its exit status. */
  result?: 'pass' | 'fail';
  /** The command given by hand (`--command` with `--result`). */
  command?: string;
  note?: string;
  run?: RunOutcome;
  /** The clock, injected. */
  now: Date;
}

export type VerifyTarget = { ok: true; packet: string; rung: RungKind } | { ok: false; message: string };

export type VerifyPlan = { ok: true; edits: TextEdit[]; rung: Rung; message: string } | { ok: false; message: string };

/** Checks a rung's packet (one of the session's) and kind before anything runs. */
export function verifyTarget(session: SessionNote, packet: string, rung: string): VerifyTarget {
  const kind = rung.trim().toLowerCase() as RungKind;
  if (!RUNGS.includes(kind)) return { ok: false, message: `\`${rung}\` is not a rung of the verification ladder; expected one of ${RUNGS.join(', ')}` };
  const id = packetId(packet);
  if (!id) return { ok: false, message: `\`${packet}\` is not a packet id; expected P-<n> as in Work Packets` };
  if (!session.packets.some((p) => p.toUpperCase() === id)) {
    const known = session.packets.length > 0 ? `; the session's packets are ${session.packets.join(', ')}` : '; the session names no packet';
    return { ok: false, message: `${id} is not a packet of this session${known} (add it with \`canon session attach ${id}\`)` };
  }
  return { ok: true, packet: id, rung: kind };
}

// A terminal's escape sequences (CSI, OSC, two-character ESC forms): output kept as text, never obeyed.
// eslint-disable-next-line no-control-regex -- matching control characters is the point.
const ESCAPES = /\u001b\[[0-?]*[ -/]*[@-~]|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[@-_]?/g;
// eslint-disable-next-line no-control-regex -- as above: what is left of the C0 and C1 controls but tab.
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;
const MAX_LINE = 400;

/** The last `n` lines of a command's output as plain text: escape sequences dropped, a `\r` rewrite kept as its last state, long lines cut. */
export function outputTail(output: string, n = TAIL_LINES): string[] {
  const lines = output.replace(/\r\n/g, '\n').split('\n');
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return lines.slice(-n).map((whole) => {
    let line = whole;
    while (line.endsWith('\r')) line = line.slice(0, -1);
    const shown = line.slice(line.lastIndexOf('\r') + 1).replace(ESCAPES, '').replace(CONTROLS, '').trimEnd();
    return shown.length > MAX_LINE ? `${shown.slice(0, MAX_LINE)}…` : shown;
  });
}

/** The rung as kept in the frontmatter (its keys in the schema's order). */
function rungOf(target: Extract<VerifyTarget, { ok: true }>, request: VerifyRequest): Rung | string {
  const note = request.note?.replace(/\s+/g, ' ').trim();
  const at = format(request.now, RUNG_TIME_FORMAT);
  const withNote = note ? { note } : {};
  const run = request.run;
  if (run) {
    const result = run.exit === 0 && !run.timedOut ? 'pass' : 'fail';
    const timedOut = run.timedOut ? { timedOut: true } : {};
    return { packet: target.packet, rung: target.rung, result, at, by: 'run', command: run.command, exit: run.exit, ms: Math.round(run.ms), ...timedOut, ...withNote };
  }
  if (request.result !== 'pass' && request.result !== 'fail') return 'expected a result (pass or fail) or a run';
  const command = request.command?.trim();
  return { packet: target.packet, rung: target.rung, result: request.result, at, by: 'hand', ...(command ? { command } : {}), ...withNote };
}

/** Whether two rungs hold the same values (whatever the order of their keys). */
export function sameRung(a: Rung, b: Rung): boolean {
  const keys = (r: Rung) => Object.keys(r).filter((k) => r[k as keyof Rung] !== undefined).sort();
  const ka = keys(a);
  const kb = keys(b);
  return ka.length === kb.length && ka.every((k, i) => k === kb[i] && a[k as keyof Rung] === b[k as keyof Rung]);
}

/** Plans the record of one rung: the frontmatter line and the body entry (`parseYaml`: the host's, see markdown/frontmatter.ts). */
export function planVerify(ref: SessionRef, request: VerifyRequest, parseYaml: YamlParse): VerifyPlan {
  const read = readSessionNote(ref.text, parseYaml);
  if (!read.ok) return { ok: false, message: `${ref.path}: ${read.problem}` };
  if (read.session.status !== 'open') return { ok: false, message: `${ref.path} is closed` };
  const target = verifyTarget(read.session, request.packet, request.rung);
  if (!target.ok) return target;
  const rung = rungOf(target, request);
  if (typeof rung === 'string') return { ok: false, message: rung };
  const eol = read.layout.eol;
  const edits = [ladderEdit(read.layout, ref.text, rung, read.data.ladder), bodyEdit(ref.text, eol, renderEntry(rung, request.run))];
  const how = rung.by === 'run' ? ` (${rung.timedOut ? 'timed out' : rung.exit === null ? 'ended by a signal' : `exit ${rung.exit ?? ''}`} in ${seconds(rung.ms ?? 0)})` : '';
  return { ok: true, edits, rung, message: `Recorded ${rung.packet} ${rung.rung}: ${rung.result}${how} in ${ref.path}` };
}

/** The frontmatter edit: one `- {…}` line after the ladder's last item (the key added before `baseline` when absent). */
function ladderEdit(layout: FrontmatterLayout, text: string, rung: Rung, ladder: unknown): TextEdit {
  const eol = layout.eol;
  const key = layout.keys.find((k) => k.key === 'ladder');
  const item = JSON.stringify(rung);
  if (!key) {
    const at = layout.keys.find((k) => k.key === 'baseline')?.from ?? layout.closeFrom;
    return { from: at, to: at, insert: `ladder:${eol}  - ${item}${eol}` };
  }
  const source = text.slice(key.from, key.to);
  const firstLine = source.split(/\r?\n/, 1)[0] ?? '';
  const block = Array.isArray(ladder) && ladder.length > 0 && /^[^:]*:\s*$/.test(firstLine);
  if (block) {
    const indent = /\n([ \t]*)-[ \t]/.exec(source)?.[1] ?? '  ';
    return { from: key.to, to: key.to, insert: `${indent}- ${item}${eol}` };
  }
  return rewriteLadder(key, ladder, item, eol);
}

/** The ladder key written again in block form (it was a flow list, empty or a scalar), the new rung last. */
function rewriteLadder(key: FrontmatterKey, ladder: unknown, item: string, eol: string): TextEdit {
  const old: unknown[] = ladder === null || ladder === undefined ? [] : Array.isArray(ladder) ? ladder : [ladder];
  const lines = [...old.map((v) => JSON.stringify(v)), item].map((v) => `  - ${v}`);
  return { from: key.from, to: key.to, insert: `ladder:${eol}${lines.join(eol)}${eol}` };
}

/** Inline code that holds any text: a backtick run longer than any inside, padded when it starts or ends with one. */
export function inlineCode(text: string): string {
  const flat = text.replace(/\r?\n/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The body entry of a rung (`\n` line endings): one list item, the output's tail fenced inside it. */
function renderEntry(rung: Rung, run: RunOutcome | undefined): string {
  const head = `- ${rungTime(rung.at)} · ${rung.packet} · ${rung.rung} · **${rung.result}**`;
  const parts: string[] = [];
  if (run) {
    const end = run.timedOut ? 'timed out' : run.exit === null ? 'ended by a signal' : `exit ${run.exit}`;
    parts.push(`ran ${inlineCode(run.command)} in ${inlineCode(run.cwd)}: ${end} after ${seconds(run.ms)}`);
  } else {
    parts.push(rung.command ? `result given by hand for ${inlineCode(rung.command)}` : 'result given by hand');
  }
  if (rung.note) parts.push(rung.note);
  const lines = [`${head} · ${parts.join(' · ')}`];
  if (!run) return lines.join('\n');
  if (run.tail.length === 0) return [...lines, '', '  No output.'].join('\n');
  let longest = 2;
  for (const line of run.tail) for (const m of line.match(/`{3,}/g) ?? []) longest = Math.max(longest, m.length);
  const fence = '`'.repeat(longest + 1);
  const what = run.tail.length < TAIL_LINES ? `Output (${run.tail.length} ${run.tail.length === 1 ? 'line' : 'lines'}):` : `Last ${TAIL_LINES} lines of output:`;
  return [...lines, '', `  ${what}`, '', `  ${fence}text`, ...run.tail.map((l) => (l === '' ? '' : `  ${l}`)), `  ${fence}`].join('\n');
}

/** The body edit: the entry at the end of the "Verification ladder" section, the section added at the end of the note when missing. */
function bodyEdit(text: string, eol: '\n' | '\r\n', entry: string): TextEdit {
  const note = parseNote(text);
  const heading = findSection(note, LADDER_HEADING);
  const body = entry.split('\n').join(eol);
  if (!heading) {
    const lead = text === '' || text.endsWith('\n\n') || text.endsWith('\r\n\r\n') ? '' : text.endsWith('\n') ? eol : eol + eol;
    return { from: text.length, to: text.length, insert: `${lead}## ${LADDER_HEADING}${eol}${eol}${body}${eol}` };
  }
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const end = next ? (note.lineStarts[next.line - 1] ?? text.length) : text.length;
  let at = end;
  while (at > heading.to && /\s/.test(text.charAt(at - 1))) at--;
  // Right under the heading: a blank line first; after an earlier entry: a blank line between the two.
  return { from: at, to: at, insert: `${eol}${eol}${body}` + (at === end ? eol : '') };
}
