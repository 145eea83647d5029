import { describe, expect, it } from 'vitest';
import { parseNote } from '../../../src/core/markdown/parse-note';
import { SUMMARY_HEADINGS } from '../../../src/core/session/close-summary';
import { readSessionNote } from '../../../src/core/session/session-note';
import { planStart, sessionTitle } from '../../../src/core/session/start-session';
import { check, FIXED_NOW, load } from '../../helpers/memory-vault';
import { CONTROL, EVIDENCE, exampleFiles, OPERATING, SessionVault, WINDOW } from './session-vault';
import { parseYaml } from '../../../src/cli/parse-yaml';

const statusRows = (text: string): number => parseNote(text).tables.find((t) => t.header.cells[0]?.text === 'Date' && t.header.cells[1]?.text === 'Change')?.rows.length ?? 0;

describe('session start', () => {
  it('names the note `YYYY-MM-DD HHmm <objective>.md` in the sessions folder and records the baseline', () => {
    const vault = new SessionVault(exampleFiles());
    const path = vault.start('Ship the handoff: P-4 / cancel?', ['p-4', 'P-4']);
    expect(path).toBe('sessions/2026-11-24 1405 Ship the handoff P-4 cancel.md');
    const read = readSessionNote(vault.files[path] ?? '', parseYaml);
    if (!read.ok) throw new Error(read.problem);
    expect(read.session).toMatchObject({ canon: 'session', started: '2026-11-24T14:05', objective: 'Ship the handoff: P-4 / cancel?', packets: ['P-4'], status: 'open', ticks: [], changes: [], gates: [] });
    expect(read.session.baseline).toMatchObject({
      status: { rows: 10, last: expect.stringMatching(/^\| 2026-11-13 17:40 \| Hold at target traffic/) as unknown },
      decision: { rows: 5, maxId: 5 }, evidence: { rows: 10, maxId: 10 }, packet: { rows: 6, maxId: 6 }, trigger: { rows: 4 }, query: { rows: 5 },
      checklist: { rows: 6, done: 4 },
    });
    expect(vault.files[path]).toMatch(/\n---\n\n# Ship the handoff: P-4 \/ cancel\?\n/);
  });

  it('follows sessionsFolder, and numbers a name already taken', () => {
    const vault = new SessionVault(exampleFiles(), { sessionsFolder: 'log/sessions/' });
    vault.files['log/sessions/2026-11-24 1405 Ship.md'] = '# taken\n';
    expect(vault.start('Ship')).toBe('log/sessions/2026-11-24 1405 Ship 2.md');
    const root = new SessionVault(exampleFiles(), { sessionsFolder: '' });
    expect(root.start('Ship')).toBe('2026-11-24 1405 Ship.md');
  });

  it('refuses while a session is open, and for an empty objective or a bad packet', () => {
    const vault = new SessionVault(exampleFiles());
    const first = vault.start('One');
    const { model } = load(vault.files);
    expect(planStart(model, { objective: 'Two', packets: [], now: FIXED_NOW }, [vault.ref()], () => false)).toEqual({ ok: false, reason: 'open', message: `a session is already open: ${first}; close it first (canon session close)` });
    expect(planStart(model, { objective: '  ', packets: [], now: FIXED_NOW }, [], () => false)).toMatchObject({ ok: false, reason: 'invalid' });
    expect(planStart(model, { objective: 'x', packets: ['4'], now: FIXED_NOW }, [], () => false)).toMatchObject({ ok: false, reason: 'invalid', message: expect.stringMatching(/`4` is not a packet id/) as unknown });
  });

  it('keeps file names safe', () => {
    expect(sessionTitle('a/b\\c:d*e?f"g<h>i|j#k^l[m]n')).toBe('a b c d e f g h i j k l m n');
    expect(sessionTitle('...')).toBe('session');
    expect(sessionTitle('word '.repeat(40)).length).toBeLessThanOrEqual(80);
  });
});

describe('session ticks', () => {
  it('persists a hand tick by item text with a one-key edit, and undoes it', () => {
    const vault = new SessionVault(exampleFiles());
    const path = vault.start();
    const before = vault.files[path] ?? '';
    expect(vault.tick({ kind: 'item', n: 2, undo: false })).toMatchObject({ ok: true, message: 'Ticked item 2 (Relevant tests/probes run.)' });
    expect(vault.files[path]).toBe(before.replace('ticks: []\n', 'ticks: ["Relevant tests/probes run."]\n'));
    expect(vault.review().status.items[1]).toEqual({ n: 2, text: 'Relevant tests/probes run.', done: true, by: 'hand', proof: null });
    expect(vault.files[path]).not.toContain('reasons:');
    expect(vault.tick({ kind: 'item', n: 2, undo: false })).toMatchObject({ ok: true, edits: [], message: expect.stringMatching(/already ticked/) as unknown });
    vault.tick({ kind: 'item', n: 2, undo: true });
    expect(vault.files[path]).toBe(before);
  });

  it('keeps a tick on its item when the checklist is renumbered', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    vault.tick({ kind: 'item', n: 6, undo: false });
    vault.files[OPERATING] = (vault.files[OPERATING] ?? '').replace('- [ ] Code behavior validated.', '- [ ] Scope restated.\n- [ ] Code behavior validated.');
    const items = vault.review().status.items;
    expect(items.find((i) => i.by === 'hand')).toMatchObject({ n: 7, text: 'Commits are scoped and understandable.' });
  });

  it('refuses an item that does not exist', () => {
    const vault = new SessionVault(exampleFiles());
    vault.start();
    expect(vault.tick({ kind: 'item', n: 8, undo: false })).toEqual({ ok: false, message: 'the checklist has no item 8; expected 1 to 7' });
    expect(vault.tick({ kind: 'item', n: 0, undo: false }).ok).toBe(false);
  });
});

describe('session close', () => {
  function ready(): SessionVault {
    const vault = new SessionVault(exampleFiles());
    vault.start('Canary at 25 %', ['P-4']);
    vault.add('evidence', WINDOW);
    return vault;
  }

  it('refuses while items are open, naming each, and writes nothing', () => {
    const vault = ready();
    const before = { ...vault.files };
    const plan = vault.close();
    expect(plan).toMatchObject({ ok: false, reason: 'blocked' });
    expect(!plan.ok && plan.reason === 'blocked' && plan.open.map((i) => i.n)).toEqual([1, 2, 6, 7]);
    expect(vault.files).toEqual(before);
  });

  it("counts its own Status Log row for the control center item, then adds exactly one row and the five headings", () => {
    const vault = ready();
    for (const n of [1, 2, 6, 7]) vault.tick({ kind: 'item', n, undo: false });
    vault.tick({ kind: 'gate', gate: 'G1', undo: false });
    vault.tick({ kind: 'gate', gate: 'G2', undo: false, reason: 'no integration suite for the canary yet' });
    const session = vault.ref();
    const control = vault.files[CONTROL] ?? '';
    const plan = vault.close({ texts: { changed: 'Canary held at 25 %', verification: 'npm test: green', risks: 'p95 creeping up' } });
    if (!plan.ok) throw new Error(JSON.stringify(plan));
    expect(plan.open).toEqual([]);
    expect(plan.review.status.items.find((i) => i.n === 5)?.proof).toBe('control center updated: Status Log row 2026-11-24 16:30 added');
    expect(plan.overrides).toEqual([]);
    expect(plan.row).toEqual({ Date: '2026-11-24 16:30', Change: 'Canary at 25 %', Summary: 'Canary held at 25 %', Gates: 'G1, G2, G3, G4, G5', Evidence: `[[${session.path.replace(/\.md$/, '')}]]` });
    const after = vault.files[CONTROL] ?? '';
    expect(statusRows(after)).toBe(statusRows(control) + 1);
    const added = after.split('\n')[plan.line - 1] ?? '';
    expect(after.replace(`${added}\n`, '')).toBe(control);
    expect(added).toBe(`| 2026-11-24 16:30 | Canary at 25 % | Canary held at 25 % | G1, G2, G3, G4, G5 | [[${session.path.replace(/\.md$/, '')}]] |`);

    const note = vault.files[session.path] ?? '';
    const body = session.text.slice(session.text.indexOf('\n---\n') + 5);
    expect(note.slice(note.indexOf('\n---\n') + 5).startsWith(body)).toBe(true);
    expect(parseNote(note).headings.filter((h) => h.level === 2).map((h) => h.text)).toEqual([...SUMMARY_HEADINGS]);
    expect(note).toMatch(/## Verification\n\nnpm test: green\n\n- ✔ 1\. Code behavior validated\. \(ticked by hand\)/);
    expect(note).toMatch(/## Evidence captured\n\n- W-11: Traffic 25%, Missions 180, Fallbacks 6, Fallback Rate 3\.33%, p95 \(ms\) 630, Decision hold\n- Guardrails: ok — recommendation: promote/);
    expect(note).toContain('\n- Gates of P-4: ✔ G1 (ticked by hand), ✔ G2 (ticked by hand: no integration suite for the canary yet), ✔ G3 (observability signal captured: W-11 added), ');
    expect(note).toMatch(/## Risks and next checks\n\np95 creeping up\n\n$/);
    expect(note).not.toContain('Overridden at close');
    const read = readSessionNote(note, parseYaml);
    expect(read.ok && [read.session.status, read.session.closed]).toEqual(['closed', '2026-11-24T16:30']);
    expect(check(vault.files).diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(vault.files[EVIDENCE]).toMatch(/\| W-11 \|/);
  });

  it('closes with --force, listing the open items under Risks and next checks and the overrides under their own heading', () => {
    const vault = ready();
    const path = vault.ref().path;
    const plan = vault.close({ force: true });
    expect(plan.ok && plan.open.map((i) => i.n)).toEqual([1, 2, 6, 7]);
    const note = vault.files[path] ?? '';
    expect(note).toMatch(/- Open at close: 1\. Code behavior validated\.\n- Open at close: 2\. Relevant tests\/probes run\./);
    expect(note).toMatch(/\n## Overridden at close\n\nThe session was closed by force despite 6 reasons:\n\n- open checklist item: 1\. Code behavior validated\.\n/);
    expect(plan.ok && plan.row.Summary).toBe('Session closed: checklist 3/7; W-11 added. Closed with 6 overrides: items 1, 2, 6, 7 open; gates not passed: G1 of P-4, G2 of P-4.');
  });

  it('refuses when the Status Log row would be invalid, writing nothing', () => {
    const vault = ready();
    const before = { ...vault.files };
    const plan = vault.close({ force: true, now: new Date(2026, 10, 1, 9, 0) });
    expect(plan).toMatchObject({ ok: false, reason: 'entry' });
    expect(!plan.ok && plan.reason === 'entry' && plan.errors.map((e) => e.rule)).toContain('row/order');
    expect(vault.files).toEqual(before);
  });

  it('keeps a CRLF session note CRLF through ticks and close', () => {
    const vault = ready();
    const path = vault.ref().path;
    vault.files[path] = (vault.files[path] ?? '').replace(/\n/g, '\r\n');
    vault.tick({ kind: 'item', n: 1, undo: false });
    expect(vault.close({ force: true }).ok).toBe(true);
    const note = vault.files[path] ?? '';
    expect(note.replace(/\r\n/g, '')).not.toMatch(/\n/);
    expect(readSessionNote(note, parseYaml)).toMatchObject({ ok: true, session: { status: 'closed', ticks: ['Code behavior validated.'] } });
  });

  it('reports the status JSON with exactly the keys of README "Command line"', () => {
    const status = ready().review().status;
    expect(Object.keys(status)).toEqual(['session', 'items', 'required', 'gates', 'guardrails']);
    expect(Object.keys(status.session)).toEqual(['path', 'objective', 'started', 'packets']);
    expect(Object.keys(status.items[0] ?? {})).toEqual(['n', 'text', 'done', 'by', 'proof']);
    expect(Object.keys(status.required[0] ?? {})).toEqual(['change', 'update', 'done']);
    expect(Object.keys(status.gates[0] ?? {})).toEqual(['packet', 'gate', 'done', 'proof']);
    expect(status.guardrails).toEqual({ status: 'ok', recommendation: 'promote' });
  });

  it('gives `reason` on an item or a gate only when its hand tick has one', () => {
    const vault = ready();
    vault.tick({ kind: 'item', n: 1, undo: false, reason: 'checked in staging' });
    vault.tick({ kind: 'gate', gate: 'G2', undo: false, reason: 'no integration suite' });
    const { items, gates } = vault.review().status;
    expect(items[0]).toEqual({ n: 1, text: 'Code behavior validated.', done: true, by: 'hand', proof: null, reason: 'checked in staging' });
    expect(Object.keys(items[1] ?? {})).toEqual(['n', 'text', 'done', 'by', 'proof']);
    expect(gates.find((g) => g.gate === 'G2')).toEqual({ packet: 'P-4', gate: 'G2', done: true, proof: 'ticked by hand', reason: 'no integration suite' });
  });
});
