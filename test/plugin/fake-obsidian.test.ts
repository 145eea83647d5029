// The fake `obsidian` module behaves as Obsidian does where plugin code depends on it.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import * as viaAlias from 'obsidian';
import { EXAMPLE_VAULT } from '../helpers/run-cli';
import { loadBundle, loadSource, runBundle } from '../fakes/load-bundle';
import {
  FuzzySuggestModal,
  ItemView,
  MarkdownView,
  Menu,
  Modal,
  Notice,
  Plugin,
  PluginSettingTab,
  Scope,
  Setting,
  TFile,
  TFolder,
  click,
  computeFileCache,
  createFakeApp,
  debounce,
  installDom,
  loadVaultFromDir,
  normalizePath,
  parseYaml,
  selectOption,
  stringifyYaml,
  typeInto,
  type App,
  type CachedMetadata,
  type Editor,
  type WorkspaceLeaf,
} from '../fakes/obsidian';

beforeAll(() => {
  installDom();
});

afterEach(() => {
  vi.useRealTimers();
});

/** The file at `path`, which must exist. */
function fileAt(app: App, path: string): TFile {
  const file = app.vault.getFileByPath(path);
  if (!file) throw new Error(`no ${path}`);
  return file;
}

describe('the module', () => {
  it('is what `obsidian` resolves to under vitest (one module, so instanceof works)', () => {
    expect(viaAlias.TFile).toBe(TFile);
    expect(viaAlias.Plugin).toBe(Plugin);
  });
});

describe('DOM helpers', () => {
  it('createEl takes a class string or options, appends to its parent, and calls back', () => {
    const root = createDiv({ cls: 'root' });
    const seen: HTMLElement[] = [];
    const link = root.createEl('a', { cls: ['one', 'two three'], text: 'Open', href: 'x.md', title: 'tip', attr: { 'data-id': 7, hidden: null } }, (el) => seen.push(el));
    const input = root.createEl('input', { type: 'number', value: '5', placeholder: 'n' });
    const first = root.createSpan({ text: 'first', prepend: true });
    expect(seen).toEqual([link]);
    expect(root.firstChild).toBe(first);
    expect(Array.from(link.classList)).toEqual(['one', 'two', 'three']);
    expect(link.getAttr('href')).toBe('x.md');
    expect(link.getAttr('data-id')).toBe('7');
    expect(link.title).toBe('tip');
    expect(link.getText()).toBe('Open');
    expect(input.type).toBe('number');
    expect(input.value).toBe('5');
    expect(input.placeholder).toBe('n');
    expect(root.createDiv('a b').className).toBe('a b');
  });

  it('createSvg makes SVG-namespace elements', () => {
    const host = createDiv();
    const svg = host.createSvg('svg', { cls: 'chart', attr: { viewBox: '0 0 10 10' } });
    const path = svg.createSvg('path', { attr: { d: 'M0 0L10 10' } });
    expect(svg.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(path.namespaceURI).toBe('http://www.w3.org/2000/svg');
    expect(svg.hasClass('chart')).toBe(true);
    expect(svg.getAttribute('viewBox')).toBe('0 0 10 10');
    expect(host.querySelector('svg path')).toBe(path);
    expect(createSvg('circle').namespaceURI).toBe('http://www.w3.org/2000/svg');
  });

  it('setText, classes, attributes, empty, detach and instanceOf behave as in Obsidian', () => {
    const el = createDiv();
    el.setText('plain <b>not markup</b>');
    expect(el.children).toHaveLength(0);
    el.setText(createFragment((f) => f.createSpan({ text: 'in a fragment' })));
    expect(el.getText()).toBe('in a fragment');
    el.addClass('a', 'b');
    el.addClasses(['c']);
    el.removeClass('a');
    el.toggleClass('d', true);
    el.toggleClass(['b', 'c'], false);
    expect(el.className).toBe('d');
    expect(el.hasClass('d')).toBe(true);
    el.setAttrs({ role: 'note', 'aria-label': 'x' });
    el.setAttr('role', null);
    expect(el.hasAttribute('role')).toBe(false);
    el.empty();
    expect(el.childNodes).toHaveLength(0);
    const parent = createDiv();
    const child = parent.createDiv();
    child.detach();
    expect(parent.children).toHaveLength(0);
    expect(child.instanceOf(HTMLDivElement)).toBe(true);
    const doc = activeDocument.createEl('p', { text: 'detached' });
    expect(doc.parentNode).toBeNull();
    expect(activeWindow).toBe(window);
  });
});

describe('the vault', () => {
  it('process is atomic: concurrent calls both land, where read-then-modify loses one', async () => {
    const app = createFakeApp({ files: { 'n.md': '' } });
    const file = fileAt(app, 'n.md');
    await Promise.all([app.vault.process(file, (t) => `${t}a`), app.vault.process(file, (t) => `${t}b`)]);
    expect(await app.vault.read(file)).toBe('ab');

    const readThenModify = async (suffix: string): Promise<void> => {
      const text = await app.vault.read(file);
      await app.vault.modify(file, text + suffix);
    };
    await Promise.all([readThenModify('c'), readThenModify('d')]);
    expect(await app.vault.read(file)).toBe('abd');
    expect(app.vault.calls.map((c) => c.op)).toEqual(['process', 'process', 'modify', 'modify']);
  });

  it('process refuses a callback that does not return text, and writes nothing', async () => {
    const app = createFakeApp({ files: { 'n.md': 'x' } });
    const file = fileAt(app, 'n.md');
    const asyncFn = (() => Promise.resolve('y')) as unknown as (data: string) => string;
    await expect(app.vault.process(file, asyncFn)).rejects.toThrow(/synchronously/);
    await expect(app.vault.process(file, () => { throw new Error('refused'); })).rejects.toThrow('refused');
    expect(await app.vault.read(file)).toBe('x');
    expect(app.vault.calls).toEqual([]);
  });

  it('create fails when the file exists or its folder is missing; createFolder makes the folder', async () => {
    const app = createFakeApp({ files: { 'a.md': '' } });
    await expect(app.vault.create('a.md', '')).rejects.toThrow('File already exists.');
    await expect(app.vault.create('notes/b.md', '')).rejects.toThrow(/ENOENT/);
    const folder = await app.vault.createFolder('notes/deep');
    expect(folder).toBeInstanceOf(TFolder);
    const file = await app.vault.create('notes/deep/b.md', '# B');
    expect(file.parent).toBe(folder);
    expect(file).toMatchObject({ basename: 'b', extension: 'md', name: 'b.md' });
    expect(file.stat.size).toBe(3);
    expect(app.vault.getMarkdownFiles().map((f) => f.path)).toEqual(['a.md', 'notes/deep/b.md']);
  });

  it('fires create, modify, rename and delete, and keeps one TFile per file', async () => {
    const app = createFakeApp({ folders: ['archive'] });
    const events: string[] = [];
    app.vault.on('create', (f) => events.push(`create ${f.path}`));
    app.vault.on('modify', (f) => events.push(`modify ${f.path}`));
    app.vault.on('rename', (f, old) => events.push(`rename ${old} -> ${f.path}`));
    app.vault.on('delete', (f) => events.push(`delete ${f.path}`));
    const file = await app.vault.create('x.md', '1');
    await app.vault.append(file, '2');
    await app.vault.rename(file, 'archive/x.md');
    expect(app.vault.getAbstractFileByPath('archive/x.md')).toBe(file);
    await app.fileManager.trashFile(file);
    expect(events).toEqual(['create x.md', 'modify x.md', 'rename x.md -> archive/x.md', 'delete archive/x.md']);
    expect(app.vault.getAbstractFileByPath('archive/x.md')).toBeNull();
  });

  it('the adapter reads and writes non-markdown files such as canon.config.json, and the vault sees them', async () => {
    const app = createFakeApp({ files: { 'canon.config.json': '{"preset":"coder"}', '.obsidian/app.json': '{}' } });
    expect(await app.vault.adapter.exists('canon.config.json')).toBe(true);
    expect(JSON.parse(await app.vault.adapter.read('canon.config.json'))).toEqual({ preset: 'coder' });
    expect(app.vault.getFileByPath('canon.config.json')?.extension).toBe('json');
    expect(app.vault.getAbstractFileByPath('.obsidian/app.json')).toBeNull();
    expect(app.vault.configDir).toBe('.obsidian');
    const modified: string[] = [];
    app.vault.on('modify', (f) => modified.push(f.path));
    await app.vault.adapter.write('canon.config.json', '{"preset":"other"}');
    expect(modified).toEqual(['canon.config.json']);
    await expect(app.vault.adapter.read('missing.json')).rejects.toThrow(/ENOENT/);
  });

  it('loads a vault folder from disk', () => {
    const app = loadVaultFromDir(EXAMPLE_VAULT);
    expect(app.vault.getName()).toBe('example-vault');
    expect(app.vault.getMarkdownFiles().length).toBeGreaterThan(3);
    expect(app.vault.getFileByPath('notes/Handoff timeout postmortem.md')).toBeInstanceOf(TFile);
  });
});

const NOTE = [
  '---', //         0
  'canon: status', // 1
  'tags: [a, b]', // 2
  '---', //         3
  '# Status', //    4
  '', //            5
  'Intro [[Other|the other]] #tag', // 6
  '## Log', //      7
  '| When | What |', // 8
  '| --- | --- |', // 9
  '| 1 | [[note\\|alias]] |', // 10
  '', //            11
  '```', //         12
  '# not a heading', // 13
  '```', //         14
  '- [ ] task', //  15
  '  - child', //   16
].join('\n');

describe('the metadata cache', () => {
  it('gives frontmatter, headings and table sections with 0-based lines for a note with frontmatter', () => {
    const cache = computeFileCache(NOTE);
    expect(cache.frontmatter).toEqual({ canon: 'status', tags: ['a', 'b'] });
    expect(cache.frontmatterPosition?.end).toEqual({ line: 3, col: 3, offset: NOTE.split('\n').slice(0, 3).join('\n').length + 4 });
    expect(cache.headings?.map((h) => [h.heading, h.level, h.position.start.line])).toEqual([
      ['Status', 1, 4],
      ['Log', 2, 7],
    ]);
    expect(cache.sections?.map((s) => [s.type, s.position.start.line, s.position.end.line])).toEqual([
      ['yaml', 0, 3],
      ['heading', 4, 4],
      ['paragraph', 6, 6],
      ['heading', 7, 7],
      ['table', 8, 10],
      ['code', 12, 14],
      ['list', 15, 16],
    ]);
    const table = cache.sections?.find((s) => s.type === 'table');
    expect(NOTE.slice(table?.position.start.offset, table?.position.end.offset)).toBe(NOTE.split('\n').slice(8, 11).join('\n'));
    expect(cache.links?.map((l) => [l.link, l.displayText, l.position.start.line])).toEqual([
      ['Other', 'the other', 6],
      ['note', 'alias', 10],
    ]);
    expect(cache.tags?.map((t) => t.tag)).toEqual(['#tag']);
    expect(cache.listItems?.map((i) => [i.task, i.parent])).toEqual([
      [' ', -15],
      [undefined, 15],
    ]);
  });

  it('a table may interrupt a paragraph; CRLF offsets count the CR', () => {
    const text = 'text\r\n| a |\r\n| - |\r\n| 1 |\r\n';
    const cache = computeFileCache(text);
    expect(cache.sections?.map((s) => [s.type, s.position.start.line, s.position.end.line])).toEqual([
      ['paragraph', 0, 0],
      ['table', 1, 3],
    ]);
    expect(cache.sections?.[1]?.position.start.offset).toBe(6);
  });

  it('is updated after a write (not during it), then fires changed and resolved', async () => {
    const app = createFakeApp({ files: { 'n.md': '# One', 'Other.md': '' } });
    const file = fileAt(app, 'n.md');
    const events: string[] = [];
    app.metadataCache.on('changed', (f, data, cache) => events.push(`changed ${f.path} ${data} ${cache.headings?.[0]?.heading}`));
    app.metadataCache.on('resolved', () => events.push('resolved'));
    const write = app.vault.modify(file, '# Two\n[[Other]]');
    expect(app.metadataCache.getFileCache(file)?.headings?.[0]?.heading).toBe('One');
    await write;
    await app.settle();
    expect(app.metadataCache.getFileCache(file)?.headings?.[0]?.heading).toBe('Two');
    expect(events).toEqual(['changed n.md # Two\n[[Other]] Two', 'resolved']);
    expect(app.metadataCache.resolvedLinks['n.md']).toEqual({ 'Other.md': 1 });
    expect(app.metadataCache.getFirstLinkpathDest('other', 'n.md')).toBe(fileAt(app, 'Other.md'));
  });

  it('in manual mode parses only when asked', async () => {
    const app = createFakeApp({ files: { 'n.md': '# One' }, metadata: 'manual' });
    const file = fileAt(app, 'n.md');
    await app.vault.modify(file, '# Two');
    await app.settle();
    const heading = (c: CachedMetadata | null): string | undefined => c?.headings?.[0]?.heading;
    expect(heading(app.metadataCache.getFileCache(file))).toBe('One');
    expect(app.metadataCache.flushPending()).toBe(1);
    expect(heading(app.metadataCache.getFileCache(file))).toBe('Two');
  });
});

describe('YAML', () => {
  it('reads maps, lists and scalars, and writes them back', () => {
    const yaml = 'a: 1\nb: "x: y"\nc:\n  - one\n  - two\nd: [3, true, null]\ne:\n  f: g\n';
    const data = parseYaml(yaml);
    expect(data).toEqual({ a: 1, b: 'x: y', c: ['one', 'two'], d: [3, true, null], e: { f: 'g' } });
    expect(parseYaml(stringifyYaml(data))).toEqual(data);
    // As YAML (and js-yaml, Obsidian's parser) reads it: an indented line goes on the plain scalar above.
    expect(parseYaml('a: 1\n  more')).toEqual({ a: '1 more' });
    expect(() => parseYaml('a: [1')).toThrow();
    expect(() => parseYaml('a: 1\na: 2')).toThrow();
  });
});

describe('the editor', () => {
  async function openNote(text: string): Promise<{ app: App; view: MarkdownView; editor: Editor; file: TFile }> {
    const app = createFakeApp({ files: { 'n.md': text } });
    const view = await app.openInEditor('n.md');
    return { app, view, editor: view.editor, file: fileAt(app, 'n.md') };
  }

  it('applies a transaction (positions in the text before it) as one undo step', async () => {
    const { editor } = await openNote('| a |\n| - |\n| 1 |\nend');
    editor.transaction({
      changes: [
        { from: { line: 2, ch: 5 }, text: '\n| 2 |' },
        { from: { line: 0, ch: 2 }, to: { line: 0, ch: 3 }, text: 'A' },
      ],
    });
    expect(editor.getValue()).toBe('| A |\n| - |\n| 1 |\n| 2 |\nend');
    expect(editor.undoDepth).toBe(1);
    expect(editor.calls).toEqual([{ method: 'transaction', changes: [{ from: 2, to: 3, text: 'A' }, { from: 17, to: 17, text: '\n| 2 |' }] }]);
    editor.undo();
    expect(editor.getValue()).toBe('| a |\n| - |\n| 1 |\nend');
    editor.redo();
    expect(editor.getValue()).toBe('| A |\n| - |\n| 1 |\n| 2 |\nend');
    expect(() => editor.transaction({ changes: [{ from: { line: 0, ch: 0 }, to: { line: 0, ch: 3 }, text: 'x' }, { from: { line: 0, ch: 2 }, text: 'y' }] })).toThrow(/Overlapping/);
    expect(() => editor.replaceRange('x', { line: 99, ch: 0 })).toThrow(RangeError);
  });

  it('converts between positions and offsets, and maps the cursor through changes', async () => {
    const { editor } = await openNote('ab\ncd\n');
    expect(editor.lineCount()).toBe(3);
    expect(editor.posToOffset({ line: 1, ch: 1 })).toBe(4);
    expect(editor.offsetToPos(6)).toEqual({ line: 2, ch: 0 });
    editor.setCursor({ line: 1, ch: 2 });
    editor.replaceRange('XX', { line: 0, ch: 0 });
    expect(editor.getCursor()).toEqual({ line: 1, ch: 2 });
    editor.replaceRange('!', { line: 1, ch: 0 });
    expect(editor.getCursor()).toEqual({ line: 1, ch: 3 });
  });

  it('reaches the vault only when its view saves; a vault change reaches a clean editor as an undoable step', async () => {
    const { app, view, editor, file } = await openNote('one\n');
    editor.replaceRange('two\n', { line: 1, ch: 0 });
    expect(view.isDirty()).toBe(true);
    expect(await app.vault.read(file)).toBe('one\n');
    await view.save();
    expect(await app.vault.read(file)).toBe('one\ntwo\n');
    await app.vault.process(file, (t) => `${t}three\n`);
    expect(editor.getValue()).toBe('one\ntwo\nthree\n');
    editor.undo();
    expect(editor.getValue()).toBe('one\ntwo\n');
  });

  it('does not take a vault change while it has unsaved edits, and its save then overwrites it', async () => {
    const { app, view, editor, file } = await openNote('one\n');
    editor.replaceRange('mine\n', { line: 1, ch: 0 });
    await app.vault.process(file, (t) => `${t}plugin\n`);
    expect(editor.getValue()).toBe('one\nmine\n');
    expect(view.conflicts).toEqual([{ path: 'n.md', vaultText: 'one\nplugin\n' }]);
    await app.flushEditors();
    expect(await app.vault.read(file)).toBe('one\nmine\n');
  });

  it('autosaves two seconds after the last edit (fake timers drive it)', async () => {
    vi.useFakeTimers();
    const { app, editor, file } = await openNote('one\n');
    editor.replaceRange('two\n', { line: 1, ch: 0 });
    vi.advanceTimersByTime(1999);
    expect(app.vault._peek(file.path)).toBe('one\n');
    vi.advanceTimersByTime(1);
    await app.settle();
    expect(app.vault._peek(file.path)).toBe('one\ntwo\n');
  });

  it('in Reading view the editor is not the view: an edit through it is lost at the save and at the switch back', async () => {
    // obsidian.d.ts: MarkdownView.getMode() is 'source' | 'preview'; the view's data comes from `currentMode` (the preview in Reading view).
    const { app, view, editor, file } = await openNote('one\n');
    await view.leaf.setViewState({ type: 'markdown', state: { file: 'n.md', mode: 'preview' } });
    expect(view.getMode()).toBe('preview');
    expect(view.getState()).toMatchObject({ file: 'n.md', mode: 'preview' });
    editor.replaceRange('lost\n', { line: 1, ch: 0 });
    expect(view.isDirty()).toBe(false);
    await view.save();
    expect(await app.vault.read(file)).toBe('one\n');
    view._setMode('source');
    expect(editor.getValue()).toBe('one\n');
    await app.vault.process(file, (t) => `${t}kept\n`);
    expect(editor.getValue()).toBe('one\nkept\n');
  });

  it('holds LF only: a CRLF note opens clean and is written with LF when edited', async () => {
    const { app, view, editor, file } = await openNote('a\r\nb\r\n');
    expect(editor.getValue()).toBe('a\nb\n');
    expect(view.isDirty()).toBe(false);
    editor.replaceRange('c\n', { line: 2, ch: 0 });
    await app.flushEditors();
    expect(await app.vault.read(file)).toBe('a\nb\nc\n');
  });
});

describe('the workspace', () => {
  it('queues onLayoutReady until layoutReady(), which first fires create for every file', async () => {
    const app = createFakeApp({ files: { 'a.md': '', 'f/b.md': '' } });
    const order: string[] = [];
    app.vault.on('create', (f) => order.push(`create ${f.path}`));
    app.workspace.onLayoutReady(() => order.push('ready'));
    expect(order).toEqual([]);
    await app.layoutReady();
    expect(order).toEqual(['create f', 'create a.md', 'create f/b.md', 'ready']);
    app.workspace.onLayoutReady(() => order.push('now'));
    expect(order.at(-1)).toBe('now');
  });

  it('opens a note at a line, making its leaf active and firing file-open', async () => {
    const app = createFakeApp({ files: { 'n.md': 'a\nb\nc' } });
    const opened: string[] = [];
    app.workspace.on('file-open', (f) => opened.push(f?.path ?? 'null'));
    await app.workspace.getLeaf(false).openFile(fileAt(app, 'n.md'), { eState: { line: 2 } });
    const view = app.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.editor.getCursor()).toEqual({ line: 2, ch: 0 });
    expect(app.workspace.getActiveFile()?.path).toBe('n.md');
    expect(opened).toEqual(['n.md']);
    await app.workspace.openLinkText('Missing', 'n.md');
    expect(app.vault.getFileByPath('Missing.md')).toBeInstanceOf(TFile);
  });

  it('restores deferred side leaves that load when revealed', async () => {
    class Side extends ItemView {
      getViewType(): string {
        return 'side';
      }
      getDisplayText(): string {
        return 'Side';
      }
    }
    const app = createFakeApp({ layout: [{ type: 'side' }] });
    const plugin = await app.loadPlugin(class extends Plugin {
      override onload(): void {
        this.registerView('side', (leaf) => new Side(leaf));
      }
    });
    const [leaf] = app.workspace.getLeavesOfType('side');
    expect(leaf?.isDeferred).toBe(true);
    expect(leaf?.view).not.toBeInstanceOf(Side);
    await app.workspace.revealLeaf(leaf as WorkspaceLeaf);
    expect(leaf?.view).toBeInstanceOf(Side);
    expect((leaf?.view as Side).contentEl).toBe(leaf?.view.containerEl.children[1]);
    await app.unloadPlugin(plugin);
    expect(app.workspace.getLeavesOfType('side')).toEqual([]);
  });
});

describe('the workspace, further', () => {
  class KeyView extends ItemView {
    keys: string[] = [];
    constructor(leaf: WorkspaceLeaf) {
      super(leaf);
      this.scope = new Scope(this.app.scope);
      this.scope.register(['Mod'], 'k', () => {
        this.keys.push('mod-k');
        return false;
      });
    }
    getViewType(): string {
      return 'keys';
    }
    getDisplayText(): string {
      return 'Keys';
    }
  }

  it('ensureSideLeaf reuses the leaf; the active view takes keys; links open at their heading', async () => {
    const app = createFakeApp({ files: { 'a/n.md': '---\nx: 1\n---\n# H1\ntext\n## H2\nmore', 'b.md': 'b' } });
    const active: string[] = [];
    app.workspace.on('active-leaf-change', (leaf) => active.push(leaf?.view.getViewType() ?? 'null'));
    await app.loadPlugin(class extends Plugin {
      override onload(): void {
        this.registerView('keys', (leaf) => new KeyView(leaf));
      }
    });
    const leaf = await app.workspace.ensureSideLeaf('keys', 'right', { active: true });
    expect(app.workspace.rightSplit.collapsed).toBe(false);
    expect(await app.workspace.ensureSideLeaf('keys', 'right')).toBe(leaf);
    expect(app.pressKey('k', { mod: true })).toBe(true);
    expect((leaf.view as KeyView).keys).toEqual(['mod-k']);
    await app.workspace.openLinkText('n#H2', 'b.md');
    const view = app.workspace.getActiveViewOfType(MarkdownView);
    expect(view?.file?.path).toBe('a/n.md');
    expect(view?.editor.getCursor()).toEqual({ line: 5, ch: 0 });
    expect(active).toEqual(['keys', 'markdown']);
    expect(app.workspace.getLastOpenFiles()).toEqual(['a/n.md']);
  });

  it('a folder rename moves open notes and their cache; deleting an open note closes its view', async () => {
    const app = createFakeApp({ files: { 'a/n.md': '# H', 'b.md': '' } });
    const view = await app.openInEditor('a/n.md');
    const renamed: string[] = [];
    app.vault.on('rename', (f, old) => renamed.push(`${old} > ${f.path}`));
    const folder = app.vault.getFolderByPath('a');
    if (!folder) throw new Error('no folder a');
    await app.vault.rename(folder, 'c');
    expect(renamed).toEqual(['a > c', 'a/n.md > c/n.md']);
    expect(view.file?.path).toBe('c/n.md');
    expect(app.metadataCache.getCache('c/n.md')?.headings).toHaveLength(1);
    expect(await app.vault.adapter.list('/')).toEqual({ files: ['b.md'], folders: ['c'] });
    await app.fileManager.trashFile(fileAt(app, 'c/n.md'));
    await app.settle();
    expect(app.workspace.getActiveViewOfType(MarkdownView)).toBeNull();
  });
});

describe('plugins', () => {
  class Probe extends Plugin {
    closed = 0;
    override async onload(): Promise<void> {
      await this.loadData();
      this.registerEvent(this.app.vault.on('modify', () => undefined));
      this.registerEvent(this.app.metadataCache.on('changed', () => undefined));
      this.registerEvent(this.app.workspace.on('file-open', () => undefined));
      this.registerDomEvent(activeDocument, 'keydown', () => undefined);
      this.registerDomEvent(window, 'resize', () => undefined);
      this.registerInterval(window.setInterval(() => undefined, 1000));
      this.addStatusBarItem().setText('2 problems');
      this.addRibbonIcon('check', 'Check', () => undefined);
      this.addCommand({ id: 'say', name: 'Say', callback: () => new Notice('hello') });
      this.addCommand({ id: 'edit', name: 'Edit', editorCallback: (editor) => editor.replaceSelection('!') });
      this.addCommand({ id: 'never', name: 'Never', checkCallback: () => false });
      this.registerView('probe', (leaf) => new ProbeView(leaf, this));
      const leaf = this.app.workspace.getRightLeaf(false);
      await leaf?.setViewState({ type: 'probe', active: true });
      await this.saveData({ saved: true });
    }
  }
  class ProbeView extends ItemView {
    constructor(
      leaf: WorkspaceLeaf,
      private readonly probe: Probe,
    ) {
      super(leaf);
    }
    getViewType(): string {
      return 'probe';
    }
    getDisplayText(): string {
      return 'Probe';
    }
    override onOpen(): Promise<void> {
      this.registerEvent(this.app.vault.on('create', () => undefined));
      this.contentEl.createDiv({ text: 'probe view' });
      return Promise.resolve();
    }
    override onClose(): Promise<void> {
      this.probe.closed++;
      return Promise.resolve();
    }
  }

  it('unloadPlugin runs every registered cleanup and leaves nothing listening', async () => {
    const app = createFakeApp({ files: { 'n.md': '' } });
    expect(app.leaks()).toEqual({});
    const plugin = await app.loadPlugin(Probe);
    expect(app.liveListeners()).toMatchObject({ vault: 2, metadataCache: 1, workspace: 1, window: 1, document: 1, intervals: 1, commands: 3, statusBarItems: 1, ribbonIcons: 1, viewTypes: 1 });
    expect(app.statusBarEl.getText()).toBe('2 problems');
    expect(app.pluginData('canon')).toEqual({ saved: true });
    await app.unloadPlugin(plugin);
    expect(app.leaks()).toEqual({});
    expect(plugin.closed).toBe(1);
    expect(app.workspace.getLeavesOfType('probe')).toEqual([]);
  });

  it('runs commands as the palette does and records notices', async () => {
    const app = createFakeApp({ files: { 'n.md': 'x' } });
    await app.loadPlugin(Probe);
    await app.commands.run('canon:say');
    expect(app.noticeMessages()).toEqual(['hello']);
    expect(app.notices[0]).toBeInstanceOf(Notice);
    expect(app.commands.executeCommandById('canon:never')).toBe(false);
    expect(app.commands.isAvailable('canon:edit')).toBe(false);
    const view = await app.openInEditor('n.md');
    view.editor.setCursor({ line: 0, ch: 1 });
    await app.commands.run('canon:edit');
    expect(view.editor.getValue()).toBe('x!');
    await expect(app.commands.run('canon:missing')).rejects.toThrow(/No command/);
  });

  it('loads the same plugin class from the sources and from the built bundle', async () => {
    for (const PluginClass of [await loadSource(), await loadBundle({ allowStale: true })]) {
      const app = createFakeApp();
      const plugin = await app.loadPlugin(PluginClass);
      expect(plugin).toBeInstanceOf(Plugin);
      await app.unloadPlugin();
      expect(app.leaks()).toEqual({});
    }
    expect(runBundle({ allowStale: true }).required.every((id) => id === 'obsidian')).toBe(true);
  });

  it('a bundle may require only obsidian', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'canon-bundle-')), 'main.js');
    writeFileSync(path, 'require("obsidian"); require("fs");');
    expect(() => runBundle({ path })).toThrow(/requires "fs"/);
    writeFileSync(path, 'module.exports = { kind: typeof process + typeof Buffer };');
    expect(runBundle({ path }).exports).toEqual({ kind: 'undefinedundefined' });
  });
});

describe('settings, modals and keys', () => {
  it('Setting components render real inputs and fire onChange on user input, not on setValue', () => {
    const container = createDiv();
    const changes: unknown[] = [];
    const setting = new Setting(container)
      .setName('Date format')
      .setDesc('How dates are written')
      .addText((t) => t.setValue('yyyy').onChange((v) => changes.push(['text', v])))
      .addDropdown((d) => d.addOptions({ a: 'A', b: 'B' }).setValue('a').onChange((v) => changes.push(['dropdown', v])))
      .addToggle((t) => t.setValue(false).onChange((v) => changes.push(['toggle', v])))
      .addSlider((s) => s.setLimits(0, 1000, 50).setValue(300).onChange((v) => changes.push(['slider', v])))
      .addTextArea((t) => t.onChange((v) => changes.push(['area', v])))
      .addButton((b) => b.setButtonText('Go').onClick(() => changes.push(['button'])));
    expect(setting.nameEl.getText()).toBe('Date format');
    expect(changes).toEqual([]);
    typeInto(container.querySelector('input[type=text]') as HTMLInputElement, 'dd');
    selectOption(container.querySelector('select') as HTMLSelectElement, 'b');
    click(container.querySelector('.checkbox-container') as HTMLElement);
    const slider = container.querySelector('input[type=range]') as HTMLInputElement;
    slider.value = '500';
    slider.dispatchEvent(new Event('change'));
    typeInto(container.querySelector('textarea') as HTMLTextAreaElement, 'notes');
    click(container.querySelector('button') as HTMLElement);
    expect(changes).toEqual([['text', 'dd'], ['dropdown', 'b'], ['toggle', true], ['slider', 500], ['area', 'notes'], ['button']]);
    setting.setDisabled(true);
    click(container.querySelector('button') as HTMLElement);
    expect(changes).toHaveLength(6);
  });

  it('a modal opens into the document, takes keys, and closes on Escape', () => {
    const app = createFakeApp();
    const log: string[] = [];
    class Ask extends Modal {
      override onOpen(): void {
        this.setTitle('Ask');
        this.contentEl.createEl('p', { text: 'Sure?' });
        this.scope.register([], 'Enter', () => {
          log.push('enter');
          return false;
        });
      }
      override onClose(): void {
        log.push('closed');
        this.contentEl.empty();
      }
    }
    const modal = new Ask(app);
    modal.open();
    expect(document.body.contains(modal.containerEl)).toBe(true);
    expect(modal.titleEl.getText()).toBe('Ask');
    expect(app.openModals()).toEqual([modal]);
    expect(app.pressKey('Enter')).toBe(true);
    expect(app.pressKey('Escape')).toBe(true);
    expect(log).toEqual(['enter', 'closed']);
    expect(app.openModals()).toEqual([]);
    expect(app.keymap.pushedScopes).toBe(0);
  });
});

describe('settings tabs, suggestions and menus', () => {
  it('shows a plugin setting tab with openTabById and hides it on close', async () => {
    const app = createFakeApp();
    class Tab extends PluginSettingTab {
      // The imperative display() (minAppVersion 1.7.2); no declarative definitions.
      override getSettingDefinitions(): [] {
        return [];
      }
      display(): void {
        this.containerEl.empty();
        new Setting(this.containerEl).setName('Debounce').addText((t) => t.setValue('500'));
      }
    }
    const plugin = await app.loadPlugin(class extends Plugin {
      override onload(): void {
        this.addSettingTab(new Tab(this.app, this));
      }
    });
    const tab = app.setting.openTabById('canon');
    expect(tab?.containerEl.querySelector('.setting-item-name')?.textContent).toBe('Debounce');
    expect(document.body.contains(tab?.containerEl ?? null)).toBe(true);
    app.setting.close();
    expect(tab?.containerEl.children).toHaveLength(0);
    await app.unloadPlugin(plugin);
    expect(app.setting.pluginTabs).toEqual([]);
  });

  it('a fuzzy suggest modal filters as the user types and chooses with Enter or a click', async () => {
    const app = createFakeApp();
    const chosen: string[] = [];
    class Pick extends FuzzySuggestModal<string> {
      getItems(): string[] {
        return ['Status log', 'Decision log', 'Lessons'];
      }
      getItemText(item: string): string {
        return item;
      }
      onChooseItem(item: string): void {
        chosen.push(item);
      }
    }
    const modal = new Pick(app);
    modal.open();
    await app.settle();
    expect(modal.resultContainerEl.children).toHaveLength(3);
    typeInto(modal.inputEl, 'dlog');
    await app.settle();
    expect(modal.suggestions.map((m) => m.item)).toEqual(['Decision log']);
    app.pressKey('Enter');
    expect(chosen).toEqual(['Decision log']);
    expect(modal.isOpen).toBe(false);
    modal.open();
    typeInto(modal.inputEl, '');
    await app.settle();
    click(modal.resultContainerEl.children[2] as HTMLElement);
    expect(chosen).toEqual(['Decision log', 'Lessons']);
  });

  it('a menu records its items; an item runs its callback and hides the menu', () => {
    const app = createFakeApp();
    const picked: string[] = [];
    const menu = new Menu()
      .addItem((i) => i.setTitle('Open').onClick(() => picked.push('open')))
      .addSeparator()
      .addItem((i) => i.setTitle('Off').setDisabled(true).onClick(() => picked.push('off')));
    menu.showAtPosition({ x: 1, y: 2 });
    expect(app.menus).toEqual([menu]);
    click(menu.dom.querySelectorAll('.menu-item')[1] as HTMLElement);
    click(menu.dom.querySelector('.menu-item') as HTMLElement);
    expect(picked).toEqual(['open']);
    expect(menu.dom.isConnected).toBe(false);
  });

  it('processFrontMatter rewrites only the frontmatter, atomically', async () => {
    const app = createFakeApp({ files: { 'n.md': '---\ncanon: status\n---\n# Body\n' } });
    await app.fileManager.processFrontMatter(fileAt(app, 'n.md'), (fm) => {
      fm.updated = '2026-11-24';
    });
    expect(await app.vault.read(fileAt(app, 'n.md'))).toBe('---\ncanon: status\nupdated: 2026-11-24\n---\n# Body\n');
  });
});

describe('utilities', () => {
  it('debounce runs once with the latest arguments, on fake timers; cancel and run work', () => {
    vi.useFakeTimers();
    const calls: number[] = [];
    const d = debounce((n: number) => calls.push(n), 100, true);
    d(1);
    vi.advanceTimersByTime(60);
    d(2);
    vi.advanceTimersByTime(60);
    expect(calls).toEqual([]);
    vi.advanceTimersByTime(40);
    expect(calls).toEqual([2]);
    d(3).cancel();
    vi.advanceTimersByTime(200);
    expect(calls).toEqual([2]);
    d(4);
    d.run();
    expect(calls).toEqual([2, 4]);
  });

  it('app.flushDebounces runs pending debounced calls now', async () => {
    const app = createFakeApp();
    const calls: string[] = [];
    const d = debounce(() => calls.push('ran'), 60_000);
    d();
    expect(await app.flushDebounces()).toBe(1);
    expect(calls).toEqual(['ran']);
  });

  it('normalizePath behaves as Obsidian', () => {
    expect(normalizePath('/a//b\\c/')).toBe('a/b/c');
    expect(normalizePath('')).toBe('/');
  });
});
