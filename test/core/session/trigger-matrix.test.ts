import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PHASE_A } from '../../../src/core/schema/preset';
import { matchChange } from '../../../src/core/session/match-change';
import { requiredUpdates, updateDone } from '../../../src/core/session/required-updates';
import { readTriggerMatrix } from '../../../src/core/session/trigger-matrix';
import type { StackChanges } from '../../../src/core/session/changes-since';
import { PHASE_A_TRIGGER_MATRIX } from '../../../src/core/stack/templates';
import { load } from '../../helpers/memory-vault';
import { CONTROL, exampleFiles, OPERATING, SessionVault, templateFiles, WINDOW } from './session-vault';

const STATUS = { Change: 'Handoff', Summary: 'Done.', Gates: 'G1' };

function withAdded(kinds: string[], checklist = false): StackChanges {
  const added = new Map(kinds.map((k) => [k, [{ label: 'x' }]])) as unknown as StackChanges['added'];
  return { added, checklist: checklist ? { changed: true, done: 1, items: 1, wasDone: 0 } : null };
}

describe('trigger matrix', () => {
  it("reads the example operating model's If you change… / You must update… table", () => {
    const source = readTriggerMatrix(load(exampleFiles()).model);
    expect(source).toMatchObject({ source: 'note', path: OPERATING });
    expect(source.rows).toEqual(PHASE_A_TRIGGER_MATRIX);
  });

  it('reads a matrix with other headers (Change / Update), as the cells are written', () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/markdown/operating-model.md'), 'utf8');
    const files = { ...templateFiles(['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log']), '05_Model.md': text };
    expect(readTriggerMatrix(load(files).model).rows).toEqual([
      { change: 'New playbook query', update: '`03` must change' },
      { change: 'New rollout window', update: '`04` **and** `00`' },
      { change: 'Decision', update: '`00` Decision Log' },
    ]);
  });

  it("falls back to the preset's matrix without an operating model", () => {
    const files = exampleFiles();
    delete files[OPERATING];
    expect(readTriggerMatrix(load(files).model)).toEqual({ rows: PHASE_A_TRIGGER_MATRIX, source: 'preset', path: null, line: null });
  });

  it.each([
    ['`04` evidence log + `00` status log', ['evidence'], false],
    ['`04` evidence log + `00` status log', ['evidence', 'status'], true],
    ['`00` status log + `00` decision log (if governance changed)', ['status'], true],
    ['`00` decision log + checklist status', ['decision'], false],
    ['`03` observability playbook', ['query'], true],
    ['`04` **and** `00`', ['evidence', 'lesson'], true],
    ['the wiki', ['status'], false],
  ])('%s is done with %j added: %s', (update, kinds, done) => {
    expect(updateDone(update, withAdded(kinds), PHASE_A)).toBe(done);
  });

  it('counts a tick in Checklist Status for "checklist status"', () => {
    expect(updateDone('`00` decision log + checklist status', withAdded(['decision'], true), PHASE_A)).toBe(true);
  });

  it('lists nothing while the operator marked nothing and the vault shows no kind of change', () => {
    expect(requiredUpdates(PHASE_A_TRIGGER_MATRIX, [], withAdded(['status']), PHASE_A)).toEqual([]);
  });

  it('applies "rollout windows" when a window is added: not done until the status log has a row', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.add('evidence', WINDOW);
    expect(vault.review().status.required).toEqual([{ change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log', done: false }]);
    vault.add('status', STATUS);
    expect(vault.review().status.required[0]?.done).toBe(true);
  });

  it('applies the kinds the operator marks, each done or not from the changes since the start', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    for (const change of ['runtime behavior', 'strategic direction', 'new operational query']) {
      expect(vault.tick({ kind: 'change', change, undo: false }).ok).toBe(true);
    }
    const done = () => vault.review().status.required.map((r) => [r.change.split(' ')[0], r.done]);
    expect(done()).toEqual([['Runtime', false], ['New', false], ['Strategic', false]]);
    vault.add('status', STATUS);
    vault.add('decision', { Decision: 'Phase B next', Rationale: 'Evidence.', Owner: 'Dragan', Status: 'accepted' });
    expect(done()).toEqual([['Runtime', true], ['New', false], ['Strategic', false]]);
    vault.files[CONTROL] = (vault.files[CONTROL] ?? '').replace('- [ ] Phase B go/no-go', '- [x] Phase B go/no-go');
    vault.add('query', { Name: 'Handoff', Query: '`q`', Interpretation: 'i', Recovery: 'r' });
    expect(done()).toEqual([['Runtime', true], ['New', true], ['Strategic', true]]);
  });

  it.each([
    ['rollout windows', 'Rollout windows or traffic policy'],
    ['Runtime behaviour', 'Runtime behavior, routing, cancellation, recovery'],
    ['strategic direction', 'Strategic acceptance or phase direction'],
    ['new operational query', 'New operational query/process'],
    ['3', 'New operational query/process'],
  ])('matches %j to a matrix row', (input, change) => {
    expect(matchChange(PHASE_A_TRIGGER_MATRIX, input)).toMatchObject({ ok: true, row: { change } });
  });

  it('names the rows when the words match none or several', () => {
    expect(matchChange(PHASE_A_TRIGGER_MATRIX, 'billing')).toMatchObject({ ok: false, message: expect.stringMatching(/names no kind of change.*1\) Runtime behavior/) as unknown });
    expect(matchChange(PHASE_A_TRIGGER_MATRIX, 'or')).toMatchObject({ ok: false });
    expect(matchChange(PHASE_A_TRIGGER_MATRIX, 'phase')).toMatchObject({ ok: true });
    expect(matchChange([{ change: 'New query', update: 'a' }, { change: 'New window', update: 'b' }], 'new')).toMatchObject({ ok: false, message: expect.stringMatching(/matches 2 kinds/) as unknown });
    expect(matchChange(PHASE_A_TRIGGER_MATRIX, '9')).toMatchObject({ ok: false, message: expect.stringMatching(/no row 9/) as unknown });
  });
});
