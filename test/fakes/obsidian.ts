/**
 * A behavioural, in-memory fake of the `obsidian` module: the parts a plugin like Canon calls, doing
 * what Obsidian does and recording what was asked of it, so plugin tests run against the TypeScript
 * sources (vitest aliases `obsidian` to this file) and against the built `main.js` (load-bundle.ts).
 *
 * Names and signatures follow Obsidian's public API; members marked "Fake:" are test helpers. Where
 * Obsidian's behaviour is easy to get wrong in a plugin it is modelled on purpose:
 * - `vault.create` fails when the folder is missing, and fails when the file exists;
 * - vault calls do their work a microtask later (await them) and `process` is atomic;
 * - `vault.on('create')` fires for every existing file when the layout becomes ready;
 * - the metadata cache is updated after a write, not during it (`changed` then `resolved`);
 * - an editor's changes reach the vault only when its view saves (`save()`, `requestSave` after 2 s,
 *   `app.flushEditors()`); a vault change reaches an open editor only when it has no unsaved changes;
 * - the editor holds LF line endings only (CodeMirror), so saving an editor rewrites CRLF as LF;
 * - sidebar leaves restored from a saved layout are deferred until revealed or `loadIfDeferred()`;
 * - a mouse press in a leaf makes it the active leaf, a sidebar's too (`activateLeafOnClick`);
 * - a phone or tablet (`platform`): `Platform.isMobile`…, `is-mobile` body classes, no status bar,
 *   no pop-out windows;
 * - pop-out windows (`workspace.openPopoutLeaf()`, `getLeaf('window')`): a second window and
 *   document, `window-open`/`window-close`, `activeWindow`/`activeDocument` following the active leaf;
 * - Reading view (`MarkdownView.getMode()` 'preview'): the view's data is the preview's text, so an
 *   edit through the editor is lost at the save and at the switch back;
 * - metadata lag (`metadataLag`): the cache fills after writes and at start-up with random delays,
 *   `changed` per file, a late `resolved`, stale metadata after a pull while closed;
 * - a case-insensitive disk (`caseInsensitiveDisk`): `Sessions` and `sessions` are one folder while
 *   the index is case-sensitive, so `createFolder('sessions')` fails with "Folder already exists.".
 * Where each of these comes from is said next to it ("Source:"); in short:
 * - obsidian.d.ts 1.13.1 doc comments: MetadataCache `changed`/`resolve`/`resolved`, MarkdownView
 *   `getMode`/`currentMode`, `Platform`, `addStatusBarItem` ("Not available on mobile"),
 *   `openPopoutLeaf` ("Only works on the desktop app"), `getLeaf`, `WorkspaceWindow`;
 * - the developer docs (docs.obsidian.md): status bar items not supported on mobile, the metadata
 *   cache events;
 * - well-kept plugins where the docs are silent: obsidian-tasks (`src/Obsidian/Cache.ts` reloads
 *   on the first `resolved` because the cache is still empty; PR #1524, stale metadata for a note
 *   changed while Obsidian was closed), obsidian-api#133 (a mouse press activates its leaf);
 * - guesses, said as such beside them: the size of the metadata delays, Live Preview's link classes,
 *   Android's platform flags, how the index names a file created through a case-variant folder.
 * `createFakeApp`'s defaults are instant (no lag, a case-sensitive disk); `FAITHFUL` turns the
 * faithful behaviours on together (metadata lag, a case-insensitive disk, clicks that activate their
 * leaf), and the plugin suites run under both (`fakeAppModes`), waiting with `app.idle()`.
 * One app is live at a time: `createFakeApp` empties the document body, and `Notice`, `Menu` and
 * listener errors are recorded on the most recently created app.
 * In Node the DOM is happy-dom's; bundled into a page (test/e2e/host) the fake runs over the
 * browser's own DOM, with happy-dom and Node's fs and path left out of the bundle.
 *
 * This file is the one entry point (vitest's alias, load-bundle.ts and the end-to-end host import
 * it); the fake itself is split by area under ./obsidian/, each module with its own notes:
 * - host.ts: Node's global object or the page's window, timers, the current app;
 * - dom.ts: installDom (happy-dom in Node, the page's DOM in a browser), Obsidian's DOM helpers;
 * - events.ts: Events, Component;
 * - vault.ts: TAbstractFile, TFile, TFolder, the in-memory (case-insensitive) disk, FakeDataAdapter, Vault;
 * - yaml.ts: parseYaml, stringifyYaml;
 * - metadata-cache.ts: CachedMetadata, computeFileCache, link resolution, MetadataCache and its lag;
 * - editor.ts: Editor;
 * - views.ts: View, ItemView, FileView, TextFileView, MarkdownView (Reading view), MarkdownRenderer;
 * - workspace.ts: splits, leaves, pop-out windows, Workspace;
 * - keymap.ts: Scope, Keymap;
 * - ui.ts: Notice, Modal, suggests, Menu, icons;
 * - settings.ts: setting components, Setting, setting tabs;
 * - utils.ts: debounce, normalizePath, the API version and other module functions;
 * - platform.ts: Platform and the device;
 * - plugin.ts: Plugin, the command registry, the settings modal, FileManager;
 * - app.ts: App, FakeAppOptions, FAITHFUL, createFakeApp, loadVaultFromDir;
 * - interaction.ts: typeInto, selectOption, changeValue, click, renderLink.
 * Only dom.ts (happy-dom) and app.ts (node:fs and node:path, to read a vault folder) import
 * Node-only modules; the end-to-end host's bundle (test/e2e/harness.ts) maps those to
 * test/e2e/host/node-stubs.ts.
 */
export { installDom, uninstallDom } from './obsidian/dom';
export type { FakeDom } from './obsidian/dom';
export { Events, Component } from './obsidian/events';
export type { EventRef } from './obsidian/events';
export { TAbstractFile, TFile, TFolder, FakeDataAdapter, Vault } from './obsidian/vault';
export type { FileStats, DataWriteOptions, Stat, ListedFiles, VaultCall } from './obsidian/vault';
export { parseYaml, stringifyYaml } from './obsidian/yaml';
export {
  computeFileCache, parseLinktext, getLinkpath, MetadataCache, getAllTags, parseFrontMatterEntry,
  parseFrontMatterStringArray, parseFrontMatterTags, parseFrontMatterAliases, getFrontMatterInfo,
} from './obsidian/metadata-cache';
export type {
  Loc, Pos, CacheItem, HeadingCache, SectionCache, Reference, LinkCache, EmbedCache, FrontmatterLinkCache, TagCache,
  ListItemCache, BlockCache, FrontMatterCache, CachedMetadata, MetadataLag, FrontMatterInfo,
} from './obsidian/metadata-cache';
export { Editor } from './obsidian/editor';
export type {
  EditorPosition, EditorRange, EditorRangeOrCaret, EditorChange, EditorSelection, EditorSelectionOrCaret,
  EditorTransaction, EditorCall,
} from './obsidian/editor';
export {
  View, ItemView, EmptyView, DeferredView, FileView, TextFileView, MarkdownView, MarkdownRenderer, MarkdownRenderChild,
} from './obsidian/views';
export type { ViewState, ViewStateResult, OpenViewState, ViewCreator, EditorConflict } from './obsidian/views';
export { WorkspaceSplit, WorkspaceWindow, WorkspaceLeaf, Workspace } from './obsidian/workspace';
export type { Side, PaneType, LeafArea } from './obsidian/workspace';
export { Scope, Keymap } from './obsidian/keymap';
export type { Modifier, KeymapInfo, KeymapContext, KeymapEventListener, KeymapEventHandler } from './obsidian/keymap';
export {
  Notice, Modal, SuggestModal, FuzzySuggestModal, prepareFuzzySearch, prepareSimpleSearch, PopoverSuggest,
  AbstractInputSuggest, Menu, MenuItem, setIcon, getIcon, addIcon, removeIcon, getIconIds, setTooltip, displayTooltip,
} from './obsidian/ui';
export type { Instruction, SearchResult, FuzzyMatch } from './obsidian/ui';
export {
  BaseComponent, ValueComponent, AbstractTextComponent, TextComponent, TextAreaComponent, SearchComponent,
  DropdownComponent, ToggleComponent, SliderComponent, ColorComponent, ProgressBarComponent, ButtonComponent,
  ExtraButtonComponent, Setting, SettingGroup, SettingTab, PluginSettingTab,
} from './obsidian/settings';
export {
  debounce, runPendingDebounces, normalizePath, apiVersion, requireApiVersion, stripHeading, getLanguage,
  arrayBufferToBase64, base64ToArrayBuffer,
} from './obsidian/utils';
export type { Debouncer } from './obsidian/utils';
export { Platform } from './obsidian/platform';
export type { FakePlatform, FakeMobileOs } from './obsidian/platform';
export { Plugin, FakeCommands, FakeSettings, FileManager } from './obsidian/plugin';
export type { Hotkey, Command, PluginManifest, PluginRegistrations } from './obsidian/plugin';
export { App, createFakeApp, FAITHFUL, fakeAppModes, readVaultDir, loadVaultFromDir } from './obsidian/app';
export type { FakeAppOptions, LiveListeners } from './obsidian/app';
export { typeInto, selectOption, changeValue, click, renderLink } from './obsidian/interaction';
export type { ClickOptions, FakeEditorView } from './obsidian/interaction';
export { fakeWorkLog } from './obsidian/host';
