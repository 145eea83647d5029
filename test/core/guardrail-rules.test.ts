// The guardrail rules of README "Command line" on the example stack made to break them, each outcome pinned
// (rule, line, column, severity, message), with the boundary that keeps each one silent.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRecommendation } from '../../src/core/edit/recommendation';
import { applyEdits } from '../../src/core/edit/text-edit';
import { check, load } from '../helpers/memory-vault';

const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const CC = '00_DraganCorp_Program_Control_Center.md';
const ROOT = join(import.meta.dirname, '../../example-vault');
/** Every note of the example vault, by vault path. */
function readVault(dir: string, prefix = ''): Record<string, string> {
  const files: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    if (entry.isDirectory()) Object.assign(files, readVault(join(dir, entry.name), `${prefix}${entry.name}/`));
    else if (entry.name.endsWith('.md')) files[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'utf8');
  }
  return files;
}
const base = readVault(ROOT);

function edit(files: Record<string, string>, path: string, find: string | RegExp, replace: string): Record<string, string> {
  const text = files[path] ?? '';
  const next = text.replace(find, replace);
  if (next === text) throw new Error(`fixture edit did not apply to ${path}: ${String(find)}`);
  return { ...files, [path]: next };
}

function lineOf(text: string, needle: string): number {
  const index = text.split('\n').findIndex((l) => l.includes(needle));
  if (index < 0) throw new Error(`no line with ${needle}`);
  return index + 1;
}

function columnOf(line: string, needle: string): number {
  return line.indexOf(needle) + 1;
}

const only = (files: Record<string, string>, rule: string) => check(files).diagnostics.filter((d) => d.rule === rule);

describe('guardrail/hold-in-breach', () => {
  // W-1 with 12 fallbacks in 12 missions: the rolling 20 missions read 100% > 10%, and W-1 is held.
  const broken = edit(base, EV, /\| 12 \| 1 \| 8\.33% \|/, '| 12 | 12 | 100.00% |');

  it('warns on a window held while a trigger is in breach, at its Decision cell', () => {
    const text = broken[EV] ?? '';
    const line = lineOf(text, '| W-1 |');
    const row = text.split('\n')[line - 1] ?? '';
    expect(only(broken, 'guardrail/hold-in-breach')).toEqual([{
      path: EV, line, column: columnOf(row, '| hold |') + 2, severity: 'warning', rule: 'guardrail/hold-in-breach',
      message: 'W-1 is held while `Fallback rate over rolling 20 missions` was in breach (fallback rate 100% over W-1 (1 window, 12 missions in all, fewer than 20); trigger at > 10%: breach); '
        + 'the trigger\'s written response was not taken: expected rollback, or the decision that allows the hold (D-n) named in W-1\'s Notes',
    }]);
    // W-2, promoted over 20 missions that take 6 of W-1's, is the error; W-1 itself is only held.
    expect(only(broken, 'guardrail/promote-in-breach').map((d) => d.line)).toEqual([lineOf(text, '| W-2 |')]);
  });

  it('is silent when the Notes name an existing decision, and not for one that does not exist', () => {
    const named = edit(broken, EV, 'First canary;', 'Held under D-3 while the canary is this small;');
    expect(only(named, 'guardrail/hold-in-breach')).toEqual([]);
    const unknown = edit(broken, EV, 'First canary;', 'Held under D-99;');
    expect(only(unknown, 'guardrail/hold-in-breach')).toHaveLength(1);
  });

  it('is silent when no trigger is in breach (8.33% is a warn, not a breach)', () => {
    expect(only(base, 'guardrail/hold-in-breach')).toEqual([]);
  });
});

describe('guardrail/broaden-unguarded', () => {
  it('warns on a window that raises Traffic with no decision named, at its Traffic cell', () => {
    const broken = edit(base, EV, 'At 15 % under D-4. ', '');
    const text = broken[EV] ?? '';
    const line = lineOf(text, '| W-8 |');
    const row = text.split('\n')[line - 1] ?? '';
    expect(only(broken, 'guardrail/broaden-unguarded')).toEqual([{
      path: EV, line, column: columnOf(row, '| 15% |') + 2, severity: 'warning', rule: 'guardrail/broaden-unguarded',
      message: 'W-8 broadens traffic from 10% to 15% with no decision named for it (expected a decision such as D-4 in W-8\'s Notes, or a Decision Log row naming W-8)',
    }]);
    // A decision id that is not in the Decision Log names nothing.
    expect(only(edit(base, EV, 'At 15 % under D-4. ', 'At 15 % under D-44. '), 'guardrail/broaden-unguarded')).toHaveLength(1);
  });

  it('counts a Decision Log row that names the window as its decision', () => {
    const broken = edit(base, EV, 'At 15 % under D-4. ', '');
    const named = edit(broken, CC, 'Promote only when every rollback trigger is ok over its rolling window; no fixed schedule.', 'Promote only when every rollback trigger is ok; first step W-8 at 15 %.');
    expect(only(named, 'guardrail/broaden-unguarded')).toEqual([]);
    // W-80 is not W-8.
    const other = edit(broken, CC, 'Promote only when every rollback trigger is ok over its rolling window; no fixed schedule.', 'Broaden at W-80.');
    expect(only(other, 'guardrail/broaden-unguarded')).toHaveLength(1);
  });

  it('names each trigger without a Cadence, on every window that broadens', () => {
    const noCadence = edit(base, EV, '| Hourly during a window |\n| Continuity', '|  |\n| Continuity');
    const found = only(noCadence, 'guardrail/broaden-unguarded');
    expect(found.map((d) => d.line)).toEqual(['| W-3 |', '| W-8 |', '| W-9 |', '| W-10 |'].map((w) => lineOf(noCadence[EV] ?? '', w)));
    expect(found[0]?.message).toBe('W-3 broadens traffic from 5% to 10% while `Sustained mission failures` has no Cadence (expected an Owner, a Response and a Cadence on every rollback trigger)');
  });

  it('is silent when Traffic stays or falls, and on the example stack', () => {
    expect(only(base, 'guardrail/broaden-unguarded')).toEqual([]);
    // W-4 stays at 10%: its Notes name no decision, and it needs none.
    expect(base[EV]).toMatch(/\| W-4 \|[^\n]*\| 10% \|/);
  });
});

describe('guardrail/stale-recommendation and the block', () => {
  it('writes the block at the end of the Current Recommendation section, and nothing else', () => {
    const plan = planRecommendation(load(base).model);
    if (!plan.ok || !plan.edit) throw new Error('expected a block to write');
    const text = base[EV] ?? '';
    const written = applyEdits(text, [plan.edit]);
    expect(written.startsWith(text.trimEnd())).toBe(true);
    expect(written.slice(text.trimEnd().length)).toBe(`\n\n${plan.block}\n`);
    expect(plan.block.split('\n')[0]).toBe('<!-- canon:recommendation -->');
    expect(plan.block).toContain('**Guardrails: ok. Recommendation: promote.**');
    expect(plan.block).toContain('Newest window: W-10 (2026-11-13 09:00 to 2026-11-13 17:00, traffic 25%, decision hold).');
    const files = { ...base, [EV]: written };
    // Fresh: no diagnostic, and writing again changes nothing.
    expect(check(files).diagnostics).toEqual([]);
    const again = planRecommendation(load(files).model);
    expect(again.ok && again.edit).toBe(null);
  });

  it('reports a block that no longer reads as the guardrails do, at its first line (info)', () => {
    const stale = edit(base, EV, /(## Current Recommendation\n)/, '$1\n<!-- canon:recommendation -->\nRecommendation: rollback.\n<!-- /canon:recommendation -->\n');
    expect(only(stale, 'guardrail/stale-recommendation')).toEqual([{
      path: EV, line: lineOf(stale[EV] ?? '', '<!-- canon:recommendation -->'), column: 1, severity: 'info', rule: 'guardrail/stale-recommendation',
      message: 'the recommendation block no longer reads as the guardrails do (now ok, recommendation promote); expected the block as `canon guardrails --write` writes it now',
    }]);
    // Rewriting replaces only the block's lines.
    const plan = planRecommendation(load(stale).model);
    if (!plan.ok || !plan.edit) throw new Error('expected a rewrite');
    const rewritten = applyEdits(stale[EV] ?? '', [plan.edit]);
    expect(rewritten.replace(plan.block, 'BLOCK')).toBe((stale[EV] ?? '').replace('<!-- canon:recommendation -->\nRecommendation: rollback.\n<!-- /canon:recommendation -->', 'BLOCK'));
  });

  it('adds the section at the end of a note that has none, and keeps CRLF line breaks', () => {
    const crlf = { ...base, [EV]: (base[EV] ?? '').replace(/\n## Current Recommendation[\s\S]*$/, '\n').replace(/\n/g, '\r\n') };
    const plan = planRecommendation(load(crlf).model);
    if (!plan.ok || !plan.edit) throw new Error('expected a block to write');
    const written = applyEdits(crlf[EV] ?? '', [plan.edit]);
    expect(written.endsWith(`\r\n## Current Recommendation\r\n\r\n${plan.block}\r\n`)).toBe(true);
    expect(written.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('writes cell text that could close the block as text', () => {
    const hostile = edit(base, EV, '| Latency regression |', '| Latency <!-- /canon:recommendation --> regression |');
    const plan = planRecommendation(load(hostile).model);
    if (!plan.ok) throw new Error('expected a plan');
    expect(plan.block.split('<!-- /canon:recommendation -->')).toHaveLength(2);
    expect(plan.block).toContain('Latency &lt;!-- /canon:recommendation --> regression');
  });
});
