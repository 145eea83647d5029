// Issue 10 in Obsidian, through the fake `obsidian`, on the sources and on the built main.js: the
// close modal names every reason left and forces the close only on "Close anyway" (which never has
// the focus); the pane disables G5 while a trigger is in breach and G4 while a required update is
// open, saying why; a hand tick takes a reason through a small prompt.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type CanonPluginClass } from '../fakes/load-bundle';
import { click, loadVaultFromDir, typeInto, type App, type Modal } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const QUERY = 'New operational query/process';
const TRIGGER = 'Fallback rate over rolling 20 missions';
/** 2026-11-24 14:05 local: after every row of the example vault. */
const NOW = new Date(2026, 10, 24, 14, 5);
/** 12 fallbacks in 40 missions: the fallback-rate trigger (> 10 % over 20 missions) is in breach. */
const BREACH_ROW = '| W-11 | 2026-11-24 09:00 | 2026-11-24 13:00 | 25% | 40 | 12 | 30.00% | 610 | vp.mission.failed=0 | rollback | |';

function pane(app: App): HTMLElement {
  const leaf = app.workspace.getLeavesOfType('canon-session')[0];
  if (!leaf) throw new Error('the session pane is not open');
  return leaf.view.containerEl;
}

function lastModal(app: App): Modal {
  const modal = app.openModals().at(-1);
  if (!modal) throw new Error('no modal is open');
  return modal;
}

function buttonIn(root: HTMLElement, text: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll('button')).find((b) => b.textContent === text);
  if (!found) throw new Error(`no button "${text}" (buttons: ${Array.from(root.querySelectorAll('button')).map((b) => b.textContent).join(', ')})`);
  return found;
}

function text(app: App, path: string): string {
  const t = app.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

const listed = (root: HTMLElement, cls: string): string[] => Array.from(root.querySelectorAll(`.${cls} li`)).map((li) => li.textContent ?? '');

async function startSession(app: App, changes: string[]): Promise<string> {
  await app.commands.run('canon:start-session');
  const modal = lastModal(app);
  const objective = modal.contentEl.querySelector<HTMLInputElement>('#canon-start-objective') ?? modal.contentEl.querySelector<HTMLInputElement>('input[type="text"]');
  typeInto(objective as HTMLInputElement, 'Canary at 25 %');
  click(modal.contentEl.querySelector('input[value="P-4"]') as HTMLInputElement);
  for (const c of changes) click(modal.contentEl.querySelector(`.canon-start-changes input[value="${c}"]`) as HTMLInputElement);
  click(buttonIn(modal.contentEl, 'Start session'));
  await app.idle();
  const path = app.vault.getMarkdownFiles().map((f) => f.path).find((p) => p.startsWith('sessions/'));
  if (!path) throw new Error('no session note was created');
  return path;
}

/** W-11 with a breach, added by hand (or a sync) to the evidence log. */
async function addBreach(app: App): Promise<void> {
  await app.vault.process(app.vault.getFileByPath(EVIDENCE)!, (t) => t.replace(/^\| W-10 \|.*$/m, (line) => `${line}\n${BREACH_ROW}`));
  await app.idle();
  await app.flushDebounces();
}

describe.each(pluginRuns)('closing with reasons left, gates that cannot be ticked (%s)', (_name, load, options) => {
  let app: App;
  let PluginClass: CanonPluginClass;

  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    PluginClass = await load();
    app = loadVaultFromDir(EXAMPLE_VAULT, { ...options });
    await app.loadPlugin(PluginClass);
    await app.layoutReady();
    await app.idle();
  });

  afterEach(async () => {
    expect(app.listenerErrors).toEqual([]);
    await app.destroy();
    vi.useRealTimers();
  });

  it('names every reason, writes nothing until "Close anyway" (never the focus), then writes them down', async () => {
    const path = await startSession(app, [QUERY]);
    await addBreach(app);
    const before = { control: text(app, CONTROL), evidence: text(app, EVIDENCE), note: text(app, path) };

    await app.commands.run('canon:close-session');
    const form = lastModal(app);
    expect(form.contentEl.querySelector('.canon-close-reasons-preview p')?.textContent).toBe('10 reasons are left; closing asks to confirm, and a forced close writes them down:');
    click(buttonIn(form.contentEl, 'Close session'));
    await app.idle();

    const confirm = lastModal(app);
    expect(confirm).not.toBe(form);
    expect(confirm.titleEl.textContent).toBe('Close the session anyway?');
    expect(listed(confirm.contentEl, 'canon-open-items')).toEqual([
      '1. Code behavior validated.',
      '2. Relevant tests/probes run.',
      '6. Commits are scoped and understandable.',
      '7. Open risks and next actions are explicit.',
    ]);
    expect(listed(confirm.contentEl, 'canon-open-required')).toEqual([`"${QUERY}" requires \`03\` observability playbook`]);
    expect(listed(confirm.contentEl, 'canon-open-gates')).toEqual(['G1 of P-4', 'G2 of P-4', 'G4 of P-4', 'G5 of P-4']);
    expect(listed(confirm.contentEl, 'canon-open-guardrails')).toEqual([`${TRIGGER} (recommendation: rollback)`]);
    expect(Array.from(confirm.contentEl.querySelectorAll('.canon-close-reason-kind')).map((p) => p.textContent)).toEqual([
      '4 checklist items are not ticked:', '1 required update is not done:', '4 gates are not passed:', 'The guardrails are in breach:',
    ]);
    expect({ control: text(app, CONTROL), evidence: text(app, EVIDENCE), note: text(app, path) }).toEqual(before);

    // Enter does not force the close: the focus is on "Go back", and "Close anyway" is no default button.
    const anyway = buttonIn(confirm.contentEl, 'Close anyway');
    expect(document.activeElement?.textContent).toBe('Go back');
    expect(anyway.classList.contains('mod-cta')).toBe(false);
    app.pressKey('Enter');
    await app.idle();
    expect({ control: text(app, CONTROL), evidence: text(app, EVIDENCE), note: text(app, path) }).toEqual(before);

    click(anyway);
    await app.idle();
    expect(app.openModals()).toHaveLength(0);
    const row = text(app, CONTROL).split('\n').find((l) => l.includes(`[[${path.replace(/\.md$/, '')}]]`));
    expect(row).toBe(`| 2026-11-24 14:05 | Canary at 25 % | Session closed: checklist 3/7; W-11 added. Closed with 10 overrides: items 1, 2, 6, 7 open; 1 required update open; gates not passed: G1 of P-4, G2 of P-4, G4 of P-4, G5 of P-4; guardrails in breach. | G3 | [[${path.replace(/\.md$/, '')}]] |`);
    const note = text(app, path);
    expect(note).toContain('\nstatus: closed\nclosed: 2026-11-24T14:05\n');
    expect(note.endsWith([
      '## Overridden at close',
      '',
      'The session was closed by force despite 10 reasons:',
      '',
      '- open checklist item: 1. Code behavior validated.',
      '- open checklist item: 2. Relevant tests/probes run.',
      '- open checklist item: 6. Commits are scoped and understandable.',
      '- open checklist item: 7. Open risks and next actions are explicit.',
      `- open required update: "${QUERY}" requires \`03\` observability playbook`,
      '- gate not passed: G1 of P-4',
      '- gate not passed: G2 of P-4',
      '- gate not passed: G4 of P-4',
      '- gate not passed: G5 of P-4',
      `- guardrails in breach: ${TRIGGER} (recommendation: rollback)`,
      '',
    ].join('\n'))).toBe(true);
    const evidence = text(app, EVIDENCE);
    expect(evidence).toContain('<!-- canon:recommendation -->\n**Guardrails: breach. Recommendation: rollback.**');
    expect(evidence.slice(0, evidence.indexOf('<!-- canon:recommendation -->')).trimEnd()).toBe(before.evidence.includes('<!-- canon:recommendation -->')
      ? before.evidence.slice(0, before.evidence.indexOf('<!-- canon:recommendation -->')).trimEnd()
      : before.evidence.trimEnd());
    expect(app.noticeMessages().at(-1)).toMatch(
      /^Session closed with 4 open items, 1 open required update, 4 gates not passed and guardrails in breach: Status Log row added to 00_DraganCorp_Program_Control_Center\.md line \d+; summary written to sessions\/.*; recommendation block written to 04_Phase_A_Controlled_Rollout_Evidence_Log\.md line \d+\.$/,
    );
  });

  it('disables G5 while a trigger is in breach and G4 while a required update is open, saying why', async () => {
    const path = await startSession(app, [QUERY]);
    const box = (gate: string) => pane(app).querySelector<HTMLInputElement>(`[data-canon-key="gate:P-4:${gate}"]`);
    expect(box('G5')?.checked).toBe(true);
    expect(box('G4')?.disabled).toBe(true);
    expect(box('G4')?.title).toBe([
      'G4 cannot be ticked: 1 required update is open:',
      `  - "${QUERY}" requires \`03\` observability playbook`,
      'It can be ticked once each is done: a row added to each note it names (the vault then proves G4 by itself).',
    ].join('\n'));

    await addBreach(app);
    const g5 = box('G5');
    expect(g5?.checked).toBe(false);
    expect(g5?.disabled).toBe(true);
    expect(g5?.title).toMatch(new RegExp(`^G5 cannot be ticked: 1 rollback trigger is in breach:\\n {2}- ${TRIGGER}: .*\\nIt can be ticked once no trigger is in breach: `));
    expect(g5?.getAttribute('aria-description')).toBe(g5?.title);
    expect(Array.from(pane(app).querySelectorAll('.canon-session-gate-blocked')).map((s) => s.textContent)).toEqual(['G4: 2 required updates open', 'G5: 1 rollback trigger in breach']);
    const note = text(app, path);
    click(g5 as HTMLInputElement);
    await app.idle();
    expect(text(app, path)).toBe(note);
    // G1 is ticked by hand as before.
    expect(box('G1')?.disabled).toBe(false);
  });

  it('asks for the reason of a hand tick in a small prompt (Enter saves) and keeps it beside the tick', async () => {
    const path = await startSession(app, []);
    click(pane(app).querySelector('[data-canon-key="item:1"]') as HTMLInputElement);
    await app.idle();
    const add = pane(app).querySelector<HTMLButtonElement>('[data-canon-key="reason:item:1"]');
    expect(add?.textContent).toBe('Add reason…');
    click(add as HTMLButtonElement);
    const prompt = lastModal(app);
    expect(prompt.titleEl.textContent).toBe('Reason for the tick');
    const input = prompt.contentEl.querySelector('input') as HTMLInputElement;
    expect(document.activeElement).toBe(input);
    typeInto(input, 'checked in staging');
    app.pressKey('Enter');
    await app.idle();
    expect(app.openModals()).toHaveLength(0);
    expect(text(app, path)).toContain('\ngates: []\nreasons:\n  "Code behavior validated.": "checked in staging"\n');
    expect(pane(app).querySelector('.canon-session-item .canon-session-missing')?.textContent).toBe('Ticked by hand. Reason: checked in staging');
    expect(pane(app).querySelector('[data-canon-key="reason:item:1"]')?.textContent).toBe('Edit reason…');

    click(pane(app).querySelector('[data-canon-key="gate:P-4:G2"]') as HTMLInputElement);
    await app.idle();
    click(pane(app).querySelector('[data-canon-key="reason:gate:P-4:G2"]') as HTMLButtonElement);
    typeInto(lastModal(app).contentEl.querySelector('input') as HTMLInputElement, 'no integration suite');
    click(buttonIn(lastModal(app).contentEl, 'Save reason'));
    await app.idle();
    expect(text(app, path)).toContain('\n  "P-4 G2": "no integration suite"\n');
    expect(pane(app).querySelector('.canon-session-gate-hand li span')?.textContent).toBe('G2 of P-4: ticked by hand — no integration suite');
  });
});
