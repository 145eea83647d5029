import { checkStack, type Diagnostic } from '../../core';
import { COMMON_OPTIONS, noPositionals, parseFlags } from '../args';
import { CannotRun, openVault } from '../context';
import { formatGithub } from '../formats/github';
import { formatJunit } from '../formats/junit';
import { reportPath } from '../formats/report-path';
import { formatSarif } from '../formats/sarif';
import { ruleHelpUri } from '../formats/tool';
import { json, paint, type Output } from '../output';

export const CHECK_HELP = `Usage: canon check [--vault DIR] [--format text|json|sarif|github|junit]

Validates the whole canonical stack: which note plays each role, every table against its
schema (columns, cell types, ids, order, consistency), links between notes and rows, and
the rollout guardrails' written rules.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default), json, sarif (SARIF 2.1.0, for code scanning),
                     github (GitHub Actions annotations) or junit (JUnit XML)
  -h, --help         show this help

In the sarif, github and junit formats a note's path is relative to the current folder
(the repository root in CI), e.g. docs/stack/04_….md for --vault docs/stack.

Exit status: 0 no errors (warnings allowed), 1 errors found, 2 cannot run.`;

const FORMATS = ['text', 'json', 'sarif', 'github', 'junit'] as const;
type CheckFormat = (typeof FORMATS)[number];

/** Reads `check`'s `--format`, defaulting to text. */
function readCheckFormat(value: string | undefined): CheckFormat {
  if (value === undefined) return 'text';
  const format = FORMATS.find((f) => f === value);
  if (format) return format;
  throw new CannotRun(`--format \`${value}\` is not a format; expected text, json, sarif, github or junit (see \`canon check --help\`)`);
}

/** `canon check`. */
export function runCheck(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'check');
  if (values.help) {
    output.out(CHECK_HELP);
    return 0;
  }
  noPositionals(positionals, 'check');
  const format = readCheckFormat(values.format);
  const { vault, config, root } = openVault(values.vault, true);
  const result = checkStack(vault, config);
  const where = (notePath: string) => reportPath(root, process.cwd(), notePath);
  if (format === 'sarif') {
    output.out(json(formatSarif(result.diagnostics, where)));
  } else if (format === 'github') {
    const commands = formatGithub(result.diagnostics, where);
    if (commands.length > 0) output.out(commands.join('\n'));
  } else if (format === 'junit') {
    const notes = result.docs.flatMap((d) => (d.path === null ? [] : [d.path]));
    output.out(formatJunit(result.diagnostics, notes, where));
  } else if (format === 'json') {
    output.out(json({
      vault: root,
      docs: result.docs.map((d) => ({ role: d.role, path: d.path })),
      diagnostics: result.diagnostics.map(({ path, line, column, severity, rule, message }) => ({ path, line, column, severity, rule, message, docs: ruleHelpUri(rule) })),
      counts: result.counts,
    }));
  } else {
    output.out(formatText(result.diagnostics, result.docs.filter((d) => d.path !== null).length, output));
  }
  return result.counts.error > 0 ? 1 : 0;
}

/** Diagnostics grouped by file, like remark-lint and ESLint's stylish output. */
function formatText(diagnostics: readonly Diagnostic[], notes: number, output: Output): string {
  const lines: string[] = [];
  let current: string | null = null;
  for (const d of diagnostics) {
    if (d.path !== current) {
      if (current !== null) lines.push('');
      lines.push(paint(output, 'bold', d.path));
      current = d.path;
    }
    const severity = d.severity === 'error' ? paint(output, 'red', 'error  ') : d.severity === 'warning' ? paint(output, 'yellow', 'warning') : paint(output, 'cyan', 'info   ');
    lines.push(`  ${`${d.line}:${d.column}`.padEnd(8)} ${severity}  ${d.message}  ${paint(output, 'dim', d.rule)}`);
  }
  const count = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;
  const errors = diagnostics.filter((d) => d.severity === 'error').length;
  const warnings = diagnostics.filter((d) => d.severity === 'warning').length;
  const infos = diagnostics.length - errors - warnings;
  if (lines.length > 0) {
    // Each rule that fired, with its page (docs/rules/<family>/<name>.md): what it checks and how to fix it.
    const rules = [...new Set(diagnostics.map((d) => d.rule))];
    const width = Math.max(...rules.map((r) => r.length));
    lines.push('', 'Rule pages:', ...rules.map((r) => `  ${r.padEnd(width)}  ${paint(output, 'dim', ruleHelpUri(r))}`), '');
  }
  const summary = `${count(errors, 'error')}, ${count(warnings, 'warning')}${infos > 0 ? `, ${count(infos, 'info')}` : ''} in ${count(notes, 'canonical note')}`;
  lines.push(errors > 0 ? paint(output, 'red', `✖ ${summary}`) : paint(output, 'green', `✔ ${summary}`));
  return lines.join('\n');
}
