import {
  type AppendPlan,
  columnHelp,
  describeChange,
  describeType,
  ENTRY_KINDS,
  type EntryError,
  type EntryKind,
  loadStack,
  PHASE_A,
  planAppend,
  ROLE_TITLES,
  tableFor,
} from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { json, paint, type Output } from '../output';
import { parseSets, writeUnderLock } from '../write-plan';

/** Each kind's table and columns: type (enum values listed), an example, and what an empty cell becomes. */
const columnsHelp = ENTRY_KINDS.map((kind) => {
  const schema = tableFor(PHASE_A, kind);
  const lines = schema.columns.map((c) => {
    const help = columnHelp(schema, c);
    const filled = help.filled === null ? '' : ` (default: ${help.filled})`;
    return `    ${`${c.name}${c.optional ? '?' : ''}`.padEnd(19)} ${help.type}; e.g. ${help.example}${filled}`;
  });
  return [`  ${kind} → ${schema.section} (${ROLE_TITLES[schema.role]})`, ...lines].join('\n');
}).join('\n\n');

export const ADD_HELP = `Usage: canon add <kind> --set Column=value … [--vault DIR] [--dry-run] [--format text|json]

Appends one entry to its canonical table, touching no other byte of the note. Left out, an id
column gets the next id; the table's first date column gets now; Fallback Rate is computed
from Fallbacks and Missions; a packet's Status is planned and a decision's proposed. A decision
whose Supersedes names older decisions also sets their Status to superseded, and says so.
Nothing is written when any field is wrong.

Kinds, their tables and columns (? = may be empty):

${columnsHelp}

Options:
  --set Column=value   a field, by header text or alias (any case); repeat for each field
  --dry-run            validate and show the row, write nothing
  --vault DIR          the vault root (default: the current folder)
  --format FORMAT      text (default) or json
  -h, --help           show this help

Exit status: 0 written, 1 entry invalid (every field error listed; no file changed), 2 cannot run.`;

/** `canon add <kind>`. */
export async function runAdd(argv: string[], output: Output, now: () => Date): Promise<number> {
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
  const fields = parseSets(values.set ?? [], tableFor(PHASE_A, kind));

  const ctx = openVault(values.vault);
  const plan = planOn(ctx, kind, fields, now());
  if (plan.ok && !values['dry-run']) {
    // Re-planned under the lock with the clock read again: a default date is when the row is written, so rows stay in order.
    const written = await writeUnderLock<Planned, Refused>(ctx, plan, (path) => planOn(ctx, kind, fields, now(), path), output, (_, i) => (i === 0 ? 'the new row' : 'the changed row'));
    if (!written.ok) return refused(written, kind, format, output);
    return reportAdded(written, kind, format, false, output);
  }
  if (!plan.ok) return refused(plan, kind, format, output);
  return reportAdded(plan, kind, format, true, output);
}

type Planned = Extract<AppendPlan, { ok: true }>;
type Refused = Extract<AppendPlan, { ok: false }>;

/** Plans the entry on the vault as it is now (`fresh`: that note is read from disk again first). */
function planOn(ctx: Context, kind: EntryKind, fields: Record<string, string>, now: Date, fresh?: string): AppendPlan {
  if (fresh !== undefined) ctx.vault.forget(fresh);
  const { model, readOnly } = loadStack(ctx.vault, ctx.config);
  return planAppend(model, readOnly, { kind, fields, now });
}

function refused(plan: Refused, kind: EntryKind, format: 'text' | 'json', output: Output): number {
  if (plan.cannotRun) throw new CannotRun(plan.errors.map((e) => e.message).join('\n'));
  reportErrors(plan.errors, plan.path, kind, format, output);
  return 1;
}

function reportAdded(plan: Planned, kind: EntryKind, format: 'text' | 'json', dryRun: boolean, output: Output): number {
  if (format === 'json') {
    const warnings = plan.warnings.map((w) => ({ column: w.column, rule: w.rule, message: w.message }));
    output.out(json({ path: plan.path, line: plan.line, row: plan.row, changed: plan.changed, ...(warnings.length > 0 ? { warnings } : {}), ...(dryRun ? { dryRun: true } : {}) }));
    return 0;
  }
  const schema = tableFor(PHASE_A, kind);
  const created = plan.createdSection ? ` (created section ${schema.section})` : '';
  const lines = [paint(output, 'green', `${dryRun ? 'Would add' : 'Added'} ${schema.entryName} to ${plan.path}:${plan.line}${created}`)];
  for (const [column, value] of Object.entries(plan.row)) lines.push(`  ${column}: ${value}`);
  // The cells of existing rows the entry changed too (a superseded decision's Status).
  for (const change of plan.changed) lines.push(`${dryRun ? 'Would also change' : 'Also changed'} ${describeChange(change)}`);
  if (dryRun) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  output.out(lines.join('\n'));
  // Written all the same, but the rules warn about it (a hold while a trigger is in breach, an unguarded broadening).
  for (const w of plan.warnings) output.err(`${paint(output, 'yellow', '⚠')} ${w.message}  ${paint(output, 'dim', w.rule)}`);
  return 0;
}

function isKind(value: string): value is EntryKind {
  return (ENTRY_KINDS as readonly string[]).includes(value);
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
    // The column's type as a hint, unless the message already says what is expected (it would double or contradict it).
    const hint = column && !e.message.includes('expected') ? ` (expected ${describeType(column.type)})` : '';
    lines.push(`  ${e.message}${hint}  ${paint(output, 'dim', e.rule)}`);
  }
  output.err(lines.join('\n'));
}
