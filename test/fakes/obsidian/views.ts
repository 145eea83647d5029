/**
 * Views: View, ItemView, FileView, TextFileView and MarkdownView (with Reading view, and its
 * save rules), the empty and deferred views, and MarkdownRenderer.
 */

import type { App } from './app';
import { activeDoc } from './dom';
import { Editor, type EditorPosition, toLf } from './editor';
import { Component } from './events';
import { type Dict, fakeWork } from './host';
import type { Scope } from './keymap';
import { type Menu, setIcon } from './ui';
import { type Debouncer, makeDebouncer } from './utils';
import { enoent, type TFile } from './vault';
import type { WorkspaceLeaf } from './workspace';
import { isPlainObject } from './yaml';

// ───────────────────────────────────────────── views ─────────────────────────────────────────────

export interface ViewState {
  type: string;
  state?: Dict;
  active?: boolean;
  pinned?: boolean;
  group?: WorkspaceLeaf;
}

export interface ViewStateResult {
  history: boolean;
}

export interface OpenViewState {
  state?: Dict;
  eState?: Dict;
  active?: boolean;
  group?: WorkspaceLeaf;
}

export type ViewCreator = (leaf: WorkspaceLeaf) => View;

/** Obsidian's View: `containerEl` holds a header and, as `children[1]`, the content. */
export abstract class View extends Component {
  app: App;
  icon = '';
  navigation = false;
  leaf: WorkspaceLeaf;
  containerEl: HTMLElement;
  scope: Scope | null = null;

  constructor(leaf: WorkspaceLeaf) {
    super();
    this.leaf = leaf;
    this.app = leaf.app;
    this.containerEl = activeDoc().createDiv({ cls: 'workspace-leaf-content' });
    this.containerEl.createDiv({ cls: 'view-header' });
    this.containerEl.createDiv({ cls: 'view-content' });
  }

  onOpen(): Promise<void> {
    return Promise.resolve();
  }

  onClose(): Promise<void> {
    return Promise.resolve();
  }

  abstract getViewType(): string;

  abstract getDisplayText(): string;

  getState(): Dict {
    return {};
  }

  setState(_state: unknown, _result: ViewStateResult): Promise<void> {
    return Promise.resolve();
  }

  getEphemeralState(): Dict {
    return {};
  }

  setEphemeralState(_state: unknown): void {
    // Views without ephemeral state ignore it.
  }

  getIcon(): string {
    return this.icon;
  }

  onResize(): void {
    // Nothing is laid out.
  }

  onPaneMenu(_menu: Menu, _source: string): void {
    // No pane menu by default.
  }
}

export abstract class ItemView extends View {
  contentEl: HTMLElement;

  constructor(leaf: WorkspaceLeaf) {
    super(leaf);
    this.contentEl = this.containerEl.children[1] as HTMLElement;
  }

  addAction(icon: string, title: string, callback: (evt: MouseEvent) => unknown): HTMLElement {
    const header = this.containerEl.children[0] as HTMLElement;
    const action = header.createEl('a', { cls: 'view-action clickable-icon', attr: { 'aria-label': title } });
    setIcon(action, icon);
    action.addEventListener('click', (evt) => void callback(evt));
    return action;
  }
}

/** The view of a new, empty tab. */
export class EmptyView extends ItemView {
  getViewType(): string {
    return 'empty';
  }

  getDisplayText(): string {
    return 'New tab';
  }
}

/** A view restored from the layout and not loaded yet (Obsidian 1.7.2+): `leaf.loadIfDeferred()` loads it. */
export class DeferredView extends View {
  constructor(
    leaf: WorkspaceLeaf,
    readonly deferredState: ViewState,
  ) {
    super(leaf);
  }

  getViewType(): string {
    return this.deferredState.type;
  }

  getDisplayText(): string {
    return this.deferredState.type;
  }

  override getState(): Dict {
    return this.deferredState.state ?? {};
  }
}

export abstract class FileView extends ItemView {
  allowNoFile = false;
  file: TFile | null = null;
  override navigation = true;

  override getDisplayText(): string {
    return this.file?.basename ?? 'No file';
  }

  override getState(): Dict {
    return this.file ? { file: this.file.path } : {};
  }

  override async setState(state: unknown, _result: ViewStateResult): Promise<void> {
    const path = isPlainObject(state) && typeof state.file === 'string' ? state.file : null;
    const file = path === null ? null : this.app.vault.getFileByPath(path);
    if (path !== null && !file) throw enoent('open', path);
    if (file === this.file) return;
    if (this.file) await this.onUnloadFile(this.file);
    this.file = file;
    if (file) await this.onLoadFile(file);
  }

  onLoadFile(_file: TFile): Promise<void> {
    return Promise.resolve();
  }

  onUnloadFile(_file: TFile): Promise<void> {
    return Promise.resolve();
  }

  onRename(_file: TFile): Promise<void> {
    return Promise.resolve();
  }

  canAcceptExtension(_extension: string): boolean {
    return false;
  }
}

/** A file view over text: `data` is the text as last loaded or saved; `requestSave` saves 2 s after the last call. */
export abstract class TextFileView extends FileView {
  data = '';
  requestSave: Debouncer<[], Promise<void>>;

  constructor(leaf: WorkspaceLeaf) {
    super(leaf);
    this.requestSave = makeDebouncer(() => this.save(), 2000, true, true);
  }

  override async onLoadFile(file: TFile): Promise<void> {
    const data = await this.app.vault.cachedRead(file);
    this.data = data;
    this.setViewData(data, true);
  }

  override async onUnloadFile(_file: TFile): Promise<void> {
    await this.save();
  }

  /** Writes the view's text to the vault when it differs from what was last loaded or saved. */
  async save(clear?: boolean): Promise<void> {
    this.requestSave.cancel();
    const file = this.file;
    // The comparison and the copy of a long text are the fake's own work (CodeMirror keeps its own state).
    const data = fakeWork(() => (file && this.app.vault.getFileByPath(file.path) === file && this.hasUnsavedChanges() ? this.getViewData() : null));
    if (file && data !== null) {
      this.data = data;
      await this.app.vault._saveFromView(file, data);
    }
    if (clear) this.clear();
  }

  /** Whether the view's text differs from what was last loaded or saved. */
  protected hasUnsavedChanges(): boolean {
    return this.getViewData() !== this.data;
  }

  abstract getViewData(): string;

  abstract setViewData(data: string, clear: boolean): void;

  abstract clear(): void;
}

/** Fake: a vault change that did not reach an open editor because the editor had unsaved changes. */
export interface EditorConflict {
  path: string;
  /** The text the vault has now, which the editor will overwrite when it saves. */
  vaultText: string;
}

/**
 * The markdown editor view: its editor's text reaches the vault when the view saves.
 *
 * Modes as in Obsidian (`MarkdownView.getMode()`, view state `mode`/`source`): 'source' is Source
 * mode or Live Preview (the editor is the view's data); 'preview' is Reading view, where the view's
 * data is the rendered preview's text. The editor still exists in Reading view, but what is written
 * into it is not the view's data: a save writes the preview's text, and switching back to 'source'
 * loads the editor from the preview — so an edit made through the editor in Reading view is lost.
 */
export class MarkdownView extends TextFileView {
  editor = new Editor();
  previewMode = { rerender: (_full?: boolean): void => undefined };
  /** Fake: vault changes this view could not take because its editor had unsaved changes. */
  readonly conflicts: EditorConflict[] = [];
  private mode: 'source' | 'preview' = 'source';
  /** Source mode (true) or Live Preview (false) when the mode is 'source'. */
  private sourceMode = false;
  /** The preview's text: the view's data in Reading view. */
  private previewText = '';

  constructor(leaf: WorkspaceLeaf) {
    super(leaf);
    this.editor._onChange(() => {
      if (this.isDirty()) this.requestSave();
      this.app.workspace.trigger('editor-change', this.editor, this);
    });
  }

  getViewType(): string {
    return 'markdown';
  }

  getMode(): 'source' | 'preview' {
    return this.mode;
  }

  override getState(): Dict {
    return { ...super.getState(), mode: this.mode, source: this.sourceMode };
  }

  override async setState(state: unknown, result: ViewStateResult): Promise<void> {
    await super.setState(state, result);
    if (!isPlainObject(state)) return;
    if (typeof state.source === 'boolean') this.sourceMode = state.source;
    if (state.mode === 'source' || state.mode === 'preview') this._setMode(state.mode);
  }

  /** Fake: switches between editing ('source') and Reading view ('preview'), handing the text over as Obsidian does. */
  _setMode(mode: 'source' | 'preview'): void {
    if (mode === this.mode) return;
    if (mode === 'preview') this.previewText = this.editor.getValue();
    else this.editor._load(this.previewText);
    this.mode = mode;
  }

  getViewData(): string {
    return this.mode === 'preview' ? this.previewText : this.editor.getValue();
  }

  setViewData(data: string, clear: boolean): void {
    this.previewText = toLf(data);
    if (clear) this.editor._load(data);
    else this.editor._applyExternal(data);
  }

  clear(): void {
    this.previewText = '';
    this.editor._load('');
  }

  override canAcceptExtension(extension: string): boolean {
    return extension === 'md';
  }

  showSearch(_replace?: boolean): void {
    // No search UI.
  }

  override getEphemeralState(): Dict {
    return { cursor: { from: this.editor.getCursor('from'), to: this.editor.getCursor('to') } };
  }

  /** `{ line }` puts the cursor at the start of that (0-based) line and scrolls to it; `{ cursor }` selects. */
  override setEphemeralState(state: unknown): void {
    if (!isPlainObject(state)) return;
    if (typeof state.line === 'number') {
      const line = Math.max(0, Math.min(state.line, this.editor.lastLine()));
      this.editor.setCursor({ line, ch: 0 });
      this.editor.scrollIntoView({ from: { line, ch: 0 }, to: { line, ch: 0 } }, true);
    }
    const cursor = state.cursor;
    if (isPlainObject(cursor) && isPlainObject(cursor.from)) {
      const from = cursor.from as unknown as EditorPosition;
      const to = isPlainObject(cursor.to) ? (cursor.to as unknown as EditorPosition) : from;
      this.editor.setSelection(from, to);
    }
  }

  /** Fake: whether the editor has changes not yet saved to the vault. */
  isDirty(): boolean {
    return this.hasUnsavedChanges();
  }

  /** The editor holds LF only: a CRLF note just opened has no unsaved changes. */
  protected override hasUnsavedChanges(): boolean {
    return this.file !== null && this.getViewData() !== toLf(this.data);
  }

  /** Fake: the vault wrote this view's file; the editor takes the change unless it has unsaved edits. */
  _fileChanged(text: string): void {
    if (toLf(text) === this.getViewData()) {
      this.data = text;
      return;
    }
    if (this.isDirty()) {
      this.conflicts.push({ path: this.file?.path ?? '', vaultText: text });
      return;
    }
    this.data = text;
    this.setViewData(text, false);
  }
}

// ───────────────────────────────────────── markdown rendering ─────────────────────────────────────────

/** Renders markdown as plain text blocks (a paragraph per block): enough to read what was rendered. */
export class MarkdownRenderer {
  static render(_app: App, markdown: string, el: HTMLElement, _sourcePath: string, _component: Component): Promise<void> {
    for (const block of markdown.split(/\n\s*\n/)) if (block.trim() !== '') el.createEl('p', { text: block.trim() });
    return Promise.resolve();
  }
}

export class MarkdownRenderChild extends Component {
  containerEl: HTMLElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.containerEl = containerEl;
  }
}
