import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildPrompt, fillPrompt } from '../../src/core/prompt/build-prompt';
import { firstFencedBlock, findNotePrompt } from '../../src/core/prompt/note-prompts';
import { programFromTitle, programName } from '../../src/core/prompt/program-name';
import { CONTEXT_END, CONTEXT_START, type PromptSession } from '../../src/core/prompt/prompt-context';
import { renderShortMetaPrompt } from '../../src/core/stack/short-prompt';
import { PHASE_A_TEMPLATES, renderMetaPrompt } from '../../src/core/stack/templates';
import { load } from '../helpers/memory-vault';

const EXAMPLE = join(import.meta.dirname, '../../example-vault');
const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const OPERATING = '05_Phase_A_Execution_Operating_Model.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(EXAMPLE)) if (name.endsWith('.md')) files[name] = readFileSync(join(EXAMPLE, name), 'utf8');
  return files;
}

/** The example vault with one note's text changed. */
function withNote(path: string, change: (text: string) => string): Record<string, string> {
  const files = exampleFiles();
  files[path] = change(files[path] ?? '');
  return files;
}

/** Replaces the fenced block under the heading starting with `heading` by `body`. */
function replaceBlock(text: string, heading: string, body: string): string {
  const at = text.indexOf(heading);
  const open = text.indexOf('```text\n', at);
  const close = text.indexOf('\n```', open + 8);
  return `${text.slice(0, open + 8)}${body}${text.slice(close)}`;
}

/** The 1-based line of the example operating-model note that starts with `start`. */
const lineOf = (start: string): number => readFileSync(join(EXAMPLE, OPERATING), 'utf8').split('\n').findIndex((l) => l.startsWith(start)) + 1;
const META_LINE = lineOf('## 8) Meta prompt');
const SHORT_LINE = lineOf('## 9) Short meta prompt');

const TEAM_META = 'You run Phase A for DraganCorp.\n\nGoal: [INSERT CURRENT OBJECTIVE]\n\nRead 00_DraganCorp_Program_Control_Center.md first; one packet at a time.';
const TEAM_SHORT = 'DraganCorp fast mode: one packet, verify, log the evidence.';

const SESSION: PromptSession = {
  path: 'sessions/2026-11-24 1405 Canary at 25 %.md',
  objective: 'Canary at 25 %',
  started: '2026-11-24T14:05',
  packets: ['P-4', 'P-5'],
  inScope: ['the handoff path', 'cancellation'],
  outOfScope: ['the fallback path'],
  required: [
    { change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log', done: false },
    { change: 'New operational query/process', update: '`03` observability playbook', done: true },
  ],
  guardrails: { status: 'breach', recommendation: 'rollback', reasons: ['Fallback rate over rolling 20 missions: 16.02% > 10%'] },
};

describe('the prompts in the operating-model note', () => {
  it('finds the meta prompt and the short prompt of the example note under their headings', () => {
    const { model } = load(exampleFiles());
    const meta = findNotePrompt(model, 'meta');
    const short = findNotePrompt(model, 'short');
    expect('text' in meta && meta.source).toEqual({ from: 'note', path: OPERATING, line: META_LINE });
    expect('text' in short && short.source).toEqual({ from: 'note', path: OPERATING, line: SHORT_LINE });
    // The example note holds the preset's texts, so the prompt is what it always was.
    expect(buildPrompt(model, { objective: 'Retire the fallback path' }).text).toBe(renderMetaPrompt({ objective: 'Retire the fallback path' }));
    expect(buildPrompt(model, { short: true }).text).toBe(renderShortMetaPrompt());
  });

  it("prints the team's own edited meta prompt, with the objective in its placeholder", () => {
    const { model } = load(withNote(OPERATING, (t) => replaceBlock(t, '## 8) Meta prompt', TEAM_META)));
    const built = buildPrompt(model, { objective: 'Retire the fallback path' });
    expect(built.text).toBe('You run Phase A for DraganCorp.\n\nGoal: Retire the fallback path\n\nRead 00_DraganCorp_Program_Control_Center.md first; one packet at a time.');
    expect(built.source).toEqual({ from: 'note', path: OPERATING, line: META_LINE });
  });

  it("prints the team's own short prompt, the objective as its first line", () => {
    const { model } = load(withNote(OPERATING, (t) => replaceBlock(t, '## 9) Short meta prompt', TEAM_SHORT)));
    expect(buildPrompt(model, { short: true, objective: 'Ship P-4' }).text).toBe(`Objective: Ship P-4\n\n${TEAM_SHORT}`);
  });

  it("uses the preset's text when there is no operating-model note, and says why when its section has no fenced block", () => {
    const files = exampleFiles();
    delete files[OPERATING];
    const none = buildPrompt(load(files).model, { objective: 'X' });
    expect(none.text).toBe(renderMetaPrompt({ objective: 'X' }));
    expect(none.source).toEqual({ from: 'preset', path: null, line: null, problem: null });
    expect(buildPrompt(load(files).model, { short: true }).text).toBe(renderShortMetaPrompt());

    const unfenced = load(withNote(OPERATING, (t) => t.replace(/## 9\) Short meta prompt \(fast mode\)\n\n```text\n([^`]*)```/, '## 9) Short meta prompt (fast mode)\n\n$1'))).model;
    const built = buildPrompt(unfenced, { short: true });
    expect(built.text).toBe(renderShortMetaPrompt());
    expect(built.source).toMatchObject({ from: 'preset', problem: expect.stringMatching(new RegExp(`^05_Phase_A_Execution_Operating_Model\\.md:${SHORT_LINE}: the section`)) as unknown });
    expect(built.source).toMatchObject({ problem: expect.stringMatching(/: the section "9\) Short meta prompt \(fast mode\)" has no fenced code block/) as unknown });
  });

  it("reads the template's note (as `canon init` writes it): both prompts, never the title's \"Meta Prompt\"", () => {
    const t = PHASE_A_TEMPLATES['operating-model'];
    const note = t.text('Execution Operating Model and Meta Prompt').replace('```text\nYou are', '```text\nTeam: you are');
    const { model } = load({ [t.fileName]: note });
    expect(buildPrompt(model).text).toMatch(/^Team: you are the implementation operator for DraganCorp Phase A\./);
    expect(buildPrompt(model, { short: true }).source).toMatchObject({ from: 'note' });
    expect(buildPrompt(model, { short: true }).text).toBe(renderShortMetaPrompt());
  });

  it('takes the first fenced block of the section: ``` or ~~~, indented, unclosed', () => {
    expect(firstFencedBlock(['intro', '```text', 'a', '', 'b', '```', '```', 'second', '```'])).toBe('a\n\nb');
    expect(firstFencedBlock(['~~~', 'a ``` b', '~~~'])).toBe('a ``` b');
    expect(firstFencedBlock(['  ```', '  indented', '    deeper', '  ```'])).toBe('indented\n  deeper');
    expect(firstFencedBlock(['````md', '```', 'nested', '```', '````'])).toBe('```\nnested\n```');
    expect(firstFencedBlock(['```', 'runs to the end'])).toBe('runs to the end');
    expect(firstFencedBlock(['``` not`a fence', 'text'])).toBeNull();
    expect(firstFencedBlock(['no fence'])).toBeNull();
  });
});

describe("the program's name", () => {
  it("is the control center's title without its \"Program Control Center\", in the note's prompt and the preset's", () => {
    const files = withNote(CONTROL, (t) => t.replace('# DraganCorp Program Control Center', '# Orion Program Control Center'));
    const { model } = load(files);
    expect(programName(model)).toEqual({ name: 'Orion', from: 'control-center' });
    const meta = buildPrompt(model).text;
    expect(meta).toMatch(/^You are the implementation operator for Orion Phase A\.\n/);
    // The vault's file is still named DraganCorp: its name is kept as it is.
    expect(meta).toContain(`   - ${CONTROL}\n`);
    expect(meta).not.toMatch(/\bDraganCorp\b/);
    expect(buildPrompt(model, { short: true }).text).toMatch(/^Follow the Orion Phase A operating model:/);
    delete files[OPERATING];
    expect(buildPrompt(load(files).model).text).toMatch(/^You are the implementation operator for Orion Phase A\./);
  });

  it('is config `program` before the title', () => {
    const files = withNote(CONTROL, (t) => t.replace('# DraganCorp Program Control Center', '# Orion Program Control Center'));
    const { model } = load(files, { program: 'Vega Labs' });
    expect(programName(model)).toEqual({ name: 'Vega Labs', from: 'config' });
    expect(buildPrompt(model).text).toMatch(/^You are the implementation operator for Vega Labs Phase A\./);
    expect(buildPrompt(model, { short: true }).text).toMatch(/^Follow the Vega Labs Phase A operating model:/);
  });

  it('strips only the numbering and a "(Program) Control Center" suffix; the preset\'s name without a control center', () => {
    expect(programFromTitle('DraganCorp Program Control Center')).toBe('DraganCorp');
    expect(programFromTitle('00. Orion — Control Centre')).toBe('Orion');
    expect(programFromTitle('Orion Ops Hub')).toBe('Orion Ops Hub');
    expect(programFromTitle('Program Control Center')).toBe('');
    const files = exampleFiles();
    delete files[CONTROL];
    expect(programName(load(files).model)).toEqual({ name: 'DraganCorp', from: 'preset' });
    const untitled = withNote(CONTROL, (t) => t.replace('# DraganCorp Program Control Center', '# Program Control Center'));
    expect(programName(load(untitled).model)).toEqual({ name: 'DraganCorp', from: 'preset' });
  });

  it("fills in only the preset's stand-ins, in one pass", () => {
    const notes = { 'control-center': 'stack/00_Orion_Control.md' };
    const text = 'For DraganCorp (not DraganCorpX): read 00_DraganCorp_Program_Control_Center.md and [[00_DraganCorp_Program_Control_Center]].';
    expect(fillPrompt(text, { objective: null, program: 'Orion', notes })).toBe('For Orion (not DraganCorpX): read stack/00_Orion_Control.md and [[00_DraganCorp_Program_Control_Center]].');
    expect(fillPrompt('Goal: [INSERT CURRENT OBJECTIVE]', { objective: 'Use $& and $1 literally', program: 'DraganCorp', notes: {} })).toBe('Goal: Use $& and $1 literally');
    expect(fillPrompt('No placeholder.', { objective: 'Ship', program: 'DraganCorp', notes: {} })).toBe('Objective: Ship\n\nNo placeholder.');
    expect(fillPrompt('Goal: [INSERT CURRENT OBJECTIVE]', { objective: null, program: 'DraganCorp', notes: {} })).toBe('Goal: [INSERT CURRENT OBJECTIVE]');
  });
});

describe('the open session in the prompt', () => {
  it('appends objective, scope, both packets, the open required update and the guardrail reading', () => {
    const { model } = load(withNote(OPERATING, (t) => replaceBlock(t, '## 8) Meta prompt', TEAM_META)));
    const built = buildPrompt(model, { session: SESSION });
    expect(built.objective).toBe('Canary at 25 %');
    const [head, block] = built.text.split(`\n\n${CONTEXT_START}\n`);
    expect(head).toBe('You run Phase A for DraganCorp.\n\nGoal: Canary at 25 %\n\nRead 00_DraganCorp_Program_Control_Center.md first; one packet at a time.');
    expect(`${CONTEXT_START}\n${block ?? ''}`).toBe([
      CONTEXT_START,
      '## Current session (from the vault)',
      '',
      'Objective: Canary at 25 %',
      'Session note: sessions/2026-11-24 1405 Canary at 25 %.md (started 2026-11-24 14:05)',
      '',
      'In scope:',
      '- the handoff path',
      '- cancellation',
      'Out of scope:',
      '- the fallback path',
      '',
      'Packets:',
      '- P-4: Cancellation-safe handoff (the timeout behind the W-3 failure).',
      '  - Files: `src/vp/handoff.ts`',
      '  - Verification: `npm test -- handoff`',
      '  - Expected evidence: No `vp.mission.failed` with reason `handoff_timeout` over three windows.',
      '  - Status: in-progress',
      '- P-5: Propagate mission cancellation to the VP within 2 s.',
      '  - Files: `src/vp/cancel.ts`, `src/vp/mission-runner.ts`',
      '  - Verification: `npm run probe:cancel`',
      '  - Expected evidence: Cancel-to-stop under 2 s in 20 of 20 probe runs.',
      '  - Status: planned',
      '',
      'Open required updates (trigger matrix):',
      '- Rollout windows or traffic policy → `04` evidence log + `00` status log',
      '',
      'Guardrails: breach — recommendation: rollback',
      '- Fallback rate over rolling 20 missions: 16.02% > 10%',
      CONTEXT_END,
    ].join('\n'));
    expect(built.session?.requiredUpdates).toEqual([{ change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log' }]);
    expect(built.session?.packets.map((p) => [p.id, p.found])).toEqual([['P-4', true], ['P-5', true]]);
  });

  it('appends the same block to the short prompt; --objective wins in the head, the block keeps the session', () => {
    const { model } = load(withNote(OPERATING, (t) => replaceBlock(t, '## 9) Short meta prompt', TEAM_SHORT)));
    const text = buildPrompt(model, { short: true, session: SESSION, objective: 'Only P-4 today' }).text;
    expect(text.startsWith(`Objective: Only P-4 today\n\n${TEAM_SHORT}\n\n${CONTEXT_START}\n## Current session (from the vault)\n\nObjective: Canary at 25 %\n`)).toBe(true);
    for (const line of ['- cancellation', '- the fallback path', '- P-4: Cancellation-safe handoff', '- P-5: Propagate mission cancellation', '  - Verification: `npm run probe:cancel`', '- Rollout windows or traffic policy → ', 'Guardrails: breach — recommendation: rollback']) {
      expect(text).toContain(line);
    }
    expect(text.endsWith(CONTEXT_END)).toBe(true);
  });

  it('says what it lacks: no scope, no packets, a packet the plan does not have, no open update', () => {
    const { model } = load(exampleFiles());
    const session: PromptSession = { ...SESSION, packets: ['p-9'], inScope: [], outOfScope: undefined, required: [], guardrails: { status: 'ok', recommendation: 'promote', reasons: [] } };
    const text = buildPrompt(model, { session }).text;
    expect(text).toContain('\nScope: not written in the session note.\n');
    expect(text).toContain(`\nPackets:\n- P-9: not in the Work Packets table of ${PLAN}\n`);
    expect(text).toContain('\nOpen required updates: none.\n\nGuardrails: ok — recommendation: promote\n<!-- /canon:context -->');
    expect(buildPrompt(model, { session: { ...session, packets: [] } }).text).toContain('\nPackets: none attached to the session.\n');
  });

  it('has no block without a session', () => {
    const { model } = load(exampleFiles());
    const built = buildPrompt(model, { objective: 'X', session: null });
    expect(built.session).toBeNull();
    expect(built.text).not.toContain(CONTEXT_START);
  });
});
