import {
  applyEdits,
  type ClosePlan,
  type CloseReason,
  findRecommendationBlock,
  loadStack,
  missingRowReason,
  notDone,
  OVERRIDES_HEADING,
  parseNote,
  planClose,
} from '../../core';
import { COMMON_OPTIONS, parseFlags } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { paint, type Output } from '../output';
import { withNoteLocks } from '../note-lock';
import { openSession, SESSION_LOCK, writeNote } from './session-context';

export const SESSION_CLOSE_HELP = `Usage: canon session close [--force] [--done P-n]… [--changed T] [--verification T] [--evidence T] [--risks T] [--vault DIR]

Closes the open session: appends one Status Log row to the control center (Change: the
objective; Summary; Gates passed; Evidence: a link to the session note), rewrites the evidence
log's recommendation block (<!-- canon:recommendation -->, as \`canon guardrails --write\` does)
and writes the summary into the session note under What changed, Verification, Evidence
captured, Docs updated, and Risks and next checks; Verification lists each packet's
verification ladder (\`canon session verify\`) after the --verification text. The row this
command adds counts for a "control center updated" item and for the status log a required
update names. --done P-n also sets that session packet's Status to done in the plan's Work
Packets table (one cell; the rows changed are reported).

Refuses, listing every reason on its own line and writing nothing, while any is left:
  - an open checklist item              (canon session tick N [--reason T])
  - an open required update             (add the rows the trigger matrix names)
  - a gate not passed for a session packet (canon session tick --gate G [--packet P-n] [--reason T])
  - guardrails in breach                (canon guardrails)
  - a --done packet whose gates have not all passed
--force closes anyway: the session note lists the reasons overridden under "Overridden at
close", and the Status Log row's Summary ends "Closed with N overrides: …".

Options:
  --force              close despite the reasons above (each is written down)
  --done P-n           set this session packet's Status to done in Work Packets; repeat
                       for each (refused while one of its gates is not passed, unless --force)
  --changed TEXT       what changed (also the Status Log row's Summary)
  --verification TEXT  verification commands and their outcomes
  --evidence TEXT      evidence captured
  --risks TEXT         risks and next checks
  --vault DIR          the vault root (default: the current folder)
  -h, --help           show this help

Exit status: 0 closed; 1 refused (reasons left and no --force, no open session, a --done
packet that is not the session's, or the Status Log row is invalid); 2 cannot run.`;

type CloseFlags = { vault?: string; force?: boolean; done?: string[]; changed?: string; verification?: string; evidence?: string; risks?: string };

/** `canon session close`. */
export async function runSessionClose(argv: string[], output: Output, now: () => Date): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS, force: { type: 'boolean' }, done: { type: 'string', multiple: true }, changed: { type: 'string' }, verification: { type: 'string' }, evidence: { type: 'string' }, risks: { type: 'string' },
  }, 'session close');
  if (values.help) {
    output.out(SESSION_CLOSE_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; texts are given as --changed T, --verification T, --evidence T, --risks T`);
  const root = openVault(values.vault).root;
  return withNoteLocks(root, [SESSION_LOCK], (m) => output.err(m), async () => {
    const probe = openVault(values.vault);
    const docs = loadStack(probe.vault, probe.config).model.docs;
    const noteOf = (role: 'control-center' | 'evidence-log' | 'implementation-plan') => probe.config.notes[role] ?? docs.find((d) => d.role === role)?.path;
    // The notes the close writes, locked too: a parallel `canon add` or `guardrails --write` must not write between this close's read and its write.
    const roles = ['control-center', 'evidence-log', ...((values.done ?? []).length > 0 ? ['implementation-plan'] as const : [])] as const;
    const notes = roles.map(noteOf).filter((p): p is string => p !== undefined);
    return withNoteLocks(root, notes, (m) => output.err(m), () => closeLocked(values, output, now));
  });
}

function closeLocked(values: CloseFlags, output: Output, now: () => Date): number {
  const ctx = openVault(values.vault);
  const open = openSession(ctx, output);
  if (!open) return 1;
  const texts = { changed: values.changed, verification: values.verification, evidence: values.evidence, risks: values.risks };
  const plan = planClose(open.model, open.readOnly, open.ref, { now: now(), force: values.force === true, texts, done: values.done ?? [] });
  if (!plan.ok) {
    if (plan.reason === 'blocked') {
      output.err(refusalText(plan.reasons, output));
      return 1;
    }
    if (plan.reason === 'done') {
      output.err(`✖ the session was not closed; nothing was written: ${plan.message}`);
      return 1;
    }
    if (plan.reason === 'session' || plan.cannotRun) throw new CannotRun(plan.reason === 'session' ? plan.message : plan.errors.map((e) => e.message).join('\n'));
    output.err(`✖ the Status Log row cannot be written, so the session was not closed:\n${plan.errors.map((e) => `  ${e.message}  ${paint(output, 'dim', e.rule)}`).join('\n')}`);
    return 1;
  }
  // Control center first, session note last: a retry after a later write failed finds the row by its link and writes only what is left.
  for (const write of plan.writes) {
    const before = write.path === open.ref.path ? open.ref.text : (open.model.notes.get(write.path)?.text ?? '');
    writeNote(ctx, write.path, applyEdits(before, write.edits));
  }
  const control = plan.resumed ? undefined : plan.writes[0];
  const rowPath = control?.path ?? open.model.docs.find((d) => d.role === 'control-center')?.path ?? '';
  const lost = missingRowReason(ctx.vault.read(rowPath)?.text ?? '', plan.expect);
  if (lost) throw new CannotRun(`\`${rowPath}\` was written, but the session's Status Log row is not where it should be: ${lost}; check the note`);
  const doneLines = packetsDoneLines(ctx, plan);
  const lines = [
    paint(output, 'green', `Closed ${open.ref.path}`),
    plan.resumed ? `  Status Log row already at ${rowPath}:${plan.line} (written by an earlier close that stopped); not added again` : `  Status Log row added to ${rowPath}:${plan.line}`,
    recommendationLine(ctx, plan, output),
    ...doneLines,
    `  summary written to ${open.ref.path}`,
  ];
  if (plan.overrides.length > 0) {
    lines.push(paint(output, 'yellow', `  closed with ${plan.overrides.length} override${plan.overrides.length === 1 ? '' : 's'} (listed under "${OVERRIDES_HEADING}" in the session note and in the Status Log row's Summary):`));
    for (const reason of plan.overrides) lines.push(`    ${reason.text}`);
  }
  output.out(lines.join('\n'));
  return 0;
}

/** The Work Packets rows `--done` changed, read back from the plan (each Status must read done now). */
function packetsDoneLines(ctx: Context, plan: Extract<ClosePlan, { ok: true }>): string[] {
  if (plan.done.length === 0) return [];
  const ids = plan.done.map((d) => d.packet);
  const notYet = notDone(loadStack(ctx.vault, ctx.config).model, ids);
  if (notYet.length > 0) throw new CannotRun(`\`${plan.done[0]?.path ?? ''}\` was written, but the Status of ${notYet.join(', ')} does not read done; check the note`);
  return plan.done.map((d) => (d.was.toLowerCase() === 'done'
    ? `  ${d.packet} already done in ${d.path}:${d.line}; not changed`
    : `  ${d.packet} set to done in ${d.path}:${d.line} (Status was ${d.was === '' ? 'empty' : d.was})`));
}

/** The refusal: every reason on its own line, then what would lift them. */
function refusalText(reasons: readonly CloseReason[], output: Output): string {
  return [
    paint(output, 'red', `✖ the session was not closed: ${reasons.length} reason${reasons.length === 1 ? '' : 's'} left; nothing was written`),
    ...reasons.map((r) => `  ${r.text}`),
    'Tick items with `canon session tick N` and gates with `canon session tick --gate G` (each may carry --reason T), add the rows the required updates name, or close anyway with --force (the reasons are then written into the session note and the Status Log row).',
  ].join('\n');
}

/** What the close did to the evidence log's recommendation block, read back from the note. */
function recommendationLine(ctx: Context, plan: Extract<ClosePlan, { ok: true }>, output: Output): string {
  const rec = plan.recommendation;
  if (!rec.ok) return paint(output, 'yellow', `  recommendation block not written: ${rec.message}`);
  const place = findRecommendationBlock(parseNote(ctx.vault.read(rec.path)?.text ?? ''));
  if (!place) throw new CannotRun(`\`${rec.path}\` was written, but the recommendation block is not in its Current Recommendation section; check the note`);
  return rec.edit ? `  recommendation block written to ${rec.path}:${place.line}` : `  recommendation block in ${rec.path}:${place.line} already up to date`;
}
