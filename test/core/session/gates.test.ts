import { describe, expect, it } from 'vitest';
import { passedGates } from '../../../src/core/session/gates';
import { exampleFiles, SessionVault, templateFiles, WINDOW } from './session-vault';

const gatesOf = (vault: SessionVault) => vault.review().status.gates;

describe('gates G1–G5', () => {
  it('lists the five gates per packet, or once for a session without packets', () => {
    const one = new SessionVault(exampleFiles());
    one.start();
    expect(gatesOf(one).map((g) => [g.packet, g.gate])).toEqual([[null, 'G1'], [null, 'G2'], [null, 'G3'], [null, 'G4'], [null, 'G5']]);
    const two = new SessionVault(exampleFiles());
    two.start('Two packets', ['P-4', 'P-5']);
    expect(gatesOf(two)).toHaveLength(10);
  });

  it('proves G5 from written rollback triggers with no breach, G3 from a new window, G4 from the required updates', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start('Canary', ['P-4']);
    const before = gatesOf(vault);
    expect(before.find((g) => g.gate === 'G5')).toEqual({ packet: 'P-4', gate: 'G5', done: true, proof: '4 rollback triggers written; guardrails ok (promote)' });
    expect(before.filter((g) => g.done).map((g) => g.gate)).toEqual(['G5']);
    vault.add('evidence', WINDOW);
    expect(gatesOf(vault).find((g) => g.gate === 'G3')?.proof).toBe('observability signal captured: W-11 added');
    expect(gatesOf(vault).find((g) => g.gate === 'G4')?.done).toBe(false);
    vault.add('status', { Change: 'Canary', Summary: 'W-11', Gates: 'G3' });
    expect(gatesOf(vault).find((g) => g.gate === 'G4')).toMatchObject({ done: true, proof: 'docs synchronized: `04` evidence log + `00` status log' });
  });

  it('does not prove G5 while a trigger is in breach, nor without triggers', () => {
    const breach = new SessionVault(exampleFiles());
    breach.start();
    breach.add('evidence', { ...WINDOW, Missions: '50', Fallbacks: '20', Decision: 'rollback' });
    expect(gatesOf(breach).find((g) => g.gate === 'G5')).toMatchObject({ done: false, proof: null });
    const empty = new SessionVault(templateFiles(['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log', 'operating-model']));
    empty.start();
    expect(gatesOf(empty).find((g) => g.gate === 'G5')?.done).toBe(false);
  });

  it('keeps hand ticks per packet and says so in the proof; the Gates cell takes what every packet passed', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start('Two', ['P-4', 'P-5']);
    expect(vault.tick({ kind: 'gate', gate: 'g1', undo: false })).toMatchObject({ ok: true, message: 'Ticked G1 of P-4, P-5' });
    expect(vault.tick({ kind: 'gate', gate: 'G2', packet: 'p-4', undo: false })).toMatchObject({ ok: true, message: 'Ticked G2 of P-4' });
    expect(vault.tick({ kind: 'gate', gate: 'G2', packet: 'P-9', undo: false })).toMatchObject({ ok: false, message: expect.stringMatching(/not a packet of this session/) as unknown });
    expect(vault.tick({ kind: 'gate', gate: 'G7', undo: false })).toMatchObject({ ok: false, message: expect.stringMatching(/not a gate; expected one of G1, G2, G3, G4, G5/) as unknown });
    const gates = gatesOf(vault);
    expect(gates.find((g) => g.packet === 'P-5' && g.gate === 'G1')).toEqual({ packet: 'P-5', gate: 'G1', done: true, proof: 'ticked by hand' });
    expect(gates.filter((g) => g.gate === 'G2').map((g) => g.done)).toEqual([true, false]);
    expect(passedGates(gates)).toEqual(['G1', 'G5']);
    expect(vault.ref().session.gates).toEqual(['P-4 G1', 'P-5 G1', 'P-4 G2']);
  });
});
