// Issue 11 in the core: the scope lock and the packet checks of a start, attach (baseline unchanged),
// the list of sessions, and `close --done` (one Status cell per packet; refused with gates open unless forced).
import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edit/text-edit';
import { planAttach } from '../../../src/core/session/attach-packets';
import { findSessions } from '../../../src/core/session/find-sessions';
import { lastClosed, listSessions } from '../../../src/core/session/list-sessions';
import { readSessionNote } from '../../../src/core/session/session-note';
import { planStart } from '../../../src/core/session/start-session';
import { FIXED_NOW, memoryVault } from '../../helpers/memory-vault';
import { CLOSE_AT, exampleFiles, PLAN, SessionVault, templateFiles } from './session-vault';
import { parseYaml } from '../../../src/cli/parse-yaml';

const P4_ROW = /^\| P-4 \|.*\| (\S+) \|$/m;

describe('session start: scope and packets', () => {
  it('keeps the scope lock in the frontmatter and in the status (only when given)', () => {
    const vault = new SessionVault(exampleFiles());
    const model = vault.load().model;
    const plan = planStart(model, { objective: 'Handoff', packets: ['P-4'], inScope: ['handoff  timeout', '', 'handoff timeout', 'retries'], outOfScope: ['cache warm-up'], now: FIXED_NOW }, [], () => false);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan.text).toContain('\npackets: ["P-4"]\ninScope: ["handoff timeout", "retries"]\noutOfScope: ["cache warm-up"]\nstatus: open\n');
    expect(plan.warnings).toEqual([]);
    vault.files[plan.path] = plan.text;
    expect(vault.review().status.session).toEqual({ path: plan.path, objective: 'Handoff', started: '2026-11-24T14:05', packets: ['P-4'], inScope: ['handoff timeout', 'retries'], outOfScope: ['cache warm-up'] });
    const none = planStart(model, { objective: 'Plain', packets: [], now: FIXED_NOW }, [], () => false);
    expect(none.ok && none.text).not.toMatch(/Scope/);
  });

  it('refuses a packet that is not in Work Packets, naming each and what to do', () => {
    const model = new SessionVault(exampleFiles()).load().model;
    expect(planStart(model, { objective: 'x', packets: ['P-4', 'P-9', 'P-12'], now: FIXED_NOW }, [], () => false)).toEqual({
      ok: false, reason: 'unknown',
      message: 'P-9, P-12 are not in the Work Packets table of 02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md; add them first (`canon add packet --set Goal=… --set Verification=… --set "Expected Evidence=…"`) and start again, or start without them and attach them once added (`canon session attach P-9 P-12`)',
    });
    const empty = new SessionVault(templateFiles(['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log'])).load().model;
    expect(planStart(empty, { objective: 'x', packets: ['P-1'], now: FIXED_NOW }, [], () => false)).toMatchObject({ ok: false, reason: 'unknown', message: expect.stringMatching(/^P-1 is not in /) as unknown });
  });

  it('warns above 6 packets (the operating model plans 2–6), and starts all the same', () => {
    const files = exampleFiles();
    files[PLAN] = (files[PLAN] ?? '').replace(/(\| P-6 \|.*\n)/, '$1| P-7 | Seventh. | `a.ts` | `npm test` | Green. | planned |\n');
    const model = new SessionVault(files).load().model;
    const six = planStart(model, { objective: 'x', packets: ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6'], now: FIXED_NOW }, [], () => false);
    expect(six.ok && six.warnings).toEqual([]);
    const seven = planStart(model, { objective: 'x', packets: ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'P-7'], now: FIXED_NOW }, [], () => false);
    expect(seven.ok && seven.warnings).toEqual(['7 packets in one session; the operating model plans 2–6 small packets a session (§4 step 2, "Plan in work packets"): consider splitting it']);
  });
});

describe('session attach', () => {
  it('adds packets to the session, the baseline untouched; refuses one not in Work Packets', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start('Canary', ['P-4']);
    const ref = vault.ref();
    const plan = planAttach(vault.load().model, ref, ['p-5', 'P-4,P-6']);
    if (!plan.ok) throw new Error(plan.message);
    expect(plan).toMatchObject({ added: ['P-5', 'P-6'], already: ['P-4'], packets: ['P-4', 'P-5', 'P-6'], warnings: [] });
    const after = applyEdits(ref.text, plan.edits);
    expect(after).toBe(ref.text.replace('packets: ["P-4"]', 'packets: ["P-4", "P-5", "P-6"]'));
    vault.files[ref.path] = after;
    expect(vault.review().status.gates.map((g) => g.packet)).toEqual(['P-4', 'P-5', 'P-6'].flatMap((p) => [p, p, p, p, p]));
    expect(planAttach(vault.load().model, vault.ref(), ['P-5'])).toMatchObject({ ok: true, edits: [], added: [], already: ['P-5'] });
    expect(planAttach(vault.load().model, vault.ref(), ['P-9'])).toEqual({
      ok: false,
      message: 'P-9 is not in the Work Packets table of 02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md; add it first (`canon add packet --set Goal=… --set Verification=… --set "Expected Evidence=…"`), then attach it (`canon session attach P-9`)',
    });
    expect(planAttach(vault.load().model, vault.ref(), ['four'])).toEqual({ ok: false, message: '`four` is not a packet id; expected P-<n> as in Work Packets' });
  });
});

describe('session list', () => {
  it('lists open and closed sessions newest first; the last closed by its close time', () => {
    const vault = new SessionVault(exampleFiles());
    const first = vault.start('First', ['P-4'], new Date(2026, 10, 20, 9, 0));
    vault.files[first] = (vault.files[first] ?? '').replace('status: open', 'status: closed\nclosed: 2026-11-20T10:00');
    const second = vault.start('Second', [], new Date(2026, 10, 22, 9, 0));
    vault.files[second] = (vault.files[second] ?? '').replace('status: open', 'status: closed\nclosed: 2026-11-22T09:30');
    const open = vault.start('Third', ['P-5'], FIXED_NOW);
    vault.files['sessions/broken.md'] = '---\ncanon: session\nstatus: paused\n---\n';
    const list = listSessions(memoryVault(vault.files));
    expect(list.sessions).toEqual([
      { path: open, objective: 'Third', started: '2026-11-24T14:05', closed: null, status: 'open', packets: ['P-5'] },
      { path: second, objective: 'Second', started: '2026-11-22T09:00', closed: '2026-11-22T09:30', status: 'closed', packets: [] },
      { path: first, objective: 'First', started: '2026-11-20T09:00', closed: '2026-11-20T10:00', status: 'closed', packets: ['P-4'] },
    ]);
    expect(list.problems.map((p) => p.path)).toEqual(['sessions/broken.md']);
    expect(lastClosed(list)?.path).toBe(second);
  });
});

describe('session close --done', () => {
  function started(): SessionVault {
    const vault = new SessionVault(exampleFiles());
    vault.start('Canary', ['P-4', 'P-5']);
    return vault;
  }

  it('refuses while a --done packet has a gate open (naming it), and a packet that is not the session\'s', () => {
    const vault = started();
    const before = { ...vault.files };
    const refused = vault.close({ done: ['P-4'] });
    expect(refused.ok).toBe(false);
    if (refused.ok || refused.reason !== 'blocked') throw new Error('expected a refusal for the reasons left');
    expect(refused.reasons.filter((r) => r.kind === 'done').map((r) => r.text)).toEqual(['packet to set done with gates not passed: P-4 (G1, G2, G3, G4 not passed)']);
    expect(vault.close({ done: ['P-6'], force: true })).toEqual({ ok: false, reason: 'done', message: '--done P-6: not a packet of this session (its packets: P-4, P-5); only a session packet, whose gates the session judged, is set done' });
    expect(vault.files).toEqual(before);
  });

  it('forced: sets the Status cell to done (one splice), says so in the summary and the overrides', () => {
    const vault = started();
    const plan0 = vault.files[PLAN] ?? '';
    const path = vault.ref().path;
    const plan = vault.close({ done: ['p-4'], force: true, now: CLOSE_AT });
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    expect(plan.done).toEqual([{ packet: 'P-4', was: 'in-progress', path: PLAN, line: 45 }]);
    const after = vault.files[PLAN] ?? '';
    expect(P4_ROW.exec(after)?.[1]).toBe('done');
    expect(after).toBe(plan0.replace(/(\| P-4 \|.*\| )in-progress( \|)/, '$1done$2'));
    const note = vault.files[path] ?? '';
    expect(note).toContain('\n- P-4 set to done in [[02_Phase_A_Persistent_CODER_VP_Implementation_Plan]] (line 45, was in-progress)\n');
    expect(note).toContain('\n- packet to set done with gates not passed: P-4 (G1, G2, G3, G4 not passed)');
    expect(plan.row.Summary).toMatch(/set done with gates not passed: P-4\.$/);
    expect(readSessionNote(note, parseYaml)).toMatchObject({ ok: true, session: { status: 'closed' } });
    expect(findSessions(memoryVault(vault.files)).open).toEqual([]);
  });

  it('writes nothing to the plan when the packet is done already, and the Verification section lists each packet\'s ladder', () => {
    const files = exampleFiles();
    files[PLAN] = (files[PLAN] ?? '').replace(/(\| P-4 \|.*\| )in-progress( \|)/, '$1done$2');
    const vault = new SessionVault(files);
    const path = vault.start('Canary', ['P-4', 'P-5']);
    const plan0 = vault.files[PLAN];
    const plan = vault.close({ done: ['P-4'], force: true, texts: { verification: 'npm test: green' } });
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    expect(plan.writes.map((w) => w.path)).not.toContain(PLAN);
    expect(vault.files[PLAN]).toBe(plan0);
    const note = vault.files[path] ?? '';
    expect(note).toContain('(line 45, already done)');
    expect(note).toMatch(/## Verification\n\nnpm test: green\n\n- ✘ 1\. Code behavior validated\. \(open\)\n[\s\S]*\n- Verification ladder of P-4: no rung recorded\n- Verification ladder of P-5: no rung recorded\n\n## Evidence captured/);
  });
});
