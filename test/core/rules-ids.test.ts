// `id/duplicate` and `id/order` on their boundaries, each outcome pinned (rule, line, column, message):
// a duplicate far below its first use (not only the row above), ids past the typed array that
// remembers small ids (a table of n rows keeps ids below 2n + 16 there, the rest in a map), and
// order measured against the largest id so far.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../src/core/rules/rule-ids';
import { check } from '../helpers/memory-vault';

const EV = '04_Evidence.md';
const CC = '00_Control.md';
/** The Rollout Windows table's first row is on line 7 of its note; each id cell starts at column 3. */
const FIRST = 7;
const ID_COLUMN = 3;

function evidenceNote(ids: readonly string[]): string {
  const rows = ids.map((id, i) => `| ${id} | 2026-11-0${(i % 9) + 1} 09:00 | 2026-11-0${(i % 9) + 1} 13:00 | 5% | 12 | 1 | 8.33% | 612 | | hold | |`);
  return ['# Evidence', '', '## Rollout Windows', '', '| Window | Start | End | Traffic | Missions | Fallbacks | Fallback Rate | p95 (ms) | Events | Decision | Notes |', `|${' --- |'.repeat(11)}`, ...rows, ''].join('\n');
}

function idProblems(files: Record<string, string>): Diagnostic[] {
  return check(files).diagnostics.filter((d) => d.rule === 'id/duplicate' || d.rule === 'id/order');
}

const duplicate = (line: number, id: string, first: number, path = EV): Diagnostic => ({
  path, line, column: ID_COLUMN, severity: 'error', rule: 'id/duplicate', message: `\`${id}\` is already used on line ${first}; expected a unique id`,
});
const outOfOrder = (line: number, id: string, previous: string, path = EV): Diagnostic => ({
  path, line, column: ID_COLUMN, severity: 'error', rule: 'id/order', message: `\`${id}\` comes after \`${previous}\`; expected ids to increase down the table`,
});

describe('id/duplicate', () => {
  it('reports a duplicate of the row above, naming the line of the first use', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-2', 'W-2', 'W-3']) })).toEqual([duplicate(FIRST + 2, 'W-2', FIRST + 1)]);
  });

  it('reports a duplicate rows below its first use, and every later use against the first one', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-2', 'W-3', 'W-1', 'W-4', 'W-1']) })).toEqual([
      duplicate(FIRST + 3, 'W-1', FIRST),
      duplicate(FIRST + 5, 'W-1', FIRST),
    ]);
  });

  // Three rows keep ids 0…21 in the typed array; 22 and up go to the map.
  it.each([
    ['the last id of the typed array', 'W-21'],
    ['the first id past it', 'W-22'],
    ['a large id', 'W-100000'],
    ['an id past 2^31', 'W-3000000000'],
  ])('reports a duplicate of %s (%s) in a three-row table', (_label, id) => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', id, id]) })).toEqual([duplicate(FIRST + 2, id, FIRST + 1)]);
  });

  it('reports duplicates of large ids apart from each other', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-500', 'W-700', 'W-700', 'W-900', 'W-500']) })).toEqual([
      duplicate(FIRST + 2, 'W-700', FIRST + 1),
      duplicate(FIRST + 4, 'W-500', FIRST),
    ]);
  });

  it('keeps each table to itself: W-1 and D-1 are not duplicates', () => {
    const control = ['# Control', '', '## Decision Log', '', '| ID | Date | Decision | Rationale | Owner | Status | Supersedes |', `|${' --- |'.repeat(7)}`,
      '| D-1 | 2026-10-20 | Keep it. | Because. | Ivo | accepted | |', '| D-1 | 2026-10-21 | Again. | Because. | Ivo | accepted | |', ''].join('\n');
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-2']), [CC]: control })).toEqual([duplicate(8, 'D-1', 7, CC)]);
  });

  it('skips a row without an id (cell/required reports it)', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', '', 'W-2']) })).toEqual([]);
  });

  it('does not take two cells that are not ids for one id (cell/type reports them)', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-x', 'W-x', 'W-2']) })).toEqual([]);
  });
});

describe('id/order', () => {
  it('reports an id smaller than the one above it, naming that one', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-3', 'W-2']) })).toEqual([outOfOrder(FIRST + 2, 'W-2', 'W-3')]);
  });

  it('measures against the largest id so far, not the row above', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-5', 'W-3', 'W-4', 'W-6']) })).toEqual([
      outOfOrder(FIRST + 2, 'W-3', 'W-5'),
      outOfOrder(FIRST + 3, 'W-4', 'W-5'),
    ]);
  });

  it('names the first use of the largest id, not a later duplicate of it', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-4', 'w-4', 'W-3']) })).toEqual([
      duplicate(FIRST + 2, 'w-4', FIRST + 1),
      outOfOrder(FIRST + 3, 'W-3', 'W-4'),
    ]);
  });

  it('accepts gaps, and a first row that is not 1', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-7', 'W-9', 'W-40']) })).toEqual([]);
  });

  it('reports a repeated id once, as a duplicate, not also out of order', () => {
    expect(idProblems({ [EV]: evidenceNote(['W-1', 'W-4', 'W-2', 'W-4', 'W-3']) })).toEqual([
      outOfOrder(FIRST + 2, 'W-2', 'W-4'),
      duplicate(FIRST + 3, 'W-4', FIRST + 1),
      outOfOrder(FIRST + 4, 'W-3', 'W-4'),
    ]);
  });
});
