/**
 * The workspace: sidebars and the main area (splits), leaves, pop-out windows, the active leaf,
 * opening files and links, and the layout's readiness.
 */

import type { App } from './app';
import { fakeDom } from './dom';
import type { Editor } from './editor';
import { type EventRef, Events } from './events';
import { type Callback, type Dict, removeItem, reportListenerError } from './host';
import { parseLinktext } from './metadata-cache';
import { Platform } from './platform';
import type { Menu } from './ui';
import { type Debouncer, makeDebouncer, normalizePath } from './utils';
import { parentPath, type TAbstractFile, type TFile } from './vault';
import { DeferredView, EmptyView, FileView, MarkdownView, type OpenViewState, type View, type ViewCreator, type ViewState } from './views';

// ─────────────────────────────────────────── workspace ───────────────────────────────────────────

export type Side = 'left' | 'right';
export type PaneType = 'tab' | 'split' | 'window';
/** Fake: where a leaf lives. */
export type LeafArea = 'main' | Side;

/** A sidebar (or the main area): its element and whether it is collapsed. */
export class WorkspaceSplit {
  collapsed: boolean;

  constructor(
    readonly area: LeafArea | 'window',
    readonly containerEl: HTMLElement,
  ) {
    this.collapsed = area === 'left' || area === 'right';
  }

  expand(): void {
    this.collapsed = false;
  }

  collapse(): void {
    if (this.area === 'left' || this.area === 'right') this.collapsed = true;
  }

  toggle(): void {
    if (this.collapsed) this.expand();
    else this.collapse();
  }
}

/**
 * A pop-out window: its own window and document, holding leaves (`workspace.openPopoutLeaf()`).
 * Source: obsidian.d.ts 1.13.1 `WorkspaceWindow` (`win`, `doc`), `Workspace.openPopoutLeaf` ("Open
 * a new popout window with a single new leaf… Only works on the desktop app"), `on('window-open')`
 * ("Triggered when a new popout window is created") and `on('window-close')`; the developer docs'
 * "Pop-out windows" guide: each has its own `Window`, `Document` and global constructors, and
 * `activeWindow`/`activeDocument` point at the focused one. The docs do not say when a pop-out
 * closes itself: the fake closes it when its last leaf is detached, as the app's window does.
 */
export class WorkspaceWindow extends WorkspaceSplit {
  constructor(
    readonly win: Window,
    readonly doc: Document,
    containerEl: HTMLElement,
    /** Fake: ends the window (its listeners go with it). */
    readonly _end: () => void,
  ) {
    super('window', containerEl);
  }
}

let leafCounter = 0;

/** A pane: it shows one view; `openFile` and `setViewState` replace it. */
export class WorkspaceLeaf extends Events {
  readonly app: App;
  readonly id: string;
  view: View;
  containerEl: HTMLElement;
  parent: WorkspaceSplit;
  pinned = false;
  /** Fake: whether the leaf is still in the workspace. */
  attached = true;

  constructor(app: App, parent: WorkspaceSplit, deferred?: ViewState) {
    super();
    this.app = app;
    this.parent = parent;
    this.id = `leaf-${++leafCounter}`;
    this.containerEl = parent.containerEl.createDiv({ cls: 'workspace-leaf' });
    this.view = deferred ? new DeferredView(this, deferred) : new EmptyView(this);
    this.containerEl.appendChild(this.view.containerEl);
    if (!deferred) this.view.load();
    // A press anywhere in a leaf, a sidebar's too, makes it the active leaf before any click handler
    // runs. Source: not in the d.ts or the docs; Obsidian's lishid (obsidian-api#133): "if you click on
    // the file explorer twice then it focuses the file explorer instead of the note leaf… Focusing on
    // sidebar accessory panes will also cause [active-leaf-change] to trigger". The event (mousedown,
    // capture phase, so a view's own handlers cannot skip it) is the fake's choice.
    this.containerEl.addEventListener('mousedown', () => {
      if (this.attached && app.workspace.activateLeafOnClick) app.workspace.setActiveLeaf(this, { focus: true });
    }, { capture: true });
  }

  /** Fake: 'main', 'left', 'right', or 'window' (a pop-out's). */
  get area(): LeafArea | 'window' {
    return this.parent.area;
  }

  get isDeferred(): boolean {
    return this.view instanceof DeferredView;
  }

  async loadIfDeferred(): Promise<void> {
    if (this.view instanceof DeferredView) await this.setViewState(this.view.deferredState);
  }

  getRoot(): WorkspaceSplit {
    return this.parent;
  }

  getContainer(): WorkspaceSplit {
    return this.parent;
  }

  getViewState(): ViewState {
    return { type: this.view.getViewType(), state: this.view.getState(), pinned: this.pinned };
  }

  /** Replaces the view when the type differs (closing the old one), then sets its state. */
  async setViewState(viewState: ViewState, eState?: unknown): Promise<void> {
    if (!this.attached) throw new Error('setViewState on a detached leaf');
    const workspace = this.app.workspace;
    if (this.view instanceof DeferredView || this.view.getViewType() !== viewState.type) {
      const create = workspace._viewCreator(viewState.type);
      if (!create) throw new Error(`No view is registered for type "${viewState.type}"`);
      await this.open(create(this));
    }
    await this.view.setState(viewState.state ?? {}, { history: false });
    if (viewState.pinned !== undefined) this.setPinned(viewState.pinned);
    if (viewState.active) workspace.setActiveLeaf(this, { focus: true });
    else workspace._fileShown(this);
    if (eState !== undefined) this.view.setEphemeralState(eState);
    workspace.trigger('layout-change');
  }

  /** Closes the current view and opens `view` in this leaf. */
  async open(view: View): Promise<View> {
    await this._closeView(false);
    this.view = view;
    this.containerEl.appendChild(view.containerEl);
    view.load();
    await view.onOpen();
    return view;
  }

  /** Opens `file` in the view for its extension; the leaf becomes active unless `active: false` (sidebars: unless `active: true`). */
  async openFile(file: TFile, openState?: OpenViewState): Promise<void> {
    const type = this.app.workspace._viewTypeForExtension(file.extension);
    if (!type) throw new Error(`No view can open .${file.extension} files`);
    const active = openState?.active ?? this.area === 'main';
    await this.setViewState({ type, state: { ...openState?.state, file: file.path }, active }, openState?.eState);
  }

  getEphemeralState(): Dict {
    return this.view.getEphemeralState();
  }

  setEphemeralState(state: unknown): void {
    this.view.setEphemeralState(state);
  }

  togglePinned(): void {
    this.setPinned(!this.pinned);
  }

  setPinned(pinned: boolean): void {
    if (pinned === this.pinned) return;
    this.pinned = pinned;
    this.trigger('pinned-change', pinned);
  }

  setGroupMember(_other: WorkspaceLeaf): void {
    // Linked panes are not modelled.
  }

  setGroup(_group: string): void {
    // Linked panes are not modelled.
  }

  /** Removes the leaf; its view closes (`onClose`) a moment later — `await app.settle()` to see it. */
  detach(): void {
    if (!this.attached) return;
    this.attached = false;
    this.app.workspace._removeLeaf(this);
    this.containerEl.detach();
    void this._closeView();
  }

  getIcon(): string {
    return this.view.getIcon();
  }

  getDisplayText(): string {
    return this.view.getDisplayText();
  }

  onResize(): void {
    this.view.onResize();
  }

  override on(name: 'pinned-change', callback: (pinned: boolean) => unknown, ctx?: unknown): EventRef;
  override on(name: 'group-change', callback: (group: string) => unknown, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef {
    return super.on(name, callback, ctx);
  }

  /** Fake: closes the view (a file view saves first, as in Obsidian), leaving an empty one in an attached leaf. */
  async _closeView(replaceWithEmpty = true): Promise<void> {
    const view = this.view;
    if (view instanceof FileView && view.file) await view.onUnloadFile(view.file);
    await view.onClose();
    view.unload();
    view.containerEl.detach();
    if (replaceWithEmpty && this.attached && this.view === view) {
      const empty = new EmptyView(this);
      this.view = empty;
      this.containerEl.appendChild(empty.containerEl);
      empty.load();
    }
  }
}

/** Obsidian's workspace: a main area and two sidebars of leaves, the active leaf, and layout readiness. */
export class Workspace extends Events {
  readonly app: App;
  containerEl: HTMLElement;
  rootSplit: WorkspaceSplit;
  leftSplit: WorkspaceSplit;
  rightSplit: WorkspaceSplit;
  activeLeaf: WorkspaceLeaf | null = null;
  layoutReady = false;
  requestSaveLayout: Debouncer<[], Promise<void>>;
  /** Fake: leaves passed to `revealLeaf`, in order. */
  readonly revealed: WorkspaceLeaf[] = [];
  /** Fake: whether a mouse press in a leaf activates it (FakeAppOptions.activateLeafOnClick). */
  activateLeafOnClick = true;
  /** Fake: the pop-out windows open now. */
  readonly popouts: WorkspaceWindow[] = [];
  private readonly leaves: WorkspaceLeaf[] = [];
  private readonly recent: WorkspaceLeaf[] = [];
  private readonly layoutReadyCallbacks: Array<() => unknown> = [];
  private readonly viewCreators = new Map<string, ViewCreator>();
  private readonly extensions = new Map<string, string>([['md', 'markdown']]);
  private readonly lastOpenFiles: string[] = [];
  private lastActiveFile: TFile | null = null;

  constructor(app: App, parentEl: HTMLElement) {
    super();
    this.app = app;
    this.containerEl = parentEl.createDiv({ cls: 'workspace' });
    this.leftSplit = new WorkspaceSplit('left', this.containerEl.createDiv({ cls: 'workspace-split mod-left-split' }));
    this.rootSplit = new WorkspaceSplit('main', this.containerEl.createDiv({ cls: 'workspace-split mod-root' }));
    this.rightSplit = new WorkspaceSplit('right', this.containerEl.createDiv({ cls: 'workspace-split mod-right-split' }));
    this.requestSaveLayout = makeDebouncer(() => Promise.resolve(), 2000, false, true);
    this.viewCreators.set('markdown', (leaf) => new MarkdownView(leaf));
    this.viewCreators.set('empty', (leaf) => new EmptyView(leaf));
    const first = this.createLeaf('main');
    this.activeLeaf = first;
    this.recent.push(first);
  }

  /** The active view if it is a markdown view (an editor), else null. */
  get activeEditor(): MarkdownView | null {
    const view = this.activeLeaf?.view;
    return view instanceof MarkdownView ? view : null;
  }

  /** Runs `callback` now when the layout is ready, else when the test calls `app.layoutReady()`. */
  onLayoutReady(callback: () => unknown): void {
    if (this.layoutReady) callback();
    else this.layoutReadyCallbacks.push(callback);
  }

  /**
   * The leaf to open something in: false reuses the active leaf (in the main area or a pop-out) or
   * the most recent one of the main area; 'tab' or true makes a new one in the main area; 'window' a
   * pop-out (a new tab on mobile). Source: obsidian.d.ts 1.13.1 `getLeaf` ("If newLeaf is 'tab' or
   * true then a new leaf will be created in the preferred location within the root split… If newLeaf
   * is 'window' then a popout window will be created with a new leaf inside"); that a link in a
   * pop-out opens in that pop-out is not documented (the app does it).
   */
  getLeaf(newLeaf?: PaneType | boolean, _direction?: 'vertical' | 'horizontal'): WorkspaceLeaf {
    if (!newLeaf) {
      const candidates = [this.activeLeaf, this.getMostRecentLeaf()];
      for (const leaf of candidates) {
        const area = leaf?.area;
        if (leaf && (area === 'main' || area === 'window') && !leaf.pinned && (leaf.view.navigation || leaf.view instanceof EmptyView)) return leaf;
      }
    }
    if (newLeaf === 'window' && !Platform.isMobile) return this.openPopoutLeaf();
    return this.createLeaf('main');
  }

  /**
   * Opens a pop-out window with one new, empty leaf, which becomes the active leaf (so `activeWindow`
   * is the pop-out); `window-open` fires with the WorkspaceWindow and its window. Throws on mobile.
   * Source: obsidian.d.ts 1.13.1 `openPopoutLeaf` ("Only works on the desktop app"), `on('window-open')`.
   */
  openPopoutLeaf(_data?: { x?: number; y?: number; size?: { width: number; height: number } }): WorkspaceLeaf {
    if (Platform.isMobile) throw new Error('Pop-out windows are not available on mobile');
    const opened = fakeDom().openWindow();
    const body = opened.document.body;
    body.addClass('is-popout-window');
    const split = body.createDiv({ cls: 'workspace is-popout' }).createDiv({ cls: 'workspace-split mod-root' });
    const popout = new WorkspaceWindow(opened.window, opened.document, split, opened.close);
    this.popouts.push(popout);
    const leaf = new WorkspaceLeaf(this.app, popout);
    this.leaves.push(leaf);
    this.trigger('window-open', popout, opened.window);
    this.setActiveLeaf(leaf, { focus: true });
    if (this.layoutReady) this.trigger('layout-change');
    return leaf;
  }

  getUnpinnedLeaf(): WorkspaceLeaf {
    return this.getLeaf(false);
  }

  createLeafBySplit(leaf: WorkspaceLeaf, _direction?: 'vertical' | 'horizontal', _before?: boolean): WorkspaceLeaf {
    const parent = leaf.parent;
    if (!(parent instanceof WorkspaceWindow)) return this.createLeaf(parent.area === 'window' ? 'main' : parent.area);
    const split = new WorkspaceLeaf(this.app, parent);
    this.leaves.push(split);
    if (this.layoutReady) this.trigger('layout-change');
    return split;
  }

  getLeftLeaf(_split: boolean): WorkspaceLeaf | null {
    return this.createLeaf('left');
  }

  getRightLeaf(_split: boolean): WorkspaceLeaf | null {
    return this.createLeaf('right');
  }

  /** The first leaf of `type`, or a new one in the sidebar `side`; revealed unless `reveal: false`. */
  async ensureSideLeaf(type: string, side: Side, options: { active?: boolean; split?: boolean; reveal?: boolean; state?: Dict } = {}): Promise<WorkspaceLeaf> {
    let leaf = this.getLeavesOfType(type)[0];
    if (!leaf) {
      leaf = this.createLeaf(side);
      await leaf.setViewState({ type, state: options.state, active: options.active });
    } else if (options.active) {
      this.setActiveLeaf(leaf, { focus: true });
    }
    if (options.reveal !== false) await this.revealLeaf(leaf);
    return leaf;
  }

  getMostRecentLeaf(): WorkspaceLeaf | null {
    for (let i = this.recent.length - 1; i >= 0; i--) {
      const leaf = this.recent[i];
      if (leaf?.attached && leaf.area === 'main') return leaf;
    }
    return this.leaves.find((l) => l.area === 'main') ?? null;
  }

  getLeafById(id: string): WorkspaceLeaf | null {
    return this.leaves.find((l) => l.id === id) ?? null;
  }

  getGroupLeaves(_group: string): WorkspaceLeaf[] {
    return [];
  }

  setActiveLeaf(leaf: WorkspaceLeaf, _params?: { focus?: boolean } | boolean, _focus?: boolean): void {
    if (!leaf.attached || this.activeLeaf === leaf) {
      this._fileShown(leaf);
      return;
    }
    this.activeLeaf = leaf;
    removeItem(this.recent, leaf);
    this.recent.push(leaf);
    // The active leaf's window is the focused one (a pop-out's, say): `activeWindow` follows it.
    const leafWindow = leaf.containerEl.ownerDocument.defaultView;
    if (leafWindow) fakeDom().setActiveWindow(leafWindow);
    if (leaf.isDeferred) void leaf.loadIfDeferred();
    this.trigger('active-leaf-change', leaf);
    this._fileShown(leaf);
  }

  getActiveViewOfType<T extends View>(type: abstract new (...args: never[]) => T): T | null {
    const view = this.activeLeaf?.view;
    return view instanceof type ? view : null;
  }

  /** The active view's file, else the file most recently active. */
  getActiveFile(): TFile | null {
    const view = this.activeLeaf?.view;
    if (view instanceof FileView) return view.file;
    return this.lastActiveFile && this.app.vault.getFileByPath(this.lastActiveFile.path) === this.lastActiveFile ? this.lastActiveFile : null;
  }

  iterateRootLeaves(callback: (leaf: WorkspaceLeaf) => unknown): void {
    for (const leaf of this.leaves.filter((l) => l.area === 'main')) callback(leaf);
  }

  iterateAllLeaves(callback: (leaf: WorkspaceLeaf) => unknown): void {
    for (const leaf of [...this.leaves]) callback(leaf);
  }

  getLeavesOfType(viewType: string): WorkspaceLeaf[] {
    return this.leaves.filter((l) => l.view.getViewType() === viewType);
  }

  detachLeavesOfType(viewType: string): void {
    for (const leaf of this.getLeavesOfType(viewType)) leaf.detach();
  }

  /** Shows the leaf (expanding its sidebar) and loads it if it was deferred. Does not make it active. */
  async revealLeaf(leaf: WorkspaceLeaf): Promise<void> {
    leaf.parent.expand();
    this.revealed.push(leaf);
    await leaf.loadIfDeferred();
  }

  /** Opens the note a link points to (creating it when missing, as a click does), at its heading when given. */
  async openLinkText(linktext: string, sourcePath: string, newLeaf?: PaneType | boolean, openViewState?: OpenViewState): Promise<void> {
    const { path, subpath } = parseLinktext(linktext);
    let file = this.app.metadataCache.getFirstLinkpathDest(path, sourcePath);
    if (!file) {
      const target = normalizePath(/\.[^/]+$/.test(path) ? path : `${path}.md`);
      if (!this.app.vault.getFolderByPath(parentPath(target) || '/')) await this.app.vault.createFolder(parentPath(target));
      file = await this.app.vault.create(target, '');
    }
    const leaf = this.getLeaf(newLeaf);
    await leaf.openFile(file, openViewState);
    const heading = subpath.startsWith('#') && !subpath.startsWith('#^') ? subpath.slice(1) : null;
    const found = heading === null ? undefined : this.app.metadataCache.getFileCache(file)?.headings?.find((h) => h.heading === heading);
    if (found) leaf.setEphemeralState({ line: found.position.start.line });
  }

  getLastOpenFiles(): string[] {
    return [...this.lastOpenFiles];
  }

  /** Fake: a summary of the layout — each leaf's area and view state. */
  getLayout(): Dict {
    return { leaves: this.leaves.map((l) => ({ id: l.id, area: l.area, ...l.getViewState() })) };
  }

  changeLayout(_workspace: unknown): Promise<void> {
    return Promise.reject(new Error('changeLayout is not modelled by the fake'));
  }

  updateOptions(): void {
    // No options.
  }

  override on(name: 'active-leaf-change', callback: (leaf: WorkspaceLeaf | null) => unknown, ctx?: unknown): EventRef;
  override on(name: 'file-open', callback: (file: TFile | null) => unknown, ctx?: unknown): EventRef;
  override on(name: 'layout-change' | 'resize' | 'css-change', callback: () => unknown, ctx?: unknown): EventRef;
  override on(name: 'editor-change', callback: (editor: Editor, info: MarkdownView) => unknown, ctx?: unknown): EventRef;
  override on(name: 'file-menu', callback: (menu: Menu, file: TAbstractFile, source: string, leaf?: WorkspaceLeaf) => unknown, ctx?: unknown): EventRef;
  override on(name: 'editor-menu', callback: (menu: Menu, editor: Editor, info: MarkdownView) => unknown, ctx?: unknown): EventRef;
  override on(name: 'window-open' | 'window-close', callback: (win: WorkspaceWindow, window: Window) => unknown, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef {
    return super.on(name, callback, ctx);
  }

  /** Fake: every leaf, in creation order. */
  get allLeaves(): WorkspaceLeaf[] {
    return [...this.leaves];
  }

  /** Fake: a leaf restored from the saved layout (deferred until revealed, activated or loaded). */
  _restoreLeaf(area: LeafArea, state: ViewState): WorkspaceLeaf {
    const split = area === 'main' ? this.rootSplit : area === 'left' ? this.leftSplit : this.rightSplit;
    const leaf = new WorkspaceLeaf(this.app, split, state);
    this.leaves.push(leaf);
    return leaf;
  }

  /** Fake: layout ready — run the queued callbacks in order. */
  _setLayoutReady(): void {
    this.layoutReady = true;
    for (let cb = this.layoutReadyCallbacks.shift(); cb; cb = this.layoutReadyCallbacks.shift()) {
      try {
        cb();
      } catch (error) {
        reportListenerError(error);
      }
    }
  }

  _viewCreator(type: string): ViewCreator | undefined {
    return this.viewCreators.get(type);
  }

  _viewTypeForExtension(extension: string): string | undefined {
    return this.extensions.get(extension);
  }

  _registerView(type: string, creator: ViewCreator): void {
    if (this.viewCreators.has(type)) throw new Error(`Attempting to register an existing view type "${type}"`);
    this.viewCreators.set(type, creator);
  }

  /** Fake: the plugin that registered `type` unloads: its views close and their leaves go empty. */
  _unregisterView(type: string): void {
    this.viewCreators.delete(type);
    for (const leaf of this.getLeavesOfType(type)) void leaf._closeView();
  }

  _registerExtensions(extensions: string[], viewType: string): void {
    for (const extension of extensions) {
      if (this.extensions.has(extension)) throw new Error(`Attempting to register an existing file extension "${extension}"`);
      this.extensions.set(extension, viewType);
    }
  }

  _unregisterExtensions(extensions: string[]): void {
    for (const extension of extensions) this.extensions.delete(extension);
  }

  _removeLeaf(leaf: WorkspaceLeaf): void {
    removeItem(this.leaves, leaf);
    removeItem(this.recent, leaf);
    const popout = leaf.parent;
    if (popout instanceof WorkspaceWindow && !this.leaves.some((l) => l.parent === popout)) {
      // A pop-out closes with its last leaf: `window-close`, then the window and its listeners go.
      removeItem(this.popouts, popout);
      this.trigger('window-close', popout, popout.win);
      popout._end();
    }
    if (!this.leaves.some((l) => l.area === 'main')) this.createLeaf('main');
    if (this.activeLeaf === leaf) {
      const next = this.getMostRecentLeaf();
      this.activeLeaf = null;
      if (next) this.setActiveLeaf(next);
    }
    this.trigger('layout-change');
  }

  /** Fake: a leaf now shows a file; when it is the active leaf, that file is the active file. */
  _fileShown(leaf: WorkspaceLeaf): void {
    const view = leaf.view;
    if (leaf !== this.activeLeaf || !(view instanceof FileView) || !view.file) return;
    if (this.lastActiveFile === view.file && this.lastOpenFiles[0] === view.file.path) return;
    this.lastActiveFile = view.file;
    removeItem(this.lastOpenFiles, view.file.path);
    this.lastOpenFiles.unshift(view.file.path);
    this.trigger('file-open', view.file);
  }

  /** Fake: the vault wrote a file; open editors on it take the change. */
  _fileModified(file: TFile, data: string): void {
    for (const leaf of this.leaves) if (leaf.view instanceof MarkdownView && leaf.view.file === file) leaf.view._fileChanged(data);
  }

  /** Fake: a file was deleted; the leaves showing it close their view. */
  _fileDeleted(file: TAbstractFile): void {
    for (const leaf of [...this.leaves]) {
      const view = leaf.view;
      if (view instanceof FileView && view.file === file) {
        view.file = null;
        void leaf._closeView();
      }
    }
    if (this.lastActiveFile === file) this.lastActiveFile = null;
    removeItem(this.lastOpenFiles, file.path);
  }

  private createLeaf(area: LeafArea): WorkspaceLeaf {
    const split = area === 'main' ? this.rootSplit : area === 'left' ? this.leftSplit : this.rightSplit;
    const leaf = new WorkspaceLeaf(this.app, split);
    this.leaves.push(leaf);
    if (this.layoutReady) this.trigger('layout-change');
    return leaf;
  }
}
