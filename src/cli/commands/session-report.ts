import {
  gateBlock,
  GATES,
  type GateState,
  type ItemState,
  lastClosed,
  listSessions,
  packetRungs,
  reviewSession,
  rungLine,
  type SessionReview,
  type SessionStatus,
} from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault } from '../context';
import { json, paint, type Output } from '../output';
import { openSession } from './session-context';
import { sessionLine } from './session-list';

export const SESSION_STATUS_HELP = `Usage: canon session status [--vault DIR] [--format text|json]

Shows the open session: the close checklist (the operating model's "Session close checklist",
else the preset's seven items) with the items the vault proves ticked and their proof, the
updates the trigger matrix requires for the kinds of change made, gates G1–G5 per packet (and
why G4 or G5 cannot be ticked by hand now), each packet's verification ladder, the scope lock
and the guardrails. A hand tick shows its reason (\`session tick … --reason T\`); the JSON gives it
as "reason" on each item and gate, the scope as session.inScope and session.outOfScope, and the
rungs recorded as "ladder" (oldest first) — each only when there is one.

With no open session it exits 1, says how to list the sessions (\`canon session list\`) and
shows the last closed one.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 shown, 1 no open session, 2 cannot run.`;

/** `canon session status`. */
export function runSessionStatus(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'session status');
  if (values.help) {
    output.out(SESSION_STATUS_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; see \`canon session status --help\``);
  const format = readFormat(values.format, 'session status');
  const ctx = openVault(values.vault);
  const open = openSession(ctx, output);
  if (!open) {
    const last = lastClosed(listSessions(ctx.vault));
    output.err('List the sessions, open and closed, with `canon session list`.');
    if (last) output.err(`The last closed session:\n${sessionLine(last, output)}`);
    return 1;
  }
  const review = reviewSession(open.model, open.ref.path, open.ref.session);
  output.out(format === 'json' ? json(review.status) : statusText(review, output));
  return 0;
}

const mark = (output: Output, done: boolean): string => (done ? paint(output, 'green', '✔') : paint(output, 'red', '✘'));

function itemText(item: ItemState, output: Output): string {
  const how = item.by === 'vault' ? `  ${paint(output, 'dim', item.proof ?? '')}` : item.by === 'hand' ? `  ${paint(output, 'dim', item.reason ? `(by hand: ${item.reason})` : '(by hand)')}` : '';
  return `  ${mark(output, item.done)} ${String(item.n).padStart(2)}. ${item.text}${how}`;
}

function gateText(gates: readonly GateState[], output: Output): string[] {
  const lines: string[] = [];
  for (const packet of [...new Set(gates.map((g) => g.packet))]) {
    const own = gates.filter((g) => g.packet === packet);
    lines.push(`  ${(packet ?? 'session').padEnd(8)} ${own.map((g) => `${mark(output, g.done)} ${g.gate}`).join('  ')}`);
    for (const g of own) if (g.proof) lines.push(`  ${''.padEnd(8)} ${paint(output, 'dim', `${g.gate}: ${g.proof}${g.reason ? ` — reason: ${g.reason}` : ''}`)}`);
  }
  return lines;
}

/** Why G4 or G5 cannot be ticked by hand now (only for a gate not already passed). */
function blockText(review: SessionReview, output: Output): string[] {
  const { gates, required } = review.status;
  return GATES.flatMap((gate) => {
    const block = gates.some((g) => g.gate === gate && !g.done) ? gateBlock(gate, required, review.guardrails) : null;
    return block ? [paint(output, 'yellow', `  ${gate} cannot be ticked by hand: ${block.short}`)] : [];
  });
}

/** Each session packet's rungs, oldest first (and rungs of packets no longer in the session). */
function ladderText(status: SessionStatus, output: Output): string[] {
  const { packets } = status.session;
  const ladder = status.ladder ?? [];
  const lines = [paint(output, 'bold', 'Verification ladder:')];
  if (ladder.length === 0) {
    lines.push(paint(output, 'dim', '  no rung recorded; `canon session verify --packet P-n --rung unit --run` runs the packet\'s Verification command'));
    return lines;
  }
  const shown = new Set<string>();
  for (const packet of [...packets, ...ladder.map((r) => r.packet)]) {
    if (shown.has(packet.toUpperCase())) continue;
    shown.add(packet.toUpperCase());
    const rungs = packetRungs(ladder, packet);
    lines.push(`  ${packet.padEnd(8)} ${rungs.length === 0 ? paint(output, 'dim', 'no rung recorded') : ''}`.trimEnd());
    for (const r of rungs) lines.push(`    ${r.result === 'pass' ? paint(output, 'green', rungLine(r)) : paint(output, 'red', rungLine(r))}`);
  }
  return lines;
}

function statusText(review: SessionReview, output: Output): string {
  const status: SessionStatus = review.status;
  const { session, items, required, gates, guardrails } = status;
  const done = items.filter((i) => i.done).length;
  const lines = [
    paint(output, 'bold', `Session: ${session.objective}`),
    `  note      ${session.path}`,
    `  started   ${session.started.replace('T', ' ')}`,
    `  packets   ${session.packets.length > 0 ? session.packets.join(', ') : '(none)'}`,
    ...(session.inScope ? [`  in scope      ${session.inScope.join('; ')}`] : []),
    ...(session.outOfScope ? [`  out of scope  ${session.outOfScope.join('; ')}`] : []),
    '',
    paint(output, 'bold', `Checklist (${done} of ${items.length} done):`),
    ...items.map((i) => itemText(i, output)),
    '',
    paint(output, 'bold', 'Required updates (trigger matrix):'),
    ...(required.length > 0
      ? required.map((r) => `  ${mark(output, r.done)} ${r.change} → ${r.update}`)
      : [paint(output, 'dim', '  none yet; mark a kind of change with `canon session tick --change KIND`')]),
    '',
    paint(output, 'bold', 'Gates:'),
    ...gateText(gates, output),
    ...blockText(review, output),
    '',
    ...ladderText(status, output),
    '',
    `Guardrails: ${guardrails.status} — recommendation: ${guardrails.recommendation}`,
  ];
  return lines.join('\n');
}
