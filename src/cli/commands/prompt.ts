import { loadStack } from '../../core/check-stack';
import { findSessions } from '../../core/session/find-sessions';
import { renderShortMetaPrompt } from '../../core/stack/short-prompt';
import type { Role } from '../../core/stack/roles';
import { renderMetaPrompt } from '../../core/stack/templates';
import { COMMON_OPTIONS, parseFlags } from '../args';
import { CannotRun, openVault } from '../context';
import type { Output } from '../output';

export const PROMPT_HELP = `Usage: canon prompt [--objective TEXT] [--short] [--vault DIR]

Prints the operating model's meta prompt for an AI coder, with the objective and the vault's own
canonical note paths filled in (the preset's file names stand in for missing notes). Without
--objective, the open session's objective is used, if any.

Options:
  --objective TEXT   the current objective
  --short            the short prompt (fast mode)
  --vault DIR        the vault root (default: the current folder)
  -h, --help         show this help

Exit status: 0, 2 cannot run.`;

/** `canon prompt`. */
export function runPrompt(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, objective: { type: 'string' }, short: { type: 'boolean' } }, 'prompt');
  if (values.help) {
    output.out(PROMPT_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; the objective is given as --objective TEXT`);
  const { vault, config } = openVault(values.vault);
  const objective = values.objective ?? findSessions(vault).open[0]?.session.objective;
  if (values.short) {
    output.out(renderShortMetaPrompt(objective === undefined ? {} : { objective }));
    return 0;
  }
  const { model } = loadStack(vault, config);
  const notes: Partial<Record<Role, string>> = {};
  for (const doc of model.docs) if (doc.path !== null) notes[doc.role] = doc.path;
  output.out(renderMetaPrompt({ notes, ...(objective === undefined ? {} : { objective }) }));
  return 0;
}
