/** Plans a new session note: its name, its frontmatter (baseline included) and a short body. */
import { lightFormat as format } from 'date-fns';
import { normalizeVaultPath } from '../config/config';
import type { StackModel } from '../stack/model';
import { takeBaseline } from './baseline';
import { SESSION_CANON, yamlBaseline, yamlList, yamlString, type SessionNote } from './session-note';
import { readPackets } from './work-packets';

/** What `canon session start` and the plugin's "start session" ask for. */
export interface StartRequest {
  objective: string;
  packets: readonly string[];
  /** The scope lock (operating model §4 step 1): what is in scope, what is out; each a short text. */
  inScope?: readonly string[];
  outOfScope?: readonly string[];
  /** The clock, injected. */
  now: Date;
}

/** `warnings`: said but not refused (more packets than the operating model plans for). */
export type StartPlan =
  | { ok: true; path: string; text: string; session: SessionNote; warnings: string[] }
  | { ok: false; reason: 'open' | 'invalid' | 'unknown'; message: string };

/** The operating model plans 2–6 small packets a session (§4 step 2). */
export const MAX_PACKETS = 6;

/** The warning for a session holding more packets than the operating model plans for, or null. */
export function packetCountWarning(count: number): string | null {
  if (count <= MAX_PACKETS) return null;
  return `${count} packets in one session; the operating model plans 2–6 small packets a session (§4 step 2, "Plan in work packets"): consider splitting it`;
}

/** Why some of the packets cannot go into a session: not rows of Work Packets (named), or null when all are. */
export function unknownPackets(model: StackModel, packets: readonly string[], when: 'start' | 'attach' = 'start'): string | null {
  const rows = readPackets(model);
  const missing = packets.filter((p) => !rows.some((r) => r.id === p));
  if (missing.length === 0) return null;
  const bound = model.tables.get('packet');
  const where = bound?.table ? `the Work Packets table of ${bound.path}` : bound ? `${bound.path} (it has no Work Packets table)` : 'the implementation plan (there is no such note)';
  const it = missing.length === 1 ? 'it' : 'them';
  const add = `\`canon add packet --set Goal=… --set Verification=… --set "Expected Evidence=…"\``;
  const attach = `\`canon session attach ${missing.join(' ')}\``;
  const next = when === 'start' ? `add ${it} first (${add}) and start again, or start without ${it} and attach ${it} once added (${attach})` : `add ${it} first (${add}), then attach ${it} (${attach})`;
  return `${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not in ${where}; ${next}`;
}

/** Scope texts as kept: one line each, spaces collapsed, empty ones and repeats left out. */
export function scopeList(texts: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const t of texts ?? []) {
    const clean = t.replace(/\s+/g, ' ').trim();
    if (clean !== '' && !out.includes(clean)) out.push(clean);
  }
  return out;
}

/** How `started` and `closed` are written: local time, ISO form (Obsidian reads it as a date & time property). */
export const SESSION_TIME_FORMAT = "yyyy-MM-dd'T'HH:mm";

const MAX_TITLE = 80;

/** The objective as a file name part: no characters that break file names or wiki links, at most 80 characters. */
export function sessionTitle(objective: string): string {
  let title = objective.replace(/[\\/:*?"<>|#^[\]\p{Cc}]/gu, ' ').replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if (title.length > MAX_TITLE) {
    const cut = title.slice(0, MAX_TITLE);
    title = (cut.lastIndexOf(' ') > MAX_TITLE / 2 ? cut.slice(0, cut.lastIndexOf(' ')) : cut).trim();
  }
  return title === '' ? 'session' : title;
}

/** `sessions/2026-11-24 1405 Ship the handoff.md`; a taken name gets ` 2`, ` 3`, … */
export function sessionPath(folder: string, now: Date, objective: string, exists: (path: string) => boolean): string {
  const dir = normalizeVaultPath(folder);
  const base = `${dir === '' ? '' : `${dir}/`}${format(now, 'yyyy-MM-dd HHmm')} ${sessionTitle(objective)}`;
  let path = `${base}.md`;
  for (let n = 2; exists(path); n++) path = `${base} ${n}.md`;
  return path;
}

/** A packet id as written in Work Packets (`P-4`), or null. */
export function packetId(text: string): string | null {
  const m = /^\s*[Pp]-([1-9]\d*)\s*$/.exec(text);
  return m ? `P-${m[1] ?? ''}` : null;
}

function render(session: SessionNote): string {
  const lines = [
    '---',
    `canon: ${SESSION_CANON}`,
    `started: ${session.started}`,
    `objective: ${yamlString(session.objective)}`,
    `packets: ${yamlList(session.packets)}`,
    ...(session.inScope.length > 0 ? [`inScope: ${yamlList(session.inScope)}`] : []),
    ...(session.outOfScope.length > 0 ? [`outOfScope: ${yamlList(session.outOfScope)}`] : []),
    `status: ${session.status}`,
    `ticks: ${yamlList(session.ticks)}`,
    `changes: ${yamlList(session.changes)}`,
    `gates: ${yamlList(session.gates)}`,
    `baseline:${yamlBaseline(session.baseline).startsWith('\n') ? '' : ' '}${yamlBaseline(session.baseline)}`,
    '---',
    '',
    `# ${session.objective.replace(/\s+/g, ' ')}`,
    '',
    `Session started ${session.started.replace('T', ' ')}${session.packets.length > 0 ? ` for ${session.packets.join(', ')}` : ''}.`,
    'Tick the close checklist with `canon session tick N` (or in the session pane); `canon session close` writes the summary below.',
    '',
  ];
  return lines.join('\n');
}

/** Plans the session note; refuses when the objective or a packet is not usable, then while another session is open. */
export function planStart(model: StackModel, request: StartRequest, open: readonly { path: string }[], exists: (path: string) => boolean): StartPlan {
  const objective = request.objective.replace(/\s+/g, ' ').trim();
  if (objective === '') return { ok: false, reason: 'invalid', message: 'the objective is empty; expected --objective TEXT' };
  const packets: string[] = [];
  for (const given of request.packets) {
    const id = packetId(given);
    if (!id) return { ok: false, reason: 'invalid', message: `--packet \`${given}\` is not a packet id; expected P-<n> as in Work Packets` };
    if (!packets.includes(id)) packets.push(id);
  }
  const first = open[0];
  if (first) return { ok: false, reason: 'open', message: `a session is already open: ${first.path}; close it first (canon session close)` };
  const unknown = unknownPackets(model, packets);
  if (unknown) return { ok: false, reason: 'unknown', message: unknown };
  const session: SessionNote = {
    canon: SESSION_CANON, started: format(request.now, SESSION_TIME_FORMAT), objective, packets,
    inScope: scopeList(request.inScope), outOfScope: scopeList(request.outOfScope), status: 'open',
    ticks: [], changes: [], gates: [], reasons: {}, baseline: takeBaseline(model), ladder: [],
  };
  const path = sessionPath(model.config.sessionsFolder, request.now, objective, exists);
  const warning = packetCountWarning(packets.length);
  return { ok: true, path, text: render(session), session, warnings: warning ? [warning] : [] };
}
