/**
 * The fake's platform, leaf activation, clicks and windows follow the app (see the "Source:" notes in
 * test/fakes/obsidian/): a phone has no status bar, a press activates its leaf, a middle click is
 * an auxclick, pop-outs are windows of their own, and links are drawn as each view mode draws them.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { click, createFakeApp, MarkdownView, Platform, Plugin, renderLink, WorkspaceWindow, type App, type FakeEditorView } from '../fakes/obsidian';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

function make(options: Parameters<typeof createFakeApp>[0] = {}): App {
  app = createFakeApp(options);
  return app;
}

class Probe extends Plugin {}

describe('the platform', () => {
  it('is a desktop by default, with a status bar', async () => {
    const a = make();
    expect(Platform).toMatchObject({ isDesktop: true, isMobile: false, isDesktopApp: true, isPhone: false });
    const plugin = await a.loadPlugin(Probe);
    expect(typeof plugin.addStatusBarItem).toBe('function');
    expect(document.body.classList.contains('is-mobile')).toBe(false);
  });

  it('is a phone when asked: mobile flags and body classes, no addStatusBarItem, no pop-outs', async () => {
    const a = make({ platform: 'phone', mobileOs: 'ios' });
    expect(Platform).toMatchObject({ isDesktop: false, isMobile: true, isDesktopApp: false, isMobileApp: true, isIosApp: true, isPhone: true, isTablet: false, isMacOS: true });
    expect(Platform.resourcePathPrefix).toBe('file:///');
    expect(['is-mobile', 'is-phone', 'is-ios'].every((c) => document.body.classList.contains(c))).toBe(true);
    const plugin = await a.loadPlugin(Probe);
    expect(Reflect.get(plugin, 'addStatusBarItem')).toBeUndefined();
    expect(() => a.workspace.openPopoutLeaf()).toThrow(/mobile/);
    expect(a.workspace.getLeaf('window').area).toBe('main');
  });

  it('hands out a status bar item never shown, when asked', async () => {
    const a = make({ platform: 'tablet', mobileStatusBar: 'hidden' });
    const plugin = await a.loadPlugin(Probe);
    plugin.addStatusBarItem().setText('x');
    expect(a.statusBarEl.style.display).toBe('none');
  });

  it('is a desktop again in the next app, with the OS flags a test set', () => {
    const macOS = Platform.isMacOS;
    make({ platform: 'phone', mobileOs: 'ios' });
    make();
    expect(Platform).toMatchObject({ isMobile: false, isPhone: false, isIosApp: false, isMacOS: macOS });
    expect(document.body.classList.contains('is-phone')).toBe(false);
  });
});

describe('clicks', () => {
  it('press, release, then click; a middle click is an auxclick and no click', () => {
    const a = make();
    const el = a.workspace.containerEl.createDiv();
    const seen: string[] = [];
    for (const type of ['mousedown', 'mouseup', 'click', 'auxclick']) el.addEventListener(type, (e) => seen.push(`${type}:${(e as MouseEvent).button}`));
    click(el);
    click(el, { button: 1 });
    expect(seen).toEqual(['mousedown:0', 'mouseup:0', 'click:0', 'mousedown:1', 'mouseup:1', 'auxclick:1']);
  });

  it('holds the keys asked, Mod being Ctrl off macOS', () => {
    const a = make();
    const el = a.workspace.containerEl.createDiv();
    let evt: MouseEvent | null = null;
    el.addEventListener('click', (e) => (evt = e));
    click(el, { mod: true, shift: true });
    expect(evt).toMatchObject({ ctrlKey: !Platform.isMacOS, metaKey: Platform.isMacOS, shiftKey: true, altKey: false });
  });

  it('activate the leaf they land in, a sidebar leaf too, before any click handler runs', () => {
    const a = make();
    const side = a.workspace.getRightLeaf(false)!;
    const button = side.view.containerEl.createEl('button');
    let activeAtClick: unknown = null;
    button.addEventListener('click', () => (activeAtClick = a.workspace.activeLeaf));
    const changes: unknown[] = [];
    a.workspace.on('active-leaf-change', (leaf) => changes.push(leaf));
    click(button);
    expect(activeAtClick).toBe(side);
    expect(changes).toEqual([side]);
  });

  it('leave the active leaf alone when activateLeafOnClick is off, and do nothing on a disabled button', () => {
    const a = make({ activateLeafOnClick: false });
    const main = a.workspace.activeLeaf;
    const side = a.workspace.getRightLeaf(false)!;
    click(side.view.containerEl.createEl('button'));
    expect(a.workspace.activeLeaf).toBe(main);
    const b = make();
    const leaf = b.workspace.getRightLeaf(false)!;
    const disabled = leaf.view.containerEl.createEl('button');
    disabled.disabled = true;
    click(disabled);
    expect(b.workspace.activeLeaf).not.toBe(leaf);
  });
});

describe('pop-out windows', () => {
  it('open as a window of their own: window-open, the active window follows, the leaf opens links there', async () => {
    const a = make({ files: { 'a.md': '# A\n', 'b.md': '# B\n' } });
    const opened: Array<[WorkspaceWindow, Window]> = [];
    a.workspace.on('window-open', (win, w) => opened.push([win, w]));
    const leaf = a.workspace.openPopoutLeaf();
    const popout = leaf.parent as WorkspaceWindow;
    expect(opened).toEqual([[popout, popout.win]]);
    expect(popout.doc).not.toBe(document);
    expect(leaf.containerEl.ownerDocument).toBe(popout.doc);
    expect(leaf.view.containerEl.doc).toBe(popout.doc);
    expect(a.workspace.activeLeaf).toBe(leaf);
    expect(activeDocument).toBe(popout.doc);
    expect(activeWindow).toBe(popout.win);
    expect(a.workspace.getLeaf(false)).toBe(leaf);
    await a.workspace.openLinkText('b', '');
    expect((leaf.view as MarkdownView).file?.path).toBe('b.md');
    const main = a.workspace.getMostRecentLeaf()!;
    click(main.view.containerEl);
    expect(activeDocument).toBe(document);
    expect(a.workspace.getLeaf('window').parent).toBeInstanceOf(WorkspaceWindow);
  });

  it('close with their last leaf: window-close, and their listeners go with them', async () => {
    const a = make();
    const closed: WorkspaceWindow[] = [];
    a.workspace.on('window-close', (win) => closed.push(win));
    const leaf = a.workspace.openPopoutLeaf();
    const popout = leaf.parent as WorkspaceWindow;
    const before = a.liveListeners();
    popout.doc.addEventListener('click', () => undefined);
    expect(a.liveListeners().document).toBe(before.document + 1);
    leaf.detach();
    await a.settle();
    expect(closed).toEqual([popout]);
    expect(a.workspace.popouts).toEqual([]);
    expect(a.liveListeners().document).toBe(before.document);
    expect(activeDocument).toBe(document);
    expect(a.workspace.activeLeaf?.area).toBe('main');
  });
});

describe('renderLink', () => {
  const TEXT = '# Note\nSee [[W-2|the second]] and [[b#Part]].\n';

  async function note(a: App): Promise<MarkdownView> {
    return a.openInEditor('n.md', { line: 0 });
  }

  it('draws Reading view links with their target in data-href and their alias as text', async () => {
    const a = make({ files: { 'n.md': TEXT, 'b.md': '# B\n' } });
    const view = await note(a);
    await view.setState({ ...view.getState(), mode: 'preview' }, { history: false });
    const first = renderLink(view, 1);
    expect(first.outerHTML).toMatch(/^<a /);
    expect([first.getAttribute('data-href'), first.textContent, first.classList.contains('is-unresolved')]).toEqual(['W-2', 'the second', true]);
    const second = renderLink(view, 1, 1);
    expect([second.getAttribute('data-href'), second.classList.contains('is-unresolved')]).toEqual(['b#Part', false]);
  });

  it('draws a Live Preview link hidden behind its alias, and its source while the cursor is in it; posAtDOM maps both', async () => {
    const a = make({ files: { 'n.md': TEXT } });
    const view = await note(a);
    const drawn = renderLink(view, 1);
    expect(drawn.matches('.cm-hmd-internal-link.cm-link-alias > .cm-underline')).toBe(true);
    expect(drawn.textContent).toBe('the second');
    expect(drawn.closest('.cm-line')?.textContent).toBe('See the second and b#Part.');
    const cm = (view.editor as unknown as { cm: FakeEditorView }).cm;
    expect(view.editor.offsetToPos(cm.posAtDOM(drawn))).toEqual({ line: 1, ch: 10 });
    view.editor.setCursor({ line: 1, ch: 6 });
    const source = renderLink(view, 1);
    // Only the link the cursor is in shows its source.
    expect(source.closest('.cm-line')?.textContent).toBe('See [[W-2|the second]] and b#Part.');
    expect(source.matches('.cm-hmd-internal-link.cm-link-alias')).toBe(true);
    expect(view.editor.offsetToPos(cm.posAtDOM(source))).toEqual({ line: 1, ch: 10 });
    expect(() => cm.posAtDOM(document.body)).toThrow(RangeError);
  });

  it('draws Source mode as source, cursor or not', async () => {
    const a = make({ files: { 'n.md': TEXT } });
    const view = await note(a);
    await view.setState({ ...view.getState(), mode: 'source', source: true }, { history: false });
    const el = renderLink(view, 1);
    expect(el.closest('.markdown-source-view')?.classList.contains('is-live-preview')).toBe(false);
    expect(el.closest('.cm-line')?.querySelector('.cm-formatting-link-start')?.textContent).toBe('[[');
  });
});
