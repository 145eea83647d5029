/**
 * How `add` and `edit` write a planned change to one note (README "Reliability"): under the note's
 * lock, planned again on the text read under it, written atomically, read back and every changed
 * row found before anything is reported; and how both read `--set Column=value`.
 */
import { join } from 'node:path';
import { applyEdits, findColumn, missingRowReason, type RowExpectation, type TableSchema, type TextEdit } from '../core';
import { CannotRun, type Context } from './context';
import { WriteConflict } from './fs-vault';
import { withNoteLocks } from './note-lock';
import type { Output } from './output';
import { readRegular } from './safe-paths';

/** A plan that can be written: the note, its splices, and the rows to find after the write (what each holds). */
export interface WritablePlan {
  ok: true;
  path: string;
  edits: readonly TextEdit[];
  expects: readonly RowExpectation[];
}

/** How often a write re-plans when the note changes between its read and its rename (an editor saving, a sync tool). */
const ATTEMPTS = 5;

/**
 * Writes a planned change holding the note's lock: the note is read again under the lock and the
 * change planned again on that text (a row another process added meanwhile moves an append to the
 * next id; a cell another process edited is kept), written atomically, then read back, and each
 * expected row found as a row of its table with the planned cells, before it is reported.
 * `what(expect)` names a row for the message when it is not found ("the new row").
 */
export async function writeUnderLock<P extends WritablePlan, R extends { ok: false }>(
  ctx: Context,
  first: P,
  replan: (path: string) => P | R,
  output: Output,
  what: (expect: RowExpectation, index: number) => string,
): Promise<P | R> {
  const before = ctx.vault.bytes(first.path);
  return withNoteLocks(ctx.root, [first.path], (m) => output.err(m), () => {
    let plan: P | R = first;
    for (let attempt = 1; ; attempt++) {
      // Unchanged since the first plan (the usual case): that plan stands.
      const current = readRegular(join(ctx.root, ...first.path.split('/')));
      if (attempt > 1 || !current.ok || !before || !current.data.equals(before)) plan = replan(first.path);
      if (!plan.ok) return plan;
      const planned: P = plan;
      if (planned.path !== first.path) throw new CannotRun(`the ${first.path} note changed role while Canon was writing; nothing was written, run the command again`);
      const text = ctx.vault.read(planned.path)?.text;
      if (text === undefined) throw new CannotRun(`\`${planned.path}\` cannot be read; nothing was written`);
      if (planned.edits.length === 0) return planned;
      try {
        ctx.vault.write(planned.path, applyEdits(text, planned.edits));
      } catch (error) {
        if (error instanceof WriteConflict && attempt < ATTEMPTS) continue;
        throw error instanceof WriteConflict ? new CannotRun(error.message) : error;
      }
      const written = ctx.vault.read(planned.path)?.text ?? '';
      planned.expects.forEach((expect, i) => {
        const lost = missingRowReason(written, expect);
        if (lost) throw new CannotRun(`\`${planned.path}\` was written, but ${what(expect, i)} is not where it should be: ${lost}; check the note`);
      });
      return planned;
    }
  });
}

/**
 * `--set Column=value` flags as fields by the name given. A flag without `=` or naming one column
 * twice (or by two aliases: one value would be silently dropped) cannot run.
 */
export function parseSets(sets: readonly string[], schema: TableSchema): Record<string, string> {
  const fields: Record<string, string> = {};
  const given = new Map<string, string>();
  for (const set of sets) {
    const eq = set.indexOf('=');
    if (eq <= 0) throw new CannotRun(`--set \`${set}\` has no column; expected --set Column=value`);
    const name = set.slice(0, eq).trim();
    const key = findColumn(schema, name)?.name ?? name.toLowerCase();
    const earlier = given.get(key);
    if (earlier !== undefined) throw new CannotRun(`--set \`${name}\` repeats column ${key} (already set as \`${earlier}\`); expected each column once`);
    given.set(key, name);
    fields[name] = set.slice(eq + 1);
  }
  return fields;
}
