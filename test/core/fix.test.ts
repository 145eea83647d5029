// The fixes of `canon fix` and the plugin's "Fix": each splice and message pinned, and the re-check.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultConfig } from '../../src/core/config/config';
import { fixFor, isFixable, planFixes } from '../../src/core/fix/plan-fixes';
import { aliasPipes } from '../../src/core/fix/fix-alias-pipe';
import { applyEdits } from '../../src/core/edit/text-edit';
import { check, memoryVault } from '../helpers/memory-vault';

const ROOT = join(import.meta.dirname, '../../example-vault');
const CC = '00_DraganCorp_Program_Control_Center.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.md')) files[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'utf8');
    }
  };
  walk(ROOT, '');
  return files;
}

const base = exampleFiles();

function edited(path: string, find: string, replace: string, files = base): Record<string, string> {
  const text = files[path] ?? '';
  if (!text.includes(find)) throw new Error(`no ${find} in ${path}`);
  return { ...files, [path]: text.replace(find, replace) };
}

function plan(files: Record<string, string>, rules?: string[]) {
  return planFixes(memoryVault(files), defaultConfig(), rules ? { rules: rules as never } : {});
}

const W3 = '| W-3 | 2026-11-04 09:00 | 2026-11-04 17:00 | 10% | 57 | 3 | 5.26% |';

describe('fixes, one by one (splice, message, rows changed)', () => {
  it('a Fallback Rate that does not add up: the computed rate, two decimals, the cell\'s % kept', () => {
    const files = edited(EV, W3, W3.replace('5.26%', '9.3%'));
    const { fixes, refused, texts } = plan(files);
    expect(refused).toEqual([]);
    expect(fixes).toHaveLength(1);
    const fix = fixes[0];
    expect(fix).toMatchObject({ kind: 'fallback-rate', rule: 'row/consistency', path: EV, line: 37, message: 'Fallback Rate 9.3% → 5.26% (3 / 57)' });
    const at = (files[EV] ?? '').indexOf('9.3%');
    expect(fix?.edits).toEqual([{ from: at, to: at + 4, insert: '5.26%' }]);
    expect(fix?.changes).toEqual([{ path: EV, line: 37, id: 'W-3', before: expect.stringContaining('| 9.3% |') as string, after: expect.stringContaining('| 5.26% |') as string }]);
    expect(texts.get(EV)).toBe(base[EV]);
    // Without a % in the cell, the table's own way (its last row has one).
    const bare = plan(edited(EV, W3, W3.replace('5.26%', '9.3'))).fixes[0];
    expect(bare?.message).toBe('Fallback Rate 9.3 → 5.26% (3 / 57)');
  });

  it('an id used twice (two appends interleaved by a sync): the later rows take the next free ids, and the rows below that name them follow', () => {
    const w10 = (base[EV] ?? '').split('\n').find((l) => l.startsWith('| W-10 |')) ?? '';
    const row = (id: number, day: number, notes: string): string => `| W-${id} | 2026-11-${day} 09:00 | 2026-11-${day} 17:00 | 25% | 100 | 2 | 2.00% | 600 | vp.mission.failed=0 | hold | ${notes} |`;
    const files = edited(EV, w10, [w10, row(11, 14, 'Ana first.'), row(12, 15, 'Ana, after W-11.'), row(11, 16, 'Bo first.'), row(12, 17, 'Bo, after W-11.')].join('\n'));
    const { fixes, refused, texts } = plan(files, ['id/duplicate']);
    expect(refused).toEqual([]);
    expect(fixes.map((f) => [f.kind, f.line, f.message])).toEqual([
      ['duplicate-id', 47, "W-11 on line 47 repeats an earlier row's id; renumbered W-13, the next free id and 1 reference to it in the rows below"],
      ['duplicate-id', 48, "W-12 on line 48 repeats an earlier row's id; renumbered W-14, the next free id"],
    ]);
    expect(fixes.map((f) => f.changes.map((c) => [c.line, c.id]))).toEqual([[[47, 'W-13'], [48, 'W-12']], [[48, 'W-14']]]);
    const after = texts.get(EV) ?? '';
    expect(after).toContain(row(13, 16, 'Bo first.'));
    expect(after).toContain(row(14, 17, 'Bo, after W-13.'));
    // A reference above the renumbered row names the first W-11, and stays.
    expect(after).toContain(row(12, 15, 'Ana, after W-11.'));
    expect(check({ ...files, [EV]: after }).diagnostics.filter((d) => d.path === EV)).toEqual([]);
  });

  it('an unescaped [[note|alias]] that splits a row: the pipe escaped', () => {
    const files = edited(CC, '[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem|postmortem]]');
    const { fixes, texts } = plan(files);
    expect(fixes.map((f) => [f.kind, f.rule, f.line, f.message])).toEqual([['alias-pipe', 'table/malformed', 37, "[[Handoff timeout postmortem|postmortem]] → [[Handoff timeout postmortem\\|postmortem]]: the alias pipe escaped, so the row has the header's 5 cells"]]);
    const at = (files[CC] ?? '').indexOf('|postmortem]]');
    expect(fixes[0]?.edits).toEqual([{ from: at, to: at, insert: '\\' }]);
    expect(texts.get(CC)).toBe(base[CC]);
  });

  it('a superseded decision whose Status does not say so: superseded', () => {
    const files = edited(CC, '| Ivo | superseded | |', '| Ivo | accepted | |');
    const { fixes, texts } = plan(files);
    expect(fixes.map((f) => [f.kind, f.rule, f.path, f.line, f.message])).toEqual([['superseded-status', 'row/consistency', CC, 54, 'D-2 Status accepted → superseded (D-4 supersedes it)']]);
    expect(fixes[0]?.changes.map((c) => [c.line, c.id])).toEqual([[52, 'D-2']]);
    expect(texts.get(CC)).toBe(base[CC]);
  });
});

describe('planFixes', () => {
  it('fixes all four at once, and the stack checks clean afterwards', () => {
    let files = edited(EV, W3, W3.replace('5.26%', '9.26%'));
    files = edited(CC, '| Ivo | superseded | |', '| Ivo | accepted | |', files);
    files = edited(CC, '[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem|postmortem]]', files);
    const w10 = (files[EV] ?? '').split('\n').find((l) => l.startsWith('| W-10 |')) ?? '';
    files = edited(EV, w10, w10.replace('| W-10 |', '| W-9 |'), files);
    const result = plan(files);
    expect(result.fixes.map((f) => f.kind).sort()).toEqual(['alias-pipe', 'duplicate-id', 'fallback-rate', 'superseded-status']);
    const fixed = { ...files, ...Object.fromEntries(result.texts) };
    // The doubled W-9 takes the next free id, W-10, so the status row naming W-10 resolves again.
    expect(check(fixed).diagnostics).toEqual([]);
  });

  it('the same fixes on CRLF notes keep their line endings', () => {
    const crlf = (files: Record<string, string>): Record<string, string> => Object.fromEntries(Object.entries(files).map(([p, t]) => [p, t.replace(/\n/g, '\r\n')]));
    let files = edited(EV, W3, W3.replace('5.26%', '9.26%'));
    files = edited(CC, '| Ivo | superseded | |', '| Ivo | accepted | |', files);
    files = edited(CC, '[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem|postmortem]]', files);
    const result = plan(crlf(files));
    expect(result.fixes.map((f) => f.kind).sort()).toEqual(['alias-pipe', 'fallback-rate', 'superseded-status']);
    expect(result.texts.get(CC)).toBe(crlf(base)[CC]);
    expect(result.texts.get(EV)).toBe(crlf(base)[EV]);
    expect(result.fixes.flatMap((f) => f.changes).every((c) => !c.after.includes('\r'))).toBe(true);
  });

  it('refuses a fix that would add an error, and writes nothing of it', () => {
    // W-1 twice near the top: the next free id, W-11, would stand above W-3 to W-10.
    const files = edited(EV, '| W-2 | 2026-11-03', '| W-1 | 2026-11-03');
    const result = plan(files, ['id/duplicate']);
    expect(result.fixes).toEqual([]);
    expect(result.refused.map((r) => r.reason)).toEqual([expect.stringMatching(/^it would add 8 errors: 04_Phase_A_Controlled_Rollout_Evidence_Log\.md:37 `W-3` comes after `W-11`; expected ids to increase down the table \(id\/order\)/) as string]);
    expect(result.texts.size).toBe(0);
  });

  it('two problems with one fix (two decisions superseding the same one) are fixed once', () => {
    const files = edited(CC, '| Ivo | superseded | |', '| Ivo | accepted | |');
    const both = edited(CC, '| Dragan | proposed | |', '| Dragan | proposed | D-2 |', files);
    const result = plan(both);
    expect(result.fixes).toHaveLength(1);
    expect(result.refused).toEqual([]);
  });

  it('isFixable and fixFor for the plugin: one problem, its edits', () => {
    const files = edited(EV, W3, W3.replace('5.26%', '9.26%'));
    const checked = check(files);
    const problem = checked.diagnostics.find((d) => d.rule === 'row/consistency');
    expect(problem && isFixable(problem)).toBe(true);
    const fix = problem ? fixFor(checked.model, problem) : null;
    expect(applyEdits(files[EV] ?? '', fix?.edits ?? [])).toBe(base[EV]);
    expect(checked.diagnostics.filter((d) => d.rule === 'link/unresolved').every((d) => !isFixable(d))).toBe(true);
  });
});

describe('aliasPipes', () => {
  it('finds unescaped pipes inside links only, each bracket looked at once', () => {
    expect(aliasPipes('| a | [[x|y]] | [[z\\|w]] | b |')).toEqual([9]);
    expect(aliasPipes('[[a [[b|c]]')).toEqual([7]);
    expect(aliasPipes('[[a\\\\|b]]')).toEqual([5]);
    const long = '[['.repeat(200_000);
    const started = performance.now();
    expect(aliasPipes(long)).toEqual([]);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
