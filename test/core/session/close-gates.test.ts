// Issue 10, gates and close: G5 refused while a trigger is in breach, G4 while a required update is
// open; reasons kept with hand ticks; the close refused for every reason left unless forced, a forced
// close writing them down; the recommendation block rewritten by the close.
import { describe, expect, it } from 'vitest';
import { parseNote } from '../../../src/core/markdown/parse-note';
import { BLOCK_END, BLOCK_START } from '../../../src/core/guardrails/recommendation-block';
import type { GuardrailReport } from '../../../src/core/guardrails/types';
import { closeReasons, overridesSummary, renderOverrides, type CloseReason } from '../../../src/core/session/close-reasons';
import { gateBlock } from '../../../src/core/session/gate-blocks';
import { readSessionNote } from '../../../src/core/session/session-note';
import { EVIDENCE, exampleFiles, SessionVault, WINDOW } from './session-vault';
import { parseYaml } from '../../../src/cli/parse-yaml';

/** A window that puts "Fallback rate over rolling 20 missions" in breach (12 of 40: 30% > 10%). */
const BREACH = { ...WINDOW, Missions: '40', Fallbacks: '12', Decision: 'rollback' };
const RUNTIME = 'Runtime behavior, routing, cancellation, recovery';

function report(triggers: { trigger: string; status: 'ok' | 'breach'; message: string }[]): GuardrailReport {
  const breach = triggers.some((t) => t.status === 'breach');
  return {
    status: breach ? 'breach' : 'ok',
    recommendation: breach ? 'rollback' : 'promote',
    reasons: triggers.filter((t) => t.status === 'breach').map((t) => `${t.trigger}: ${t.message}`),
    triggers: triggers.map((t) => ({ ...t, metric: 'fallback rate', observed: 1, threshold: 1, windows: [], line: 1 })),
  };
}

/** A session on the example vault whose start marked "Runtime behavior…" (its update is then open). */
function withChange(packets: string[] = ['P-4']): SessionVault {
  const vault = new SessionVault(exampleFiles());
  vault.start('Canary at 25 %', packets);
  expect(vault.tick({ kind: 'change', change: 'runtime behavior', undo: false }).ok).toBe(true);
  return vault;
}

describe('gate blocks', () => {
  it('G5: names each trigger in breach and what would make it tickable', () => {
    const block = gateBlock('G5', [], report([
      { trigger: 'Fallback rate', status: 'breach', message: 'fallback rate 30% over the last 20 missions; trigger at > 10%: breach' },
      { trigger: 'Latency', status: 'ok', message: 'p95 630 ms: ok' },
      { trigger: 'Failures', status: 'breach', message: 'vp.mission.failed > 0 in 3 of 3 windows: breach' },
    ]));
    expect(block).toEqual({
      gate: 'G5',
      short: '2 rollback triggers in breach',
      message: 'G5 cannot be ticked: 2 rollback triggers are in breach:\n'
        + '  - Fallback rate: fallback rate 30% over the last 20 missions; trigger at > 10%: breach\n'
        + '  - Failures: vp.mission.failed > 0 in 3 of 3 windows: breach\n'
        + 'It can be ticked once no trigger is in breach: newer Rollout Windows rows within each condition (`canon guardrails` shows the readings).',
    });
    expect(gateBlock('G5', [], report([{ trigger: 'Latency', status: 'ok', message: 'ok' }]))).toBeNull();
  });

  it('G4: lists each open required update and what would make it tickable; G1–G3 are never blocked', () => {
    const required = [
      { change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log', done: false },
      { change: 'New operational query/process', update: '`03` observability playbook', done: true },
    ];
    expect(gateBlock('G4', required, report([]))).toEqual({
      gate: 'G4',
      short: '1 required update open',
      message: 'G4 cannot be ticked: 1 required update is open:\n'
        + '  - "Rollout windows or traffic policy" requires `04` evidence log + `00` status log\n'
        + 'It can be ticked once each is done: a row added to each note it names (the vault then proves G4 by itself).',
    });
    expect(gateBlock('G4', [{ ...required[0]!, done: true }], report([]))).toBeNull();
    for (const gate of ['G1', 'G2', 'G3'] as const) expect(gateBlock(gate, required, report([{ trigger: 'x', status: 'breach', message: 'breach' }]))).toBeNull();
  });
});

describe('hand ticks of G4 and G5', () => {
  it('refuses G5 while a trigger is in breach, writing nothing; the undo is allowed', () => {
    const vault = new SessionVault(exampleFiles());
    const path = vault.start('Canary', ['P-4']);
    expect(vault.tick({ kind: 'gate', gate: 'G5', undo: false })).toMatchObject({ ok: true, message: 'Ticked G5 of P-4' });
    vault.add('evidence', BREACH);
    const before = vault.files[path];
    const refused = vault.tick({ kind: 'gate', gate: 'g5', packet: 'P-4', undo: false, reason: 'rolled back already' });
    expect(refused.ok).toBe(false);
    expect(refused.message).toMatch(/^G5 cannot be ticked: 1 rollback trigger is in breach:\n {2}- Fallback rate over rolling 20 missions: .*: breach\nIt can be ticked once no trigger is in breach: /);
    expect(vault.files[path]).toBe(before);
    // The tick made before the breach does not count while it lasts.
    expect(vault.review().status.gates.find((g) => g.gate === 'G5')).toEqual({ packet: 'P-4', gate: 'G5', done: false, proof: null });
    expect(vault.tick({ kind: 'gate', gate: 'G5', undo: true })).toMatchObject({ ok: true, message: 'Unticked G5 of P-4' });
  });

  it('refuses G4 while a required update is open, with the exact message', () => {
    const vault = withChange();
    expect(vault.tick({ kind: 'gate', gate: 'G4', undo: false })).toEqual({
      ok: false,
      message: 'G4 cannot be ticked: 1 required update is open:\n'
        + `  - "${RUNTIME}" requires \`00\` status log + \`00\` decision log (if governance changed)\n`
        + 'It can be ticked once each is done: a row added to each note it names (the vault then proves G4 by itself).',
    });
    vault.add('status', { Change: 'Handoff', Summary: 'Cancellation-safe', Gates: 'G1' });
    expect(vault.review().status.gates.find((g) => g.gate === 'G4')).toMatchObject({ done: true, proof: 'docs synchronized: `00` status log + `00` decision log (if governance changed)' });
  });
});

describe('reasons of hand ticks', () => {
  it('keeps them in a `reasons` map just after `gates:`, replaced by a new reason and removed with the undo', () => {
    const vault = new SessionVault(exampleFiles());
    const path = vault.start('Two', ['P-4', 'P-5']);
    const start = vault.files[path] ?? '';
    expect(vault.tick({ kind: 'item', n: 1, undo: false, reason: '  checked\nin staging ' })).toMatchObject({ ok: true, message: 'Ticked item 1 (Code behavior validated.), reason: checked in staging' });
    expect(vault.files[path]).toBe(start
      .replace('ticks: []\n', 'ticks: ["Code behavior validated."]\n')
      .replace('gates: []\n', 'gates: []\nreasons:\n  "Code behavior validated.": "checked in staging"\n'));
    expect(vault.tick({ kind: 'gate', gate: 'G2', undo: false, reason: 'no "integration" suite' })).toMatchObject({ ok: true, message: 'Ticked G2 of P-4, P-5, reason: no "integration" suite' });
    expect(vault.files[path]).toContain('\ngates: ["P-4 G2", "P-5 G2"]\nreasons:\n  "Code behavior validated.": "checked in staging"\n  "P-4 G2": "no \\"integration\\" suite"\n  "P-5 G2": "no \\"integration\\" suite"\nbaseline:\n');
    expect(vault.tick({ kind: 'item', n: 1, undo: false, reason: 'probe run by hand' })).toMatchObject({ ok: true, message: 'item 1 (Code behavior validated.) was already ticked by hand; reason now: probe run by hand' });
    expect(vault.tick({ kind: 'item', n: 1, undo: false, reason: 'probe run by hand' })).toMatchObject({ ok: true, edits: [], message: 'item 1 (Code behavior validated.) was already ticked by hand, reason: probe run by hand' });
    expect(vault.review().status.items[0]).toEqual({ n: 1, text: 'Code behavior validated.', done: true, by: 'hand', proof: null, reason: 'probe run by hand' });
    vault.tick({ kind: 'gate', gate: 'G2', packet: 'P-5', undo: true });
    vault.tick({ kind: 'item', n: 1, undo: true });
    const read = readSessionNote(vault.files[path] ?? '', parseYaml);
    expect(read.ok && read.session.reasons).toEqual({ 'P-4 G2': 'no "integration" suite' });
    expect(read.ok && read.session.gates).toEqual(['P-4 G2']);
  });

  it('reads a note written before reasons were kept, and one whose property editor wrote the map in block style', () => {
    const vault = new SessionVault(exampleFiles());
    const path = vault.start();
    const old = vault.files[path] ?? '';
    expect(old).not.toContain('reasons');
    expect(readSessionNote(old, parseYaml)).toMatchObject({ ok: true, session: { reasons: {} } });
    const block = old.replace('ticks: []\n', 'ticks:\n  - Code behavior validated.\n').replace('gates: []\n', 'gates: []\nreasons:\n  Code behavior validated.: by hand in staging\n');
    expect(readSessionNote(block, parseYaml)).toMatchObject({ ok: true, session: { reasons: { 'Code behavior validated.': 'by hand in staging' } } });
  });

  it('refuses a reason that is empty, goes with an undo, or goes with a kind of change', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    expect(vault.tick({ kind: 'item', n: 1, undo: false, reason: ' \n ' })).toEqual({ ok: false, message: 'the reason is empty; expected a few words saying why the tick is made by hand' });
    expect(vault.tick({ kind: 'item', n: 1, undo: true, reason: 'x' })).toEqual({ ok: false, message: 'a reason goes with a tick, not with its undo' });
    expect(vault.tick({ kind: 'change', change: 'runtime', undo: false, reason: 'x' } as never)).toEqual({ ok: false, message: 'a reason goes with a tick of an item or a gate; a kind of change takes none' });
  });
});

describe('close reasons', () => {
  const reasons: CloseReason[] = [
    { kind: 'item', detail: '1. Code behavior validated.', text: 'open checklist item: 1. Code behavior validated.' },
    { kind: 'item', detail: '6. Commits are scoped and understandable.', text: 'open checklist item: 6. Commits are scoped and understandable.' },
    { kind: 'required', detail: `"${RUNTIME}" requires x`, text: `open required update: "${RUNTIME}" requires x` },
    { kind: 'gate', detail: 'G1 of P-4', text: 'gate not passed: G1 of P-4' },
    { kind: 'guardrails', detail: 'Fallback rate over rolling 20 missions (recommendation: rollback)', text: 'guardrails in breach: Fallback rate over rolling 20 missions (recommendation: rollback)' },
  ];

  it('sums them up for the Status Log and lists them under their own heading for the session note', () => {
    expect(overridesSummary(reasons)).toBe('Closed with 5 overrides: items 1, 6 open; 1 required update open; gates not passed: G1 of P-4; guardrails in breach.');
    expect(overridesSummary(reasons.slice(3, 4))).toBe('Closed with 1 override: gates not passed: G1 of P-4.');
    expect(renderOverrides(reasons)).toBe([
      '## Overridden at close',
      '',
      'The session was closed by force despite 5 reasons:',
      '',
      ...reasons.map((r) => `- ${r.text}`),
    ].join('\n'));
  });

  it('names every kind: open items, open required updates, gates of session packets not passed, guardrails in breach', () => {
    const vault = withChange(['P-4']);
    vault.add('evidence', BREACH);
    const review = vault.review();
    const texts = closeReasons(review.status, review.guardrails).map((r) => r.text);
    expect(texts).toEqual([
      'open checklist item: 1. Code behavior validated.',
      'open checklist item: 2. Relevant tests/probes run.',
      'open checklist item: 5. `00` updated (status/decision/lessons as needed).',
      'open checklist item: 6. Commits are scoped and understandable.',
      'open checklist item: 7. Open risks and next actions are explicit.',
      `open required update: "${RUNTIME}" requires \`00\` status log + \`00\` decision log (if governance changed)`,
      'open required update: "Rollout windows or traffic policy" requires `04` evidence log + `00` status log',
      'gate not passed: G1 of P-4',
      'gate not passed: G2 of P-4',
      'gate not passed: G4 of P-4',
      'gate not passed: G5 of P-4',
      'guardrails in breach: Fallback rate over rolling 20 missions (recommendation: rollback)',
    ]);
    // A session without packets has no packet gates to hold against the close.
    const none = withChange([]);
    const bare = none.review();
    expect(closeReasons(bare.status, bare.guardrails).map((r) => r.kind)).not.toContain('gate');
  });
});

describe('session close with reasons left', () => {
  /** Every kind of reason: open items, a required update the close's own row does not satisfy (a playbook query), gates, a breach. */
  function blocked(): { vault: SessionVault; path: string } {
    const vault = withChange(['P-4']);
    expect(vault.tick({ kind: 'change', change: 'operational query', undo: false }).ok).toBe(true);
    vault.add('evidence', BREACH);
    return { vault, path: vault.ref().path };
  }

  it('refuses without force, returning every reason (judged with its own Status Log row), and writes nothing', () => {
    const { vault } = blocked();
    const before = { ...vault.files };
    const plan = vault.close();
    expect(plan.ok).toBe(false);
    if (plan.ok || plan.reason !== 'blocked') throw new Error(JSON.stringify(plan));
    expect(plan.reasons.map((r) => r.text)).toEqual([
      'open checklist item: 1. Code behavior validated.',
      'open checklist item: 2. Relevant tests/probes run.',
      'open checklist item: 6. Commits are scoped and understandable.',
      'open checklist item: 7. Open risks and next actions are explicit.',
      'open required update: "New operational query/process" requires `03` observability playbook',
      'gate not passed: G1 of P-4',
      'gate not passed: G2 of P-4',
      'gate not passed: G4 of P-4',
      'gate not passed: G5 of P-4',
      'guardrails in breach: Fallback rate over rolling 20 missions (recommendation: rollback)',
    ]);
    expect(vault.files).toEqual(before);
  });

  it('with force: the overrides go into the session note and the Summary, and the recommendation block is written', () => {
    const { vault, path } = blocked();
    const plan = vault.close({ force: true, texts: { changed: 'Rolled back to 20 %' } });
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    expect(plan.writes.map((w) => w.path)).toEqual(['00_DraganCorp_Program_Control_Center.md', EVIDENCE, path]);
    expect(plan.row.Summary).toBe('Rolled back to 20 %. Closed with 10 overrides: items 1, 2, 6, 7 open; 1 required update open; gates not passed: G1 of P-4, G2 of P-4, G4 of P-4, G5 of P-4; guardrails in breach.');
    expect(plan.row.Gates).toBe('G3');
    const note = vault.files[path] ?? '';
    expect(note.endsWith([
      '## Overridden at close',
      '',
      'The session was closed by force despite 10 reasons:',
      '',
      ...plan.overrides.map((r) => `- ${r.text}`),
      '',
    ].join('\n'))).toBe(true);
    expect(plan.overrides).toHaveLength(10);
    const evidence = vault.files[EVIDENCE] ?? '';
    const section = evidence.slice(evidence.indexOf('## Current Recommendation'));
    expect(section).toContain(`${BLOCK_START}\n**Guardrails: breach. Recommendation: rollback.**`);
    expect(section.trimEnd().endsWith(BLOCK_END)).toBe(true);
    expect(plan.recommendation).toMatchObject({ ok: true, path: EVIDENCE });
    expect(parseNote(evidence).tables.length).toBe(parseNote(exampleFiles()[EVIDENCE] ?? '').tables.length);
  });

  it('does not write the block again when it already reads so', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start('Quick');
    const first = vault.close({ force: true });
    expect(first.ok && first.writes.map((w) => w.path)).toContain(EVIDENCE);
    const text = vault.files[EVIDENCE];
    vault.start('Again');
    const second = vault.close({ force: true, now: new Date(2026, 10, 24, 17, 0) });
    expect(second.ok && second.recommendation).toEqual({ ok: true, path: EVIDENCE, edit: null });
    expect(second.ok && second.writes.map((w) => w.path)).not.toContain(EVIDENCE);
    expect(vault.files[EVIDENCE]).toBe(text);
  });
});
