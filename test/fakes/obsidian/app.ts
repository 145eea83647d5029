/**
 * The App and how a test makes one: `createFakeApp`, `loadVaultFromDir` (`readVaultDir` reads a
 * folder with Node's fs, which only Node calls), its options (FakeAppOptions, FAITHFUL) and the helpers
 * a test drives it with (settle, layoutReady, leaks…).
 */

import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fakeDom, installDom } from './dom';
import { current, type Dict, realSetImmediate, realSleep, timersAreFake } from './host';
import { Keymap, Scope } from './keymap';
import { MetadataCache, type MetadataLag } from './metadata-cache';
import { applyPlatform, type FakeMobileOs, type FakePlatform, Platform } from './platform';
import { FakeCommands, FakeSettings, FileManager, Plugin, type PluginManifest, type PluginRegistrations } from './plugin';
import type { Menu, Modal, Notice } from './ui';
import { pendingDebounceCount, runPendingDebounces, runPluginDebounces } from './utils';
import { TFile, Vault } from './vault';
import { MarkdownView, TextFileView } from './views';
import { type LeafArea, type PaneType, Workspace } from './workspace';

// ───────────────────────────────────────────────── app ─────────────────────────────────────────────────

/** Fake: how the app starts. */
export interface FakeAppOptions {
  /** Text files by vault path. Paths under a dot-folder (e.g. `.obsidian/`) are on disk but not in the index. */
  files?: Record<string, string>;
  /** A case-insensitive disk (macOS, Windows, iOS, Android): see MemoryDisk. Default false (Linux). */
  caseInsensitiveDisk?: boolean;
  /** Folders that exist even when empty. */
  folders?: string[];
  vaultName?: string;
  /** The clock for file times (default `Date.now`, which vitest's fake timers control). */
  now?: () => number;
  /** When the metadata cache parses a written note: a microtask later (default), or on `metadataCache.flushPending()`. */
  metadata?: 'microtask' | 'manual';
  /**
   * The metadata cache lags as the app's does (see MetadataLag and MetadataCache): each write's
   * metadata arrives `minMs`…`maxMs` later (seeded, per file; the window's timers, so vitest's fake
   * timers drive them), and at layout-ready the cache is still empty or filling. `settle()` does not
   * wait for it: `idle()` does, or advance the timers, or `metadataCache.flushLagging()`. Default: no lag.
   */
  metadataLag?: MetadataLag;
  /** Whether `layoutReady()` first fires vault `create` for every existing file, as Obsidian does at start-up (default true). */
  startupCreateEvents?: boolean;
  /** Leaves restored from the saved layout: deferred until revealed, activated or loaded (area defaults to 'right'). */
  layout?: Array<{ area?: LeafArea; type: string; state?: Dict }>;
  /** The device: 'desktop' (default), or a 'phone' or 'tablet' (`Platform.isMobile`, no status bar, no pop-outs). */
  platform?: FakePlatform;
  /** A phone's or tablet's system (default 'android'; 'ios' also sets `Platform.isMacOS`, as the d.ts says). */
  mobileOs?: FakeMobileOs;
  /** On a phone or tablet: `plugin.addStatusBarItem` is missing ('absent', default) or returns an element never shown ('hidden'). */
  mobileStatusBar?: 'absent' | 'hidden';
  /** Whether a mouse press in a leaf makes it the active leaf, as in the app (default true). */
  activateLeafOnClick?: boolean;
}

/**
 * Fake: the app as a plugin meets it on a user's machine, where the fake's defaults are kinder:
 * - the metadata cache lags (`metadataLag`): each write's metadata arrives 1–50 ms later, per file in
 *   a seeded random order, `changed` per file and a late `resolved`; at start-up the cache is empty
 *   and fills after the layout is ready (a vault opened for the first time, or after a pull);
 * - the disk is case-insensitive (`caseInsensitiveDisk`), as on macOS, Windows, iOS and Android;
 * - a mouse press in a leaf makes it the active leaf (`activateLeafOnClick`).
 * Spread it into the options (`loadVaultFromDir(dir, { ...FAITHFUL, files })`); the delays are real
 * time unless the test fakes the window's timers. A test waits for the app with `app.idle()`, which
 * lets the cache fill, where `settle()` does not. Give another `metadataLag.seed` for other delays.
 * createFakeApp's defaults stay instant (the end-to-end host and the benchmarks use them).
 */
export const FAITHFUL: Readonly<FakeAppOptions> = Object.freeze({
  metadataLag: Object.freeze({ minMs: 1, maxMs: 50, seed: 1 }),
  caseInsensitiveDisk: true,
  activateLeafOnClick: true,
});

/** Fake: the two ways to run a plugin suite, for `describe.each(fakeAppModes)('%s', (_mode, options) => …)`. */
export const fakeAppModes: Array<[mode: 'instant' | 'faithful', options: Readonly<FakeAppOptions>]> = [
  ['instant', {}],
  ['faithful', FAITHFUL],
];

/** Fake: what is still registered or listening (all zero after the plugin unloads, if it cleaned up). */
export interface LiveListeners {
  vault: number;
  metadataCache: number;
  workspace: number;
  leaves: number;
  window: number;
  document: number;
  intervals: number;
  commands: number;
  statusBarItems: number;
  ribbonIcons: number;
  settingTabs: number;
  viewTypes: number;
  scopes: number;
  openModals: number;
  registrations: number;
  pendingDebounces: number;
}

/** How long `idle()` lets pass between two looks at the lagging cache. */
const IDLE_STEP_MS = 5;

/** The plugin's manifest.json (the repository's), for `loadPlugin` without a manifest. */
function defaultManifest(): PluginManifest {
  const fallback: PluginManifest = { id: 'canon', name: 'Canon', author: '', version: '0.0.0', minAppVersion: '1.7.2', description: '' };
  try {
    const parsed = JSON.parse(readFileSync(join(import.meta.dirname, '../../../manifest.json'), 'utf8')) as Partial<PluginManifest>;
    return { ...fallback, ...parsed };
  } catch {
    return fallback;
  }
}

/** Obsidian's App, with the fake's helpers for driving it from a test. */
export class App {
  keymap: Keymap;
  scope: Scope;
  workspace: Workspace;
  vault: Vault;
  metadataCache: MetadataCache;
  fileManager: FileManager;
  lastEvent: UIEvent | null = null;
  /** Obsidian's (non-public) command registry. */
  commands: FakeCommands;
  /** Obsidian's (non-public) settings modal. */
  setting: FakeSettings;
  /** Obsidian's (non-public) plugin registry. */
  plugins: { plugins: Record<string, Plugin>; manifests: Record<string, PluginManifest>; enabledPlugins: Set<string>; getPlugin(id: string): Plugin | null };
  /** Fake: the app's elements. */
  containerEl: HTMLElement;
  ribbonEl: HTMLElement;
  statusBarEl: HTMLElement;
  /** Fake: what `addStatusBarItem` is on a phone or tablet (FakeAppOptions.mobileStatusBar). */
  readonly mobileStatusBar: 'absent' | 'hidden';
  /** Fake: every notice shown while this app was current, in order. */
  readonly notices: Notice[] = [];
  /** Fake: every modal opened, in order (`openModals()` for those still open). */
  readonly modals: Modal[] = [];
  /** Fake: every menu shown while this app was current. */
  readonly menus: Menu[] = [];
  /** Fake: errors thrown by event listeners and layout-ready callbacks (Obsidian logs them and goes on). */
  readonly listenerErrors: Error[] = [];
  /** Fake: view types plugins registered. */
  readonly registeredViewTypes = new Set<string>();
  /** Fake: other plugin registrations. */
  readonly pluginRegistrations: PluginRegistrations = {
    markdownPostProcessors: [],
    codeBlockProcessors: [],
    editorExtensions: [],
    protocolHandlers: [],
    editorSuggests: [],
    hoverLinkSources: [],
  };
  private readonly storage = new Map<string, string>();
  private readonly options: FakeAppOptions;

  constructor(options: FakeAppOptions = {}) {
    const dom = installDom();
    // One live app at a time: what an earlier app left in the document goes.
    dom.document.body.empty();
    current.app = this;
    this.options = options;
    applyPlatform(options.platform ?? 'desktop', options.mobileOs ?? 'android', dom.document.body);
    this.mobileStatusBar = options.mobileStatusBar ?? 'absent';
    // An earlier app's pop-outs are gone: the main window is the active one.
    dom.setActiveWindow(dom.window);
    this.containerEl = dom.document.body.createDiv({ cls: 'app-container' });
    this.ribbonEl = this.containerEl.createDiv({ cls: 'side-dock-ribbon' });
    this.vault = new Vault(options.vaultName ?? 'Fake vault', options.now ?? (() => Date.now()), options.caseInsensitiveDisk ?? false);
    this.metadataCache = new MetadataCache(this.vault, options.metadata ?? 'microtask', options.metadataLag);
    this.scope = new Scope();
    this.keymap = new Keymap(this.scope);
    this.workspace = new Workspace(this, this.containerEl);
    this.workspace.activateLeafOnClick = options.activateLeafOnClick ?? true;
    this.statusBarEl = this.containerEl.createDiv({ cls: 'status-bar' });
    // The app has no status bar on mobile (Plugin.addStatusBarItem: "Not available on mobile").
    if (Platform.isMobile) this.statusBarEl.hide();
    this.fileManager = new FileManager(this);
    this.commands = new FakeCommands(this);
    this.setting = new FakeSettings();
    const plugins: Record<string, Plugin> = {};
    this.plugins = { plugins, manifests: {}, enabledPlugins: new Set(), getPlugin: (id) => plugins[id] ?? null };
    this.vault._seed(options.files ?? {}, options.folders);
    this.metadataCache._parseAll();
    this.vault._observer = {
      created: (file) => {
        if (file instanceof TFile) this.metadataCache._queue(file);
      },
      modified: (file, data) => {
        this.metadataCache._queue(file);
        this.workspace._fileModified(file, data);
      },
      deleted: (file) => {
        if (file instanceof TFile) this.metadataCache._deleted(file);
        this.workspace._fileDeleted(file);
      },
      renamed: (file, oldPath) => {
        if (file instanceof TFile) this.metadataCache._renamed(file, oldPath);
      },
    };
    for (const leaf of options.layout ?? []) this.workspace._restoreLeaf(leaf.area ?? 'right', { type: leaf.type, state: leaf.state });
  }

  isDarkMode(): boolean {
    return false;
  }

  loadLocalStorage(key: string): unknown {
    const value = this.storage.get(key);
    return value === undefined ? null : (JSON.parse(value) as unknown);
  }

  saveLocalStorage(key: string, data: unknown): void {
    if (data === null || data === undefined) this.storage.delete(key);
    else this.storage.set(key, JSON.stringify(data));
  }

  /** Fake: `new PluginClass(app, manifest)`, then its (awaited) `onload`; the manifest defaults to the repository's. */
  async loadPlugin<T extends object>(PluginClass: new (...args: never[]) => T, manifest: Partial<PluginManifest> = {}): Promise<T> {
    const full: PluginManifest = { ...defaultManifest(), ...manifest };
    full.dir ??= `${this.vault.configDir}/plugins/${full.id}`;
    const plugin = new (PluginClass as unknown as new (app: App, manifest: PluginManifest) => T)(this, full);
    if (!(plugin instanceof Plugin)) {
      throw new Error('The plugin class does not extend the fake Plugin: is `obsidian` aliased to test/fakes/obsidian.ts (vitest.config.ts)?');
    }
    this.plugins.plugins[full.id] = plugin;
    this.plugins.manifests[full.id] = full;
    this.plugins.enabledPlugins.add(full.id);
    await plugin._loadPlugin();
    await this.settle();
    return plugin;
  }

  /** Fake: unloads one plugin (or all, last loaded first), running every cleanup it registered. */
  async unloadPlugin(plugin?: object): Promise<void> {
    const targets = plugin ? [plugin] : Object.values(this.plugins.plugins).reverse();
    for (const target of targets) {
      if (!(target instanceof Plugin)) throw new Error('unloadPlugin: not a plugin');
      target.unload();
      Reflect.deleteProperty(this.plugins.plugins, target.manifest.id);
      this.plugins.enabledPlugins.delete(target.manifest.id);
    }
    await this.settle();
  }

  /**
   * Fake: the layout becomes ready. As at Obsidian's start-up, vault `create` fires first for every
   * file (unless `startupCreateEvents: false`), then the `onLayoutReady` callbacks run, then
   * `layout-change` and metadata `resolved` (under `metadataLag`, indexing starts instead, and
   * `resolved` comes once it is done); then the app settles.
   */
  async layoutReady(): Promise<void> {
    if (this.workspace.layoutReady) return;
    if (this.options.startupCreateEvents !== false) {
      for (const file of this.vault.getAllLoadedFiles()) if (file !== this.vault.getRoot()) this.vault.trigger('create', file);
    }
    this.workspace._setLayoutReady();
    this.workspace.trigger('layout-change');
    this.metadataCache._layoutReady();
    await this.settle();
  }

  /** Fake: lets pending work finish: metadata parses and promise chains (real macrotasks, so fake timers do not stall it). */
  async settle(): Promise<void> {
    for (let round = 0; round < 20; round++) {
      if (this.options.metadata !== 'manual') this.metadataCache.flushPending();
      await new Promise<void>((resolve) => realSetImmediate(resolve));
    }
  }

  /**
   * Fake: waits until the app is idle: it settles; under `metadataLag` it lets time pass until every
   * parse on its way has arrived and the late `resolved` has fired (real time; under vitest's fake
   * timers, `advance(ms)` when given — e.g. `(ms) => vi.advanceTimersByTimeAsync(ms)` — else the
   * parses are delivered at once with `flushLagging()`); and it runs the plugins' debounced calls
   * that are waiting, as their timers would (not the editors' autosave: `flushEditors()` does that);
   * until none of that is left. Without lag it is `settle()` and the plugins' debounced calls.
   */
  async idle(options: { advance?: (ms: number) => Promise<unknown> } = {}): Promise<void> {
    for (let round = 0; round < 2000; round++) {
      await this.settle();
      if (this.metadataCache._lagBusy) {
        if (options.advance) await options.advance(IDLE_STEP_MS);
        else if (timersAreFake()) this.metadataCache.flushLagging();
        else await realSleep(IDLE_STEP_MS);
        continue;
      }
      if (runPluginDebounces(this) === 0) return;
    }
    throw new Error('idle: the app is still busy after 2000 rounds (a plugin that writes on every change of the metadata cache?)');
  }

  /** Fake: every open text view saves its unsaved changes (what Obsidian's 2 s autosave would do). */
  async flushEditors(): Promise<void> {
    for (const leaf of this.workspace.allLeaves) if (leaf.view instanceof TextFileView) await leaf.view.save();
    await this.settle();
  }

  /** Fake: runs every debounced call that is waiting (the plugin's and the editors' autosave), until none is left. */
  async flushDebounces(): Promise<number> {
    let total = 0;
    for (let round = 0; round < 20; round++) {
      const ran = runPendingDebounces(this);
      await this.settle();
      total += ran;
      if (ran === 0) break;
    }
    return total;
  }

  /** Fake: opens a note in a markdown view (the active leaf by default), the cursor at a 0-based `line`. */
  async openInEditor(path: string, options: { line?: number; newLeaf?: PaneType | boolean; active?: boolean } = {}): Promise<MarkdownView> {
    const file = this.vault.getFileByPath(path);
    if (!file) throw new Error(`openInEditor: no file ${path}`);
    const leaf = this.workspace.getLeaf(options.newLeaf);
    await leaf.openFile(file, { active: options.active ?? true, ...(options.line !== undefined ? { eState: { line: options.line } } : {}) });
    await this.settle();
    if (!(leaf.view instanceof MarkdownView)) throw new Error(`openInEditor: ${path} did not open in a markdown view`);
    return leaf.view;
  }

  /**
   * Fake: a key press. The keydown goes to `target` (default: the focused element, else the body);
   * unless a DOM listener prevented its default, the scope pushed last (a modal's) handles it, else
   * the active view's `scope`, else the app's — each passing it on to its parent. Returns whether
   * something handled it.
   */
  pressKey(key: string, options: { shift?: boolean; ctrl?: boolean; alt?: boolean; meta?: boolean; mod?: boolean; target?: EventTarget } = {}): boolean {
    const win = fakeDom().window;
    const mod = options.mod === true;
    const evt = new win.KeyboardEvent('keydown', {
      key,
      bubbles: true,
      cancelable: true,
      shiftKey: options.shift === true,
      altKey: options.alt === true,
      ctrlKey: options.ctrl === true || (mod && !Platform.isMacOS),
      metaKey: options.meta === true || (mod && Platform.isMacOS),
    });
    const target = options.target ?? win.document.activeElement ?? win.document.body;
    target.dispatchEvent(evt);
    if (evt.defaultPrevented) return true;
    return this.handleKeyEvent(evt);
  }

  /**
   * Fake: what Obsidian's keymap does with a keydown that no DOM listener prevented: the scope pushed
   * last (a modal's) handles it, else the active view's `scope`, else the app's. `pressKey` calls it;
   * a browser host calls it from a `keydown` listener on the document.
   */
  handleKeyEvent(evt: KeyboardEvent): boolean {
    this.lastEvent = evt;
    // A modal's (or other pushed) scope first; else the active view's, as when its pane has focus.
    const viewScope = this.workspace.activeLeaf?.view.scope;
    const scope = this.keymap.pushedScopes > 0 ? this.keymap.activeScope : (viewScope ?? this.scope);
    return scope.handleKey(evt);
  }

  /** Fake: the modals open now, oldest first. */
  openModals(): Modal[] {
    return this.modals.filter((m) => m.isOpen);
  }

  /** Fake: the text of every notice shown, in order. */
  noticeMessages(): string[] {
    return this.notices.map((n) => n.message);
  }

  /** Fake: a plugin's saved data (its data.json, parsed), or null. */
  pluginData(id = defaultManifest().id): unknown {
    const text = this.vault._peek(`${this.vault.configDir}/plugins/${id}/data.json`);
    return text === null ? null : (JSON.parse(text) as unknown);
  }

  /** Fake: what is still listening or registered; after `unloadPlugin()` all should be 0. */
  liveListeners(): LiveListeners {
    const dom = fakeDom();
    const domListeners = dom.liveDomListeners(this);
    return {
      vault: this.vault.listenerCount(),
      metadataCache: this.metadataCache.listenerCount(),
      workspace: this.workspace.listenerCount(),
      leaves: this.workspace.allLeaves.reduce((n, leaf) => n + leaf.listenerCount(), 0),
      window: domListeners.window,
      document: domListeners.document,
      intervals: dom.liveIntervals(this),
      commands: Object.keys(this.commands.commands).length,
      statusBarItems: this.statusBarEl.children.length,
      ribbonIcons: this.ribbonEl.children.length,
      settingTabs: this.setting.pluginTabs.length,
      viewTypes: this.registeredViewTypes.size,
      scopes: this.keymap.pushedScopes,
      openModals: this.openModals().length,
      registrations: Object.values(this.pluginRegistrations as unknown as Record<string, unknown[]>).reduce((n, list) => n + list.length, 0),
      pendingDebounces: pendingDebounceCount(this),
    };
  }

  /**
   * Fake: the entries of `liveListeners()` that differ from `baseline` (default: all zero) — `{}`
   * when nothing leaked. Take a baseline when the test itself listens: `const before = app.liveListeners()`.
   */
  leaks(baseline?: LiveListeners): Partial<LiveListeners> {
    const live = this.liveListeners();
    const diff = Object.entries(live).map(([key, n]) => [key, n - (baseline?.[key as keyof LiveListeners] ?? 0)] as const);
    return Object.fromEntries(diff.filter(([, n]) => n !== 0));
  }

  /** Fake: unloads the plugins, closes modals and leaves, and takes the app out of the document. */
  async destroy(): Promise<void> {
    await this.unloadPlugin();
    for (const modal of this.openModals()) modal.close();
    for (const leaf of this.workspace.allLeaves) leaf.detach();
    await this.settle();
    this.containerEl.detach();
    if (current.app === this) current.app = null;
  }
}

/** Fake: a new app over an in-memory vault of `files` (see FakeAppOptions). */
export function createFakeApp(options: FakeAppOptions = {}): App {
  return new App(options);
}

const VAULT_TEXT_FILE = /\.(md|markdown|json|canvas|txt|css|ya?ml|csv|base)$/i;
const VAULT_SKIPPED = ['.git', 'node_modules', '.trash', '.obsidian/plugins'];

/** Fake: the text files of a vault folder on disk, by vault path (skips .git, node_modules, .trash, .obsidian/plugins). */
export function readVaultDir(dir: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (folder: string): void => {
    for (const entry of readdirSync(folder, { withFileTypes: true })) {
      const full = join(folder, entry.name);
      const path = relative(dir, full).split(sep).join('/');
      if (entry.isDirectory()) {
        if (!VAULT_SKIPPED.includes(path) && !VAULT_SKIPPED.includes(entry.name)) walk(full);
      } else if (entry.isFile() && VAULT_TEXT_FILE.test(entry.name)) {
        files[path] = readFileSync(full, 'utf8');
      }
    }
  };
  walk(dir);
  return files;
}

/** Fake: an app over a copy of a vault folder on disk (e.g. example-vault/); `options.files` add or replace files. */
export function loadVaultFromDir(dir: string, options: FakeAppOptions = {}): App {
  const name = dir.split(/[\\/]/).filter(Boolean).pop() ?? 'vault';
  return createFakeApp({ vaultName: name, ...options, files: { ...readVaultDir(dir), ...options.files } });
}
