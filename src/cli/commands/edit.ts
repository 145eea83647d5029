import {
  describeChange,
  describeType,
  type EditError,
  type EditPlan,
  idKinds,
  loadStack,
  PHASE_A,
  planEdit,
  tableForId,
  type TableSchema,
} from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { json, paint, type Output } from '../output';
import { parseSets, writeUnderLock } from '../write-plan';

export const EDIT_HELP = `Usage: canon edit ID --set Column=value … [--vault DIR] [--dry-run] [--format text|json]

Changes cells of the row with id ID (${idKinds(PHASE_A)}) wherever it is in the
stack: one splice per cell changed, every other byte of the note kept. Values are read and escaped
as \`canon add\` reads them, and the whole stack is checked again with the row changed: the edit
is refused when it adds any error, with every error listed by column. A window whose Missions or
Fallbacks change gets its Fallback Rate computed again unless --set gives it. A decision set to
supersede others also sets their Status to superseded. The id itself cannot be changed.

Options:
  --set Column=value   a cell, by header text or alias (any case); repeat for each cell
  --dry-run            check and show the changes, write nothing
  --vault DIR          the vault root (default: the current folder)
  --format FORMAT      text (default) or json: {"path", "changed": [{"path", "line", "id", "column", "from", "to"}]}
  -h, --help           show this help

Examples:
  canon edit P-4 --set Status=done
  canon edit W-12 --set Decision=rollback --set "Notes=fallback spike; rolled back (D-7)"
  canon edit D-7 --set Supersedes=D-5

Exit status: 0 written (or nothing to change, or a dry run), 1 invalid (every error listed;
no file changed), 2 cannot run.`;

type Planned = Extract<EditPlan, { ok: true }>;
type Refused = Extract<EditPlan, { ok: false }>;

/** `canon edit ID`. */
export async function runEdit(argv: string[], output: Output, now: () => Date): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS,
    format: { type: 'string' },
    set: { type: 'string', multiple: true },
    'dry-run': { type: 'boolean' },
  }, 'edit');
  if (values.help) {
    output.out(EDIT_HELP);
    return 0;
  }
  const format = readFormat(values.format, 'edit');
  const [id, ...extra] = positionals;
  if (id === undefined) throw new CannotRun(`expected a row id (${idKinds(PHASE_A)}); see \`canon edit --help\``);
  if (extra.length > 0) throw new CannotRun(`unexpected argument \`${extra[0] ?? ''}\`; cells are given as --set Column=value`);
  const schema: TableSchema | null = tableForId(PHASE_A, id);
  if (!schema) throw new CannotRun(`\`${id}\` is not a row id Canon edits; expected ${idKinds(PHASE_A)}`);
  const sets = values.set ?? [];
  if (sets.length === 0) throw new CannotRun(`nothing to change; give each new value as --set Column=value (see \`canon edit --help\`)`);
  const fields = parseSets(sets, schema);

  const ctx = openVault(values.vault);
  const plan = planOn(ctx, id, fields, now());
  if (!plan.ok) return refused(plan, id, format, output);
  if (values['dry-run'] || plan.edits.length === 0) return report(plan, format, values['dry-run'] === true, output);
  // Planned again under the note's lock on the text read there: a cell another process changed meanwhile is kept.
  const written = await writeUnderLock<Planned, Refused>(ctx, plan, (path) => planOn(ctx, id, fields, now(), path), output, (expect) => `the edited row at line ${expect.line}`);
  if (!written.ok) return refused(written, id, format, output);
  return report(written, format, false, output);
}

/** Plans the edit on the vault as it is now (`fresh`: that note is read from disk again first). */
function planOn(ctx: Context, id: string, sets: Record<string, string>, now: Date, fresh?: string): EditPlan {
  if (fresh !== undefined) ctx.vault.forget(fresh);
  const { model, readOnly } = loadStack(ctx.vault, ctx.config);
  return planEdit(model, readOnly, { id, sets, now });
}

function report(plan: Planned, format: 'text' | 'json', dryRun: boolean, output: Output): number {
  if (format === 'json') {
    const warnings = plan.warnings.map(jsonError);
    output.out(json({ path: plan.path, changed: plan.changed, ...(warnings.length > 0 ? { warnings } : {}), ...(dryRun ? { dryRun: true } : {}) }));
    return 0;
  }
  if (plan.changed.length === 0) {
    output.out(paint(output, 'green', `${plan.id} (${plan.path}:${plan.line}) already holds these values; nothing to change`));
    return 0;
  }
  const cells = plan.changed.length;
  const rows = new Set(plan.changed.map((c) => `${c.path}:${c.line}`)).size;
  const lines = [paint(output, 'green', `${dryRun ? 'Would change' : 'Changed'} ${cells} cell${cells === 1 ? '' : 's'} in ${rows} row${rows === 1 ? '' : 's'} of ${plan.path}:`)];
  for (const change of plan.changed) lines.push(`  ${describeChange(change)}`);
  if (dryRun) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  output.out(lines.join('\n'));
  for (const w of plan.warnings) output.err(`${paint(output, 'yellow', '⚠')} ${where(w)}${w.message}  ${paint(output, 'dim', w.rule)}`);
  return 0;
}

function refused(plan: Refused, id: string, format: 'text' | 'json', output: Output): number {
  if (plan.cannotRun) throw new CannotRun(plan.errors.map((e) => e.message).join('\n'));
  if (format === 'json') {
    output.out(json({ path: plan.path, errors: plan.errors.map(jsonError) }));
    return 1;
  }
  const n = plan.errors.length;
  const lines = [paint(output, 'red', `✖ ${id.trim()} was not changed (${n} problem${n === 1 ? '' : 's'}); ${plan.path ?? 'no file'} is unchanged`)];
  const schema = tableForId(PHASE_A, id);
  for (const e of plan.errors) {
    const column = e.column && schema ? schema.columns.find((c) => c.name === e.column) : undefined;
    // The column's type as a hint, unless the message already says what is expected.
    const hint = column && e.rule !== 'entry/id-column' && !e.message.includes('expected') ? ` (expected ${describeType(column.type)})` : '';
    lines.push(`  ${where(e)}${e.message}${hint}  ${paint(output, 'dim', e.rule)}`);
  }
  output.err(lines.join('\n'));
  return 1;
}

/** "Status: " for a problem of a cell, "line 52: " for a problem the edit makes on another row. */
function where(e: EditError): string {
  if (e.column !== null) return e.message.startsWith(`${e.column}`) ? '' : `${e.column}: `;
  return e.line !== null ? `${e.path ?? ''}:${e.line}: ` : '';
}

function jsonError(e: EditError): { column: string | null; rule: string; message: string; path: string | null; line: number | null } {
  return { column: e.column, rule: e.rule, message: e.message, path: e.path, line: e.line };
}
