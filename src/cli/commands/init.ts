import { columnHelp, loadStack, missingNotes, PHASE_A, ROLE_TITLES, tableFor } from '../../core';
import { COMMON_OPTIONS, noPositionals, parseFlags } from '../args';
import { CannotRun, openVault } from '../context';
import { paint, type Output } from '../output';

export const INIT_HELP = `Usage: canon init [--vault DIR] [--preset phase-a]

Creates the canonical notes the vault lacks, from the preset's templates: frontmatter with the
note's role, its sections, and each table with only its header and alignment rows. Never
overwrites a file. Notes go where canon.config.json says (notes map, folder), else to the
vault root under the preset's file names. Ends with the three commands to run next (check the
stack, write the first rollback trigger, open a session), with the vault filled in.

Options:
  --vault DIR        the vault root (default: the current folder)
  --preset NAME      the preset (only phase-a exists)
  -h, --help         show this help

Exit status: 0 done (also when nothing was missing), 2 cannot run.`;

/** `canon init`. */
export function runInit(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, preset: { type: 'string' } }, 'init');
  if (values.help) {
    output.out(INIT_HELP);
    return 0;
  }
  noPositionals(positionals, 'init');
  if (values.preset !== undefined && values.preset !== 'phase-a') {
    throw new CannotRun(`preset \`${values.preset}\` does not exist; expected phase-a`);
  }
  const { vault, config } = openVault(values.vault);
  const { model } = loadStack(vault, config);
  const lines: string[] = [];
  for (const doc of model.docs) {
    if (doc.path !== null) lines.push(paint(output, 'dim', `  kept     ${doc.path} (${ROLE_TITLES[doc.role]})`));
  }
  for (const note of missingNotes(model.docs, config)) {
    const created = vault.create(note.path, note.text);
    lines.push(created ? paint(output, 'green', `  created  ${note.path} (${ROLE_TITLES[note.role]})`) : paint(output, 'yellow', `  skipped  ${note.path}: a file is already there`));
  }
  lines.push('', 'Next:', ...nextSteps(values.vault ?? '.').map((c) => `  ${c}`));
  output.out(lines.join('\n'));
  return 0;
}

/**
 * The three commands a new vault needs next: a check (a new evidence log has no rollback triggers,
 * which G5 requires), the first trigger (the example values of `canon add --help`), a session.
 */
export function nextSteps(vault: string): string[] {
  const at = `--vault ${shellWord(vault)}`;
  const trigger = tableFor(PHASE_A, 'trigger');
  const sets = trigger.columns.map((c) => `--set ${shellWord(`${c.name}=${columnHelp(trigger, c).example}`)}`);
  return [
    `canon check ${at}`,
    `canon add trigger ${at} ${sets.join(' ')}`,
    `canon session start ${at} --objective ${shellWord('First packet: what this session changes')}`,
  ];
}

/** A word as a POSIX shell reads it back: bare when it is safe, else in single quotes. */
function shellWord(word: string): string {
  if (/^[\w@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, "'\\''")}'`;
}
