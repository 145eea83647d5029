// The session pane end to end, through the fake `obsidian`, on the sources and on the built main.js,
// with the fake instant and faithful (a lagging metadata cache…): start → evidence proves items → hand
// ticks → close; the confirmation naming open items; state kept in the session note across a reload;
// note text rendered as text; and under metadata lag, whatever its delays, the pane ends as without it.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { pluginBuilds, type CanonPluginClass } from '../fakes/load-bundle';
import { click, FAITHFUL, loadVaultFromDir, readVaultDir, selectOption, typeInto, type App, type FakeAppOptions, type Modal } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const MODEL = '05_Phase_A_Execution_Operating_Model.md';
const HEADINGS = ['What changed', 'Verification', 'Evidence captured', 'Docs updated', 'Risks and next checks'];
/** 2026-11-24 14:05 local: after every row of the example vault. */
const NOW = new Date(2026, 10, 24, 14, 5);

/** The open pane's content (throws when the pane is not open). */
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

/** The input or select a label names (by its text's start). */
function fieldIn(root: HTMLElement, label: string): HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement {
  const el = Array.from(root.querySelectorAll('label')).find((l) => (l.textContent ?? '').startsWith(label));
  const id = el?.getAttribute('for');
  const input = id ? root.querySelector(`#${id}`) : el?.querySelector('input');
  if (!input) throw new Error(`no field labelled "${label}"`);
  return input as HTMLInputElement;
}

/** The checklist items as the pane shows them: text, ticked, and how. */
function items(app: App): { text: string; checked: boolean; by: string; note: string }[] {
  return Array.from(pane(app).querySelectorAll('.canon-session-item')).map((li) => ({
    text: li.querySelector('.canon-check-text')?.textContent ?? '',
    checked: li.querySelector('input')?.checked ?? false,
    by: li.getAttribute('data-by') ?? '',
    note: li.querySelector('.canon-session-proof, .canon-session-missing')?.textContent ?? '',
  }));
}

/** Every checkbox of the pane with its state, for comparing two renderings. */
function checkboxes(app: App): [string, boolean, boolean][] {
  return Array.from(pane(app).querySelectorAll<HTMLInputElement>('input[type="checkbox"]')).map((b) => [b.getAttribute('data-canon-key') ?? '', b.checked, b.disabled]);
}

function sessionPaths(app: App): string[] {
  return app.vault.getMarkdownFiles().map((f) => f.path).filter((p) => p.startsWith('sessions/'));
}

function text(app: App, path: string): string {
  const t = app.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

async function run(app: App, id: string): Promise<void> {
  await app.commands.run(`canon:${id}`);
}

/** Runs "Start session" and fills the form; then waits for the app (`idle()` unless told otherwise). */
async function startSession(app: App, objective: string, packets: string[] = [], changes: string[] = [], wait = (a: App) => a.idle()): Promise<string> {
  await run(app, 'start-session');
  const modal = lastModal(app);
  typeInto(fieldIn(modal.contentEl, 'Objective') as HTMLInputElement, objective);
  for (const p of packets) click(modal.contentEl.querySelector(`input[value="${p}"]`) as HTMLInputElement);
  for (const c of changes) click(modal.contentEl.querySelector(`.canon-start-changes input[value="${c}"]`) as HTMLInputElement);
  click(buttonIn(modal.contentEl, 'Start session'));
  await wait(app);
  expect(modal.isOpen).toBe(false);
  const [path] = sessionPaths(app);
  if (!path) throw new Error('no session note was created');
  return path;
}

/** Adds W-11 through the "Add evidence window" form; then waits for the app (`idle()` unless told otherwise) and saves the editors. */
async function addWindow(app: App, wait = (a: App) => a.idle()): Promise<void> {
  await run(app, 'add-evidence-window');
  const form = lastModal(app).contentEl;
  const values: Record<string, string> = { Start: '2026-11-24 09:00', End: '2026-11-24 13:00', Traffic: '25%', Missions: '40', Fallbacks: '1', 'p95 (ms)': '610', Events: 'vp.mission.failed=0' };
  for (const [label, value] of Object.entries(values)) typeInto(fieldIn(form, label) as HTMLInputElement, value);
  selectOption(fieldIn(form, 'Decision') as HTMLSelectElement, 'hold');
  click(buttonIn(form, 'Add'));
  await wait(app);
  await app.flushDebounces();
}

/** Ticks by hand every item the pane shows open. */
async function tickOpenItems(app: App): Promise<void> {
  for (;;) {
    const open = Array.from(pane(app).querySelectorAll<HTMLInputElement>('.canon-session-item input')).find((b) => !b.checked && !b.disabled);
    if (!open) return;
    click(open);
    await app.idle();
  }
}

function statusLogRows(note: string): string[] {
  const section = note.slice(note.indexOf('## 2) Status Log'), note.indexOf('## 3) Decision Log'));
  return section.split('\n').filter((l) => /^\| \d{4}-/.test(l));
}

describe.each(pluginRuns)('the session pane (%s)', (_name, load, options) => {
  let app: App;
  let PluginClass: CanonPluginClass;

  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    PluginClass = await load();
  });

  afterEach(async () => {
    expect(app.listenerErrors).toEqual([]);
    await app.destroy();
    vi.useRealTimers();
  });

  async function open(files: Record<string, string> = {}): Promise<void> {
    app = loadVaultFromDir(EXAMPLE_VAULT, { ...options, files });
    await app.loadPlugin(PluginClass);
    await app.layoutReady();
    await app.idle();
  }

  it('registers its commands without hotkeys', async () => {
    await open();
    for (const [id, name] of [['open-session-checklist', 'Open the session checklist'], ['start-session', 'Start session'], ['close-session', 'Close session'], ['copy-short-prompt', 'Copy the short coder prompt']]) {
      const command = app.commands.findCommand(`canon:${id}`);
      expect(command?.name).toBe(`Canon: ${name}`);
      expect(command?.hotkeys ?? []).toEqual([]);
    }
  });

  it('runs the loop: start, the vault proves the evidence items, hand ticks, close', async () => {
    await open();
    const controlBefore = text(app, CONTROL);
    const path = await startSession(app, 'Ship the cancellation-safe handoff', ['P-4']);

    expect(path).toBe('sessions/2026-11-24 1405 Ship the cancellation-safe handoff.md');
    const note = text(app, path);
    expect(note).toMatch(/^---\ncanon: session\nstarted: 2026-11-24T14:05\nobjective: "Ship the cancellation-safe handoff"\npackets: \["P-4"\]\nstatus: open\n/);
    expect(note).toMatch(/\nbaseline:\n {2}status: \{"rows":10,"last":"\| 2026-11-13 17:40 \| Hold at target traffic \|/);
    expect(note).toContain('  evidence: {"rows":10,"maxId":10}');

    // Starting opens the pane: objective, started, seven open items.
    expect(pane(app).querySelector('.canon-session-objective')?.textContent).toBe('Ship the cancellation-safe handoff');
    expect(pane(app).querySelector('.canon-session-started')?.textContent).toBe('Started 2026-11-24 14:05');
    expect(items(app)).toHaveLength(7);
    expect(items(app).every((i) => !i.checked)).toBe(true);
    expect(items(app)[3]?.note).toMatch(/^Missing: no row added to 04_Phase_A_Controlled_Rollout_Evidence_Log since the session started/);

    await addWindow(app);
    expect(text(app, EVIDENCE)).toContain('| W-11 | 2026-11-24 09:00 | 2026-11-24 13:00 |');
    const [, , evidence, updated] = items(app);
    expect(evidence).toMatchObject({ checked: true, by: 'vault' });
    expect(updated).toMatchObject({ text: '`04` updated with new window(s) and decision notes.', checked: true, by: 'vault' });
    expect(updated?.note).toContain('evidence log updated: W-11 added');
    const proofLink = Array.from(pane(app).querySelectorAll('.canon-session-proof a')).find((a) => a.textContent === 'Open W-11');
    expect(proofLink).toBeDefined();
    // The vault-proven items cannot be unticked; the matrix row "rollout windows" applies by itself.
    expect(pane(app).querySelector<HTMLInputElement>('[data-canon-key="item:4"]')?.disabled).toBe(true);
    expect(pane(app).querySelector('.canon-session-required')?.textContent).toBe('Not done: `04` evidence log + `00` status log');

    await tickOpenItems(app);
    expect(items(app).every((i) => i.checked)).toBe(true);
    // P-4's G1 and G2 by hand (no verification ladder recorded them): the close refuses while a session packet's gate is open.
    for (const gate of ['G1', 'G2']) {
      click(pane(app).querySelector(`[data-canon-key="gate:P-4:${gate}"]`) as HTMLInputElement);
      await app.idle();
    }
    expect(text(app, path)).toMatch(/\nticks: \["Code behavior validated\.", "Relevant tests\/probes run\.", /);

    // The control center is open in the active editor: the row goes in through the editor's transaction.
    const editor = (await app.openInEditor(CONTROL)).editor;
    await run(app, 'close-session');
    const form = lastModal(app).contentEl;
    typeInto(fieldIn(form, 'What changed') as HTMLTextAreaElement, 'Handoff made cancellation-safe; W-11 captured at 25 %.');
    typeInto(fieldIn(form, 'Verification') as HTMLTextAreaElement, 'npm test -- handoff: 14 passed');
    click(buttonIn(form, 'Close session'));
    await app.idle();
    expect(app.openModals()).toHaveLength(0);
    expect(editor.calls.map((c) => c.method)).toEqual(['transaction']);
    expect(editor.undoDepth).toBe(1);
    await app.flushEditors();

    const controlAfter = text(app, CONTROL);
    const added = statusLogRows(controlAfter).filter((r) => !statusLogRows(controlBefore).includes(r));
    expect(added).toHaveLength(1);
    expect(added[0]).toBe(`| 2026-11-24 14:05 | Ship the cancellation-safe handoff | Handoff made cancellation-safe; W-11 captured at 25 %. | G1, G2, G3, G4, G5 | [[sessions/2026-11-24 1405 Ship the cancellation-safe handoff]] |`);
    expect(controlAfter.split('\n').length).toBe(controlBefore.split('\n').length + 1);

    const closed = text(app, path);
    expect(closed).toContain('\nstatus: closed\nclosed: 2026-11-24T14:05\n');
    for (const heading of HEADINGS) expect(closed).toContain(`\n## ${heading}\n`);
    expect(closed).toContain('npm test -- handoff: 14 passed');
    expect(closed).toContain('- W-11: Traffic 25%');
    expect(app.noticeMessages().at(-1)).toMatch(/^Session closed: Status Log row added to 00_DraganCorp_Program_Control_Center\.md line \d+; summary written to sessions\//);
    expect(pane(app).querySelector('.canon-session-empty')?.textContent).toContain('No session is open');
  });

  it('asks before closing with open items, naming each, and writes nothing until confirmed', async () => {
    await open();
    const path = await startSession(app, 'Quick look');
    const controlBefore = text(app, CONTROL);
    const noteBefore = text(app, path);
    await run(app, 'close-session');
    click(buttonIn(lastModal(app).contentEl, 'Close session'));
    await app.idle();

    const confirm = lastModal(app);
    expect(confirm.titleEl.textContent).toBe('Close with open items?');
    const named = Array.from(confirm.contentEl.querySelectorAll('.canon-open-items li')).map((li) => li.textContent);
    // The close's own Status Log row proves item 5; every other item is open.
    expect(named).toEqual([
      '1. Code behavior validated.',
      '2. Relevant tests/probes run.',
      '3. Rollout evidence captured (if applicable).',
      '4. `04` updated with new window(s) and decision notes.',
      '6. Commits are scoped and understandable.',
      '7. Open risks and next actions are explicit.',
    ]);
    expect(text(app, CONTROL)).toBe(controlBefore);
    expect(text(app, path)).toBe(noteBefore);

    click(buttonIn(confirm.contentEl, 'Go back'));
    expect(app.openModals()).toHaveLength(1);
    click(buttonIn(lastModal(app).contentEl, 'Close session'));
    await app.idle();
    click(buttonIn(lastModal(app).contentEl, 'Close anyway'));
    await app.idle();
    expect(app.openModals()).toHaveLength(0);
    expect(statusLogRows(text(app, CONTROL))).toHaveLength(statusLogRows(controlBefore).length + 1);
    expect(text(app, path)).toContain('- Open at close: 6. Commits are scoped and understandable.');
    expect(app.noticeMessages().at(-1)).toMatch(/^Session closed with 6 open items/);
  });

  it('keeps the whole state in the session note: a reload shows the same session', async () => {
    await open();
    const path = await startSession(app, 'Probe the cancel path', ['P-4', 'P-5'], ['Runtime behavior, routing, cancellation, recovery']);
    // Keyboard users keep their place: the redrawn pane gives the focus back to the same checkbox.
    const first = pane(app).querySelector<HTMLInputElement>('[data-canon-key="item:1"]');
    first?.focus();
    click(first as HTMLInputElement);
    await app.idle();
    expect(pane(app).querySelector('[data-canon-key="item:1"]')).not.toBe(first);
    expect(document.activeElement?.getAttribute('data-canon-key')).toBe('item:1');
    // An edit of the session note by hand (or by the CLI, or a sync) shows in the pane.
    await app.vault.process(app.vault.getFileByPath(path)!, (t) => t.replace('ticks: ["Code behavior validated."]', 'ticks: ["Code behavior validated.", "Relevant tests/probes run."]'));
    await app.idle();
    expect(items(app).map((i) => i.by)).toEqual(['hand', 'hand', 'open', 'open', 'open', 'open', 'open']);
    click(pane(app).querySelector('[data-canon-key="gate:P-5:G1"]') as HTMLInputElement);
    await app.idle();
    const before = checkboxes(app);
    expect(before).toContainEqual(['item:1', true, false]);
    expect(before).toContainEqual(['gate:P-5:G1', true, false]);
    expect(before).toContainEqual(['gate:P-4:G1', false, false]);
    expect(before).toContainEqual(['change:0', true, false]);
    expect(text(app, path)).toContain('\ngates: ["P-5 G1"]\n');

    await app.unloadPlugin();
    expect(app.leaks()).toEqual({});
    await app.loadPlugin(PluginClass);
    await run(app, 'open-session-checklist');
    expect(pane(app).querySelector('.canon-session-objective')?.textContent).toBe('Probe the cancel path');
    expect(checkboxes(app)).toEqual(before);
  });

  it('renders note text as text, never as markup', async () => {
    const model = readVaultDir(EXAMPLE_VAULT)[MODEL] ?? '';
    const hostile = model.replace('- [ ] Commits are scoped and understandable.', '- [ ] <img src=x onerror=alert(1)>\n- [ ] Commits are scoped and understandable.');
    expect(hostile).not.toBe(model);
    await open({ [MODEL]: hostile });
    await startSession(app, `Check <b>escaping</b> & <script>x</script> <img src=x onerror="window.__pwned='img';alert('img')">`);
    expect(pane(app).querySelector('img, b, script')).toBeNull();
    expect(items(app).map((i) => i.text)).toContain('<img src=x onerror=alert(1)>');
    expect(pane(app).querySelector('.canon-session-objective')?.textContent).toBe(`Check <b>escaping</b> & <script>x</script> <img src=x onerror="window.__pwned='img';alert('img')">`);
    await run(app, 'close-session');
    click(buttonIn(lastModal(app).contentEl, 'Close session'));
    await app.idle();
    expect(lastModal(app).contentEl.querySelector('img')).toBeNull();
    expect(lastModal(app).contentEl.textContent).toContain('<img src=x onerror=alert(1)>');
  });

  it('copies the coder prompts with the session objective', async () => {
    await open();
    await run(app, 'copy-coder-prompt');
    expect(await navigator.clipboard.readText()).toContain('- [INSERT CURRENT OBJECTIVE]');
    await startSession(app, 'Retire the fallback path');
    await run(app, 'copy-coder-prompt');
    const prompt = await navigator.clipboard.readText();
    expect(prompt).toContain('Objective:\n- Retire the fallback path\n');
    expect(prompt).toContain('   - 04_Phase_A_Controlled_Rollout_Evidence_Log.md');
    await run(app, 'copy-short-prompt');
    expect(await navigator.clipboard.readText()).toMatch(/^Objective: Retire the fallback path\n\nFollow the DraganCorp Phase A operating model/);
  });

  it('starts a session on a new packet added to Work Packets first; refuses a second session', async () => {
    await open();
    await run(app, 'start-session');
    const form = lastModal(app).contentEl;
    typeInto(fieldIn(form, 'Objective') as HTMLInputElement, 'Cancel propagation');
    typeInto(fieldIn(form, 'Goal') as HTMLInputElement, 'Stop the VP within 2 s of a cancel.');
    click(buttonIn(form, 'Start session'));
    await app.idle();
    // Verification and Expected Evidence are required: nothing written, the errors shown inline.
    expect(lastModal(app).isOpen).toBe(true);
    expect(form.querySelector('#canon-start-packet-1-error')?.textContent).not.toBe('');
    expect(sessionPaths(app)).toEqual([]);
    typeInto(fieldIn(form, 'Verification') as HTMLInputElement, '`npm run probe:cancel`');
    typeInto(fieldIn(form, 'Expected evidence') as HTMLInputElement, 'Cancel-to-stop under 2 s.');
    click(buttonIn(form, 'Start session'));
    await app.idle();
    expect(app.openModals()).toHaveLength(0);
    expect(text(app, '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md')).toContain('| P-7 | Stop the VP within 2 s of a cancel. |');
    const [path] = sessionPaths(app);
    expect(text(app, path ?? '')).toContain('\npackets: ["P-7"]\n');

    await run(app, 'start-session');
    expect(app.openModals()).toHaveLength(0);
    expect(app.noticeMessages().at(-1)).toBe(`A session is already open: ${path ?? ''}. Close it before starting another.`);
  });

  it('plans each close write again inside it: a moved table is found again, a reshaped one refuses the write', async () => {
    await open();
    const path = await startSession(app, 'Concurrent edits');
    const vault = app.vault;
    const original = vault.process.bind(vault);
    /** The next write to the control center first meets a change made by someone else (a sync, say). */
    const meanwhile = (change: (text: string) => string): void => {
      vault.process = async (file, fn, options) => {
        if (file.path === CONTROL) {
          vault.process = original;
          await original(file, change);
        }
        return original(file, fn, options);
      };
    };

    // An unescaped pipe in the last Status Log row: the table no longer has the shape the close planned on.
    meanwhile((t) => t.replace('| Hold at target traffic |', '| Hold at | target traffic |'));
    await run(app, 'close-session');
    click(buttonIn(lastModal(app).contentEl, 'Close session'));
    await app.idle();
    click(buttonIn(lastModal(app).contentEl, 'Close anyway'));
    await app.idle();
    expect(app.noticeMessages().at(-1)).toMatch(/^Canon: The session was not closed: the Status Log row cannot be written: /);
    expect(text(app, path)).toContain('\nstatus: open\n');
    expect(statusLogRows(text(app, CONTROL))).toHaveLength(10);
    for (const modal of app.openModals()) modal.close();

    await vault.process(vault.getFileByPath(CONTROL)!, (t) => t.replace('| Hold at | target traffic |', '| Hold at target traffic |'));
    await app.flushDebounces();
    meanwhile((t) => t.replace('## 2) Status Log\n', '## 2) Status Log\n\nTwo lines\nadded above the table.\n'));
    await run(app, 'close-session');
    click(buttonIn(lastModal(app).contentEl, 'Close session'));
    await app.idle();
    click(buttonIn(lastModal(app).contentEl, 'Close anyway'));
    await app.idle();
    const control = text(app, CONTROL);
    expect(control).toContain('Two lines\nadded above the table.');
    expect(statusLogRows(control).at(-1)).toMatch(/^\| 2026-11-24 14:05 \| Concurrent edits \| /);
    expect(text(app, path)).toContain('\nstatus: closed\n');
  });
});

/** A change that proves a checklist item: W-11 through the form, or a row added by hand (or a sync) to `04` or to `00`'s Status Log. */
type ProvingChange = 'form' | 'evidence-row' | 'status-row';

const W10_ROW = /^\| W-10 \|.*$/m;
const LAST_STATUS_ROW = /^\| 2026-11-13 17:40 \| Hold at target traffic \|.*$/m;

async function prove(app: App, change: ProvingChange): Promise<void> {
  if (change === 'form') {
    await addWindow(app, (a) => a.settle());
    return;
  }
  const [path, after, row] = change === 'evidence-row'
    ? [EVIDENCE, W10_ROW, '| W-11 | 2026-11-24 09:00 | 2026-11-24 13:00 | 25% | 40 | 1 | 2.50% | 610 | vp.mission.failed=0 | hold | |']
    : [CONTROL, LAST_STATUS_ROW, '| 2026-11-24 14:00 | Dashboards checked | W-10 still within every trigger. | G3, G4 | W-10 |'];
  await app.vault.process(app.vault.getFileByPath(path)!, (t) => {
    expect(t).toMatch(after);
    return t.replace(after, (line) => `${line}\n${row}`);
  });
  await app.settle();
}

/** What the pane shows: its text, and each checkbox with its state. */
function shownPane(app: App): { text: string; checkboxes: [string, boolean, boolean][] } {
  return { text: pane(app).textContent ?? '', checkboxes: checkboxes(app) };
}

describe.each(pluginBuilds)('the session pane under metadata lag (%s)', (_name, load) => {
  /** The window's timers are the test's: the lag's delays and the plugin's debounces run as `advance` lets time pass. */
  const advance = (ms: number) => vi.advanceTimersByTimeAsync(ms);
  const timers: Parameters<typeof vi.useFakeTimers>[0] = { now: NOW, toFake: ['Date', 'setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] };

  /** Opens the example vault, starts a session and makes `change`, letting `gaps` pass (the cache filling meanwhile); then waits for the app. */
  async function session(PluginClass: CanonPluginClass, options: FakeAppOptions, change: ProvingChange, gaps: [number, number]): Promise<App> {
    const app = loadVaultFromDir(EXAMPLE_VAULT, options);
    try {
      await app.loadPlugin(PluginClass);
      await app.layoutReady();
      await advance(gaps[0]);
      // No wait for the cache: the session note's metadata is on its way when the change comes.
      await startSession(app, 'Lagging proof', [], [], (a) => a.settle());
      await advance(gaps[1]);
      await prove(app, change);
      await app.idle({ advance });
      expect(app.metadataCache.idle).toBe(true);
      expect(app.listenerErrors).toEqual([]);
      return app;
    } catch (error) {
      await app.destroy();
      throw error;
    }
  }

  beforeEach(() => {
    vi.useFakeTimers(timers);
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('shows, once the cache has settled, what it shows without lag, whatever the delays', async () => {
    const PluginClass = await load();
    /** Without lag, per change: what the pane shows (each change proves an item: the pane ticks it, "vault"). */
    const expected = new Map<ProvingChange, ReturnType<typeof shownPane>>();
    for (const change of ['form', 'evidence-row', 'status-row'] as const) {
      const app = await session(PluginClass, {}, change, [0, 0]);
      expect(items(app).filter((i) => i.checked).every((i) => i.by === 'vault')).toBe(true);
      expect(items(app).some((i) => i.by === 'vault')).toBe(true);
      expected.set(change, shownPane(app));
      await app.destroy();
    }
    // The status row proves another item than the evidence rows do.
    expect(expected.get('status-row')).not.toEqual(expected.get('evidence-row'));

    await fc.assert(
      fc.asyncProperty(
        fc.record({
          change: fc.constantFrom<ProvingChange>('form', 'evidence-row', 'status-row'),
          seed: fc.nat(),
          minMs: fc.integer({ min: 0, max: 200 }),
          spread: fc.integer({ min: 0, max: 600 }),
          warmCache: fc.boolean(),
          gaps: fc.tuple(fc.integer({ min: 0, max: 400 }), fc.integer({ min: 0, max: 400 })),
        }),
        async ({ change, seed, minMs, spread, warmCache, gaps }) => {
          vi.useFakeTimers(timers);
          const files = readVaultDir(EXAMPLE_VAULT);
          const lag = { minMs, maxMs: minMs + spread, seed, ...(warmCache ? { previous: files } : {}) };
          const app = await session(PluginClass, { ...FAITHFUL, metadataLag: lag }, change, gaps);
          try {
            expect(shownPane(app)).toEqual(expected.get(change));
          } finally {
            await app.destroy();
          }
        },
      ),
      { numRuns: 12 },
    );
  });
});
