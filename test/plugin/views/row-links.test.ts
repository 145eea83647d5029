/**
 * Row-id links (`[[W-10]]`) follow Obsidian's click conventions, on the sources and on the built
 * main.js: only links drawn as links (Reading view; Live Preview while the cursor is elsewhere), the
 * link's target and never its alias, a new tab on a middle or Ctrl/Cmd click, every window (pop-outs
 * too), and a real note named like the row id wins. Links are drawn by the fake's `renderLink` as
 * the app draws them in each mode.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { click, loadVaultFromDir, MarkdownView, renderLink, type App, type FakeAppOptions, type WorkspaceLeaf } from '../../fakes/obsidian';
import type { CanonPluginClass } from '../../fakes/load-bundle';
import { pluginRuns } from '../../fakes/plugin-runs';
import { REPO } from '../../helpers/run-cli';

const EXAMPLE = join(REPO, 'example-vault');
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const NOTE = 'notes/Links.md';
/** Line 1: a plain row link; line 2: an alias that looks like another row id; line 3: a link to a note. */
const NOTE_TEXT = '# Links\nSee [[W-10]] for the last window.\nAlso [[W-9|W-10]], aliased.\nAnd [[00_DraganCorp_Program_Control_Center]].\n';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

/** The example vault with a note of links, the plugin loaded and the layout ready; the note open in Live Preview. */
async function start(load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>, files: Record<string, string> = {}): Promise<{ a: App; view: MarkdownView }> {
  const a = loadVaultFromDir(EXAMPLE, { ...options, files: { [NOTE]: NOTE_TEXT, ...files } });
  app = a;
  await a.loadPlugin(await load());
  await a.layoutReady();
  await a.idle();
  const view = await a.openInEditor(NOTE, { line: 0 });
  return { a, view };
}

/** Switches a markdown view to Reading view or Source mode, as the app's view-mode toggle does. */
async function setMode(view: MarkdownView, mode: 'reading' | 'source'): Promise<void> {
  const state = mode === 'reading' ? { mode: 'preview' } : { mode: 'source', source: true };
  await view.setState({ ...view.getState(), ...state }, { history: false });
}

/** The line of the note a markdown view shows with its cursor, or null. */
function cursorLine(view: MarkdownView | null | undefined): string | null {
  if (!view) return null;
  return view.editor.getLine(view.editor.getCursor().line);
}

/** The markdown leaves showing `path`. */
function leavesOf(a: App, path: string): WorkspaceLeaf[] {
  return a.workspace.getLeavesOfType('markdown').filter((l) => l.view instanceof MarkdownView && l.view.file?.path === path);
}

/** Watches whether a click on `el` goes on to the app's own handlers (Canon did not take it); call the result to know. */
function reachesTheApp(el: HTMLElement): () => boolean {
  let reached = false;
  const listener = (): void => {
    reached = true;
  };
  el.doc.addEventListener('click', listener);
  return () => {
    el.doc.removeEventListener('click', listener);
    return reached;
  };
}

describe.each(pluginRuns)('row-id links (%s)', (_name, load, options) => {
  it('opens the row of a link in Reading view, in place', async () => {
    const { a, view } = await start(load, options);
    await setMode(view, 'reading');
    const link = renderLink(view, 1);
    expect(link.matches('a.internal-link[data-href="W-10"]')).toBe(true);
    click(link);
    await a.settle();
    expect(view.file?.path).toBe(LOG);
    expect(cursorLine(view)).toMatch(/^\| W-10 \|/);
    expect(a.vault.getFileByPath('W-10.md')).toBeNull();
  });

  it('opens the row of a link Live Preview draws (the cursor elsewhere)', async () => {
    const { a, view } = await start(load, options);
    const link = renderLink(view, 1);
    expect(link.closest('.markdown-source-view.is-live-preview')).not.toBeNull();
    click(link);
    await a.settle();
    expect(view.file?.path).toBe(LOG);
    expect(cursorLine(view)).toMatch(/^\| W-10 \|/);
  });

  it('leaves a click in Live Preview alone while the cursor is in the link: it places the cursor', async () => {
    const { a, view } = await start(load, options);
    view.editor.setCursor({ line: 1, ch: 8 });
    const link = renderLink(view, 1);
    expect(link.closest('.cm-line')?.querySelector('.cm-formatting-link')).not.toBeNull();
    const reached = reachesTheApp(link);
    click(link);
    await a.settle();
    expect(reached()).toBe(true);
    expect(view.file?.path).toBe(NOTE);
    expect(leavesOf(a, LOG)).toHaveLength(0);
  });

  it('leaves a plain click in Source mode alone', async () => {
    const { a, view } = await start(load, options);
    await setMode(view, 'source');
    const link = renderLink(view, 1);
    expect(link.closest('.markdown-source-view')?.classList.contains('is-live-preview')).toBe(false);
    const reached = reachesTheApp(link);
    click(link);
    await a.settle();
    expect(reached()).toBe(true);
    expect(view.file?.path).toBe(NOTE);
    expect(leavesOf(a, LOG)).toHaveLength(0);
  });

  it('follows the target of [[W-9|W-10]], never its alias, in Live Preview and in Reading view', async () => {
    const { a, view } = await start(load, options);
    const live = renderLink(view, 2);
    expect(live.textContent).toBe('W-10');
    click(live);
    await a.settle();
    expect(view.file?.path).toBe(LOG);
    expect(cursorLine(view)).toMatch(/^\| W-9 \|/);

    const note = a.vault.getFileByPath(NOTE)!;
    await view.leaf.openFile(note, { active: true, state: { mode: 'preview' } });
    const reading = renderLink(view, 2);
    expect(reading.textContent).toBe('W-10');
    click(reading);
    await a.settle();
    expect(cursorLine(view)).toMatch(/^\| W-9 \|/);
  });

  it('opens the row in a new tab on a middle click, and on a Ctrl/Cmd click', async () => {
    const { a, view } = await start(load, options);
    await setMode(view, 'reading');
    click(renderLink(view, 1), { button: 1 });
    await a.settle();
    expect(view.file?.path).toBe(NOTE);
    const [tab] = leavesOf(a, LOG);
    expect(tab).toBeDefined();
    expect(cursorLine(tab?.view as MarkdownView)).toMatch(/^\| W-10 \|/);

    click(renderLink(view, 2), { mod: true });
    await a.settle();
    expect(view.file?.path).toBe(NOTE);
    expect(leavesOf(a, LOG)).toHaveLength(2);
    expect(a.vault.getFileByPath('W-10.md')).toBeNull();
  });

  it('ignores a right click (the context menu)', async () => {
    const { a, view } = await start(load, options);
    await setMode(view, 'reading');
    click(renderLink(view, 1), { button: 2 });
    await a.settle();
    expect(view.file?.path).toBe(NOTE);
    expect(leavesOf(a, LOG)).toHaveLength(0);
  });

  it('works in a pop-out window, opening the row there', async () => {
    const { a } = await start(load, options);
    const leaf = a.workspace.openPopoutLeaf();
    await leaf.openFile(a.vault.getFileByPath(NOTE)!, { active: true });
    const view = leaf.view as MarkdownView;
    const link = renderLink(view, 1);
    expect(link.doc).not.toBe(a.workspace.containerEl.doc);
    expect(activeDocument).toBe(link.doc);
    click(link);
    await a.settle();
    expect(view.file?.path).toBe(LOG);
    expect(cursorLine(view)).toMatch(/^\| W-10 \|/);
    expect(a.vault.getFileByPath('W-10.md')).toBeNull();
  });

  it('works in the main window and in a pop-out that was open (and focused) when the plugin loaded', async () => {
    const a = loadVaultFromDir(EXAMPLE, { ...options, files: { [NOTE]: NOTE_TEXT } });
    app = a;
    const main = await a.openInEditor(NOTE, { line: 0 });
    const leaf = a.workspace.openPopoutLeaf();
    await leaf.openFile(a.vault.getFileByPath(NOTE)!, { active: true });
    expect(activeDocument).not.toBe(a.workspace.containerEl.doc);
    await a.loadPlugin(await load());
    await a.layoutReady();
    await a.idle();
    const popout = leaf.view as MarkdownView;
    click(renderLink(popout, 1));
    await a.settle();
    expect(cursorLine(popout)).toMatch(/^\| W-10 \|/);
    click(renderLink(main, 2));
    await a.settle();
    expect(main.file?.path).toBe(LOG);
    expect(cursorLine(main)).toMatch(/^\| W-9 \|/);
  });

  it('lets a real note named W-10 win: Obsidian opens it', async () => {
    const { a, view } = await start(load, options, { 'W-10.md': '# A note named like a row\n' });
    await setMode(view, 'reading');
    const link = renderLink(view, 1);
    expect(link.classList.contains('is-unresolved')).toBe(false);
    const reached = reachesTheApp(link);
    click(link);
    await a.settle();
    expect(reached()).toBe(true);
    expect(leavesOf(a, LOG)).toHaveLength(0);
  });

  it('leaves links to notes alone', async () => {
    const { view } = await start(load, options);
    await setMode(view, 'reading');
    const link = renderLink(view, 3);
    const reached = reachesTheApp(link);
    click(link);
    expect(reached()).toBe(true);
  });

  it('leaves nothing listening in any window when unloaded', async () => {
    const { a } = await start(load, options);
    const leaf = a.workspace.openPopoutLeaf();
    await leaf.openFile(a.vault.getFileByPath(NOTE)!, { active: true });
    await a.unloadPlugin();
    expect(a.leaks()).toEqual({});
  });
});
