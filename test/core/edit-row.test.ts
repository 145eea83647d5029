import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planAppend } from '../../src/core/edit/append-entry';
import { columnHelp } from '../../src/core/edit/column-help';
import { editForm, planEdit, type EditPlan, type EditRequest } from '../../src/core/edit/edit-row';
import { applyEdits } from '../../src/core/edit/text-edit';
import { missingRowReason } from '../../src/core/edit/verify-append';
import { parseNote } from '../../src/core/markdown/parse-note';
import { PHASE_A, tableFor } from '../../src/core/schema/preset';
import { check, FIXED_NOW, load } from '../helpers/memory-vault';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

/** The example vault's notes (its notes/ folder too), by vault path. */
function example(): Record<string, string> {
  return Object.fromEntries(readdirSync(EXAMPLE_VAULT, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => [f.split('\\').join('/'), readFileSync(join(EXAMPLE_VAULT, f), 'utf8')]));
}

function plan(files: Record<string, string>, id: string, sets: Record<string, string>, extra: Partial<EditRequest> = {}): EditPlan {
  const { model, readOnly } = load(files);
  return planEdit(model, readOnly, { id, sets, now: FIXED_NOW, ...extra });
}

/** The files with the plan applied (it must be ok). */
function edited(files: Record<string, string>, p: EditPlan): Record<string, string> {
  if (!p.ok) throw new Error(`refused: ${p.errors.map((e) => e.message).join('; ')}`);
  return { ...files, [p.path]: applyEdits(files[p.path] ?? '', p.edits) };
}

/** The lines that differ between two texts of the same line count, as [line, before, after]. */
function changedLines(before: string, after: string): [number, string, string][] {
  const b = before.split('\n');
  const a = after.split('\n');
  expect(a.length).toBe(b.length);
  return b.flatMap((line, i) => (line === a[i] ? [] : [[i + 1, line, a[i] ?? ''] as [number, string, string]]));
}

describe('planEdit on the example vault', () => {
  it('changes one cell with one splice and reports it; everything else stays byte for byte', () => {
    const files = example();
    const p = plan(files, 'P-5', { Status: 'in-progress' });
    expect(p.ok && p.edits).toHaveLength(1);
    expect(p.ok && p.changed).toEqual([{ path: PLAN, line: 46, id: 'P-5', column: 'Status', from: 'planned', to: 'in-progress' }]);
    const after = edited(files, p);
    expect(changedLines(files[PLAN] ?? '', after[PLAN] ?? '')).toEqual([[46,
      '| P-5 | Propagate mission cancellation to the VP within 2 s. | `src/vp/cancel.ts`, `src/vp/mission-runner.ts` | `npm run probe:cancel` | Cancel-to-stop under 2 s in 20 of 20 probe runs. | planned |',
      '| P-5 | Propagate mission cancellation to the VP within 2 s. | `src/vp/cancel.ts`, `src/vp/mission-runner.ts` | `npm run probe:cancel` | Cancel-to-stop under 2 s in 20 of 20 probe runs. | in-progress |',
    ]]);
    expect(check(after).counts.error).toBe(0);
    // Every changed row reads back as planned.
    if (p.ok) for (const expect_ of p.expects) expect(missingRowReason(after[PLAN] ?? '', expect_)).toBeNull();
  });

  it('finds the row by id in any table, with the id in any case', () => {
    const files = example();
    for (const [id, path, line] of [['w-10', LOG, 44], ['D-2', CONTROL, 52], [' p-1 ', PLAN, 42]] as const) {
      const p = plan(files, id, { Notes: 'x' });
      // Decisions and packets have no Notes column: the row is still found (and the column refused).
      expect(p.ok ? p.path : p.errors[0]?.path).toBe(path);
      if (!p.ok) expect(p.errors[0]).toMatchObject({ rule: 'entry/unknown-column', line });
      else expect(p.line).toBe(line);
    }
  });

  it('refuses an edit that adds an error, with every error by column, and plans nothing', () => {
    const files = example();
    const p = plan(files, 'W-5', { Decision: 'maybe', Fallbacks: '99', End: '2026-11-06 08:00' });
    expect(p.ok).toBe(false);
    if (p.ok) return;
    expect(p.cannotRun).toBe(false);
    // Column by column, in the table's order: End, Fallbacks, Decision.
    expect(p.errors.map((e) => [e.column, e.rule])).toEqual([['End', 'row/consistency'], ['Fallbacks', 'row/consistency'], ['Decision', 'cell/type']]);
    expect(p.errors.every((e) => e.path === LOG && e.line === 39)).toBe(true);
    expect(p.errors[1]?.message).toMatch(/Fallbacks 99 exceed Missions 66/);
  });

  it('refuses an edit that breaks another row, naming that row', () => {
    const files = example();
    // W-4 moved before W-3 breaks the order (the problem is reported on W-4) …
    const order = plan(files, 'W-4', { Start: '2026-11-03 10:00', End: '2026-11-03 17:00' });
    expect(!order.ok && order.errors.map((e) => e.rule)).toContain('row/order');
    // … and D-2 may not supersede D-4, which is newer (reported on D-2, the row edited).
    const newer = plan(files, 'D-2', { Supersedes: 'D-4' });
    expect(newer.ok).toBe(false);
    expect(!newer.ok && newer.errors.some((e) => e.rule === 'row/consistency' && e.column === 'Supersedes')).toBe(true);
  });

  it('allows an edit of a row whose other cells already had an error, and refuses one that changes that error', () => {
    const files = example();
    files[LOG] = (files[LOG] ?? '').replace('| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |');
    expect(check(files).diagnostics.filter((d) => d.severity === 'error').map((d) => d.rule)).toEqual(['row/consistency']);
    const notes = plan(files, 'W-3', { Notes: 'Rate to be recounted.' });
    expect(notes.ok).toBe(true);
    const worse = plan(files, 'W-3', { 'Fallback Rate': '19.26%' });
    expect(!worse.ok && worse.errors.map((e) => e.message)).toEqual(['Fallback Rate 19.26% does not match 3 / 57; expected 5.26']);
  });

  it('will not change the id column, and says so', () => {
    const p = plan(example(), 'P-4', { Packet: 'P-40', Status: 'done' });
    expect(p.ok).toBe(false);
    expect(!p.ok && p.errors).toEqual([expect.objectContaining({ column: 'Packet', rule: 'entry/id-column', message: expect.stringMatching(/Packet cannot be changed: P-4 is how other rows/) as unknown })]);
    // Naming the id it already has is no change.
    expect(plan(example(), 'P-4', { Packet: 'p-4', Status: 'done' }).ok).toBe(true);
  });

  it('sets Supersedes and marks the older decision superseded, reporting both rows', () => {
    const files = example();
    const p = plan(files, 'D-5', { Supersedes: 'D-3' });
    expect(p.ok && p.changed).toEqual([
      { path: CONTROL, line: 55, id: 'D-5', column: 'Supersedes', from: '', to: 'D-3' },
      { path: CONTROL, line: 53, id: 'D-3', column: 'Status', from: 'accepted', to: 'superseded' },
    ]);
    const after = edited(files, p);
    const lines = changedLines(files[CONTROL] ?? '', after[CONTROL] ?? '');
    expect(lines.map(([l]) => l)).toEqual([53, 55]);
    // An empty cell filled in the table's style: `| D-3 |`, not `|D-3 |` nor `| D-3|`.
    expect(lines[1]?.[2]).toMatch(/\| Dragan \| proposed \| D-3 \|$/);
    expect(lines[0]?.[2]).toMatch(/\| Mara \| superseded \| \|$/);
    expect(check(after).counts.error).toBe(0);
    if (p.ok) expect(p.expects.map((e) => e.line)).toEqual([55, 53]);
  });

  it('computes the Fallback Rate again when Missions or Fallbacks change (unless set)', () => {
    const files = example();
    const p = plan(files, 'W-5', { Missions: '70' });
    expect(p.ok && p.changed.map((c) => [c.column, c.from, c.to])).toEqual([['Missions', '66', '70'], ['Fallback Rate', '1.52%', '1.43%']]);
    const given = plan(files, 'W-5', { Missions: '70', 'Fallback Rate': '1.52%' });
    expect(!given.ok && given.errors[0]?.column).toBe('Fallback Rate');
  });

  it('plans nothing for values the row already holds', () => {
    const p = plan(example(), 'W-10', { Decision: 'hold', Traffic: '25%' });
    expect(p.ok && [p.edits, p.changed]).toEqual([[], []]);
  });

  it('says which row is missing, and which ids do not exist', () => {
    const files = example();
    const missing = plan(files, 'W-99', { Decision: 'hold' });
    expect(missing).toMatchObject({ ok: false, cannotRun: false, errors: [{ rule: 'entry/no-row', message: expect.stringMatching(/no row W-99 in Rollout Windows .*W-1 to W-10/) as unknown }] });
    expect(plan(files, 'Q-1', { a: 'b' })).toMatchObject({ ok: false, cannotRun: true });
    expect(plan(files, 'twelve', { a: 'b' })).toMatchObject({ ok: false, cannotRun: true });
    const unknown = plan(files, 'W-10', { Colour: 'blue' });
    expect(!unknown.ok && unknown.errors[0]).toMatchObject({ column: 'Colour', rule: 'entry/unknown-column' });
  });

  it('refuses a row two rows share, a malformed row, and a row that moved or changed since it was read', () => {
    const files = example();
    const twice = { ...files, [PLAN]: (files[PLAN] ?? '').replace('| P-6 |', '| P-5 |') };
    expect(plan(twice, 'P-5', { Status: 'done' })).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/P-5 is the id of 2 rows .*lines 46, 47/) as unknown }] });
    const short = { ...files, [PLAN]: (files[PLAN] ?? '').replace('| Cancel-to-stop under 2 s in 20 of 20 probe runs. | planned |', '| planned |') };
    expect(plan(short, 'P-5', { Status: 'done' })).toMatchObject({ ok: false, cannotRun: true });

    const { model, readOnly } = load(files);
    const form = editForm(model, readOnly, 'P-5');
    if (!form.ok) throw new Error(form.message);
    const seen = { line: form.line, source: form.source };
    expect(plan(files, 'P-5', { Status: 'done' }, { expectRow: seen }).ok).toBe(true);
    const changed = { ...files, [PLAN]: (files[PLAN] ?? '').replace('| planned |', '| blocked |') };
    expect(plan(changed, 'P-5', { Status: 'done' }, { expectRow: seen })).toMatchObject({ ok: false, cannotRun: true, errors: [{ message: expect.stringMatching(/P-5 changed .*its text at line 46 changed/) as unknown }] });
    const moved = { ...files, [PLAN]: (files[PLAN] ?? '').replace('| P-1 |', '| P-0 | Extra. | | `x` | y | done |\n| P-1 |').replace('| P-0 |', '| P-7 |') };
    expect(plan(moved, 'P-5', { Status: 'done' }, { expectRow: seen })).toMatchObject({ ok: false, errors: [{ message: expect.stringMatching(/moved from line 46 to line 47/) as unknown }] });
  });

  it('gives the edit form the cells as written, the id read-only, and an example per column', () => {
    const { model, readOnly } = load(example());
    const form = editForm(model, readOnly, 'D-4');
    if (!form.ok) throw new Error(form.message);
    expect(form).toMatchObject({ id: 'D-4', kind: 'decision', section: 'Decision Log', path: CONTROL, line: 54 });
    expect(form.columns.map((c) => [c.name, c.value, c.readOnly])).toEqual([
      ['ID', 'D-4', true], ['Date', '2026-11-07', false],
      ['Decision', 'Promote only when every rollback trigger is ok over its rolling window; no fixed schedule.', false],
      ['Rationale', 'W-3 and W-4 showed a fixed schedule would have promoted through a latency warning.', false],
      ['Owner', 'Ivo', false], ['Status', 'accepted', false], ['Supersedes', 'D-2', false],
    ]);
    expect(form.columns.every((c) => typeof c.example === 'string' && c.example !== '')).toBe(true);
  });
});

describe('planEdit on hand-written notes', () => {
  const DECISIONS = (rows: string[], eol = '\n'): string => ['# Control', '', '## Decision Log', '', '| ID | Date | Decision | Rationale | Owner | Status | Supersedes |', '| --- | --- | --- | --- | --- | --- | --- |', ...rows, '', 'After.', ''].join(eol);

  it('keeps CRLF line endings and touches only the cell', () => {
    const text = DECISIONS(['| D-1 | 2026-11-01 | A | B | C | proposed | |', '| D-2 | 2026-11-02 | E | F | G | proposed | |'], '\r\n');
    const files = { [CONTROL]: text };
    const p = plan(files, 'D-1', { Status: 'accepted', Owner: 'Ann' });
    const after = edited(files, p)[CONTROL] ?? '';
    expect(after).toBe(text.replace('| D-1 | 2026-11-01 | A | B | C | proposed | |', '| D-1 | 2026-11-01 | A | B | Ann | accepted | |'));
    expect(after.split('\r\n')).toHaveLength(text.split('\r\n').length);
    expect(after.replace(/\r\n/g, '')).not.toMatch(/\n/);
  });

  it('escapes pipes, keeps escaped pipes and inline code in other cells, and reads them back as written', () => {
    const text = DECISIONS(['| D-1 | 2026-11-01 | Use `a \\| b` here | [[Note\\|alias]] | C | proposed | |']);
    const files = { [CONTROL]: text };
    const p = plan(files, 'D-1', { Rationale: 'either a | b, or `x | y`' });
    expect(p.ok && p.changed[0]).toMatchObject({ column: 'Rationale', from: '[[Note\\|alias]]', to: 'either a \\| b, or `x \\| y`' });
    const after = edited(files, p)[CONTROL] ?? '';
    expect(after).toContain('| D-1 | 2026-11-01 | Use `a \\| b` here | either a \\| b, or `x \\| y` | C | proposed | |');
    const row = parseNote(after).tables[0]?.rows[0];
    expect(row?.cells.map((c) => c.text)).toEqual(['D-1', '2026-11-01', 'Use a | b here', 'either a | b, or x | y', 'C', 'proposed', '']);
    // A value already escaped is not escaped twice.
    const again = plan(files, 'D-1', { Owner: 'A \\| B' });
    expect(again.ok && again.changed[0]?.to).toBe('A \\| B');
  });

  it('refuses a value whose backslash would swallow the next pipe in an unpadded table', () => {
    const text = ['## Decision Log', '', '|ID|Date|Decision|Rationale|Owner|Status|Supersedes|', '|---|---|---|---|---|---|---|', '|D-1|2026-11-01|A|B|C|proposed||', ''].join('\n');
    const files = { [CONTROL]: text };
    const ok = plan(files, 'D-1', { Supersedes: '' , Owner: 'Ann' });
    expect(edited(files, ok)[CONTROL]).toContain('|D-1|2026-11-01|A|B|Ann|proposed||');
    const filled = plan({ [CONTROL]: text.replace('|D-1|', '|D-2|').replace('## Decision Log\n\n|ID|Date|Decision|Rationale|Owner|Status|Supersedes|\n|---|---|---|---|---|---|---|\n', '## Decision Log\n\n|ID|Date|Decision|Rationale|Owner|Status|Supersedes|\n|---|---|---|---|---|---|---|\n|D-1|2026-10-01|X|Y|Z|accepted||\n') }, 'D-2', { Supersedes: 'D-1' });
    // Filled in the table's own style: no padding.
    expect(filled.ok && filled.edits.map((e) => e.insert)).toEqual(['D-1', 'superseded']);
    const swallowed = plan(files, 'D-1', { Owner: 'C:\\' });
    expect(swallowed).toMatchObject({ ok: false, errors: [{ rule: 'table/malformed', column: 'Owner' }] });
  });

  it('empties an optional cell as `| |` and refuses emptying a required one', () => {
    const text = DECISIONS(['| D-1 | 2026-11-01 | A | B | C | accepted | |', '| D-2 | 2026-11-02 | E | F | G | proposed | D-1 |']);
    const files = { [CONTROL]: text.replace('| accepted |', '| superseded |') };
    const p = plan(files, 'D-2', { Supersedes: '' });
    expect(edited(files, p)[CONTROL]).toContain('| D-2 | 2026-11-02 | E | F | G | proposed | |\n');
    expect(plan(files, 'D-2', { Owner: '  ' })).toMatchObject({ ok: false, errors: [{ column: 'Owner', rule: 'cell/required' }] });
  });

  it('edits a row inside a block quote, keeping its prefix', () => {
    const text = ['## Work Packets', '', '> | Packet | Goal | Files | Verification | Expected Evidence | Status |', '> | --- | --- | --- | --- | --- | --- |', '> | P-1 | G | | `npm test` | E | planned |', ''].join('\n');
    const files = { [PLAN]: text };
    expect(edited(files, plan(files, 'P-1', { Status: 'done', Files: 'src/a.ts' }))[PLAN]).toBe(text.replace('> | P-1 | G | | `npm test` | E | planned |', '> | P-1 | G | src/a.ts | `npm test` | E | done |'));
  });

  it('refuses a note that is not written to', () => {
    const { model } = load(example());
    const p = planEdit(model, new Map([[PLAN, 'it is not valid UTF-8']]), { id: 'P-4', sets: { Status: 'done' }, now: FIXED_NOW });
    expect(p).toMatchObject({ ok: false, cannotRun: true, errors: [{ message: expect.stringMatching(/is not written to: it is not valid UTF-8/) as unknown }] });
  });
});

describe('what an add reports and fills in', () => {
  it('reports the superseded decision it changed, and expects both rows after the write', () => {
    const files = example();
    const { model, readOnly } = load(files);
    const p = planAppend(model, readOnly, { kind: 'decision', fields: { Decision: 'Phase B', Rationale: 'Week at 25 %', Owner: 'Dragan', Supersedes: 'D-5' }, now: FIXED_NOW });
    expect(p.ok && p.changed).toEqual([{ path: CONTROL, line: 55, id: 'D-5', column: 'Status', from: 'proposed', to: 'superseded' }]);
    expect(p.ok && p.expects.map((e) => e.line)).toEqual([56, 55]);
    const after = applyEdits(files[CONTROL] ?? '', p.ok ? p.edits : []);
    if (p.ok) for (const e of p.expects) expect(missingRowReason(after, e)).toBeNull();
  });

  it('gives a new packet the Status planned and a new decision proposed, unless set', () => {
    const { model, readOnly } = load(example());
    const packet = planAppend(model, readOnly, { kind: 'packet', fields: { Goal: 'g', Verification: 'v', 'Expected Evidence': 'e' }, now: FIXED_NOW });
    expect(packet.ok && packet.row.Status).toBe('planned');
    const decision = planAppend(model, readOnly, { kind: 'decision', fields: { Decision: 'd', Rationale: 'r', Owner: 'o' }, now: FIXED_NOW });
    expect(decision.ok && decision.row.Status).toBe('proposed');
    const given = planAppend(model, readOnly, { kind: 'packet', fields: { Goal: 'g', Verification: 'v', 'Expected Evidence': 'e', Status: 'blocked' }, now: FIXED_NOW });
    expect(given.ok && given.row.Status).toBe('blocked');
  });

  it('has an example for every column of every table, which the column reads', () => {
    for (const schema of PHASE_A.tables) {
      for (const column of schema.columns) {
        const help = columnHelp(schema, column);
        expect(help.example, `${schema.kind}.${column.name}`).not.toBe('');
        if (column.type.kind === 'enum') expect(column.type.values).toContain(help.example);
      }
    }
    const trigger = tableFor(PHASE_A, 'trigger');
    expect(trigger.columns.map((c) => columnHelp(trigger, c).example).slice(1, 4)).toEqual(['fallback rate', '> 10%', '20 missions']);
  });
});
