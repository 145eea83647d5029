import { buildPrompt, CONTEXT_START, findSessions, loadStack, promptSessionOf, reviewSession } from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault } from '../context';
import { json, paint, type Output } from '../output';

export const PROMPT_HELP = `Usage: canon prompt [--objective TEXT] [--short] [--vault DIR] [--format text|json]

Prints the coder prompt: the operating-model note's meta prompt (the fenced block under its "Meta
prompt" heading; with --short, under "Short meta prompt"), else the preset's text. Filled in: the
objective (for [INSERT CURRENT OBJECTIVE], else as a first line), the vault's note paths for the
preset's file names, and the program's name for DraganCorp (config \`program\`, else the control
center's title). With a session open, a block between ${CONTEXT_START} markers follows:
its objective, scope, packets (goal, files, verification, expected evidence), open required
updates and the guardrail reading. Without --objective, the open session's objective is used.

Options:
  --objective TEXT   the current objective
  --short            the short prompt (fast mode)
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json (the prompt with where its parts came from)
  -h, --help         show this help

Exit status: 0, 2 cannot run.`;

/** `canon prompt`. */
export function runPrompt(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, objective: { type: 'string' }, short: { type: 'boolean' }, format: { type: 'string' } }, 'prompt');
  if (values.help) {
    output.out(PROMPT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; the objective is given as --objective TEXT`);
  const format = readFormat(values.format, 'prompt');
  const { vault, config } = openVault(values.vault);
  const { model } = loadStack(vault, config);
  const found = findSessions(vault);
  for (const p of found.problems) output.err(paint(output, 'yellow', `warning: ${p.path} is not a readable session note: ${p.problem}`));
  const [ref, ...others] = found.open;
  if (ref && others.length > 0) output.err(paint(output, 'yellow', `warning: ${others.length + 1} sessions are open; the prompt carries the newest, ${ref.path} (close the others: ${others.map((o) => o.path).join(', ')})`));
  const session = ref ? promptSessionOf(ref, reviewSession(model, ref.path, ref.session)) : null;
  const built = buildPrompt(model, { short: values.short === true, session, ...(values.objective === undefined ? {} : { objective: values.objective }) });
  if (built.source.from === 'preset' && built.source.problem) output.err(paint(output, 'yellow', `warning: ${built.source.problem}; the preset's prompt is used`));
  if (!ref && format === 'text') output.err(paint(output, 'dim', 'no open session: the prompt carries no session context (`canon session start --objective TEXT` opens one)'));
  output.out(format === 'json' ? json(built) : built.text);
  return 0;
}
