// Issue 11, the verification ladder in the core: G1/G2 and the two ladder items proven from the rungs
// (a failure resets the ladder), the rung recorded in the session note's frontmatter and body, old
// notes and Obsidian's block style read, the output's tail kept as text.
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edit/text-edit';
import { parseNote } from '../../../src/core/markdown/parse-note';
import { ladderGateProof, ladderItemProof } from '../../../src/core/session/ladder';
import { matchLadderItem } from '../../../src/core/session/provers';
import { readSessionNote, type Rung } from '../../../src/core/session/session-note';
import { outputTail, planVerify, type RunOutcome, type VerifyRequest } from '../../../src/core/session/verify-session';
import { findPacket, verificationCommand } from '../../../src/core/session/work-packets';
import { PHASE_A } from '../../../src/core/schema/preset';
import { FIXED_NOW } from '../../helpers/memory-vault';
import { exampleFiles, PLAN, SessionVault } from './session-vault';
import { parseYaml } from '../../../src/cli/parse-yaml';

const at = (minute: number): Date => new Date(2026, 10, 24, 14, minute);

/** A session on the example vault with the packets given. */
function session(packets: string[] = ['P-4']): SessionVault {
  const vault = new SessionVault(exampleFiles());
  vault.start('Canary', packets);
  return vault;
}

/** Records a rung as `canon session verify` does, and returns the note after. */
function verify(vault: SessionVault, request: Omit<VerifyRequest, 'now'> & { now?: Date }): string {
  const ref = vault.ref();
  const plan = planVerify(ref, { now: FIXED_NOW, ...request }, parseYaml);
  if (!plan.ok) throw new Error(plan.message);
  vault.files[ref.path] = applyEdits(ref.text, plan.edits);
  return vault.files[ref.path] ?? '';
}

const gate = (vault: SessionVault, packet: string, g: string) => vault.review().status.gates.find((s) => s.packet === packet && s.gate === g);
const item = (vault: SessionVault, n: number) => vault.review().status.items.find((i) => i.n === n);

const rung = (packet: string, kind: Rung['rung'], result: Rung['result'], minute: number): Rung => ({ packet, rung: kind, result, at: `2026-11-24T14:${String(minute).padStart(2, '0')}:00` });

describe('gates from the ladder', () => {
  it('G1: a unit or integration rung passed after the last failure; G2: an integration rung did', () => {
    expect(ladderGateProof([], 'P-4', 'G1')).toBeNull();
    expect(ladderGateProof([rung('P-4', 'unit', 'pass', 1)], 'P-4', 'G1')).toBe('verification ladder: unit passed 2026-11-24 14:01');
    expect(ladderGateProof([rung('P-4', 'unit', 'pass', 1)], 'P-4', 'G2')).toBeNull();
    expect(ladderGateProof([rung('P-4', 'snapshot', 'pass', 1)], 'P-4', 'G1')).toBeNull();
    expect(ladderGateProof([rung('P-4', 'integration', 'pass', 1)], 'P-4', 'G2')).toBe('verification ladder: integration passed 2026-11-24 14:01');
    // A failure, of any rung, resets the ladder: the passes before it no longer count.
    const failedLast = [rung('P-4', 'unit', 'pass', 1), rung('P-4', 'integration', 'pass', 2), rung('P-4', 'snapshot', 'fail', 3)];
    expect(ladderGateProof(failedLast, 'P-4', 'G1')).toBeNull();
    expect(ladderGateProof(failedLast, 'P-4', 'G2')).toBeNull();
    const again = [...failedLast, rung('P-4', 'unit', 'pass', 4)];
    expect(ladderGateProof(again, 'P-4', 'G1')).toBe('verification ladder: unit passed 2026-11-24 14:04, after the last failure');
    expect(ladderGateProof(again, 'P-4', 'G2')).toBeNull();
    // Another packet's rungs say nothing about this one; ids compare in any case.
    expect(ladderGateProof([rung('P-5', 'unit', 'pass', 1)], 'P-4', 'G1')).toBeNull();
    expect(ladderGateProof([rung('p-4', 'unit', 'pass', 1)], 'P-4', 'G1')).not.toBeNull();
    expect(ladderGateProof([rung('P-4', 'integration', 'pass', 1)], 'P-4', 'G3')).toBeNull();
  });

  it('proves G1 and G2 per packet in the session review; a hand tick still counts, and a ladder proof comes first', () => {
    const vault = session(['P-4', 'P-5']);
    expect(gate(vault, 'P-4', 'G1')).toMatchObject({ done: false, proof: null });
    verify(vault, { packet: 'P-4', rung: 'unit', result: 'fail', now: at(10) });
    expect(gate(vault, 'P-4', 'G1')).toMatchObject({ done: false, proof: null });
    verify(vault, { packet: 'P-4', rung: 'unit', result: 'pass', command: 'npm test -- handoff', now: at(12) });
    expect(gate(vault, 'P-4', 'G1')).toEqual({ packet: 'P-4', gate: 'G1', done: true, proof: 'verification ladder: unit passed 2026-11-24 14:12 (npm test -- handoff), after the last failure' });
    expect(gate(vault, 'P-5', 'G1')).toMatchObject({ done: false });
    expect(gate(vault, 'P-4', 'G2')).toMatchObject({ done: false });
    verify(vault, { packet: 'P-4', rung: 'integration', result: 'pass', now: at(14) });
    expect(gate(vault, 'P-4', 'G2')).toMatchObject({ done: true, proof: 'verification ladder: integration passed 2026-11-24 14:14, after the last failure' });
    // G2 by hand with a reason, the seed's justified exception, for the packet without an integration rung.
    expect(vault.tick({ kind: 'gate', gate: 'G2', packet: 'P-5', undo: false, reason: 'no integration suite' }).ok).toBe(true);
    expect(gate(vault, 'P-5', 'G2')).toEqual({ packet: 'P-5', gate: 'G2', done: true, proof: 'ticked by hand', reason: 'no integration suite' });
  });
});

describe('checklist items from the ladder', () => {
  it('matches the two ladder items by their words, only when no note proves the item', () => {
    expect(matchLadderItem('Code behavior validated.', PHASE_A)).toBe('validated');
    expect(matchLadderItem('Behaviour validated in staging', PHASE_A)).toBe('validated');
    expect(matchLadderItem('Relevant tests/probes run.', PHASE_A)).toBe('run');
    expect(matchLadderItem('Probe run against staging', PHASE_A)).toBe('run');
    expect(matchLadderItem('Commits are scoped and understandable.', PHASE_A)).toBeNull();
    expect(matchLadderItem('`04` updated with new window(s) and decision notes.', PHASE_A)).toBeNull();
    expect(matchLadderItem('Playbook queries tested', PHASE_A)).toBeNull();
  });

  it('"Code behavior validated": a passing rung after the last failure for every packet; "tests/probes run": any rung', () => {
    const packets = ['P-4', 'P-5'];
    expect(ladderItemProof('run', { packets, rungs: [] })).toBeNull();
    expect(ladderItemProof('run', { packets, rungs: [rung('P-4', 'unit', 'fail', 1)] })).toBe('verification ladder: 1 rung recorded (P-4 unit fail)');
    expect(ladderItemProof('validated', { packets, rungs: [rung('P-4', 'unit', 'pass', 1)] })).toBeNull();
    expect(ladderItemProof('validated', { packets, rungs: [rung('P-4', 'unit', 'pass', 1), rung('P-5', 'snapshot', 'pass', 2)] }))
      .toBe('verification ladder: a passing rung for P-4 unit 2026-11-24 14:01, P-5 snapshot 2026-11-24 14:02');
    expect(ladderItemProof('validated', { packets, rungs: [rung('P-4', 'unit', 'pass', 1), rung('P-5', 'unit', 'pass', 2), rung('P-4', 'unit', 'fail', 3)] })).toBeNull();
    expect(ladderItemProof('validated', { packets: [], rungs: [rung('P-4', 'unit', 'pass', 1)] })).toBeNull();
  });

  it('ticks items 1 and 2 of the example checklist from the rungs, with the proof', () => {
    const vault = session(['P-4', 'P-5']);
    expect([item(vault, 1)?.done, item(vault, 2)?.done]).toEqual([false, false]);
    verify(vault, { packet: 'P-4', rung: 'unit', result: 'fail', now: at(10) });
    expect(item(vault, 2)).toEqual({ n: 2, text: 'Relevant tests/probes run.', done: true, by: 'vault', proof: 'verification ladder: 1 rung recorded (P-4 unit fail)' });
    expect(item(vault, 1)).toMatchObject({ done: false, by: null });
    verify(vault, { packet: 'P-4', rung: 'unit', result: 'pass', now: at(11) });
    verify(vault, { packet: 'P-5', rung: 'integration', result: 'pass', now: at(12) });
    expect(item(vault, 1)).toEqual({
      n: 1, text: 'Code behavior validated.', done: true, by: 'vault', proof: 'verification ladder: a passing rung for P-4 unit 2026-11-24 14:11, P-5 integration 2026-11-24 14:12',
    });
  });
});

describe('recording a rung', () => {
  const RUN: RunOutcome = { command: 'npm run probe:events', cwd: '/work/app', exit: 1, ms: 1234, timedOut: false, tail: ['FAIL events.test.ts', '```', 'expected 3 events'] };

  it('adds one frontmatter line (the key before the baseline the first time) and an entry under "Verification ladder"', () => {
    const vault = session();
    const before = vault.ref().text;
    const note = verify(vault, { packet: 'p-4', rung: 'Unit', run: RUN, note: 'first try', now: new Date(2026, 10, 24, 14, 7, 9) });
    expect(note).toContain('\ngates: []\nladder:\n  - {"packet":"P-4","rung":"unit","result":"fail","at":"2026-11-24T14:07:09","by":"run","command":"npm run probe:events","exit":1,"ms":1234,"note":"first try"}\nbaseline:\n');
    const body = note.slice(note.indexOf('\n---\n') + 5);
    expect(body.startsWith(before.slice(before.indexOf('\n---\n') + 5))).toBe(true);
    expect(body).toContain([
      '## Verification ladder',
      '',
      '- 2026-11-24 14:07 · P-4 · unit · **fail** · ran `npm run probe:events` in `/work/app`: exit 1 after 1.2 s · first try',
      '',
      '  Output (3 lines):',
      '',
      '  ````text',
      '  FAIL events.test.ts',
      '  ```',
      '  expected 3 events',
      '  ````',
      '',
    ].join('\n'));
    // The second rung: one more frontmatter line, the entry at the end of the section (before a later heading).
    vault.files[vault.ref().path] = `${note}\n## My notes\n\nkept\n`;
    const after = verify(vault, { packet: 'P-4', rung: 'unit', result: 'pass', command: 'npm run probe:events', now: at(9) });
    const read = readSessionNote(after, parseYaml);
    expect(read.ok && read.session.ladder.map((r) => [r.rung, r.result, r.by])).toEqual([['unit', 'fail', 'run'], ['unit', 'pass', 'hand']]);
    expect(after).toMatch(/ {2}````\n\n- 2026-11-24 14:09 · P-4 · unit · \*\*pass\*\* · result given by hand for `npm run probe:events`\n\n## My notes\n\nkept\n$/);
    expect(parseNote(after).headings.map((h) => h.text)).toEqual(['Canary', 'Verification ladder', 'My notes']);
  });

  it('refuses a packet that is not the session\'s, an unknown rung, a closed session', () => {
    const vault = session();
    const ref = vault.ref();
    expect(planVerify(ref, { packet: 'P-5', rung: 'unit', result: 'pass', now: FIXED_NOW }, parseYaml)).toEqual({ ok: false, message: "P-5 is not a packet of this session; the session's packets are P-4 (add it with `canon session attach P-5`)" });
    expect(planVerify(ref, { packet: 'P-4', rung: 'e2e', result: 'pass', now: FIXED_NOW }, parseYaml)).toMatchObject({ ok: false, message: expect.stringMatching(/^`e2e` is not a rung of the verification ladder; expected one of unit, integration, snapshot$/) as unknown });
    const closed = { ...ref, text: ref.text.replace('status: open', 'status: closed') };
    expect(planVerify(closed, { packet: 'P-4', rung: 'unit', result: 'pass', now: FIXED_NOW }, parseYaml)).toMatchObject({ ok: false, message: `${ref.path} is closed` });
  });

  it('reads a ladder Obsidian rewrote in block style and appends in that style; rewrites a flow list; keeps CRLF', () => {
    const vault = session();
    const ref = vault.ref();
    const block = ref.text.replace('gates: []\n', 'gates: []\nladder:\n- packet: P-4\n  rung: unit\n  result: fail\n  at: 2026-11-24T14:01:00\n  exit: 1\n');
    vault.files[ref.path] = block;
    expect(readSessionNote(block, parseYaml)).toMatchObject({ ok: true, session: { ladder: [{ packet: 'P-4', rung: 'unit', result: 'fail', at: '2026-11-24T14:01:00', exit: 1 }] } });
    const next = verify(vault, { packet: 'P-4', rung: 'unit', result: 'pass', now: at(2) });
    expect(next).toContain('  exit: 1\n- {"packet":"P-4","rung":"unit","result":"pass","at":"2026-11-24T14:02:00","by":"hand"}\nbaseline:');
    expect(gate(vault, 'P-4', 'G1')?.done).toBe(true);

    vault.files[ref.path] = ref.text.replace('gates: []\n', 'gates: []\nladder: [{packet: P-4, rung: unit, result: fail, at: "2026-11-24T14:01:00"}]\n');
    const flow = verify(vault, { packet: 'P-4', rung: 'integration', result: 'pass', now: at(3) });
    expect(flow).toContain('\nladder:\n  - {"packet":"P-4","rung":"unit","result":"fail","at":"2026-11-24T14:01:00"}\n  - {"packet":"P-4","rung":"integration","result":"pass","at":"2026-11-24T14:03:00","by":"hand"}\nbaseline:');

    vault.files[ref.path] = ref.text.replace(/\n/g, '\r\n');
    const crlf = verify(vault, { packet: 'P-4', rung: 'unit', result: 'pass', now: at(4) });
    expect(crlf.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(readSessionNote(crlf, parseYaml)).toMatchObject({ ok: true, session: { ladder: [{ result: 'pass' }] } });
    expect(crlf).toContain('\r\n## Verification ladder\r\n\r\n- 2026-11-24 14:04 · P-4 · unit · **pass** · result given by hand\r\n');
  });

  it('reads a note written before the ladder, scope and reasons existed', () => {
    const old = '---\ncanon: session\nstarted: 2026-11-24T14:05\nobjective: Old\npackets: [P-4]\nstatus: open\nticks: []\nchanges: []\ngates: []\nbaseline: {}\n---\n';
    expect(readSessionNote(old, parseYaml)).toMatchObject({ ok: true, session: { ladder: [], inScope: [], outOfScope: [], reasons: {} } });
    const bad = old.replace('gates: []\n', 'gates: []\nladder:\n  - {"packet":"P-4","rung":"unit","result":"maybe","at":"x"}\n');
    expect(readSessionNote(bad, parseYaml)).toMatchObject({ ok: false, problem: expect.stringMatching(/^frontmatter ladder\.0\.result: /) as unknown });
  });
});

describe('output tail and the Verification cell', () => {
  it('keeps the last 20 lines as text: escape sequences and other controls dropped, a \\r rewrite kept as its last state', () => {
    const output = [...Array.from({ length: 30 }, (_, i) => `line ${i + 1}`), '\u001b[31mred\u001b[0m \u001b]0;title\u0007done', 'progress 10%\rprogress 100%', 'bell\u0007 ok', '', ''].join('\r\n');
    const tail = outputTail(output);
    expect(tail).toHaveLength(20);
    expect(tail.slice(-3)).toEqual(['red done', 'progress 100%', 'bell ok']);
    expect(tail[0]).toBe('line 14');
    expect(outputTail('')).toEqual([]);
    expect(outputTail(`${'x'.repeat(1000)}\n`)[0]).toHaveLength(401);
    const start = performance.now();
    outputTail(`a${' '.repeat(200_000)}b\n${'\u001b['.repeat(50_000)}${'1'.repeat(100_000)}\n`);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it('takes the command from the Verification cell: its one code span, else its plain text', () => {
    const model = new SessionVault(exampleFiles()).load().model;
    const cmd = (id: string) => {
      const row = findPacket(model, id);
      return row ? verificationCommand(row) : undefined;
    };
    expect(cmd('P-2')).toBe('npm run probe:events');
    expect(cmd('P-6')).toBe('npm test');
    const files = exampleFiles();
    files[PLAN] = (files[PLAN] ?? '').replace('| `npm run probe:events` |', '| ``a `b` \\| c`` |').replace('| `npm run probe:warmup` |', '| run the probe by hand |');
    const other = new SessionVault(files).load().model;
    const row = (id: string) => findPacket(other, id);
    expect(verificationCommand(row('P-2')!)).toBe('a `b` | c');
    expect(verificationCommand(row('P-3')!)).toBe('run the probe by hand');
  });
});
