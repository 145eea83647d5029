import { loadStack } from '../../core/check-stack';
import { applyEdits } from '../../core/edit/text-edit';
import { missingRowReason } from '../../core/edit/verify-append';
import type { GateState } from '../../core/session/gates';
import { planClose } from '../../core/session/plan-close';
import { reviewSession } from '../../core/session/review-session';
import type { ItemState, SessionStatus } from '../../core/session/types';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault } from '../context';
import { json, paint, type Output } from '../output';
import { withNoteLocks } from '../note-lock';
import { openSession, SESSION_LOCK, writeNote } from './session-context';

export const SESSION_STATUS_HELP = `Usage: canon session status [--vault DIR] [--format text|json]

Shows the open session: the close checklist (the operating model's "Session close checklist",
else the preset's seven items) with the items the vault proves ticked and their proof, the
updates the trigger matrix requires for the kinds of change made, gates G1–G5 per packet, and
the guardrails.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 shown, 1 no open session, 2 cannot run.`;

export const SESSION_CLOSE_HELP = `Usage: canon session close [--force] [--changed T] [--verification T] [--evidence T] [--risks T] [--vault DIR]

Closes the open session: appends one Status Log row to the control center (Change: the
objective; Summary; Gates passed; Evidence: a link to the session note) and writes the summary
into the session note under What changed, Verification, Evidence captured, Docs updated, and
Risks and next checks. Refuses, naming each open checklist item, unless --force. The row this
command adds counts for a "control center updated" item.

Options:
  --force              close even with open items (the summary lists them)
  --changed TEXT       what changed (also the Status Log row's Summary)
  --verification TEXT  verification commands and their outcomes
  --evidence TEXT      evidence captured
  --risks TEXT         risks and next checks
  --vault DIR          the vault root (default: the current folder)
  -h, --help           show this help

Exit status: 0 closed, 1 items open (or no open session, or the Status Log row is invalid), 2 cannot run.`;

/** `canon session status`. */
export function runSessionStatus(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'session status');
  if (values.help) {
    output.out(SESSION_STATUS_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; see \`canon session status --help\``);
  const format = readFormat(values.format, 'session status');
  const open = openSession(openVault(values.vault), output);
  if (!open) return 1;
  const { status } = reviewSession(open.model, open.ref.path, open.ref.session);
  output.out(format === 'json' ? json(status) : statusText(status, output));
  return 0;
}

const mark = (output: Output, done: boolean): string => (done ? paint(output, 'green', '✔') : paint(output, 'red', '✘'));

function itemText(item: ItemState, output: Output): string {
  const how = item.by === 'vault' ? `  ${paint(output, 'dim', item.proof ?? '')}` : item.by === 'hand' ? `  ${paint(output, 'dim', '(by hand)')}` : '';
  return `  ${mark(output, item.done)} ${String(item.n).padStart(2)}. ${item.text}${how}`;
}

function gateText(gates: readonly GateState[], output: Output): string[] {
  const lines: string[] = [];
  for (const packet of [...new Set(gates.map((g) => g.packet))]) {
    const own = gates.filter((g) => g.packet === packet);
    lines.push(`  ${(packet ?? 'session').padEnd(8)} ${own.map((g) => `${mark(output, g.done)} ${g.gate}`).join('  ')}`);
    for (const g of own) if (g.proof) lines.push(`  ${''.padEnd(8)} ${paint(output, 'dim', `${g.gate}: ${g.proof}`)}`);
  }
  return lines;
}

function statusText(status: SessionStatus, output: Output): string {
  const { session, items, required, gates, guardrails } = status;
  const done = items.filter((i) => i.done).length;
  const lines = [
    paint(output, 'bold', `Session: ${session.objective}`),
    `  note      ${session.path}`,
    `  started   ${session.started.replace('T', ' ')}`,
    `  packets   ${session.packets.length > 0 ? session.packets.join(', ') : '(none)'}`,
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
    '',
    `Guardrails: ${guardrails.status} — recommendation: ${guardrails.recommendation}`,
  ];
  return lines.join('\n');
}

/** `canon session close`. */
export async function runSessionClose(argv: string[], output: Output, now: () => Date): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS, force: { type: 'boolean' }, changed: { type: 'string' }, verification: { type: 'string' }, evidence: { type: 'string' }, risks: { type: 'string' },
  }, 'session close');
  if (values.help) {
    output.out(SESSION_CLOSE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; texts are given as --changed T, --verification T, --evidence T, --risks T`);
  const root = openVault(values.vault).root;
  return withNoteLocks(root, [SESSION_LOCK], (m) => output.err(m), async () => {
    const probe = openVault(values.vault);
    const control = probe.config.notes['control-center'] ?? loadStack(probe.vault, probe.config).model.docs.find((d) => d.role === 'control-center')?.path;
    // The control center's lock too: a parallel `canon add status` must not write between this close's read and its write.
    return withNoteLocks(root, control ? [control] : [], (m) => output.err(m), () => closeLocked(values, output, now));
  });
}

function closeLocked(values: { vault?: string; force?: boolean; changed?: string; verification?: string; evidence?: string; risks?: string }, output: Output, now: () => Date): number {
  const ctx = openVault(values.vault);
  const open = openSession(ctx, output);
  if (!open) return 1;
  const texts = { changed: values.changed, verification: values.verification, evidence: values.evidence, risks: values.risks };
  const plan = planClose(open.model, open.readOnly, open.ref, { now: now(), force: values.force === true, texts });
  if (!plan.ok) {
    if (plan.reason === 'open-items') {
      const list = plan.open.map((i) => `  ${i.n}. ${i.text}`).join('\n');
      output.err(`${paint(output, 'red', `✖ the session was not closed: ${plan.open.length} checklist item${plan.open.length === 1 ? ' is' : 's are'} open`)}\n${list}\nTick them with \`canon session tick N\`, or close anyway with --force.`);
      return 1;
    }
    if (plan.reason === 'session' || plan.cannotRun) throw new CannotRun(plan.reason === 'session' ? plan.message : plan.errors.map((e) => e.message).join('\n'));
    output.err(`✖ the Status Log row cannot be written, so the session was not closed:\n${plan.errors.map((e) => `  ${e.message}  ${paint(output, 'dim', e.rule)}`).join('\n')}`);
    return 1;
  }
  // Control center first, session note second: a retry after the second failed finds the row by its link and writes only the note.
  for (const write of plan.writes) {
    const before = write.path === open.ref.path ? open.ref.text : (open.model.notes.get(write.path)?.text ?? '');
    writeNote(ctx, write.path, applyEdits(before, write.edits));
  }
  const control = plan.resumed ? undefined : plan.writes[0];
  const rowPath = control?.path ?? open.model.docs.find((d) => d.role === 'control-center')?.path ?? '';
  const lost = missingRowReason(ctx.vault.read(rowPath)?.text ?? '', plan.expect);
  if (lost) throw new CannotRun(`\`${rowPath}\` was written, but the session's Status Log row is not where it should be: ${lost}; check the note`);
  const lines = [
    paint(output, 'green', `Closed ${open.ref.path}`),
    plan.resumed ? `  Status Log row already at ${rowPath}:${plan.line} (written by an earlier close that stopped); not added again` : `  Status Log row added to ${rowPath}:${plan.line}`,
    `  summary written to ${open.ref.path}`,
  ];
  if (plan.open.length > 0) lines.push(paint(output, 'yellow', `  closed with ${plan.open.length} open item${plan.open.length === 1 ? '' : 's'}: ${plan.open.map((i) => i.n).join(', ')} (listed under Risks and next checks)`));
  output.out(lines.join('\n'));
  return 0;
}
