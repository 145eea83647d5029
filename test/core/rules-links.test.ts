// `link/unresolved` on its boundaries, each outcome pinned (rule, line, column, message): a wiki link
// to a row id names that row only as Canon writes its number (`[[W-01]]` is not W-1), a heading after
// `#` must be one of the note's headings, and of two notes with one name the link means the
// shallowest, then the first by path, whatever order the vault lists them in.
import { describe, expect, it } from 'vitest';
import { checkStack } from '../../src/core/check-stack';
import { defaultConfig } from '../../src/core/config/config';
import type { Diagnostic } from '../../src/core/rules/rule-ids';
import { memoryVault } from '../helpers/memory-vault';

const CC = '00_Control.md';
const EV = '04_Evidence.md';
/** The Status Log's first row is on line 7 of the control center; its Evidence cell is the last. */
const FIRST = 7;

function controlNote(evidence: readonly string[]): string {
  const rows = evidence.map((cell, i) => `| 2026-11-${String(i + 10)} 10:00 | Change ${i + 1} | Done. | G1 | ${cell} |`);
  return ['# Control', '', '## Status Log', '', '| Date | Change | Summary | Gates | Evidence |', `|${' --- |'.repeat(5)}`, ...rows, ''].join('\n');
}

const EVIDENCE = ['# Evidence', '', '## Rollout Windows', '',
  '| Window | Start | End | Traffic | Missions | Fallbacks | Fallback Rate | p95 (ms) | Events | Decision | Notes |', `|${' --- |'.repeat(11)}`,
  '| W-1 | 2026-11-02 09:00 | 2026-11-02 13:00 | 5% | 12 | 1 | 8.33% | 612 | | hold | |',
  '| W-2 | 2026-11-03 09:00 | 2026-11-03 13:00 | 5% | 14 | 0 | 0.00% | 598 | | promote | |', ''].join('\n');

const POSTMORTEM = '# Handoff timeout postmortem\n\n## Timeline\n\nWhat happened.\n\n## 2) Root cause\n\nWhy.\n\n^summary\n';

/** The link/unresolved problems of a vault, listed in the order given or reversed. */
function linkProblems(files: Record<string, string>, order: 'sorted' | 'reversed' = 'sorted'): Diagnostic[] {
  const vault = memoryVault(files);
  const notes = order === 'sorted' ? vault.notes : [...vault.notes].reverse();
  return checkStack({ ...vault, notes }, defaultConfig()).diagnostics.filter((d) => d.rule === 'link/unresolved');
}

/** The problem of row `i` (0-based) of the Status Log, whose Evidence cell reads `cell`. */
function unresolved(text: string, i: number, cell: string, message: string): Diagnostic {
  const line = FIRST + i;
  const source = text.split('\n')[line - 1] ?? '';
  const column = source.lastIndexOf(`| ${cell} |`) + 3;
  if (column < 3) throw new Error(`no cell ${cell} on line ${line}`);
  return { path: CC, line, column, severity: 'error', rule: 'link/unresolved', message };
}

const noNote = (raw: string, target: string): string => `\`${raw}\` links to no note; expected a note named \`${target}\` in the vault`;
const noHeading = (raw: string, path: string, heading: string): string => `\`${raw}\`: \`${path}\` has no heading \`${heading}\`; expected one of its headings`;

describe('link/unresolved: row ids in wiki links', () => {
  it.each(['[[W-1]]', '[[w-2]]', 'W-1', 'w-2', '[[W-1|first window]]'])('resolves %s to a window of Rollout Windows', (cell) => {
    expect(linkProblems({ [CC]: controlNote([cell.replace('|', '\\|')]), [EV]: EVIDENCE })).toEqual([]);
  });

  it.each([
    ['[[W-01]]', 'W-01'], // a leading zero: not how Canon writes W-1
    ['[[W-001]]', 'W-001'],
    ['[[W-1e0]]', 'W-1e0'],
    ['[[W-+1]]', 'W-+1'],
    ['[[W-]]', 'W-'],
    ['[[W-3]]', 'W-3'], // no such window
    ['[[X-1]]', 'X-1'], // no table has the prefix X
  ])('does not resolve %s', (cell, target) => {
    const text = controlNote([cell]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE })).toEqual([unresolved(text, 0, cell, noNote(cell, target))]);
  });

  it('reports a bare row id that does not exist, naming its table', () => {
    const text = controlNote(['W-3', 'D-1', 'P-2']);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE })).toEqual([
      unresolved(text, 0, 'W-3', 'row id `W-3` does not exist; expected an id of Rollout Windows'),
      unresolved(text, 1, 'D-1', 'row id `D-1` does not exist; expected an id of the Decision Log'),
      unresolved(text, 2, 'P-2', 'row id `P-2` does not exist; expected an id of Work Packets'),
    ]);
  });

  it('prefers a note to a row id of the same name', () => {
    expect(linkProblems({ [CC]: controlNote(['[[W-01]]', '[[W-3#Scope]]']), [EV]: EVIDENCE, 'W-01.md': '# W-01\n', 'W-3.md': '## Scope\n' })).toEqual([]);
  });
});

describe('link/unresolved: headings', () => {
  const files = (cells: string[]) => ({ [CC]: controlNote(cells), [EV]: EVIDENCE, 'notes/Handoff timeout postmortem.md': POSTMORTEM });

  it.each([
    '[[Handoff timeout postmortem#Timeline]]',
    '[[Handoff timeout postmortem#timeline]]', // any case
    '[[Handoff timeout postmortem#Root cause]]', // without the heading's number
    '[[Handoff timeout postmortem#2) Root cause]]',
    '[[Handoff timeout postmortem#^summary]]', // block ids are not checked
    '[[Handoff timeout postmortem#^nowhere]]',
    '[[notes/Handoff timeout postmortem#Timeline]]',
    '[[#Status Log]]', // a heading of the linking note
    '[[04_Evidence#Rollout Windows]]',
    '[[04_Evidence#W-2]]', // a row id after # names the row
  ])('resolves %s', (cell) => {
    expect(linkProblems(files([cell]))).toEqual([]);
  });

  it('reports a heading the note does not have, naming the note it resolved to', () => {
    const cells = ['[[Handoff timeout postmortem#Timelines]]', '[[#Decision Log]]', '[[04_Evidence#W-3]]', '[[04_Evidence#Rollout]]'];
    const text = controlNote(cells);
    expect(linkProblems(files(cells))).toEqual([
      unresolved(text, 0, cells[0] ?? '', noHeading(cells[0] ?? '', 'notes/Handoff timeout postmortem.md', 'Timelines')),
      unresolved(text, 1, cells[1] ?? '', noHeading(cells[1] ?? '', CC, 'Decision Log')),
      unresolved(text, 2, cells[2] ?? '', noHeading(cells[2] ?? '', EV, 'W-3')),
      unresolved(text, 3, cells[3] ?? '', noHeading(cells[3] ?? '', EV, 'Rollout')),
    ]);
  });

  it('reports a missing note before its heading', () => {
    const cell = '[[Handoff timeout#Timeline]]';
    const text = controlNote([cell]);
    expect(linkProblems(files([cell]))).toEqual([unresolved(text, 0, cell, noNote(cell, 'Handoff timeout'))]);
  });

  it('does not check links to attachments', () => {
    expect(linkProblems(files(['[[trace.png]]', '[[report.pdf#page=2]]']))).toEqual([]);
  });
});

describe('link/unresolved: two notes with one name', () => {
  const withTimeline = '# Postmortem\n\n## Timeline\n';
  const without = '# Postmortem\n\n## Summary\n';
  const link = '[[Postmortem#Timeline]]';
  const orders = ['sorted', 'reversed'] as const;

  it.each(orders)('the shallower note wins, though the deeper sorts first by path (vault listed %s)', (order) => {
    const text = controlNote([link]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'archive/old/Postmortem.md': without, 'notes/Postmortem.md': withTimeline }, order)).toEqual([]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'archive/old/Postmortem.md': withTimeline, 'notes/Postmortem.md': without }, order))
      .toEqual([unresolved(text, 0, link, noHeading(link, 'notes/Postmortem.md', 'Timeline'))]);
  });

  it.each(orders)('at one depth the first path wins (vault listed %s)', (order) => {
    const text = controlNote([link]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'a/Postmortem.md': withTimeline, 'b/Postmortem.md': without }, order)).toEqual([]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'a/Postmortem.md': without, 'b/Postmortem.md': withTimeline }, order))
      .toEqual([unresolved(text, 0, link, noHeading(link, 'a/Postmortem.md', 'Timeline'))]);
  });

  it.each(orders)('a note at the vault root wins over one in a folder (vault listed %s)', (order) => {
    const text = controlNote([link]);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'Postmortem.md': without, 'a/Postmortem.md': withTimeline }, order))
      .toEqual([unresolved(text, 0, link, noHeading(link, 'Postmortem.md', 'Timeline'))]);
  });

  it.each(orders)('a link with a path names its note (vault listed %s)', (order) => {
    const cells = ['[[b/Postmortem#Timeline]]', '[[a/Postmortem#Timeline]]'];
    const text = controlNote(cells);
    expect(linkProblems({ [CC]: text, [EV]: EVIDENCE, 'a/Postmortem.md': without, 'b/Postmortem.md': withTimeline }, order))
      .toEqual([unresolved(text, 1, cells[1] ?? '', noHeading(cells[1] ?? '', 'a/Postmortem.md', 'Timeline'))]);
  });
});
