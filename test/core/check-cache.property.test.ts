/** A check through a CheckCache after each of a run of random edits equals a check from scratch. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStack, type CheckResult } from '../../src/core/check-stack';
import { defaultConfig } from '../../src/core/config/config';
import { evaluateTriggers } from '../../src/core/guardrails/evaluate';
import { readTriggers, readWindows } from '../../src/core/guardrails/read-rows';
import { structuralProblems, type ReadRow } from '../../src/core/stack/bind-table';
import type { ParsedNote } from '../../src/core/markdown/types';
import { CheckCache } from '../../src/core/stack/check-cache';
import { PHASE_A } from '../../src/core/schema/preset';
import { memoryVault } from '../helpers/memory-vault';

const root = join(import.meta.dirname, '../../example-vault');
const files: Record<string, string> = {};
for (const name of readdirSync(root)) if (name.endsWith('.md')) files[name] = readFileSync(join(root, name), 'utf8');
const paths = Object.keys(files).sort();

/** Text typed into a row: values that read, fail or change what the rules see, and ones that break the row. */
const typed = fc.constantFrom(
  'x', ' ', '|', '\\|', '1', '0', '9', '-', '%', 'promote', 'hold', 'rollback', 'superseded', '2026-11-01 08:00',
  '2026-13-40 99:99', 'W-3', 'W-99', 'D-1', 'P-2', '[[nowhere]]', '[[00_DraganCorp_Program_Control_Center]]', '`', '*b*',
  'vp.mission.failed=3', '> 5%', '20 missions', '\n', '\n\n', '\n## X\n',
);

/** Whole lines: a row duplicated, deleted, or typed in; or a line that is no row. */
const lineOp = fc.constantFrom('duplicate', 'delete', 'row', 'text', 'swap');

const edit = fc.record({ path: fc.nat(), at: fc.nat(), pos: fc.nat(), cut: fc.nat({ max: 4 }), insert: fc.oneof(fc.constant(''), typed), line: fc.option(lineOp, { freq: 3 }) });
type Edit = { path: number; at: number; pos: number; cut: number; insert: string; line: string | null };

function applyEdit(all: Record<string, string>, e: Edit): Record<string, string> {
  const path = paths[e.path % paths.length] as string;
  const text = all[path] as string;
  const lines = text.split('\n');
  const rows = lines.flatMap((l, i) => (l.startsWith('|') ? [i] : []));
  if (rows.length === 0) return all;
  const i = rows[e.at % rows.length] as number;
  const line = lines[i] as string;
  if (e.line === 'duplicate') lines.splice(i, 0, line);
  else if (e.line === 'delete') lines.splice(i, 1);
  else if (e.line === 'row') lines.splice(i + 1, 0, `| ${e.insert.replace(/\n/g, ' ')} | x |`);
  else if (e.line === 'text') lines.splice(i + 1, 0, e.insert.trim() || 'text');
  else if (e.line === 'swap' && i + 1 < lines.length) lines.splice(i, 2, lines[i + 1] as string, line);
  else {
    const at = 1 + (e.pos % Math.max(1, line.length));
    lines[i] = line.slice(0, at) + e.insert + line.slice(at + e.cut);
  }
  return { ...all, [path]: lines.join('\n') };
}

/**
 * What read rows and parsed rows show (rows read their cells, and read rows their values, when asked
 * for: `toEqual` on the objects compares where they are, not what they hold).
 */
function shown(rows: readonly ReadRow[] | undefined): unknown {
  return rows?.map((r) => ({ row: r.row, rowCells: r.row.cells, cells: r.cells, values: r.values, malformed: r.malformed }));
}
function cellsOf(note: ParsedNote | undefined): unknown {
  return note?.tables.map((t) => [t.header, t.delimiter, ...t.rows].map((r) => r.cells));
}

/** Everything a check gives the plugin: the result, each table as bound, and the guardrail snapshot. */
function expectSameCheck(cached: CheckResult, cache: CheckCache, fresh: CheckResult): void {
  expect(cached.diagnostics).toEqual(fresh.diagnostics);
  expect(cached.counts).toEqual(fresh.counts);
  for (const [kind, bound] of fresh.model.tables) {
    const mine = cached.model.tables.get(kind);
    expect(mine?.note).toEqual(bound.note);
    expect(cellsOf(mine?.note)).toEqual(cellsOf(bound.note));
    expect(mine?.table).toEqual(bound.table);
    expect(mine?.columnAt).toEqual(bound.columnAt);
    expect(shown(mine?.rows)).toEqual(shown(bound.rows));
    expect(mine && structuralProblems(mine)).toEqual(structuralProblems(bound));
  }
  const memo = cache.guardrails;
  const triggers = memo.triggers(cached.model.tables.get('trigger'));
  const windows = memo.windows(cached.model.tables.get('evidence'));
  const freshTriggers = readTriggers(fresh.model.tables.get('trigger'));
  const freshWindows = readWindows(fresh.model.tables.get('evidence'));
  expect(triggers).toEqual(freshTriggers);
  expect(windows).toEqual(freshWindows);
  expect(memo.evaluate(triggers, windows)).toEqual(evaluateTriggers(freshTriggers, freshWindows));
}

describe('checkStack with a CheckCache', () => {
  it('equals a check without one after every edit of a run of random edits', () => {
    const config = defaultConfig();
    fc.assert(
      fc.property(fc.array(edit, { minLength: 1, maxLength: 8 }), (edits) => {
        const cache = new CheckCache();
        let current = files;
        checkStack(memoryVault(current), config, PHASE_A, cache);
        for (const e of edits) {
          current = applyEdit(current, e);
          const cached = checkStack(memoryVault(current), config, PHASE_A, cache);
          expectSameCheck(cached, cache, checkStack(memoryVault(current), config, PHASE_A));
        }
      }),
      { numRuns: 100 },
    );
  });

  it('keeps untouched rows and re-reads only the edited one after a keystroke in a long table', () => {
    const log = paths.find((p) => p.startsWith('04')) as string;
    const rows = Array.from({ length: 200 }, (_, i) => {
      const day = String(1 + Math.floor(i / 8)).padStart(2, '0');
      const hour = String(6 + (i % 8)).padStart(2, '0');
      return `| W-${i + 1} | 2027-01-${day} ${hour}:00 | 2027-01-${day} ${hour}:50 | 5% | 10 | 0 | 0.00% | 500 | vp.mission.failed=0 | hold | note ${i} |`;
    });
    const text = (files[log] as string).replace(/(\| W-10 \|[^\n]*\n)/, `$1${rows.join('\n')}\n`);
    const cache = new CheckCache();
    const config = defaultConfig();
    const first = checkStack(memoryVault({ ...files, [log]: text }), config, PHASE_A, cache);
    const at = text.indexOf('note 100 |') + 'note 100'.length;
    const typedText = `${text.slice(0, at)}!${text.slice(at)}`;
    const second = checkStack(memoryVault({ ...files, [log]: typedText }), config, PHASE_A, cache);
    const before = first.model.tables.get('evidence')?.rows ?? [];
    const after = second.model.tables.get('evidence')?.rows ?? [];
    expect(after[50]).toBe(before[50]);
    expect(after[120]?.values).toBe(before[120]?.values);
    expect(after[110]?.values).not.toBe(before[110]?.values);
    expect(cache.guardrails.windows(second.model.tables.get('evidence'))).toBe(cache.guardrails.windows(first.model.tables.get('evidence')));
    expectSameCheck(second, cache, checkStack(memoryVault({ ...files, [log]: typedText }), config, PHASE_A));
  });
});
