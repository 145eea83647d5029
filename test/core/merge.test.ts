// The row-by-row merge of a canonical note (README "Many machines, one vault"), the line merge under it, and conflict copies.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { merge3 } from '../../src/core/merge/diff3';
import { diffLines } from '../../src/core/merge/diff';
import { planFold } from '../../src/core/merge/fold-copy';
import { planMerge, type MergePlan } from '../../src/core/merge/merge-note';
import { renumberIds } from '../../src/core/merge/renumber';
import { conflictName, findConflictCopies } from '../../src/core/rules/conflict-copy';
import { defaultConfig } from '../../src/core/config/config';
import { PHASE_A } from '../../src/core/schema/preset';
import type { Role } from '../../src/core/stack/roles';
import { check } from '../helpers/memory-vault';

const VAULT = join(import.meta.dirname, '../../example-vault');
const CC = '00_DraganCorp_Program_Control_Center.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const cc = readFileSync(join(VAULT, CC), 'utf8');
const ev = readFileSync(join(VAULT, EV), 'utf8');

const D5 = '| D-5 | 2026-11-13 | Hold at 25 % for one week before proposing Phase B. | A longer continuity sample is needed before the fallback path is retired (P-6). | Dragan | proposed | |';
const LAST_STATUS = '| 2026-11-13 17:40 | Hold at target traffic | W-10 at 25 %: fallback 4.09 %, p95 626 ms; observing for a week. | G3, G4 | [[04_Phase_A_Controlled_Rollout_Evidence_Log#Rollout Windows\\|evidence]], W-10, D-5 |';
const LAST_LESSON = '| 2026-11-13 | Writing the Decision cell before reading the guardrails invites confirmation bias. | |';
const W10 = ev.split('\n').find((l) => l.startsWith('| W-10 |')) ?? '';

/** The note with `rows` after the line `after`. */
function after(text: string, line: string, ...rows: string[]): string {
  if (!text.includes(line)) throw new Error(`no line ${line}`);
  return text.replace(line, [line, ...rows].join('\n'));
}

function merged(base: string, ours: string, theirs: string, role: Role = 'control-center', external?: Map<string, Map<number, number>>): Extract<MergePlan, { ok: true }> {
  const plan = planMerge({ base, ours, theirs, role, preset: PHASE_A, ...(external ? { external } : {}) });
  if (!plan.ok) throw new Error(plan.reason);
  return plan;
}

const decision = (id: number, text: string, status = 'proposed', supersedes = ''): string => `| D-${id} | 2026-11-14 | ${text} | Because. | Ivo | ${status} | ${supersedes} |`;

describe('planMerge', () => {
  it('keeps ours\' rows, then theirs\', renumbering theirs\' colliding ids and every reference to them in theirs\' additions', () => {
    const ours = after(cc, D5, decision(6, 'Ours.'));
    const theirs = after(after(after(cc, D5, decision(6, 'Theirs first.', 'superseded'), decision(7, 'Theirs second.', 'proposed', 'D-6')), LAST_STATUS, '| 2026-11-14 10:00 | Theirs | Per D-6 and D-7. | G4 | D-6, D-7, W-10 |'), LAST_LESSON, '| 2026-11-14 | D-7 came out of the review. | Link D-6 |');
    const plan = merged(cc, ours, theirs);
    expect(plan.text).toBe(after(after(after(cc, D5, decision(6, 'Ours.'), decision(7, 'Theirs first.', 'superseded'), decision(8, 'Theirs second.', 'proposed', 'D-7')), LAST_STATUS, '| 2026-11-14 10:00 | Theirs | Per D-7 and D-8. | G4 | D-7, D-8, W-10 |'), LAST_LESSON, '| 2026-11-14 | D-8 came out of the review. | Link D-7 |'));
    expect(plan.tables.find((t) => t.kind === 'decision')).toEqual({ kind: 'decision', section: 'Decision Log', ours: 1, theirs: 2, renumbered: [{ from: 'D-6', to: 'D-7' }, { from: 'D-7', to: 'D-8' }] });
    expect([...(plan.renumbering.get('D') ?? [])]).toEqual([[6, 7], [7, 8]]);
    expect(plan.references).toBe(7);
    const errors = (text: string): string[] => check({ [CC]: text }).diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.rule} ${d.message}`);
    const before = new Set(errors(cc));
    expect(errors(plan.text).filter((e) => !before.has(e))).toEqual([]);
  });

  it('carries theirs\' other changes (a superseded Status) and ours\', when they touch different lines', () => {
    const ours = after(cc.replace('Program status, decisions, lessons', 'Status, decisions, lessons'), D5, decision(6, 'Ours.'));
    const theirs = after(cc, D5, decision(6, 'Theirs supersedes D-5.', 'accepted', 'D-5')).replace(D5, D5.replace('| proposed |', '| superseded |'));
    const plan = merged(cc, ours, theirs);
    expect(plan.text).toBe(after(cc.replace('Program status, decisions, lessons', 'Status, decisions, lessons'), D5, decision(6, 'Ours.'), decision(7, 'Theirs supersedes D-5.', 'accepted', 'D-5')).replace(D5, D5.replace('| proposed |', '| superseded |')));
  });

  it('keeps a side\'s ids that collide with nothing, and merges tables without ids row by row', () => {
    const ours = after(cc, LAST_LESSON, '| 2026-11-14 | Ours. | |');
    const theirs = after(after(cc, LAST_LESSON, '| 2026-11-15 | Theirs. | |'), D5, decision(6, 'Only theirs.'));
    const plan = merged(cc, ours, theirs);
    expect(plan.text).toBe(after(after(cc, LAST_LESSON, '| 2026-11-14 | Ours. | |', '| 2026-11-15 | Theirs. | |'), D5, decision(6, 'Only theirs.')));
    expect(plan.tables.find((t) => t.kind === 'decision')?.renumbered).toEqual([]);
  });

  it('renumbers a theirs\' window and the windows its Notes name; decisions by the renumbering of the other note', () => {
    const row = (id: number, day: number, notes: string): string => `| W-${id} | 2026-11-${day} 09:00 | 2026-11-${day} 17:00 | 25% | 100 | 1 | 1.00% | 600 | vp.mission.failed=0 | hold | ${notes} |`;
    const ours = after(ev, W10, row(11, 16, 'Ours.'));
    const theirs = after(ev, W10, row(11, 17, 'After W-10, per D-6.'), row(12, 18, 'Like W-11, per D-6.'));
    const plan = merged(ev, ours, theirs, 'evidence-log', new Map([['D', new Map([[6, 7]])]]));
    expect(plan.text).toBe(after(ev, W10, row(11, 16, 'Ours.'), row(12, 17, 'After W-10, per D-7.'), row(13, 18, 'Like W-12, per D-7.')));
    // Without the other note's renumbering, the plan says which prefixes theirs' rows name.
    expect(merged(ev, ours, theirs, 'evidence-log').foreign).toEqual(['D']);
  });

  it('does not chain renumberings: D-6 → D-7 and D-7 → D-8 in one row', () => {
    const ours = after(cc, D5, decision(6, 'Ours.'));
    const theirs = after(cc, D5, decision(6, 'T6.'), decision(7, 'T7 after D-6.', 'proposed', 'D-6'));
    expect(merged(cc, ours, theirs).text).toContain(decision(8, 'T7 after D-7.', 'proposed', 'D-7'));
  });

  it('keeps CRLF line endings and a table that ends the note without a line break', () => {
    const crlf = (text: string): string => text.replace(/\n/g, '\r\n');
    const plan = merged(crlf(cc), crlf(after(cc, D5, decision(6, 'Ours.'))), crlf(after(cc, D5, decision(6, 'Theirs.'))));
    expect(plan.text).toBe(crlf(after(cc, D5, decision(6, 'Ours.'), decision(7, 'Theirs.'))));
    const end = cc.slice(0, cc.indexOf(D5) + D5.length);
    const atEnd = merged(end, `${end}\n${decision(6, 'Ours.')}`, `${end}\n${decision(6, 'Theirs.')}`);
    expect(atEnd.text).toBe(`${end}\n${decision(6, 'Ours.')}\n${decision(7, 'Theirs.')}`);
  });

  it('a side that appended alone: its rows, nothing renumbered', () => {
    const theirs = after(cc, D5, decision(6, 'Theirs.'));
    expect(merged(cc, cc, theirs).text).toBe(theirs);
    expect(merged(cc, theirs, cc).text).toBe(theirs);
  });

  it('refuses, for git\'s line merge, when no rows were appended or other lines overlap', () => {
    expect(planMerge({ base: cc, ours: cc.replace('Ivo', 'Ivan'), theirs: cc, role: 'control-center', preset: PHASE_A })).toEqual({ ok: false, appended: false, reason: 'neither side appended rows to a canonical table' });
    const ours = after(cc.replace('| Mara | accepted |', '| Ana | accepted |'), D5, decision(6, 'Ours.'));
    const theirs = after(cc.replace('| Mara | accepted |', '| Bo | accepted |'), D5, decision(6, 'Theirs.'));
    const plan = planMerge({ base: cc, ours, theirs, role: 'control-center', preset: PHASE_A });
    expect(plan).toMatchObject({ ok: false, appended: true });
    expect(plan.ok ? '' : plan.reason).toMatch(/^both sides changed line 53 of the common version$/);
    // A row inserted above the base's last row is a line change: it merges as one when nothing else touches it.
    const inserted = cc.replace(D5, `${decision(9, 'Wedged.')}\n${D5}`);
    expect(merged(cc, inserted, after(cc, D5, decision(6, 'Theirs.'))).text).toBe(after(inserted, D5, decision(10, 'Theirs.')));
    expect(planMerge({ base: cc, ours: inserted, theirs: cc.replace(D5, `${decision(9, 'Other.')}\n${D5}`), role: 'control-center', preset: PHASE_A })).toMatchObject({ ok: false, appended: false });
  });

  it('refuses when a side changed the table\'s header (its rows would not read as the same table)', () => {
    const header = '| ID | Date | Decision | Rationale | Owner | Status | Supersedes |';
    const ours = after(cc.replace(header, '| ID | Date | Decision | Rationale | Owner | Status | Supersedes | Review |').replace('| --- | --- | --- | --- | --- | --- | --- |\n| D-1', '| --- | --- | --- | --- | --- | --- | --- | --- |\n| D-1'), D5, decision(6, 'Ours.'));
    const plan = planMerge({ base: cc, ours, theirs: after(cc, D5, decision(6, 'Theirs.')), role: 'control-center', preset: PHASE_A });
    expect(plan.ok).toBe(false);
  });
});

describe('merge3 (the line merge under it)', () => {
  const lines = (s: string): string[] => s.replace(/\n/g, '\n\u0000').split('\u0000').filter((l) => l !== '');
  it('applies changes of both sides that do not touch', () => {
    const result = merge3(lines('a\nb\nc\nd\ne\n'), lines('A\nb\nc\nd\ne\n'), lines('a\nb\nc\nd\nE\n'));
    expect(result.ok && result.chunks.flatMap((c) => c.lines).join('')).toBe('A\nb\nc\nd\nE\n');
  });
  it('a change touching the other side\'s (no unchanged line between) conflicts, as in git', () => {
    expect(merge3(lines('a\nb\nc\n'), lines('a\nB\nc\n'), lines('a\nb\nC\n'))).toEqual({ ok: false, baseFrom: 1, baseTo: 3 });
    expect(merge3(lines('a\nb\n'), lines('a\nb\nx\n'), lines('a\nb\ny\n'))).toEqual({ ok: false, baseFrom: 2, baseTo: 2 });
  });
  it('the same change on both sides is no conflict', () => {
    const result = merge3(lines('a\nb\nc\n'), lines('a\nB\nc\n'), lines('a\nB\nc\n'));
    expect(result).toEqual({ ok: true, chunks: [{ origin: 'base', lines: ['a\n'] }, { origin: 'both', lines: ['B\n'] }, { origin: 'base', lines: ['c\n'] }] });
  });
  it('diffLines finds the smallest edit', () => {
    expect(diffLines(['a', 'b', 'c', 'd'], ['a', 'x', 'c', 'd', 'e'])).toEqual([{ aFrom: 1, aTo: 2, bFrom: 1, bTo: 2 }, { aFrom: 4, aTo: 4, bFrom: 4, bTo: 5 }]);
    expect(diffLines(['a'], ['b'], 0)).toBeNull();
  });
});

describe('renumberIds', () => {
  it('renumbers whole ids only, all at once', () => {
    const map = new Map([['D', new Map([[6, 7], [7, 8]])]]);
    expect(renumberIds('D-6, D-7; [[D-6]] HD-6 D-60 D-6x (D-7)', map)).toEqual({ text: 'D-7, D-8; [[D-7]] HD-6 D-60 D-6x (D-8)', count: 4 });
  });
});

describe('conflict copies', () => {
  it.each([
    ['00_Control (Conflicted copy ThinkPad-T14-G5 202603121129).md', '00_Control', 'Obsidian Sync'],
    ['00_Control.sync-conflict-20261114-101500-ABCDEF7.md', '00_Control', 'Syncthing'],
    ['00_Control.sync-conflict-20261114-101500.md', '00_Control', 'Syncthing'],
    ["00_Control (Dragan's conflicted copy 2026-11-14).md", '00_Control', 'Dropbox'],
    ['00_Control (conflicted copy 2026-11-14 101500).md', '00_Control', 'Nextcloud'],
    ['00_Control 2.md', '00_Control', 'iCloud Drive'],
  ])('%s is a copy of %s (%s)', (name, base, service) => {
    expect(conflictName(name)).toEqual({ base, service });
  });

  it('names that are not copies', () => {
    for (const name of ['Plan.md', 'Phase 2 plan.md', 'notes (draft).md', '2.md']) expect(conflictName(name)).toBeNull();
  });

  it('a numbered note is a copy only beside a canonical note of its name, or claiming its role', () => {
    const notes = [{ path: CC, canon: 'control-center' }, { path: 'Plan.md' }, { path: 'Plan 2.md' }, { path: '00_DraganCorp_Program_Control_Center 2.md', canon: 'control-center' }, { path: 'Roadmap 3.md', canon: 'control-center' }];
    const found = findConflictCopies(notes, defaultConfig(), PHASE_A);
    expect(found.copies.map((c) => [c.path, c.original, c.service])).toEqual([
      ['00_DraganCorp_Program_Control_Center 2.md', CC, 'iCloud Drive'],
      ['Roadmap 3.md', CC, 'iCloud Drive'],
    ]);
    expect(found.notes.map((n) => n.path)).toEqual([CC, 'Plan.md', 'Plan 2.md']);
  });

  it('doc/conflict-copy warns on the copy, and the copy does not take the role (no duplicate-role)', () => {
    const files: Record<string, string> = { [CC]: cc, [`${CC.replace('.md', '')} (Conflicted copy Laptop 202611141015).md`]: cc };
    const result = check(files);
    const rules = result.diagnostics.map((d) => d.rule);
    expect(rules).not.toContain('doc/duplicate-role');
    expect(result.model.docs.find((d) => d.role === 'control-center')?.path).toBe(CC);
    expect(result.diagnostics.find((d) => d.rule === 'doc/conflict-copy')).toEqual({
      path: '00_DraganCorp_Program_Control_Center (Conflicted copy Laptop 202611141015).md', line: 1, column: 1, severity: 'warning', rule: 'doc/conflict-copy',
      message: "`00_DraganCorp_Program_Control_Center (Conflicted copy Laptop 202611141015).md` is an Obsidian Sync conflict copy of the control center `00_DraganCorp_Program_Control_Center.md`; expected its rows folded into that note: run `canon merge --copy '00_DraganCorp_Program_Control_Center (Conflicted copy Laptop 202611141015).md'`",
    });
  });
});

describe('planFold (canon merge --copy)', () => {
  it('appends the copy\'s extra rows, renumbered, marks what they supersede, and leaves nothing when the rest matches', () => {
    const canonical = after(cc, D5, decision(6, 'Ours.'));
    const copy = after(cc, D5, decision(6, 'From the copy.', 'accepted', 'D-5')).replace(D5, D5.replace('| proposed |', '| superseded |'));
    const plan = planFold({ canonical, copy, role: 'control-center', preset: PHASE_A, path: CC });
    expect(plan.ok).toBe(true);
    if (!plan.ok) return;
    expect(plan.text).toBe(after(canonical, decision(6, 'Ours.'), decision(7, 'From the copy.', 'accepted', 'D-5')).replace(D5, D5.replace('| proposed |', '| superseded |')));
    expect(plan.tables).toEqual([{ kind: 'decision', section: 'Decision Log', ours: 0, theirs: 1, renumbered: [{ from: 'D-6', to: 'D-7' }] }]);
    expect(plan.changed).toEqual([{ line: 55, id: 'D-5', column: 'Status', from: 'proposed', to: 'superseded' }]);
    expect(plan.rows).toEqual([{ section: 'Decision Log', line: 57, cells: ['D-7', '2026-11-14', 'From the copy.', 'Because.', 'Ivo', 'accepted', 'D-5'] }]);
    expect(plan.left).toEqual([]);
  });

  it('lists what only the copy holds: a row changed differently, text outside the tables', () => {
    const copy = cc.replace('| Mara | accepted |', '| Mara | rejected |').replace('Program status, decisions', 'Program status and decisions');
    const plan = planFold({ canonical: cc, copy, role: 'control-center', preset: PHASE_A, path: CC });
    expect(plan.ok && plan.text).toBe(cc);
    expect(plan.ok && plan.left).toEqual([
      'line 53 of the copy is the Decision Log row on line 53 of the note, changed differently; compare them and keep what is right',
      "the copy's text outside the tables differs from the note's (from line 12: `Program status and decisions, lessons and governance for …`); compare them and keep what is right",
    ]);
  });
});
