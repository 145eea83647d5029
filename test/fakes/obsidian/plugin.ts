/**
 * Plugins: Plugin (its registrations, data, status bar and ribbon), and the app's command registry,
 * settings modal and FileManager.
 */

import type { App } from './app';
import { activeDoc, defineValues } from './dom';
import type { Editor } from './editor';
import { Component } from './events';
import { type Dict, removeItem } from './host';
import type { Modifier } from './keymap';
import { getFrontMatterInfo } from './metadata-cache';
import { Platform } from './platform';
import type { PluginSettingTab, SettingTab } from './settings';
import { setIcon } from './ui';
import type { DataWriteOptions, TAbstractFile, TFile, TFolder } from './vault';
import { MarkdownView, type ViewCreator } from './views';
import { isPlainObject, parseYaml, stringifyYaml } from './yaml';

// ─────────────────────────────────────────────── plugin ───────────────────────────────────────────────

export interface Hotkey {
  modifiers: Modifier[];
  key: string;
}

export interface Command {
  id: string;
  name: string;
  icon?: string;
  mobileOnly?: boolean;
  repeatable?: boolean;
  callback?: () => unknown;
  checkCallback?: (checking: boolean) => boolean | void;
  editorCallback?: (editor: Editor, ctx: MarkdownView) => unknown;
  editorCheckCallback?: (checking: boolean, editor: Editor, ctx: MarkdownView) => boolean | void;
  hotkeys?: Hotkey[];
}

export interface PluginManifest {
  dir?: string;
  id: string;
  name: string;
  author: string;
  version: string;
  minAppVersion: string;
  description: string;
  authorUrl?: string;
  isDesktopOnly?: boolean;
}

/** Fake: things a plugin registered besides commands, views and tabs (kept for assertions, removed on unload). */
export interface PluginRegistrations {
  markdownPostProcessors: unknown[];
  codeBlockProcessors: Array<{ language: string; handler: unknown }>;
  editorExtensions: unknown[];
  protocolHandlers: Array<{ action: string; handler: unknown }>;
  editorSuggests: unknown[];
  hoverLinkSources: Array<{ id: string; info: unknown }>;
}

/** Obsidian's Plugin: everything it adds or registers is removed when it unloads. */
export abstract class Plugin extends Component {
  app: App;
  manifest: PluginManifest;
  settings?: unknown;
  /** Fake: the status bar items and ribbon icons it added. */
  readonly statusBarItems: HTMLElement[] = [];
  readonly ribbonIcons: HTMLElement[] = [];

  constructor(app: App, manifest: PluginManifest) {
    super();
    this.app = app;
    this.manifest = manifest;
    // Source: obsidian.d.ts 1.13.1, `addStatusBarItem`: "Not available on mobile"; the developer docs
    // (Plugins/User interface/Status bar): status bar items "are not supported on Obsidian mobile
    // apps". Whether the method is missing or returns an element never shown, neither says; public
    // plugins (obsidian-git's src/main.ts) call it on mobile unguarded, so it likely exists there.
    // The fake takes it away by default (`mobileStatusBar: 'absent'`), the stricter reading.
    if (Platform.isMobile && app.mobileStatusBar === 'absent') defineValues(this, { addStatusBarItem: undefined });
  }

  override onload(): Promise<void> | void {
    // Subclasses override.
  }

  addRibbonIcon(icon: string, title: string, callback: (evt: MouseEvent) => unknown): HTMLElement {
    const el = this.app.ribbonEl.createDiv({ cls: 'clickable-icon side-dock-ribbon-action', attr: { 'aria-label': title } });
    setIcon(el, icon);
    el.addEventListener('click', (evt) => void callback(evt));
    this.ribbonIcons.push(el);
    this.register(() => {
      el.detach();
      removeItem(this.ribbonIcons, el);
    });
    return el;
  }

  addStatusBarItem(): HTMLElement {
    const el = this.app.statusBarEl.createDiv({ cls: `status-bar-item plugin-${this.manifest.id}` });
    this.statusBarItems.push(el);
    this.register(() => {
      el.detach();
      removeItem(this.statusBarItems, el);
    });
    return el;
  }

  /** Registers the command as `<plugin id>:<id>`, named `<plugin name>: <name>` (the object is changed, as in Obsidian). */
  addCommand(command: Command): Command {
    command.id = `${this.manifest.id}:${command.id}`;
    command.name = `${this.manifest.name}: ${command.name}`;
    this.app.commands.addCommand(command);
    const id = command.id;
    this.register(() => this.app.commands.removeCommand(id));
    return command;
  }

  removeCommand(commandId: string): void {
    this.app.commands.removeCommand(`${this.manifest.id}:${commandId}`);
  }

  addSettingTab(settingTab: PluginSettingTab): void {
    this.app.setting.addSettingTab(settingTab);
    this.register(() => this.app.setting.removeSettingTab(settingTab));
  }

  registerView(type: string, viewCreator: ViewCreator): void {
    this.app.workspace._registerView(type, viewCreator);
    this.app.registeredViewTypes.add(type);
    this.register(() => {
      this.app.registeredViewTypes.delete(type);
      this.app.workspace._unregisterView(type);
    });
  }

  registerExtensions(extensions: string[], viewType: string): void {
    this.app.workspace._registerExtensions(extensions, viewType);
    this.register(() => this.app.workspace._unregisterExtensions(extensions));
  }

  registerMarkdownPostProcessor<P>(postProcessor: P, _sortOrder?: number): P {
    return this.keep('markdownPostProcessors', postProcessor);
  }

  registerMarkdownCodeBlockProcessor(language: string, handler: unknown, _sortOrder?: number): unknown {
    return this.keep('codeBlockProcessors', { language, handler });
  }

  registerEditorExtension(extension: unknown): void {
    this.keep('editorExtensions', extension);
  }

  registerObsidianProtocolHandler(action: string, handler: unknown): void {
    this.keep('protocolHandlers', { action, handler });
  }

  registerEditorSuggest(editorSuggest: unknown): void {
    this.keep('editorSuggests', editorSuggest);
  }

  registerHoverLinkSource(id: string, info: unknown): void {
    this.keep('hoverLinkSources', { id, info });
  }

  /** Reads `<configDir>/plugins/<id>/data.json`; null when there is none. */
  async loadData(): Promise<unknown> {
    const path = this.dataPath();
    if (!(await this.app.vault.adapter.exists(path))) return null;
    return JSON.parse(await this.app.vault.adapter.read(path)) as unknown;
  }

  async saveData(data: unknown): Promise<void> {
    await this.app.vault.adapter.write(this.dataPath(), JSON.stringify(data, null, 2));
  }

  onUserEnable(): void {
    // Subclasses override.
  }

  /** Fake: loads as Obsidian does, awaiting an async `onload`. */
  async _loadPlugin(): Promise<void> {
    if (this._loaded) return;
    this._loaded = true;
    await this.onload();
  }

  private dataPath(): string {
    return `${this.manifest.dir ?? `${this.app.vault.configDir}/plugins/${this.manifest.id}`}/data.json`;
  }

  private keep<K extends keyof PluginRegistrations, V extends PluginRegistrations[K][number]>(kind: K, value: V): V {
    const list = this.app.pluginRegistrations[kind] as unknown[];
    list.push(value);
    this.register(() => removeItem(list, value));
    return value;
  }
}

/** The command registry (Obsidian's `app.commands`, not in its public API; plugins must not rely on it). */
export class FakeCommands {
  readonly commands: Record<string, Command> = {};
  /** Fake: ids run through `executeCommandById`, in order. */
  readonly executed: string[] = [];
  private lastResult: unknown = undefined;

  constructor(private readonly app: App) {}

  addCommand(command: Command): void {
    this.commands[command.id] = command;
  }

  removeCommand(id: string): void {
    Reflect.deleteProperty(this.commands, id);
  }

  listCommands(): Command[] {
    return Object.values(this.commands);
  }

  findCommand(id: string): Command | undefined {
    return this.commands[id];
  }

  /** Fake: whether the palette would list the command now (its check passes, an editor is active if it needs one). */
  isAvailable(id: string): boolean {
    const command = this.commands[id];
    if (!command) return false;
    const view = this.app.workspace.getActiveViewOfType(MarkdownView);
    if (command.editorCheckCallback) return view !== null && command.editorCheckCallback(true, view.editor, view) === true;
    if (command.editorCallback) return view !== null;
    if (command.checkCallback) return command.checkCallback(true) === true;
    return command.callback !== undefined;
  }

  /** Runs the command as the palette or a hotkey does; false when it is missing or not available now. */
  executeCommandById(id: string): boolean {
    const command = this.commands[id];
    if (!command || !this.isAvailable(id)) return false;
    this.executed.push(id);
    const view = this.app.workspace.getActiveViewOfType(MarkdownView);
    if (command.editorCheckCallback && view) this.lastResult = command.editorCheckCallback(false, view.editor, view);
    else if (command.editorCallback && view) this.lastResult = command.editorCallback(view.editor, view);
    else if (command.checkCallback) this.lastResult = command.checkCallback(false);
    else this.lastResult = command.callback?.();
    return true;
  }

  /** Fake: runs a command and waits for what it returned (a promise) and for the app to settle; throws when it cannot run. */
  async run(id: string): Promise<void> {
    if (!this.commands[id]) throw new Error(`No command "${id}" (registered: ${Object.keys(this.commands).join(', ') || 'none'})`);
    if (!this.executeCommandById(id)) throw new Error(`Command "${id}" is not available now`);
    await this.lastResult;
    await this.app.settle();
  }
}

/** The settings modal (Obsidian's `app.setting`): plugin tabs, and the one shown. */
export class FakeSettings {
  readonly pluginTabs: PluginSettingTab[] = [];
  activeTab: SettingTab | null = null;
  containerEl: HTMLElement;

  constructor() {
    this.containerEl = activeDoc().createDiv({ cls: 'modal-container mod-settings' });
  }

  addSettingTab(tab: PluginSettingTab): void {
    this.pluginTabs.push(tab);
  }

  removeSettingTab(tab: PluginSettingTab): void {
    if (this.activeTab === tab) this.close();
    removeItem(this.pluginTabs, tab);
  }

  open(): void {
    activeDoc().body.appendChild(this.containerEl);
  }

  /** Shows the tab of the plugin with that id (its `display()` runs); null when it has none. */
  openTabById(id: string): SettingTab | null {
    const tab = this.pluginTabs.find((t) => t.plugin.manifest.id === id) ?? null;
    if (!tab) return null;
    this.open();
    this.activeTab?.hide();
    this.activeTab?.containerEl.detach();
    this.activeTab = tab;
    this.containerEl.appendChild(tab.containerEl);
    if (tab.getSettingDefinitions().length > 0) throw new Error('Declarative setting definitions (Obsidian 1.13) are not modelled by the fake');
    tab.display();
    return tab;
  }

  close(): void {
    this.activeTab?.hide();
    this.activeTab?.containerEl.detach();
    this.activeTab = null;
    this.containerEl.detach();
  }
}

/** Obsidian's FileManager over the fake vault (renames do not rewrite links). */
export class FileManager {
  constructor(private readonly app: App) {}

  getNewFileParent(_sourcePath: string, _newFilePath?: string): TFolder {
    return this.app.vault.getRoot();
  }

  renameFile(file: TAbstractFile, newPath: string): Promise<void> {
    return this.app.vault.rename(file, newPath);
  }

  trashFile(file: TAbstractFile): Promise<void> {
    return this.app.vault._trash(file, true);
  }

  promptForDeletion(file: TAbstractFile): Promise<boolean> {
    return this.trashFile(file).then(() => true);
  }

  generateMarkdownLink(file: TFile, sourcePath: string, subpath = '', alias?: string): string {
    const linktext = this.app.metadataCache.fileToLinktext(file, sourcePath);
    return `[[${linktext}${subpath}${alias ? `|${alias}` : ''}]]`;
  }

  /** Atomic, like `Vault.process`: `fn` changes the parsed frontmatter; the block is rewritten (or added). */
  async processFrontMatter(file: TFile, fn: (frontmatter: Dict) => void, options?: DataWriteOptions): Promise<void> {
    await this.app.vault.process(
      file,
      (text) => {
        const info = getFrontMatterInfo(text);
        const parsed = info.exists ? parseYaml(info.frontmatter) : {};
        const data = isPlainObject(parsed) ? parsed : {};
        fn(data);
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        const yaml = Object.keys(data).length > 0 ? stringifyYaml(data).replace(/\n/g, eol) : '';
        const body = info.exists ? text.slice(info.contentStart) : text;
        return `---${eol}${yaml}---${eol}${body}`;
      },
      options,
    );
  }

  getAvailablePathForAttachment(filename: string, _sourcePath?: string): Promise<string> {
    let path = filename;
    const dot = filename.lastIndexOf('.');
    for (let i = 1; this.app.vault.getAbstractFileByPath(path); i++) {
      path = dot > 0 ? `${filename.slice(0, dot)} ${i}${filename.slice(dot)}` : `${filename} ${i}`;
    }
    return Promise.resolve(path);
  }
}
