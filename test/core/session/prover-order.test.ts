// Which prover a checklist item goes to when its words point at several: a note's prefix (`04`)
// before a role's name ("control center") before a table's words ("evidence"); within a tier the
// evidence log, then the control center, the playbook and the plan; the ladder's items only when no
// note's prover matches, "validated" before "run". Each item is proven from one session's changes,
// so the prover chosen shows in the proof the user reads.
import { describe, expect, it } from 'vitest';
import { PHASE_A } from '../../../src/core/schema/preset';
import type { StackChanges } from '../../../src/core/session/changes-since';
import type { LadderView } from '../../../src/core/session/ladder';
import { matchLadderItem, proveItem } from '../../../src/core/session/provers';
import { exampleFiles, SessionVault, WINDOW } from './session-vault';

/** One session's changes: a window, a Status Log row, a query and a packet added. */
function sessionChanges(): StackChanges {
  const vault = new SessionVault(exampleFiles());
  vault.start();
  vault.add('evidence', WINDOW);
  vault.add('status', { Change: 'Handoff', Summary: 'Done.', Gates: 'G1' });
  vault.add('query', { Name: 'Handoff timeouts', Query: '`events`', Interpretation: 'Any row.', Recovery: 'Roll back.' });
  vault.add('packet', { Goal: 'Retire fallback', Verification: 'npm test', 'Expected Evidence': 'W rows', Status: 'planned' });
  return vault.review().changes;
}

const changes = sessionChanges();
const EVIDENCE_PROOF = { role: 'evidence-log', proof: 'evidence log updated: W-11 added' };
const CONTROL_PROOF = { role: 'control-center', proof: 'control center updated: Status Log row 2026-11-24 14:05 added' };
const PLAYBOOK_PROOF = { role: 'observability-playbook', proof: 'observability playbook updated: query Handoff timeouts added' };
const PLAN_PROOF = { role: 'implementation-plan', proof: 'implementation plan updated: P-7 added' };

describe('checklist provers: the first tier with a hit decides', () => {
  it.each([
    // a prefix beats a name and words of another role
    ['`04` updated, as the control center asks', EVIDENCE_PROOF],
    ['`00` updated with the new evidence', CONTROL_PROOF],
    ['`03` lists a query for each new rollout window', PLAYBOOK_PROOF],
    ['`02` packets named in the evidence log', PLAN_PROOF],
    // a name beats the words of another role
    ['Control center lists the new rollout windows', CONTROL_PROOF],
    ['Evidence log names the decision log entry', EVIDENCE_PROOF],
    ['Implementation plan links the new queries', PLAN_PROOF],
    ['Playbook covers every work packet', PLAYBOOK_PROOF],
  ])('%j goes to %o', (text, expected) => {
    expect(proveItem(text, changes, PHASE_A)).toEqual(expected);
  });
});

describe('checklist provers: within a tier, the evidence log, control center, playbook, plan', () => {
  it.each([
    ['`00` and `04` updated', EVIDENCE_PROOF],
    ['`02` and `03` updated', PLAYBOOK_PROOF],
    ['Implementation plan and control center updated', CONTROL_PROOF],
    ['Work packets and queries written down', PLAYBOOK_PROOF],
    ['Lessons and rollout windows recorded', EVIDENCE_PROOF],
  ])('%j goes to %o', (text, expected) => {
    expect(proveItem(text, changes, PHASE_A)).toEqual(expected);
  });
});

describe('checklist provers before the ladder', () => {
  const ladder: LadderView = {
    packets: ['P-4'],
    rungs: [{ packet: 'P-4', rung: 'unit', result: 'pass', at: '2026-11-24T14:07:00' }],
  };

  it.each([
    ['Evidence of the tests captured', 'evidence-log'],
    ['Probes written into the playbook', 'observability-playbook'],
    ['`02` behaviour validated', 'implementation-plan'],
  ])('%j goes to the %s, not the ladder', (text, role) => {
    expect(matchLadderItem(text, PHASE_A)).toBeNull();
    expect(proveItem(text, changes, PHASE_A, ladder).role).toBe(role);
  });

  it('matches "validated" before "run", and proves each from the ladder', () => {
    expect(matchLadderItem('Behaviour validated by the tests', PHASE_A)).toBe('validated');
    expect(proveItem('Behaviour validated by the tests', changes, PHASE_A, ladder)).toEqual({ role: null, proof: 'verification ladder: a passing rung for P-4 unit 2026-11-24 14:07' });
    expect(proveItem('Tests run', changes, PHASE_A, ladder)).toEqual({ role: null, proof: 'verification ladder: 1 rung recorded (P-4 unit pass)' });
  });
});
