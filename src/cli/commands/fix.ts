import { type Fix, FIXABLE_RULES, type FixPlan, missingRowReason, planFixes, type RefusedFix, type RuleId } from '../../core';
import { COMMON_OPTIONS, parseFlags, noPositionals, readFormat, type Format } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { WriteConflict } from '../fs-vault';
import { withNoteLocks } from '../note-lock';
import { json, paint, type Output } from '../output';

export const FIX_HELP = `Usage: canon fix [--dry-run] [--rule R]… [--vault DIR] [--format text|json]

Applies the fixes Canon knows, each a minimal splice of one row, and lists every row it changed
(path, line, rule, before → after):
  row/consistency   a Fallback Rate that is not Fallbacks / Missions: the computed rate, two
                    decimals, with the cell's (or the table's) % sign
  row/consistency   a decision superseded by a newer one whose Status does not say so: superseded
  id/duplicate      an id used twice (after a merge or a sync): the later row gets the next free id,
                    and the rows below it in its table that name it follow
  table/malformed   an unescaped [[note|alias]] that splits a row's cell: [[note\\|alias]]
The stack is checked with the fixes in place: a fix that would add an error is refused and
nothing of it is written. Fixes are written under each note's lock and read back.

Options:
  --rule R           only the problems of rule R (repeatable): ${FIXABLE_RULES.join(', ')}
  --dry-run          show the fixes, write nothing
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 every fix written (or nothing to fix), 1 a fix was refused, 2 cannot run.`;

/** `canon fix`. */
export async function runFix(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, 'dry-run': { type: 'boolean' }, rule: { type: 'string', multiple: true }, format: { type: 'string' } }, 'fix');
  if (values.help) {
    output.out(FIX_HELP);
    return 0;
  }
  noPositionals(positionals, 'fix');
  const format = readFormat(values.format, 'fix');
  const rules = (values.rule ?? []).map((r) => {
    if (!(FIXABLE_RULES as readonly string[]).includes(r)) throw new CannotRun(`--rule \`${r}\` has no fix; expected one of ${FIXABLE_RULES.join(', ')}`);
    return r as RuleId;
  });
  const ctx = openVault(values.vault);
  const first = planOn(ctx, rules);
  if (values['dry-run'] || first.fixes.length === 0) return report(first, true, format, output, values['dry-run'] === true);
  const paths = [...new Set(first.fixes.map((f) => f.path))];
  const written = await withNoteLocks(ctx.root, paths, (m) => output.err(m), () => writeFixes(ctx, rules, paths));
  return report(written, false, format, output, false);
}

/** The fixes planned on the notes as they are now on disk, leaving out notes Canon will not write. */
function planOn(ctx: Context, rules: readonly RuleId[]): FixPlan {
  const plan = planFixes(ctx.vault, ctx.config, { rules });
  const readOnly = plan.before.readOnly;
  if (readOnly.size === 0) return plan;
  const keep = (f: Fix): boolean => !readOnly.has(f.path);
  const fixes = plan.fixes.filter(keep);
  const refused: RefusedFix[] = [...plan.refused, ...plan.fixes.filter((f) => !keep(f)).map((fix) => ({ fix, reason: readOnly.get(fix.path) ?? 'the note is not written to' }))];
  const texts = new Map([...plan.texts].filter(([path]) => !readOnly.has(path)));
  return { ...plan, fixes, refused, texts };
}

/**
 * Under the locks: planned again on each note as read now, written, read back, each changed row
 * found. A note that needs a fix only now (changed since the first plan) is not locked: it is left
 * for the next run.
 */
function writeFixes(ctx: Context, rules: readonly RuleId[], locked: readonly string[]): FixPlan {
  for (let attempt = 1; ; attempt++) {
    for (const note of ctx.vault.notes) ctx.vault.forget(note.path);
    const all = planOn(ctx, rules);
    const plan = { ...all, fixes: all.fixes.filter((f) => locked.includes(f.path)), texts: new Map([...all.texts].filter(([path]) => locked.includes(path))) };
    try {
      for (const [path, text] of plan.texts) {
        ctx.vault.write(path, text);
        const back = ctx.vault.read(path)?.text ?? '';
        for (const fix of plan.fixes.filter((f) => f.path === path)) {
          for (const expect of fix.expects) {
            const lost = missingRowReason(back, expect);
            if (lost) throw new CannotRun(`\`${path}\` was written, but the row fixed on line ${expect.line} is not where it should be: ${lost}; check the note`);
          }
        }
      }
    } catch (error) {
      if (error instanceof WriteConflict && attempt < 5) continue;
      throw error instanceof WriteConflict ? new CannotRun(error.message) : error;
    }
    return plan;
  }
}

function report(plan: FixPlan, planned: boolean, format: Format, output: Output, dryRun: boolean): number {
  const status = plan.refused.length > 0 ? 1 : 0;
  if (format === 'json') {
    output.out(json({
      fixes: plan.fixes.map((f) => ({ rule: f.rule, kind: f.kind, path: f.path, line: f.line, message: f.message, changes: f.changes })),
      refused: plan.refused.map((r) => ({ rule: r.fix.rule, kind: r.fix.kind, path: r.fix.path, line: r.fix.line, message: r.fix.message, reason: r.reason })),
      ...(dryRun ? { dryRun: true } : {}),
    }));
    return status;
  }
  const lines: string[] = [];
  if (plan.fixes.length === 0 && plan.refused.length === 0) lines.push(paint(output, 'green', '✔ nothing to fix'));
  const verb = planned ? 'Would fix' : 'Fixed';
  for (const f of plan.fixes) {
    lines.push(`${paint(output, 'green', verb)} ${f.path}:${f.line} ${paint(output, 'dim', f.rule)}: ${f.message}`);
    for (const c of f.changes) {
      lines.push(`  ${c.path}:${c.line}`);
      lines.push(`    ${paint(output, 'red', `- ${c.before.trim()}`)}`);
      lines.push(`    ${paint(output, 'green', `+ ${c.after.trim()}`)}`);
    }
  }
  if (dryRun && plan.fixes.length > 0) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  if (lines.length > 0) output.out(lines.join('\n'));
  for (const r of plan.refused) output.err(`${paint(output, 'yellow', '✖ not fixed')} ${r.fix.path}:${r.fix.line} ${paint(output, 'dim', r.fix.rule)}: ${r.fix.message} — ${r.reason}`);
  return status;
}
