import {
  applyEdits,
  findRecommendationBlock,
  loadStack,
  parseNote,
  planRecommendation,
  type RecommendationPlan,
} from '../../core';
import { COMMON_OPTIONS, noPositionals, parseFlags, readFormat } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { WriteConflict } from '../fs-vault';
import { withNoteLocks } from '../note-lock';
import { json, paint, type Output } from '../output';

export const GUARDRAILS_HELP = `Usage: canon guardrails [--vault DIR] [--format text|json] [--write]

Evaluates the evidence log's Rollback Triggers over its Rollout Windows (newest last) and
recommends promote, hold or rollback, with the reason for each trigger.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  --write            also write the reading into the evidence log's Current Recommendation
                     section, between <!-- canon:recommendation --> and its closing marker
                     (only those lines change; the block is added when missing)
  -h, --help         show this help

Exit status: 0 ok, warn or unknown; 1 a trigger is in breach; 2 cannot run.`;

/** `canon guardrails`. */
export async function runGuardrails(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' }, write: { type: 'boolean' } }, 'guardrails');
  if (values.help) {
    output.out(GUARDRAILS_HELP);
    return 0;
  }
  noPositionals(positionals, 'guardrails');
  const format = readFormat(values.format, 'guardrails');
  const ctx = openVault(values.vault, !values.write);
  const plan = planOn(ctx);
  const written = values.write ? await writeBlock(ctx, plan, output) : null;
  const { report } = plan;
  if (format === 'json') {
    output.out(json({
      status: report.status,
      recommendation: report.recommendation,
      reasons: report.reasons,
      ...(written ? { written } : {}),
      // `bounds` and `partial` only for a `<n> missions` window (README "Command line": the range the window totals allow).
      triggers: report.triggers.map((t) => ({
        trigger: t.trigger, metric: t.metric, status: t.status, observed: t.observed, threshold: t.threshold, windows: t.windows, message: t.message,
        ...(t.bounds ? { bounds: t.bounds } : {}), ...(t.partial ? { partial: t.partial } : {}),
      })),
    }));
  } else {
    const colour = report.status === 'breach' ? 'red' : report.status === 'ok' ? 'green' : 'yellow';
    const lines = [paint(output, colour, `Guardrails: ${report.status} — recommendation: ${report.recommendation}`)];
    for (const t of report.triggers) {
      const tag = t.status === 'breach' ? paint(output, 'red', 'breach ') : t.status === 'warn' ? paint(output, 'yellow', 'warn   ') : t.status === 'ok' ? paint(output, 'green', 'ok     ') : paint(output, 'dim', 'unknown');
      lines.push(`  ${tag}  ${t.trigger}: ${t.message}`);
    }
    if (report.triggers.length === 0) lines.push('  no rollback triggers written (gate G5 needs them)');
    if (written) lines.push(written.changed ? `Wrote the recommendation block in ${written.path}:${written.line}` : `The recommendation block in ${written.path}:${written.line} already reads so; nothing written`);
    output.out(lines.join('\n'));
  }
  return report.status === 'breach' ? 1 : 0;
}

type Planned = Extract<RecommendationPlan, { ok: true }>;

function planOn(ctx: Context, fresh?: string): Planned {
  if (fresh !== undefined) ctx.vault.forget(fresh);
  const { model, readOnly } = loadStack(ctx.vault, ctx.config);
  const plan = planRecommendation(model, readOnly);
  if (!plan.ok) throw new CannotRun(plan.message);
  return plan;
}

/** How often a write plans again when the note changes between its read and its rename. */
const ATTEMPTS = 5;

/**
 * Writes the block holding the note's lock (README "Reliability"): planned again on the text read
 * under the lock, written atomically, read back and found before it is reported.
 */
async function writeBlock(ctx: Context, first: Planned, output: Output): Promise<{ path: string; line: number; changed: boolean }> {
  return withNoteLocks(ctx.root, [first.path], (m) => output.err(m), () => {
    for (let attempt = 1; ; attempt++) {
      const plan = planOn(ctx, first.path);
      if (plan.path !== first.path) throw new CannotRun(`the ${first.path} note changed role while Canon was writing; nothing was written, run the command again`);
      const text = ctx.vault.read(plan.path)?.text;
      if (text === undefined) throw new CannotRun(`\`${plan.path}\` cannot be read; nothing was written`);
      if (plan.edit) {
        try {
          ctx.vault.write(plan.path, applyEdits(text, [plan.edit]));
        } catch (error) {
          if (error instanceof WriteConflict && attempt < ATTEMPTS) continue;
          throw error instanceof WriteConflict ? new CannotRun(error.message) : error;
        }
      }
      const place = findRecommendationBlock(parseNote(ctx.vault.read(plan.path)?.text ?? ''));
      if (!place) throw new CannotRun(`\`${plan.path}\` was written, but the recommendation block is not in its Current Recommendation section; check the note`);
      return { path: plan.path, line: place.line, changed: plan.edit !== null };
    }
  });
}
