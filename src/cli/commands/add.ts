import { loadStack } from '../../core/check-stack';
import { planAppend, type EntryError } from '../../core/edit/append-entry';
import { applyEdits } from '../../core/edit/text-edit';
import { ENTRY_KINDS, type EntryKind } from '../../core/schema/table-schema';
import { describeType } from '../../core/stack/bind-table';
import { PHASE_A, tableFor } from '../../core/schema/preset';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault } from '../context';
import { WriteConflict } from '../fs-vault';
import { json, paint, type Output } from '../output';

const columnsHelp = ENTRY_KINDS.map((kind) => {
  const schema = tableFor(PHASE_A, kind);
  const cols = schema.columns.map((c) => `${c.name}${c.optional ? '?' : ''}`).join(', ');
  return `  ${kind.padEnd(9)} → ${schema.section}: ${cols}`;
}).join('\n');

export const ADD_HELP = `Usage: canon add <kind> --set Column=value … [--vault DIR] [--dry-run] [--format text|json]

Appends one entry to its canonical table, touching no other byte of the note. Defaults: an id
column gets the next id; the table's first date column gets now; Fallback Rate is computed
from Fallbacks and Missions. Nothing is written when any field is wrong.

Kinds and their tables (? = may be empty):
${columnsHelp}

Options:
  --set Column=value   a field, by header text or alias (any case); repeat for each field
  --dry-run            validate and show the row, write nothing
  --vault DIR          the vault root (default: the current folder)
  --format FORMAT      text (default) or json
  -h, --help           show this help

Exit status: 0 written, 1 entry invalid (every field error listed; no file changed), 2 cannot run.`;

/** `canon add <kind>`. */
export function runAdd(argv: string[], output: Output, now: () => Date): number {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string' },
    set: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  }, 'add');
  if (values.help) {
    output.out(ADD_HELP);
    return 0;
  }
  const format = readFormat(values.format, 'add');
  const [kind, ...extra] = positionals;
  if (kind === undefined) throw new CannotRun(`expected an entry kind (${ENTRY_KINDS.join(', ')}); see \`canon add --help\``);
  if (!isKind(kind)) throw new CannotRun(`\`${kind}\` is not an entry kind; expected one of ${ENTRY_KINDS.join(', ')}`);
  if (extra.length > 0) throw new CannotRun(`unexpected argument \`${extra[0] ?? ''}\`; fields are given as --set Column=value`);
  const fields = parseSets(values.set ?? []);

  const { vault, config } = openVault(values.vault);
  const { model, readOnly } = loadStack(vault, config);
  const plan = planAppend(model, readOnly, { kind, fields, now: now() });
  if (!plan.ok) {
    if (plan.cannotRun) throw new CannotRun(plan.errors.map((e) => e.message).join('\n'));
    reportErrors(plan.errors, plan.path, kind, format, output);
    return 1;
  }
  const note = model.notes.get(plan.path);
  if (!values['dry-run'] && note) {
    try {
      vault.write(plan.path, applyEdits(note.text, plan.edits));
    } catch (error) {
      if (error instanceof WriteConflict) throw new CannotRun(error.message);
      throw new CannotRun(`${plan.path} could not be written: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  if (format === 'json') {
    output.out(json({ path: plan.path, line: plan.line, row: plan.row, ...(values['dry-run'] ? { dryRun: true } : {}) }));
  } else {
    const schema = tableFor(PHASE_A, kind);
    const what = values['dry-run'] ? 'Would add' : 'Added';
    const created = plan.createdSection ? ` (created section ${schema.section})` : '';
    const lines = [paint(output, 'green', `${what} ${schema.entryName} to ${plan.path}:${plan.line}${created}`)];
    for (const [column, value] of Object.entries(plan.row)) lines.push(`  ${column}: ${value}`);
    if (values['dry-run']) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
    output.out(lines.join('\n'));
  }
  return 0;
}

function isKind(value: string): value is EntryKind {
  return (ENTRY_KINDS as readonly string[]).includes(value);
}

function parseSets(sets: string[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new CannotRun(`--set \`${set}\` has no column; expected --set Column=value`);
    fields[set.slice(0, eq).trim()] = set.slice(eq + 1);
  }
  return fields;
}

function reportErrors(errors: EntryError[], path: string | null, kind: EntryKind, format: 'text' | 'json', output: Output): void {
  if (format === 'json') {
    output.out(json({ path, errors: errors.map((e) => ({ column: e.column, rule: e.rule, message: e.message })) }));
    return;
  }
  const schema = tableFor(PHASE_A, kind);
  const lines = [paint(output, 'red', `✖ the ${schema.entryName} was not added (${errors.length} problem${errors.length === 1 ? '' : 's'}); ${path ?? 'no file'} is unchanged`)];
  for (const e of errors) {
    const column = e.column ? schema.columns.find((c) => c.name === e.column) : undefined;
    const hint = column && e.rule === 'cell/required' ? '' : column ? ` (${describeType(column.type)})` : '';
    lines.push(`  ${e.message}${hint}  ${paint(output, 'dim', e.rule)}`);
  }
  output.err(lines.join('\n'));
}
