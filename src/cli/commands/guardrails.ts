import { loadStack } from '../../core/check-stack';
import { evaluateTriggers } from '../../core/guardrails/evaluate';
import { readTriggers, readWindows } from '../../core/guardrails/read-rows';
import { COMMON_OPTIONS, noPositionals, parseFlags, readFormat } from '../args';
import { CannotRun, openVault } from '../context';
import { json, paint, type Output } from '../output';

export const GUARDRAILS_HELP = `Usage: canon guardrails [--vault DIR] [--format text|json]

Evaluates the evidence log's Rollback Triggers over its Rollout Windows (newest last) and
recommends promote, hold or rollback, with the reason for each trigger.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 ok, warn or unknown; 1 a trigger is in breach; 2 cannot run.`;

/** `canon guardrails`. */
export function runGuardrails(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'guardrails');
  if (values.help) {
    output.out(GUARDRAILS_HELP);
    return 0;
  }
  noPositionals(positionals, 'guardrails');
  const format = readFormat(values.format, 'guardrails');
  const { vault, config } = openVault(values.vault, true);
  const { model } = loadStack(vault, config);
  if (!model.docs.find((d) => d.role === 'evidence-log')?.path) {
    throw new CannotRun('no evidence log in the vault; expected a note with `canon: evidence-log` or a `04_` file name (run `canon init`)');
  }
  const report = evaluateTriggers(readTriggers(model.tables.get('trigger')), readWindows(model.tables.get('evidence')));
  if (format === 'json') {
    output.out(json({
      status: report.status,
      recommendation: report.recommendation,
      reasons: report.reasons,
      triggers: report.triggers.map((t) => ({ trigger: t.trigger, metric: t.metric, status: t.status, observed: t.observed, threshold: t.threshold, windows: t.windows, message: t.message })),
    }));
  } else {
    const colour = report.status === 'breach' ? 'red' : report.status === 'ok' ? 'green' : 'yellow';
    const lines = [paint(output, colour, `Guardrails: ${report.status} — recommendation: ${report.recommendation}`)];
    for (const t of report.triggers) {
      const tag = t.status === 'breach' ? paint(output, 'red', 'breach ') : t.status === 'warn' ? paint(output, 'yellow', 'warn   ') : t.status === 'ok' ? paint(output, 'green', 'ok     ') : paint(output, 'dim', 'unknown');
      lines.push(`  ${tag}  ${t.trigger}: ${t.message}`);
    }
    if (report.triggers.length === 0) lines.push('  no rollback triggers written (gate G5 needs them)');
    output.out(lines.join('\n'));
  }
  return report.status === 'breach' ? 1 : 0;
}
