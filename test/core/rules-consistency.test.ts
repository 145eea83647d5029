// `row/consistency` on its boundaries, each outcome pinned (rule, line, column, message): the rate
// tolerance (0.05 points: at it, and just past it, on both sides), the rate rounded to two decimals
// (not truncated), End = Start, Fallbacks = Missions, Missions = 0, and Supersedes. The same rounding
// is pinned where Canon writes a rate: the default of an appended window and the fix of a wrong one.
import { describe, expect, it } from 'vitest';
import { planAppend } from '../../src/core/edit/append-entry';
import { planFixes } from '../../src/core/fix/plan-fixes';
import { defaultConfig } from '../../src/core/config/config';
import { decisionIds, formatRate } from '../../src/core/rules/consistency';
import type { Diagnostic } from '../../src/core/rules/rule-ids';
import { check, FIXED_NOW, load, memoryVault } from '../helpers/memory-vault';

const EV = '04_Evidence.md';
const CC = '00_Control.md';
const HEADER = '| Window | Start | End | Traffic | Missions | Fallbacks | Fallback Rate | p95 (ms) | Events | Decision | Notes |';
/** The Rollout Windows table's first row is on line 7 of this note. */
const FIRST_ROW_LINE = 7;

function evidenceNote(rows: readonly string[]): string {
  return ['# Evidence', '', '## Rollout Windows', '', HEADER, `|${' --- |'.repeat(11)}`, ...rows, ''].join('\n');
}

/** A window row: start and end on 2 November, the given counts and rate. */
function windowRow(id: number, missions: string, fallbacks: string, rate: string, times = ['09:00', '13:00']): string {
  return `| W-${id} | 2026-11-02 ${times[0]} | 2026-11-02 ${times[1]} | 5% | ${missions} | ${fallbacks} | ${rate} | 612 | | hold | |`;
}

/** The 1-based column where `needle` starts on a line of the note (it must occur there once). */
function columnOf(text: string, line: number, needle: string): number {
  const source = text.split('\n')[line - 1] ?? '';
  const at = source.indexOf(needle);
  if (at < 0 || source.indexOf(needle, at + 1) >= 0) throw new Error(`\`${needle}\` is not once on line ${line}: ${source}`);
  return at + 1;
}

function consistency(files: Record<string, string>): Diagnostic[] {
  return check(files).diagnostics.filter((d) => d.rule === 'row/consistency');
}

function rateProblem(text: string, line: number, rate: string, f: number, m: number, expected: string): Diagnostic {
  return {
    path: EV, line, column: columnOf(text, line, ` ${rate} `) + 1, severity: 'error', rule: 'row/consistency',
    message: `Fallback Rate ${rate} does not match ${f} / ${m}; expected ${expected}`,
  };
}

describe('row/consistency: the Fallback Rate tolerance', () => {
  it.each(['1.00%', '1.05%', '0.95%', '1.05', '1.049%'])('accepts %s for 1 / 100 (within 0.05 points)', (rate) => {
    expect(consistency({ [EV]: evidenceNote([windowRow(1, '100', '1', rate)]) })).toEqual([]);
  });

  it.each(['1.06%', '0.94%', '1.051%', '0.949%', '1.5%', '0.5%'])('reports %s for 1 / 100 (past 0.05 points) on the rate cell', (rate) => {
    const text = evidenceNote([windowRow(1, '100', '1', rate)]);
    expect(consistency({ [EV]: text })).toEqual([rateProblem(text, FIRST_ROW_LINE, rate, 1, 100, '1.00')]);
  });

  it('holds each row to its own counts, and names the row past the tolerance by its line', () => {
    const text = evidenceNote([
      windowRow(1, '100', '1', '1.05%'),
      windowRow(2, '200', '3', '1.56%'), // 1.50 + 0.06
      windowRow(3, '200', '3', '1.45%'), // 1.50 − 0.05
    ]);
    expect(consistency({ [EV]: text })).toEqual([rateProblem(text, FIRST_ROW_LINE + 1, '1.56%', 3, 200, '1.50')]);
  });
});

describe('row/consistency: the expected rate is rounded to two decimals', () => {
  it.each([
    // f, m, a rate just past the tolerance below the exact value, the expected rate as the message gives it
    [2, 3, '66.61%', '66.67'], // 66.666…: truncation would say 66.66
    [1, 6, '16.60%', '16.67'], // 16.666…
    [5, 7, '71.37%', '71.43'], // 71.428…
    [1, 3, '33.27%', '33.33'], // 33.333…: rounds down
    [1, 8, '12.44%', '12.50'], // 12.5 exactly
  ])('%i / %i written %s: expected %s', (f, m, rate, expected) => {
    const text = evidenceNote([windowRow(1, String(m), String(f), rate)]);
    expect(consistency({ [EV]: text })).toEqual([rateProblem(text, FIRST_ROW_LINE, rate, f, m, expected)]);
  });

  it('accepts the rounded rate, and a rate 0.05 under the exact one', () => {
    expect(consistency({ [EV]: evidenceNote([windowRow(1, '3', '2', '66.67%'), windowRow(2, '3', '2', '66.62%')]) })).toEqual([]);
  });

  it('formats a rate as Canon writes it', () => {
    expect([formatRate((2 / 3) * 100), formatRate((1 / 6) * 100), formatRate(12.5), formatRate(0), formatRate(100), formatRate(1.005 * 100)]).toEqual(['66.67', '16.67', '12.50', '0.00', '100.00', '100.50']);
  });
});

describe('row/consistency: counts, zero missions and times', () => {
  it('takes a window without missions as a rate of 0', () => {
    const text = evidenceNote([windowRow(1, '0', '0', '0.00%'), windowRow(2, '0', '0', '0.06%')]);
    expect(consistency({ [EV]: text })).toEqual([rateProblem(text, FIRST_ROW_LINE + 1, '0.06%', 0, 0, '0.00')]);
  });

  it('accepts Fallbacks = Missions (100 %), and reports Fallbacks = Missions + 1 on the Fallbacks cell, not the rate', () => {
    const text = evidenceNote([windowRow(1, '12', '12', '100.00%'), windowRow(2, '12', '13', '108.33%')]);
    expect(consistency({ [EV]: text })).toEqual([{
      path: EV, line: FIRST_ROW_LINE + 1, column: columnOf(text, FIRST_ROW_LINE + 1, ' 13 ') + 1, severity: 'error', rule: 'row/consistency',
      message: 'Fallbacks 13 exceed Missions 12; expected Fallbacks ≤ Missions',
    }]);
  });

  it('accepts End = Start, and reports End a minute before Start on the End cell', () => {
    const text = evidenceNote([windowRow(1, '12', '1', '8.33%', ['09:00', '09:00']), windowRow(2, '12', '1', '8.33%', ['09:00', '08:59'])]);
    expect(consistency({ [EV]: text })).toEqual([{
      path: EV, line: FIRST_ROW_LINE + 1, column: columnOf(text, FIRST_ROW_LINE + 1, '2026-11-02 08:59') , severity: 'error', rule: 'row/consistency',
      message: 'End `2026-11-02 08:59` is before Start `2026-11-02 09:00`; expected End ≥ Start',
    }]);
  });

  it('leaves the rate alone when a count is not a number (cell/type says why)', () => {
    const text = evidenceNote([windowRow(1, 'twelve', '1', '50.00%'), windowRow(2, '12', '', '50.00%')]);
    expect(consistency({ [EV]: text })).toEqual([]);
  });
});

describe('row/consistency: Supersedes', () => {
  const DECISIONS = ['# Control', '', '## Decision Log', '', '| ID | Date | Decision | Rationale | Owner | Status | Supersedes |', `|${' --- |'.repeat(7)}`];
  const decision = (id: number, status: string, supersedes = ''): string => `| D-${id} | 2026-10-2${id} | Decision ${id} | Because. | Ivo | ${status} | ${supersedes} |`;
  const control = (rows: string[]): string => [...DECISIONS, ...rows, ''].join('\n');

  it('accepts a decision superseding an older, superseded one (by id or by link)', () => {
    const text = control([decision(1, 'superseded'), decision(2, 'superseded'), decision(3, 'accepted', 'D-1, [[D-2]]')]);
    expect(consistency({ [CC]: text })).toEqual([]);
  });

  it('reports superseding a decision that does not read superseded, and superseding itself or a newer one', () => {
    const text = control([decision(1, 'accepted'), decision(2, 'accepted', 'D-1'), decision(3, 'accepted', 'D-3'), decision(4, 'superseded'), decision(5, 'accepted', 'D-6'), decision(6, 'proposed')]);
    // The Supersedes cell follows the Status `accepted` on each of these rows.
    const at = (line: number, cell: string): number => columnOf(text, line, `accepted | ${cell} |`) + 'accepted | '.length;
    expect(consistency({ [CC]: text })).toEqual([
      { path: CC, line: 8, column: at(8, 'D-1'), severity: 'error', rule: 'row/consistency', message: 'D-2 supersedes D-1, whose Status is `accepted`; expected D-1 to read superseded' },
      { path: CC, line: 9, column: at(9, 'D-3'), severity: 'error', rule: 'row/consistency', message: 'D-3 supersedes D-3; expected a decision to supersede only older ones' },
      { path: CC, line: 11, column: at(11, 'D-6'), severity: 'error', rule: 'row/consistency', message: 'D-5 supersedes D-6; expected a decision to supersede only older ones' },
    ]);
  });

  it('reads a Supersedes link [[D-n]] as the decision, and two-digit ids whole', () => {
    const text = control([decision(1, 'accepted'), decision(2, 'accepted', '[[D-1]]'), '| D-11 | 2026-10-28 | Eleven. | Because. | Ivo | accepted | |', '| D-12 | 2026-10-29 | Twelve. | Because. | Ivo | accepted | D-11 |']);
    const at = (line: number, cell: string): number => columnOf(text, line, `accepted | ${cell} |`) + 'accepted | '.length;
    expect(consistency({ [CC]: text })).toEqual([
      { path: CC, line: 8, column: at(8, '[[D-1]]'), severity: 'error', rule: 'row/consistency', message: 'D-2 supersedes D-1, whose Status is `accepted`; expected D-1 to read superseded' },
      { path: CC, line: 10, column: at(10, 'D-11'), severity: 'error', rule: 'row/consistency', message: 'D-12 supersedes D-11, whose Status is `accepted`; expected D-11 to read superseded' },
    ]);
  });

  it('leaves links to notes, decisions that do not exist and rows without an id to other rules', () => {
    const text = control([
      decision(1, 'accepted'),
      decision(2, 'accepted', '[[Draft D-1]], [[D-1 review]], [[Notes]]'), // notes whose names hold a decision id
      decision(3, 'accepted', 'D-9'), // no D-9: link/unresolved reports it
      '| D-x | 2026-10-29 | No id. | Because. | Ivo | accepted | D-1 |', // cell/type reports the id
    ]);
    const notes = { 'Draft D-1.md': '# Draft\n', 'D-1 review.md': '# Review\n', 'Notes.md': '# Notes\n' };
    expect(consistency({ [CC]: text, ...notes })).toEqual([]);
  });

  it('reads the Status of the first row of a repeated id (id/duplicate reports the second)', () => {
    expect(consistency({ [CC]: control([decision(1, 'superseded'), decision(1, 'accepted'), decision(2, 'accepted', 'D-1')]) })).toEqual([]);
  });

  it('lists the decision ids of a Supersedes cell, in order', () => {
    expect(decisionIds([
      { kind: 'row-id', id: 'D-3', raw: 'D-3' },
      { kind: 'wiki', target: 'd-12', heading: null, alias: null, raw: '[[d-12]]' },
      { kind: 'wiki', target: 'Draft D-4', heading: null, alias: null, raw: '[[Draft D-4]]' },
      { kind: 'row-id', id: 'W-2', raw: 'W-2' },
    ])).toEqual([3, 12]);
  });
});

describe('the rate Canon writes is rounded the same way', () => {
  it('an appended window gets Fallbacks / Missions rounded to two decimals', () => {
    const text = evidenceNote([windowRow(1, '12', '1', '8.33%')]);
    const { model, readOnly } = load({ [EV]: text });
    const plan = planAppend(model, readOnly, {
      kind: 'evidence', now: FIXED_NOW,
      fields: { Start: '2026-11-03 09:00', End: '2026-11-03 13:00', Traffic: '5%', Missions: '3', Fallbacks: '2', p95: '600', Decision: 'hold' },
    });
    expect(plan.ok && plan.row['Fallback Rate']).toBe('66.67%');
  });

  it('canon fix writes the rounded rate', () => {
    const text = evidenceNote([windowRow(1, '6', '1', '16.00%')]);
    const { fixes } = planFixes(memoryVault({ [EV]: text }), defaultConfig(), {});
    expect(fixes.map((f) => f.message)).toEqual(['Fallback Rate 16.00% → 16.67% (1 / 6)']);
  });
});
