import { describe, expect, it } from 'vitest';
import { PHASE_A } from '../../../src/core/schema/preset';
import { proveItem } from '../../../src/core/session/provers';
import type { StackChanges } from '../../../src/core/session/changes-since';
import { CONTROL, EVIDENCE, exampleFiles, PLAN, PLAYBOOK, SessionVault, WINDOW } from './session-vault';

const NO_CHANGES: StackChanges = { added: new Map(), checklist: null };

function proofOf(vault: SessionVault, n: number): { done: boolean; by: string | null; proof: string | null } | undefined {
  return vault.review().status.items.find((i) => i.n === n);
}

describe('checklist provers', () => {
  it.each([
    ['Code behavior validated.', null],
    ['Relevant tests/probes run.', null],
    ['Rollout evidence captured (if applicable).', 'evidence-log'],
    ['`04` updated with new window(s) and decision notes.', 'evidence-log'],
    ['`00` updated (status/decision/lessons as needed).', 'control-center'],
    ['Commits are scoped and understandable.', null],
    ['Open risks and next actions are explicit.', null],
    ['[[04_Phase_A_Controlled_Rollout_Evidence_Log]] has the new windows', 'evidence-log'],
    ['Decision log updated if governance changed', 'control-center'],
    ['Control centre reflects the session', 'control-center'],
    ['Playbook has a query for every new signal', 'observability-playbook'],
    ['New queries written down', 'observability-playbook'],
    ['Work packets updated', 'implementation-plan'],
    ['Nothing promoted on 2026-11-04 without review', null],
  ])('matches %j to %s', (text, role) => {
    expect(proveItem(text, NO_CHANGES, PHASE_A)).toEqual({ role, proof: null });
  });

  it('proves the evidence items with the new window ids', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    expect(proofOf(vault, 3)).toEqual({ n: 3, text: 'Rollout evidence captured (if applicable).', done: false, by: null, proof: null });
    vault.add('evidence', WINDOW);
    expect(proofOf(vault, 3)).toMatchObject({ done: true, by: 'vault', proof: 'evidence log updated: W-11 added' });
    vault.add('evidence', { ...WINDOW, Start: '2026-11-17 09:00', End: '2026-11-17 17:00' });
    expect(proofOf(vault, 4)?.proof).toBe('evidence log updated: W-11, W-12 added');
  });

  it('proves the control center item by a Status Log, Decision Log or Lessons Learned row, naming table and id or date', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    expect(proofOf(vault, 5)?.done).toBe(false);
    vault.add('status', { Change: 'Handoff', Summary: 'Done.', Gates: 'G1' });
    expect(proofOf(vault, 5)?.proof).toBe('control center updated: Status Log row 2026-11-24 14:05 added');
    vault.add('decision', { Decision: 'Keep 25 %', Rationale: 'Stable.', Owner: 'Dragan', Status: 'accepted' });
    vault.add('lesson', { Lesson: 'Small windows mislead.' });
    expect(proofOf(vault, 5)?.proof).toBe('control center updated: Status Log row 2026-11-24 14:05 added; Decision Log D-6 added; Lessons Learned row 2026-11-24 added');
  });

  it('proves the control center item by a tick in its Checklist Status', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.files[CONTROL] = (vault.files[CONTROL] ?? '').replace('- [ ] One week at 25 %', '- [x] One week at 25 %');
    expect(proofOf(vault, 5)?.proof).toBe('control center updated: Checklist Status 5/6 ticked (was 4)');
  });

  it('proves playbook and plan items by their new rows', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.add('query', { Name: 'Handoff timeouts', Query: '`events`', Interpretation: 'Any row.', Recovery: 'Roll back.' });
    vault.add('packet', { Goal: 'Retire fallback', Verification: 'npm test', 'Expected Evidence': 'W rows', Status: 'planned' });
    const changes = vault.review().changes;
    expect(proveItem('Playbook updated', changes, PHASE_A).proof).toBe('observability playbook updated: query Handoff timeouts added');
    expect(proveItem('`02` updated', changes, PHASE_A).proof).toBe('implementation plan updated: P-7 added');
  });

  it('does not count an edited row as added', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.files[EVIDENCE] = (vault.files[EVIDENCE] ?? '').replace('Target traffic reached;', 'Target traffic reached (edited);');
    vault.files[PLAYBOOK] = (vault.files[PLAYBOOK] ?? '').replace('Any row is a continuity regression', 'Any row at all is a continuity regression');
    const review = vault.review();
    expect(review.changes.added.size).toBe(0);
    expect(review.status.items.filter((i) => i.by === 'vault')).toEqual([]);
  });

  it('counts rows past the baseline when the last row at start was edited (tables without ids)', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.files[CONTROL] = (vault.files[CONTROL] ?? '').replace('observing for a week.', 'observing for a week (edited).');
    expect(vault.review().changes.added.get('status')).toBeUndefined();
    vault.add('status', { Change: 'Handoff', Summary: 'Done.', Gates: 'G1' });
    expect(vault.review().changes.added.get('status')?.map((r) => r.label)).toEqual(['2026-11-24 14:05']);
    expect(PLAN).toMatch(/^02_/);
  });
});
