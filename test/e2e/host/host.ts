/**
 * The end-to-end host page's script (bundled by ../harness.ts, run in Chromium): the behavioural
 * fake of `obsidian` over the page's real DOM, an app over the example vault, and the BUILT main.js
 * loaded as Obsidian loads a plugin — a CommonJS function whose `require('obsidian')` is the fake.
 * The workspace is laid out as in Obsidian (main area, right sidebar with Canon's panes), keys go
 * to the keymap's scopes as Obsidian's do, and `window.canonTest` (./api.ts) lets a test drive it.
 */
import * as obsidian from '../../fakes/obsidian';
import { createFakeApp, fakeWorkLog, installDom, MarkdownView, type App } from '../../fakes/obsidian';
import type { BootOptions, CanonTestApi, EditorState } from './api';

const CONTROL_CENTER = '00_DraganCorp_Program_Control_Center.md';
const PANE_COMMANDS = { stack: 'canon:open-stack-view', session: 'canon:open-session-checklist' } as const;

let app: App | null = null;
const pageErrors: string[] = [];
const longTasks: Array<{ start: number; duration: number }> = [];

function theApp(): App {
  if (!app) throw new Error('canonTest.boot() has not run');
  return app;
}

/** A JSON block the server put in the page's head (`<script type="application/json" id="…">`). */
function pageData<T>(id: string): T {
  const block = document.getElementById(id);
  if (!block) throw new Error(`the page has no #${id} data block`);
  return JSON.parse(block.textContent ?? '') as T;
}

/** Loads a classic script (the server's wrapper around main.js) and waits for it to run. */
function loadScript(url: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const script = document.head.createEl('script', { attr: { src: url } });
    script.addEventListener('load', () => resolve());
    script.addEventListener('error', () => reject(new Error(`${url} did not load`)));
  });
}

/** main.js as Obsidian runs it: a CommonJS module; `require` answers 'obsidian' and nothing else (no Node on mobile). */
async function loadPluginClass(required: string[]): Promise<new (...args: never[]) => object> {
  await loadScript('/plugin/main.js');
  const factory = window.canonPluginFactory;
  if (!factory) throw new Error('/plugin/main.js did not define the plugin factory');
  const module = { exports: {} as Record<string, unknown> };
  factory(module.exports, (id) => {
    required.push(id);
    if (id === 'obsidian') return obsidian;
    throw new Error(`main.js requires "${id}": a plugin gets only "obsidian"`);
  }, module);
  const PluginClass = module.exports.default;
  if (typeof PluginClass !== 'function') throw new Error('main.js has no default export class');
  return PluginClass as new (...args: never[]) => object;
}

/** Obsidian's keymap listens on the window: a keydown no element prevented goes to the active scope. */
function routeKeys(event: KeyboardEvent): void {
  if (!event.defaultPrevented && app) app.handleKeyEvent(event);
}

/** View headers show their view's name, as Obsidian's tab headers do. */
function labelViews(a: App): void {
  for (const leaf of a.workspace.allLeaves) {
    const header = leaf.view.containerEl.querySelector('.view-header');
    const title = leaf.getDisplayText();
    if (header && header.getText() !== title) header.setText(title);
  }
}

/** What the host last drew of each editor. */
const drawn = new WeakMap<MarkdownView, { text: string; line: number }>();

/**
 * Draws each open note's editor text (the fake's editor has no DOM of its own): one line a row,
 * the cursor's line marked and scrolled to. Run at boot and when a test asks for `editor()` (not on
 * every change: a redraw forces a layout), redrawing only what moved.
 */
function drawEditors(a: App): void {
  for (const leaf of a.workspace.allLeaves) {
    const view = leaf.view;
    if (!(view instanceof MarkdownView)) continue;
    const text = view.editor.getValue();
    const line = view.editor.getCursor().line;
    const last = drawn.get(view);
    if (last?.text === text && last.line === line) continue;
    let root = view.contentEl.querySelector<HTMLElement>(':scope > .host-editor');
    if (!root || last?.text !== text) {
      root?.detach();
      const fresh = view.contentEl.createDiv({ cls: 'host-editor', attr: { 'aria-label': view.file?.path ?? '' } });
      text.split('\n').forEach((t, i) => fresh.createDiv({ cls: 'host-line', text: t || ' ', attr: { 'data-line': i } }));
      root = fresh;
    }
    root.querySelector('.host-line.is-cursor')?.removeClass('is-cursor');
    const current = root.children[line] as HTMLElement | undefined;
    current?.addClass('is-cursor');
    if (last?.line !== line) current?.scrollIntoView({ block: 'center' });
    drawn.set(view, { text, line });
  }
}

/** Assigns hotkeys as Obsidian's hotkey settings do: keys in the app's scope run the command. */
function assignHotkeys(a: App, hotkeys: Record<string, string>): void {
  for (const [id, keys] of Object.entries(hotkeys)) {
    const parts = keys.split('+');
    const key = parts.pop() ?? '';
    a.scope.register(parts as obsidian.Modifier[], key, () => {
      a.commands.executeCommandById(id);
      return false;
    });
  }
}

async function idle(): Promise<void> {
  const a = theApp();
  await a.settle();
  await a.flushDebounces();
  labelViews(a);
}

async function boot(options: BootOptions = {}): Promise<{ required: string[] }> {
  if (app) throw new Error('canonTest.boot() runs once per page');
  installDom();
  const files = pageData<Record<string, string>>('canon-vault');
  for (const [path, text] of Object.entries(options.files ?? {})) {
    if (text === null) Reflect.deleteProperty(files, path);
    else files[path] = text;
  }
  const a = createFakeApp({ files, vaultName: 'example-vault' });
  app = a;
  document.body.addClass(`theme-${options.theme ?? 'light'}`);
  const required: string[] = [];
  const PluginClass = await loadPluginClass(required);
  await a.loadPlugin(PluginClass, pageData<obsidian.PluginManifest>('canon-manifest'));
  await a.layoutReady();
  assignHotkeys(a, options.hotkeys ?? {});
  const open = options.open === undefined ? CONTROL_CENTER : options.open;
  if (open !== null) await a.openInEditor(open);
  for (const pane of options.panes ?? ['stack', 'session']) await a.commands.run(PANE_COMMANDS[pane]);
  await idle();
  drawEditors(a);
  return { required };
}

function editorState(): EditorState | null {
  drawEditors(theApp());
  const view = theApp().workspace.getActiveViewOfType(MarkdownView);
  if (!view?.file) return null;
  const line = view.editor.getCursor().line;
  return { path: view.file.path, line, lineText: view.editor.getLine(line) };
}

// Listeners the page keeps for good are added before any app exists, so no app counts them as its own.
installDom();
document.addEventListener('keydown', routeKeys);
window.addEventListener('error', (event) => pageErrors.push(String(event.message)));
window.addEventListener('unhandledrejection', (event) => pageErrors.push(String(event.reason)));
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) longTasks.push({ start: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });

const api: CanonTestApi = {
  boot,
  command: async (id) => {
    await theApp().commands.run(id);
    await idle();
  },
  startCommand: (id) => theApp().commands.executeCommandById(id),
  idle,
  read: async (path) => {
    const a = theApp();
    await a.flushEditors();
    return a.vault._peek(path);
  },
  write: async (path, text) => {
    const a = theApp();
    const file = a.vault.getFileByPath(path);
    if (!file) throw new Error(`no note ${path}`);
    await a.vault.modify(file, text);
    await a.settle();
  },
  open: async (path, line) => {
    await theApp().openInEditor(path, line === undefined ? {} : { line });
    await idle();
  },
  editor: editorState,
  notices: () => theApp().noticeMessages(),
  modals: () => theApp().openModals().map((m) => m.titleEl.getText()),
  errors: () => [...theApp().listenerErrors.map((e) => e.message), ...pageErrors],
  notes: () => theApp().vault.getMarkdownFiles().map((f) => f.path),
  longTasks: () => longTasks.map((t) => t.duration),
  longTaskEntries: () => {
    return longTasks.map((t) => {
      // The fake's own work inside this task (a stretch of it never spans two tasks).
      const fake = fakeWorkLog.filter((w) => w.start >= t.start - 1 && w.start + w.duration <= t.start + t.duration + 1).reduce((sum, w) => sum + w.duration, 0);
      return { ...t, fake: Math.round(fake) };
    });
  },
  type: async (text, at) => {
    const a = theApp();
    const view = a.workspace.getActiveViewOfType(MarkdownView);
    if (!view) throw new Error('type: no active editor');
    if (at) view.editor.setCursor(at);
    for (const ch of text) {
      view.editor.replaceSelection(ch);
      await a.flushEditors();
      await idle();
    }
  },
};
window.canonTest = api;
