import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { click, loadVaultFromDir, MarkdownView, selectOption, typeInto, type App, type FakeAppOptions } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { insertedLines } from '../helpers/note-text';
import { REPO } from '../helpers/run-cli';

const EXAMPLE = join(REPO, 'example-vault');
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const CONTROL = '00_DraganCorp_Program_Control_Center.md';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

/** The example vault in a fake app with the plugin loaded and the layout ready. */
async function start(load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>, files: Record<string, string> = {}) {
  app = loadVaultFromDir(EXAMPLE, { ...options, files });
  const plugin = await app.loadPlugin(await load());
  await app.layoutReady();
  // Faithful: the cache fills after the layout is ready; the first check completes once it has.
  await app.idle();
  return { app, plugin };
}

function text(a: App, path: string): string {
  const t = a.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

function formInputs(a: App): Map<string, HTMLInputElement | HTMLSelectElement> {
  const modal = a.openModals().at(-1);
  if (!modal) throw new Error('no form is open');
  const out = new Map<string, HTMLInputElement | HTMLSelectElement>();
  for (const label of Array.from(modal.contentEl.querySelectorAll('label'))) {
    const input = modal.contentEl.querySelector(`#${label.getAttribute('for') ?? ''}`);
    const name = label.firstChild?.textContent?.trim() ?? '';
    if (input) out.set(name, input as HTMLInputElement | HTMLSelectElement);
  }
  return out;
}

function fill(a: App, values: Record<string, string>): void {
  const inputs = formInputs(a);
  for (const [name, value] of Object.entries(values)) {
    const input = inputs.get(name);
    if (!input) throw new Error(`no input ${name}; have ${[...inputs.keys()].join(', ')}`);
    if (input instanceof HTMLSelectElement) selectOption(input, value);
    else typeInto(input, value);
  }
}

const WINDOW_11 = {
  Start: '2026-11-16 09:00',
  End: '2026-11-16 17:00',
  Traffic: '25%',
  Missions: '180',
  Fallbacks: '6',
  'p95 (ms)': '630',
  Events: 'vp.mission.failed=0',
  Decision: 'hold',
};

describe.each(pluginRuns)('the plugin (%s)', (_name, load, options) => {
  it('does no vault work in onload, then checks the stack once the layout is ready', async () => {
    app = loadVaultFromDir(EXAMPLE, options);
    const plugin = await app.loadPlugin(await load());
    expect(app.vault.calls).toEqual([]);
    const bar = app.statusBarEl.textContent;
    expect(bar).toBe('Canon');
    await app.layoutReady();
    await app.idle();
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);
    expect(app.statusBarEl.textContent).toBe('Canon: no problems');
    expect(plugin.controller.snapshot().guardrails?.recommendation).toBe('promote');
  });

  it("registers the README's commands without the plugin id and without hotkeys", async () => {
    const { app: a } = await start(load, options);
    const ids = a.commands.listCommands().map((c) => c.id);
    for (const id of ['add-status-entry', 'add-decision', 'add-lesson', 'add-evidence-window', 'add-work-packet', 'add-playbook-query', 'add-rollback-trigger', 'fix-all-problems', 'validate-stack', 'open-stack-view', 'open-control-center', 'open-evidence-log', 'create-missing-notes', 'copy-coder-prompt']) {
      expect(ids).toContain(`canon:${id}`);
    }
    expect(a.commands.listCommands().every((c) => (c.hotkeys ?? []).length === 0)).toBe(true);
  });

  it('adds an evidence window from the form: one new row, the note opens at it, the problems update', async () => {
    const { app: a, plugin } = await start(load, options);
    const before = text(a, LOG);
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    const inputs = formInputs(a);
    expect(inputs.get('Window')?.value).toBe('W-11');
    expect(inputs.get('Decision')).toBeInstanceOf(HTMLSelectElement);
    fill(a, WINDOW_11);
    expect(a.pressKey('Enter')).toBe(true);
    await a.settle();
    expect(a.openModals()).toHaveLength(0);
    const added = insertedLines(before, text(a, LOG));
    expect(added).toEqual(['| W-11 | 2026-11-16 09:00 | 2026-11-16 17:00 | 25% | 180 | 6 | 3.33% | 630 | vp.mission.failed=0 | hold | |']);
    expect(a.noticeMessages().at(-1)).toMatch(/Added W-11/);
    const view = a.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.file?.path).toBe(LOG);
    expect(view?.editor.getCursor().line).toBe(text(a, LOG).split('\n').indexOf(added[0] ?? ''));
    expect(plugin.controller.snapshot().windows.at(-1)?.id).toBe('W-11');
  });

  it('shows errors inline and writes nothing while the entry is wrong', async () => {
    const { app: a } = await start(load, options);
    const before = text(a, LOG);
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    fill(a, { ...WINDOW_11, Missions: '10', Fallbacks: '12', End: '2026-11-16 08:00' });
    click(a.openModals()[0]!.contentEl.querySelector('button.mod-cta')!);
    await a.settle();
    expect(text(a, LOG)).toBe(before);
    expect(a.openModals()).toHaveLength(1);
    const shown = a.openModals()[0]!.contentEl.textContent ?? '';
    expect(shown).toMatch(/End .*before.*Start|End is before Start|End < Start/i);
    expect(shown).toMatch(/Fallbacks.*Missions/);
    expect(shown).not.toMatch(/Fallback Rate is empty/);
  });

  it('writes through the open editor as one undo step, keeping unsaved typing', async () => {
    const { app: a, plugin } = await start(load, options);
    const view = await a.openInEditor(LOG);
    view.editor.replaceRange('Typed but not saved. ', { line: 2, ch: 0 });
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    fill(a, WINDOW_11);
    a.pressKey('Enter');
    await a.settle();
    const value = view.editor.getValue();
    expect(value).toContain('Typed but not saved. ');
    expect(value).toContain('| W-11 | 2026-11-16 09:00 |');
    // The stack already knows the row (the editor was saved with it), so the next form offers W-12.
    expect(plugin.controller.snapshot().windows.at(-1)?.id).toBe('W-11');
    view.editor.undo();
    expect(view.editor.getValue()).not.toContain('W-11');
    expect(view.editor.getValue()).toContain('Typed but not saved. ');
  });

  it('writes through the vault when the note is in Reading view: the row survives the save and the switch back', async () => {
    const { app: a } = await start(load, options);
    const view = await a.openInEditor(LOG);
    await view.leaf.setViewState({ type: 'markdown', state: { file: LOG, mode: 'preview' }, active: true });
    expect(view.getMode()).toBe('preview');
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    fill(a, WINDOW_11);
    a.pressKey('Enter');
    await a.settle();
    expect(a.noticeMessages().at(-1)).toMatch(/Added W-11/);
    await a.flushEditors();
    expect(text(a, LOG).match(/\| W-11 \|/g)).toHaveLength(1);
    const reading = a.workspace.getLeavesOfType('markdown').map((l) => l.view).find((v): v is MarkdownView => v instanceof MarkdownView && v.file?.path === LOG);
    reading?._setMode('source');
    expect(reading?.editor.getValue()).toContain('| W-11 |');
    await a.flushEditors();
    expect(text(a, LOG).match(/\| W-11 \|/g)).toHaveLength(1);
  });

  it('saves a note open in another pane before writing, so neither edit is lost', async () => {
    const { app: a } = await start(load, options);
    const view = await a.openInEditor(LOG);
    view.editor.replaceRange('Edited in another pane. ', { line: 2, ch: 0 });
    await a.openInEditor(CONTROL, { newLeaf: 'tab' });
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    fill(a, WINDOW_11);
    a.pressKey('Enter');
    await a.settle();
    await a.flushEditors();
    const after = text(a, LOG);
    expect(after).toContain('Edited in another pane. ');
    expect(after.match(/\| W-11 \|/g)).toHaveLength(1);
  });

  it('never writes to a malformed table, and says why', async () => {
    const broken = text(loadVaultFromDir(EXAMPLE), LOG).replace('| W-10 | 2026-11-13 09:00 |', '| W-10 | 2026-11-13 09:00 | extra |');
    const { app: a } = await start(load, options, { [LOG]: broken });
    await a.commands.run('canon:add-evidence-window');
    await a.settle();
    fill(a, WINDOW_11);
    a.pressKey('Enter');
    await a.settle();
    expect(text(a, LOG)).toBe(broken);
    expect(a.noticeMessages().join('\n')).toMatch(/malformed, so nothing was written/);
  });

  it('re-checks a canonical note after a change, and a problem click opens the note at its line', async () => {
    const { app: a, plugin } = await start(load, options);
    const file = a.vault.getFileByPath(CONTROL)!;
    await a.vault.process(file, (t) => t.replace(/\| D-1 \|/, '| D-01 |'));
    await a.idle();
    const snapshot = plugin.controller.snapshot();
    expect(snapshot.result?.counts.error).toBeGreaterThan(0);
    expect(a.statusBarEl.textContent).toMatch(/Canon: \d+ errors?/);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const problem = a.workspace.containerEl.querySelector('.canon-problem[role="button"]');
    expect(problem).not.toBeNull();
    click(problem!);
    await a.settle();
    const diag = snapshot.result!.diagnostics.find((d) => d.path === CONTROL)!;
    const view = a.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.file?.path).toBe(CONTROL);
    expect(view?.editor.getCursor().line).toBe(diag.line - 1);
  });

  it('writes settings to canon.config.json and reports a broken config instead of ignoring it', async () => {
    const { app: a, plugin } = await start(load, options);
    a.setting.openTabById('canon');
    const inputs = Array.from(a.setting.containerEl.querySelectorAll<HTMLInputElement>('input[type="text"]'));
    typeInto(inputs[0]!, 'Docs');
    await a.settle();
    expect(JSON.parse(text(a, 'canon.config.json'))).toMatchObject({ folder: 'Docs' });
    a.setting.close();
    await a.vault.adapter.write('canon.config.json', '{ "folder": 3 }');
    await plugin.controller.validateNow();
    expect(plugin.controller.snapshot().configProblem).toMatch(/canon.config.json line 1/);
    expect(a.statusBarEl.textContent).toBe('Canon: config broken');
  });

  it('refuses a setting that would make the config invalid, leaving the file untouched', async () => {
    const { app: a } = await start(load, options, { 'canon.config.json': '{\n  "debounceMs": 300\n}\n' });
    a.setting.openTabById('canon');
    const folder = a.setting.containerEl.querySelectorAll<HTMLInputElement>('input[type="text"]')[0]!;
    const writes = a.vault.calls.length;
    typeInto(folder, '../outside');
    await a.settle();
    expect(text(a, 'canon.config.json')).toBe('{\n  "debounceMs": 300\n}\n');
    expect(a.vault.calls.slice(writes).filter((c) => c.path === 'canon.config.json')).toEqual([]);
    expect(a.setting.containerEl.textContent).toMatch(/Not saved: folder/);
    a.setting.close();
  });

  it('creates the missing notes of the stack from the templates', async () => {
    const { app: a, plugin } = await start(load, options, {});
    await a.vault.delete(a.vault.getFileByPath(LOG)!);
    await a.idle();
    await a.commands.run('canon:create-missing-notes');
    await a.settle();
    expect(text(a, LOG)).toMatch(/## Rollout Windows/);
    expect(plugin.controller.snapshot().result?.docs.every((d) => d.path !== null)).toBe(true);
  });

  it('leaves nothing behind when unloaded', async () => {
    const { app: a } = await start(load, options);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    await a.unloadPlugin();
    expect(a.leaks()).toEqual({});
  });
});

describe.each(pluginRuns)('row-id links (%s)', (_name, load, options) => {
  it('opens the row a [[W-10]] link names instead of creating a note W-10', async () => {
    const { app: a } = await start(load, options);
    const link = a.workspace.containerEl.createEl('a', { cls: 'internal-link is-unresolved', attr: { 'data-href': 'W-10', href: 'W-10' }, text: 'W-10' });
    click(link);
    await a.settle();
    const view = a.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.file?.path).toBe(LOG);
    expect(view?.editor.getLine(view.editor.getCursor().line)).toMatch(/^\| W-10 \|/);
    expect(a.vault.getFileByPath('W-10.md')).toBeNull();
  });

  it('leaves links to notes alone', async () => {
    const { app: a } = await start(load, options);
    const link = a.workspace.containerEl.createEl('a', { cls: 'internal-link', attr: { 'data-href': CONTROL }, text: 'control' });
    let reached = false;
    a.workspace.containerEl.addEventListener('click', () => { reached = true; });
    click(link);
    expect(reached).toBe(true);
  });
});

describe.each(pluginRuns)('role claims (%s)', (_name, load, options) => {
  it('points a second claim of a role at its own canon: line', async () => {
    const { plugin } = await start(load, options, { 'notes/Other log.md': '---\ntitle: x\ntags: [a]\ncanon: evidence-log\n---\n# Other\n' });
    const diagnostics = plugin.controller.snapshot().result?.diagnostics ?? [];
    const claim = diagnostics.find((d) => d.rule === 'doc/duplicate-role' && d.path === 'notes/Other log.md');
    expect(claim?.line).toBe(4);
  });
});

describe.each(pluginRuns)('live checks of chosen rule families (%s)', (_name, load, options) => {
  it('reports only the listed families after a change, and every rule on "Validate the stack"', async () => {
    const { app: a, plugin } = await start(load, options, { 'canon.config.json': '{ "liveChecks": ["cell"] }\n' });
    const file = a.vault.getFileByPath(CONTROL)!;
    // Two problems in one edit: a bad Gates cell (cell/type) and a link to no note (link/unresolved).
    await a.vault.process(file, (t) => t.replace('| G1, G2 | P-1 |', '| G9 | [[No such note]] |'));
    await a.idle();
    const live = new Set(plugin.controller.snapshot().result?.diagnostics.map((d) => d.rule));
    expect(live.has('cell/type')).toBe(true);
    expect(live.has('link/unresolved')).toBe(false);
    await a.commands.run('canon:validate-stack');
    const full = new Set(plugin.controller.snapshot().result?.diagnostics.map((d) => d.rule));
    expect(full.has('link/unresolved')).toBe(true);
  });
});
