import { lstatSync, type Stats } from 'node:fs';
import { join } from 'node:path';
import {
  applyEdits,
  findSessions,
  loadStack,
  planAttach,
  planStart,
  planTick,
  readChecklist,
  readSessionNote,
  type SessionRef,
  type TickRequest,
} from '../../core';
import { COMMON_OPTIONS, parseFlags } from '../args';
import { CannotRun, openVault } from '../context';
import { paint, type Output } from '../output';
import { withNoteLocks } from '../note-lock';
import { openSession, SESSION_LOCK, writeNote } from './session-context';
import { runSessionClose, SESSION_CLOSE_HELP } from './session-close';
import { runSessionList, SESSION_LIST_HELP } from './session-list';
import { runSessionStatus, SESSION_STATUS_HELP } from './session-report';
import { runSessionVerify, SESSION_VERIFY_HELP } from './session-verify';

export const SESSION_START_HELP = `Usage: canon session start --objective TEXT [--packet P-n]… [--in-scope T]… [--out-of-scope T]… [--change KIND]… [--vault DIR]

Opens a session: writes a note \`YYYY-MM-DD HHmm <objective>.md\` in the sessions folder
(canon.config.json sessionsFolder, default sessions/) whose frontmatter holds the objective,
the packets, the scope lock, the hand ticks and the baseline of every canonical table (row ids
and counts), from which \`session status\` tells what changed since. One session is open at a time.

Each packet must be a row of the plan's Work Packets table: add a new one first with
\`canon add packet\`, or start without it and \`canon session attach P-n\` once it is added.
More than 6 packets is allowed, with a warning: the operating model plans 2–6 small packets.

Options:
  --objective TEXT     what the session is for (required)
  --packet P-n         a work packet the session works on; repeat for each
  --in-scope TEXT      what the session will change (the scope lock); repeat for each
  --out-of-scope TEXT  what it will not touch; repeat for each
  --change KIND        a kind of change of the trigger matrix the session makes
                       (e.g. "runtime behavior"); repeat for each
  --vault DIR          the vault root (default: the current folder)
  -h, --help           show this help

Exit status: 0 opened (the note's path is printed), 1 a session is already open or a packet is
not in Work Packets, 2 cannot run.`;

export const SESSION_ATTACH_HELP = `Usage: canon session attach P-n… [--vault DIR]

Adds packets to the open session: its gates, ladder and close now cover them too. The baseline
stays the one taken at start, so the rows added since are still told from the session's start.
Each packet must be a row of the plan's Work Packets table (\`canon add packet\` adds one).

Options:
  --vault DIR        the vault root (default: the current folder)
  -h, --help         show this help

Exit status: 0 attached (or already in the session), 1 no open session or a packet not in Work
Packets (each named), 2 cannot run.`;

export const SESSION_TICK_HELP = `Usage: canon session tick N [--reason T] [--undo] [--vault DIR]
       canon session tick --gate G1…G5 [--packet P-n] [--reason T] [--undo] [--vault DIR]
       canon session tick --change KIND [--undo] [--vault DIR]

Ticks checklist item N (1-based, as \`session status\` numbers them) by hand, or a gate of the
session's packets (all of them unless --packet is given), or marks a kind of change of the
trigger matrix (its words, e.g. "rollout windows", or its row number). Items and gates the
vault proves need no tick. A tick may say why it is made by hand (--reason): the reason is kept
in the session note beside the tick, shown by \`session status\` and written in the summary at
close. Ticking again with another reason replaces it; --undo removes the tick and its reason.

G5 cannot be ticked while a rollback trigger is in breach, G4 while a required update of the
trigger matrix is open (the message names them and what would lift the block); a tick made
earlier does not count meanwhile.

Options:
  --reason TEXT      why the item or gate is ticked by hand (e.g. a justified exception for G2)
  --undo             remove the tick instead
  --gate GATE        tick a gate (G1 to G5) instead of an item
  --packet P-n       with --gate: only this packet's gate
  --change KIND      mark a kind of change instead of an item
  --vault DIR        the vault root (default: the current folder)
  -h, --help         show this help

Exit status: 0 ticked, 1 no such item (gate, change), a gate that cannot be ticked now, or no
open session, 2 cannot run.`;

export const SESSION_HELP = `Usage: canon session <start|status|tick|close> [options]
       canon session <attach|verify|list> [options]

The operating loop: open a session, let the vault prove what it can, record the verification
ladder, tick the rest, close with a summary and a Status Log row.

Commands:
  start --objective TEXT [--packet P-n]… [--in-scope T]… [--out-of-scope T]…
                                           open a session            (0; 1 one is open or an
                                           unknown packet; 2)
  attach P-n…                              add packets to the open session (0; 1)
  status [--format text|json]              checklist with proofs, required updates, gates,
                                           ladder, guardrails        (0; 1 none is open)
  verify --packet P-n --rung R (--result pass|fail | --run) [--command T] [--note T]
                                           record a rung of the verification ladder; --run
                                           runs the command          (0; 1 failed; 2)
  tick N [--reason T] [--undo]             tick checklist item N by hand (0; 1 no such item
                                           or no session)
  tick --gate G [--packet P-n] [--reason T] [--undo]
                                           tick a gate by hand; G5 refused while a trigger is
                                           in breach, G4 while a required update is open (0; 1)
  close [--force] [--changed T] [--verification T] [--evidence T] [--risks T]
                                           write the summary, the Status Log row and the
                                           recommendation block; refuses, listing each open
                                           item, required update, gate not passed and breach,
                                           unless --force; --done P-n sets the packet's
                                           Status to done            (0; 1; 2)
  list [--format text|json]                sessions, newest first, open and closed (0)

Run \`canon session <command> --help\` for its options.`;

/** Every `session` subcommand's help, for \`canon help session\`. */
export const SESSION_HELPS: Record<string, string> = {
  start: SESSION_START_HELP, attach: SESSION_ATTACH_HELP, status: SESSION_STATUS_HELP, verify: SESSION_VERIFY_HELP,
  tick: SESSION_TICK_HELP, close: SESSION_CLOSE_HELP, list: SESSION_LIST_HELP,
};

const SUBCOMMANDS = 'start, attach, status, verify, tick, close, list';

/** `canon session <start|attach|status|verify|tick|close|list>`. */
export async function runSession(argv: string[], output: Output, now: () => Date): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'start': return await runStart(rest, output, now);
    case 'attach': return await runAttach(rest, output);
    case 'status': return runSessionStatus(rest, output);
    case 'verify': return await runSessionVerify(rest, output, now);
    case 'tick': return await runTick(rest, output);
    case 'close': return await runSessionClose(rest, output, now);
    case 'list': return runSessionList(rest, output);
    case '--help': case '-h': case 'help':
      output.out(rest[0] && SESSION_HELPS[rest[0]] ? (SESSION_HELPS[rest[0]] ?? SESSION_HELP) : SESSION_HELP);
      return 0;
    case undefined:
      throw new CannotRun(`expected a session command (${SUBCOMMANDS}); see \`canon session --help\``);
    default:
      throw new CannotRun(`\`${sub}\` is not a session command; expected one of ${SUBCOMMANDS}`);
  }
}

async function runStart(argv: string[], output: Output, now: () => Date): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS, objective: { type: 'string' }, packet: { type: 'string', multiple: true }, change: { type: 'string', multiple: true },
    'in-scope': { type: 'string', multiple: true }, 'out-of-scope': { type: 'string', multiple: true },
  }, 'session start');
  if (values.help) {
    output.out(SESSION_START_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; the objective is given as --objective TEXT`);
  if (values.objective === undefined) throw new CannotRun('expected --objective TEXT; see `canon session start --help`');
  const objective = values.objective;
  const root = openVault(values.vault).root;
  // One session at a time: the check for an open one and the note's creation happen under one lock.
  return withNoteLocks(root, [SESSION_LOCK], (m) => output.err(m), () => {
    const ctx = openVault(values.vault);
    const { model } = loadStack(ctx.vault, ctx.config);
    const found = findSessions(ctx.vault);
    const request = { objective, packets: values.packet ?? [], inScope: values['in-scope'] ?? [], outOfScope: values['out-of-scope'] ?? [], now: now() };
    const plan = planStart(model, request, found.open, (p) => lstatOrNull(join(ctx.root, p)) !== null);
    if (!plan.ok) {
      if (plan.reason === 'invalid') throw new CannotRun(plan.message);
      output.err(plan.message);
      return 1;
    }
    for (const warning of plan.warnings) output.err(paint(output, 'yellow', `warning: ${warning}`));
    let text = plan.text;
    const ref: SessionRef = { path: plan.path, text, session: plan.session };
    for (const change of values.change ?? []) {
      const tick = planTick(model, ref, { kind: 'change', change, undo: false });
      if (!tick.ok) throw new CannotRun(`--change: ${tick.message}`);
      text = applyEdits(text, tick.edits);
      ref.text = text;
    }
    if (!ctx.vault.create(plan.path, text)) throw new CannotRun(`\`${plan.path}\` appeared while Canon was creating it; nothing was written, run the command again`);
    output.out(plan.path);
    return 0;
  });
}

function lstatOrNull(full: string): Stats | null {
  try {
    return lstatSync(full);
  } catch {
    return null;
  }
}

async function runAttach(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS }, 'session attach');
  if (values.help) {
    output.out(SESSION_ATTACH_HELP);
    return 0;
  }
  if (positionals.length === 0) throw new CannotRun('expected the packets to attach (P-n…); see `canon session attach --help`');
  const root = openVault(values.vault).root;
  return withNoteLocks(root, [SESSION_LOCK], (m) => output.err(m), () => {
    const ctx = openVault(values.vault);
    const open = openSession(ctx, output);
    if (!open) return 1;
    const plan = planAttach(open.model, open.ref, positionals);
    if (!plan.ok) {
      output.err(plan.message);
      return 1;
    }
    for (const warning of plan.warnings) output.err(paint(output, 'yellow', `warning: ${warning}`));
    if (plan.edits.length > 0) {
      writeNote(ctx, open.ref.path, applyEdits(open.ref.text, plan.edits));
      const back = readSessionNote(ctx.vault.read(open.ref.path)?.text ?? '', ctx.vault.parseYaml);
      const missing = back.ok ? plan.added.filter((p) => !back.session.packets.includes(p)) : plan.added;
      if (missing.length > 0) throw new CannotRun(`\`${open.ref.path}\` was written, but ${missing.join(', ')} do not read back from its packets; check the note`);
    }
    const lines = [];
    if (plan.added.length > 0) lines.push(`Attached ${plan.added.join(', ')} to ${open.ref.path}; its packets: ${plan.packets.join(', ')}`);
    if (plan.already.length > 0) lines.push(`${plan.already.join(', ')} ${plan.already.length === 1 ? 'was' : 'were'} already in the session`);
    output.out(lines.join('\n'));
    return 0;
  });
}

async function runTick(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS, undo: { type: 'boolean' }, gate: { type: 'string' }, packet: { type: 'string' }, change: { type: 'string' }, reason: { type: 'string' },
  }, 'session tick');
  if (values.help) {
    output.out(SESSION_TICK_HELP);
    return 0;
  }
  const request = tickRequest(positionals, values);
  const root = openVault(values.vault).root;
  // Under the session lock, so a tick and a close (or two ticks) never write over each other.
  return withNoteLocks(root, [SESSION_LOCK], (m) => output.err(m), () => {
    const ctx = openVault(values.vault);
    const open = openSession(ctx, output);
    if (!open) return 1;
    if (request.kind === 'item' && !Number.isInteger(request.n)) {
      output.err(`\`${positionals[0] ?? ''}\` is not an item number; expected 1 to ${readChecklist(open.model).items.length}`);
      return 1;
    }
    const plan = planTick(open.model, open.ref, request);
    if (!plan.ok) {
      output.err(plan.message);
      return 1;
    }
    if (plan.edits.length > 0) writeNote(ctx, open.ref.path, applyEdits(open.ref.text, plan.edits));
    output.out(plan.message);
    return 0;
  });
}

function tickRequest(positionals: string[], values: { undo?: boolean; gate?: string; packet?: string; change?: string; reason?: string }): TickRequest {
  const undo = values.undo === true;
  const chosen = [positionals.length > 0, values.gate !== undefined, values.change !== undefined].filter(Boolean).length;
  if (chosen !== 1 || positionals.length > 1) throw new CannotRun('expected one of: an item number N, --gate G, or --change KIND; see `canon session tick --help`');
  if (values.packet !== undefined && values.gate === undefined) throw new CannotRun('--packet goes with --gate; see `canon session tick --help`');
  const { reason } = values;
  if (reason !== undefined) {
    if (values.change !== undefined) throw new CannotRun('--reason goes with a tick of an item or a gate, not with --change; see `canon session tick --help`');
    if (undo) throw new CannotRun('--reason goes with a tick, not with --undo (which removes the reason too); see `canon session tick --help`');
    if (reason.trim() === '') throw new CannotRun('--reason is empty; expected a few words saying why the tick is made by hand');
  }
  const because = reason === undefined ? {} : { reason };
  if (values.gate !== undefined) return { kind: 'gate', gate: values.gate, undo, ...(values.packet === undefined ? {} : { packet: values.packet }), ...because };
  if (values.change !== undefined) return { kind: 'change', change: values.change, undo };
  const n = positionals[0] ?? '';
  return { kind: 'item', n: /^\d+$/.test(n) ? Number(n) : Number.NaN, undo, ...because };
}
