import { join } from 'node:path';
import { loadStack } from '../../core/check-stack';
import { planAppend, type AppendPlan, type EntryError } from '../../core/edit/append-entry';
import { applyEdits } from '../../core/edit/text-edit';
import { missingRowReason } from '../../core/edit/verify-append';
import { ENTRY_KINDS, findColumn, type EntryKind } from '../../core/schema/table-schema';
import { describeType } from '../../core/stack/bind-table';
import { PHASE_A, tableFor } from '../../core/schema/preset';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { WriteConflict } from '../fs-vault';
import { withNoteLocks } from '../note-lock';
import { readRegular } from '../safe-paths';
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
  const fields = parseSets(values.set ?? [], kind);

  const ctx = openVault(values.vault);
  const plan = planOn(ctx, kind, fields, now());
  if (plan.ok && !values['dry-run']) {
    // Re-planned under the lock with the clock read again: a default date is when the row is written, so rows stay in order.
    const written = await writeUnderLock(ctx, plan, (path) => planOn(ctx, kind, fields, now(), path), output);
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

/** How often a write re-plans when the note changes between its read and its rename (an editor saving, a sync tool). */
const ATTEMPTS = 5;

/**
 * Writes a planned append holding the note's lock (README "Reliability"): the note is read again
 * under the lock and the append planned again on that text (a row another process added meanwhile
 * moves this one to the next id), written atomically, then read back and found as a row of its
 * table before it is reported.
 */
async function writeUnderLock(ctx: Context, first: Planned, replan: (path: string) => AppendPlan, output: Output): Promise<AppendPlan> {
  const before = ctx.vault.bytes(first.path);
  return withNoteLocks(ctx.root, [first.path], (m) => output.err(m), () => {
    let plan: AppendPlan = first;
    for (let attempt = 1; ; attempt++) {
      // Unchanged since the first plan (the usual case): that plan stands.
      const current = readRegular(join(ctx.root, ...first.path.split('/')));
      if (attempt > 1 || !current.ok || !before || !current.data.equals(before)) plan = replan(first.path);
      if (!plan.ok) return plan;
      if (plan.path !== first.path) throw new CannotRun(`the ${first.path} note changed role while Canon was writing; nothing was written, run the command again`);
      const text = ctx.vault.read(plan.path)?.text;
      if (text === undefined) throw new CannotRun(`\`${plan.path}\` cannot be read; nothing was written`);
      try {
        ctx.vault.write(plan.path, applyEdits(text, plan.edits));
      } catch (error) {
        if (error instanceof WriteConflict && attempt < ATTEMPTS) continue;
        throw error instanceof WriteConflict ? new CannotRun(error.message) : error;
      }
      const lost = missingRowReason(ctx.vault.read(plan.path)?.text ?? '', plan.expect);
      if (lost) throw new CannotRun(`\`${plan.path}\` was written, but the new row is not where it should be: ${lost}; check the note`);
      return plan;
    }
  });
}

function refused(plan: Refused, kind: EntryKind, format: 'text' | 'json', output: Output): number {
  if (plan.cannotRun) throw new CannotRun(plan.errors.map((e) => e.message).join('\n'));
  reportErrors(plan.errors, plan.path, kind, format, output);
  return 1;
}

function reportAdded(plan: Planned, kind: EntryKind, format: 'text' | 'json', dryRun: boolean, output: Output): number {
  if (format === 'json') {
    const warnings = plan.warnings.map((w) => ({ column: w.column, rule: w.rule, message: w.message }));
    output.out(json({ path: plan.path, line: plan.line, row: plan.row, ...(warnings.length > 0 ? { warnings } : {}), ...(dryRun ? { dryRun: true } : {}) }));
    return 0;
  }
  const schema = tableFor(PHASE_A, kind);
  const created = plan.createdSection ? ` (created section ${schema.section})` : '';
  const lines = [paint(output, 'green', `${dryRun ? 'Would add' : 'Added'} ${schema.entryName} to ${plan.path}:${plan.line}${created}`)];
  for (const [column, value] of Object.entries(plan.row)) lines.push(`  ${column}: ${value}`);
  if (dryRun) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  output.out(lines.join('\n'));
  // Written all the same, but the rules warn about it (a hold while a trigger is in breach, an unguarded broadening).
  for (const w of plan.warnings) output.err(`${paint(output, 'yellow', '⚠')} ${w.message}  ${paint(output, 'dim', w.rule)}`);
  return 0;
}

function isKind(value: string): value is EntryKind {
  return (ENTRY_KINDS as readonly string[]).includes(value);
}

function parseSets(sets: string[], kind: EntryKind): Record<string, string> {
  const schema = tableFor(PHASE_A, kind);
  const fields: Record<string, string> = {};
  const given = new Map<string, string>();
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new CannotRun(`--set \`${set}\` has no column; expected --set Column=value`);
    const name = set.slice(0, eq).trim();
    // One column named twice (or by two aliases) would silently keep one value.
    const key = findColumn(schema, name)?.name ?? name.toLowerCase();
    const earlier = given.get(key);
    if (earlier !== undefined) throw new CannotRun(`--set \`${name}\` repeats column ${key} (already set as \`${earlier}\`); expected each column once`);
    given.set(key, name);
    fields[name] = set.slice(eq + 1);
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
    // The column's type as a hint, unless the message already says what is expected (it would double or contradict it).
    const hint = column && !e.message.includes('expected') ? ` (expected ${describeType(column.type)})` : '';
    lines.push(`  ${e.message}${hint}  ${paint(output, 'dim', e.rule)}`);
  }
  output.err(lines.join('\n'));
}
