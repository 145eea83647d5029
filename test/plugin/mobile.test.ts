/**
 * The plugin as the app runs it, on the sources and on the built main.js: on a phone or tablet, with
 * no status bar (`Plugin.addStatusBarItem` is "Not available on mobile"), and with pane buttons
 * clicked as a user clicks them — the press makes the pane the active leaf first.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { click, loadVaultFromDir, MarkdownView, Platform, readVaultDir, selectOption, typeInto, type App, type FakeAppOptions } from '../fakes/obsidian';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { pluginRuns } from '../fakes/plugin-runs';
import { insertedLines } from '../helpers/note-text';
import { REPO } from '../helpers/run-cli';

const EXAMPLE = join(REPO, 'example-vault');
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
/** A row with a cell too many: errors. */
const BROKEN = (text: string): string =>
  text.replace('| W-10 | 2026-11-13 09:00 |', '| W-10 | 2026-11-13 09:00 | extra |');

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

async function start(load: () => Promise<CanonPluginClass>, mode: Readonly<FakeAppOptions>, options: FakeAppOptions = {}): Promise<App> {
  const a = loadVaultFromDir(EXAMPLE, { ...mode, ...options });
  app = a;
  await a.loadPlugin(await load());
  await a.layoutReady();
  await a.idle();
  return a;
}

function brokenLog(): Record<string, string> {
  return { [LOG]: BROKEN(readVaultDir(EXAMPLE)[LOG] ?? '') };
}

describe.each(pluginRuns)('on a phone (%s)', (_name, load, mode) => {
  it('loads without a status bar and shows the problem count in the stack view and its title', async () => {
    const a = await start(load, mode, { platform: 'phone', files: brokenLog() });
    expect(Platform.isMobile).toBe(true);
    expect(a.statusBarEl.children).toHaveLength(0);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const leaf = a.workspace.getLeavesOfType('canon-stack')[0];
    expect(leaf?.getDisplayText()).toMatch(/^Canon stack: \d+ errors?$/);
    const summary = leaf?.view.containerEl.querySelector('.canon-stack-summary .canon-severity-error')?.textContent;
    expect(summary).toMatch(/^\d+ errors?$/);
    expect(leaf?.getDisplayText()).toContain(summary ?? '-');
  });

  it('keeps the title in step with the checks', async () => {
    const a = await start(load, mode, { platform: 'phone' });
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const leaf = a.workspace.getLeavesOfType('canon-stack')[0];
    expect(leaf?.getDisplayText()).toBe('Canon stack: no problems');
    const log = a.vault.getFileByPath(LOG)!;
    await a.vault.process(log, BROKEN);
    await a.idle();
    expect(leaf?.getDisplayText()).toMatch(/^Canon stack: \d+ errors?$/);
  });

  it('adds no status bar item where the app hands out one that is never shown', async () => {
    const a = await start(load, mode, { platform: 'tablet', mobileOs: 'ios', mobileStatusBar: 'hidden' });
    expect(Platform.isTablet).toBe(true);
    expect(a.statusBarEl.children).toHaveLength(0);
  });

  it('keeps the status bar on a desktop, and the plain title', async () => {
    const a = await start(load, mode, { files: brokenLog() });
    expect(Platform.isMobile).toBe(false);
    expect(a.statusBarEl.textContent).toMatch(/^Canon: \d+ errors?/);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    expect(a.workspace.getLeavesOfType('canon-stack')[0]?.getDisplayText()).toBe('Canon stack');
  });
});

describe.each(pluginRuns)('pane buttons clicked as in the app (%s)', (_name, load, mode) => {
  it('adds an evidence window from the stack pane: the press activates the pane, the row is written, the note opens in the main area', async () => {
    const a = await start(load, mode);
    const editor = await a.openInEditor(LOG, { line: 3 });
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const stackLeaf = a.workspace.getLeavesOfType('canon-stack')[0]!;
    const before = a.vault._peek(LOG) ?? '';
    const add = Array.from(stackLeaf.view.containerEl.querySelectorAll<HTMLButtonElement>('button.canon-add-entry')).find((b) => b.textContent === 'Add evidence window');
    click(add!);
    expect(a.workspace.activeLeaf).toBe(stackLeaf);
    await a.settle();
    const modal = a.openModals()[0]!;
    const field = (name: string): HTMLInputElement | HTMLSelectElement => {
      const label = Array.from(modal.contentEl.querySelectorAll('label')).find((l) => l.firstChild?.textContent?.trim() === name);
      return modal.contentEl.querySelector(`#${label?.getAttribute('for') ?? 'none'}`)!;
    };
    const values: Record<string, string> = { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '180', Fallbacks: '6', 'p95 (ms)': '630', Events: 'vp.mission.failed=0', Decision: 'hold' };
    for (const [name, value] of Object.entries(values)) {
      const input = field(name);
      if (input instanceof HTMLSelectElement) selectOption(input, value);
      else typeInto(input, value);
    }
    click(modal.contentEl.querySelector('button.mod-cta')!);
    await a.settle();
    expect(a.openModals()).toHaveLength(0);
    const added = insertedLines(before, a.vault._peek(LOG) ?? '');
    expect(added).toHaveLength(1);
    expect(added[0]).toMatch(/^\| W-11 \|/);
    // The note opens at the row in the main area; the pane stays where it was.
    expect(stackLeaf.view.getViewType()).toBe('canon-stack');
    expect(editor.leaf.area).toBe('main');
    expect(editor.file?.path).toBe(LOG);
    expect(editor.editor.getLine(editor.editor.getCursor().line)).toBe(added[0]);
    expect(a.workspace.getActiveViewOfType(MarkdownView)).toBe(editor);
  });

  it('opens a problem from the stack pane in the main area, not in the pane', async () => {
    const a = await start(load, mode, { files: brokenLog() });
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const stackLeaf = a.workspace.getLeavesOfType('canon-stack')[0]!;
    const group = Array.from(stackLeaf.view.containerEl.querySelectorAll('.canon-problem-group')).find((g) => g.querySelector('.canon-problem-note')?.textContent === LOG);
    click(group!.querySelector<HTMLElement>('.canon-problem[role="button"]')!);
    expect(a.workspace.activeLeaf).toBe(stackLeaf);
    await a.settle();
    expect(stackLeaf.view.getViewType()).toBe('canon-stack');
    const view = a.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.leaf.area).toBe('main');
    expect(view?.file?.path).toBe(LOG);
    expect(view?.editor.getLine(view.editor.getCursor().line)).toMatch(/^\| W-10 \| 2026-11-13 09:00 \| extra \|/);
  });
});
