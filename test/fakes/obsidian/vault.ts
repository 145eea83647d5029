/**
 * Files and the vault: TAbstractFile, TFile, TFolder; the in-memory disk (case-insensitive on
 * request, as macOS, Windows, iOS and Android disks are); the DataAdapter over it; and the Vault, whose
 * calls do their work a microtask later and record what they wrote.
 */

import { type EventRef, Events } from './events';
import { type Callback, fakeWork, later, removeItem } from './host';
import { normalizePath } from './utils';

// ──────────────────────────────────────────── files ────────────────────────────────────────────

export interface FileStats {
  ctime: number;
  mtime: number;
  size: number;
}

export interface DataWriteOptions {
  ctime?: number;
  mtime?: number;
}

export function parentPath(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function lastSegment(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Paths under a dot-folder (or dot-files) are on disk but not in Obsidian's file index. */
function isHiddenPath(path: string): boolean {
  return path.split('/').some((segment) => segment.startsWith('.'));
}

function utf8Length(text: string): number {
  return new TextEncoder().encode(text).length;
}

export abstract class TAbstractFile {
  vault: Vault;
  path: string;
  name: string;
  parent: TFolder | null;

  constructor(vault: Vault, path: string, parent: TFolder | null) {
    this.vault = vault;
    this.path = path;
    this.name = lastSegment(path);
    this.parent = parent;
  }

  /** Fake: moves the file object to a new path (the vault's rename). */
  _setPath(path: string): void {
    this.path = path;
    this.name = lastSegment(path);
  }
}

export class TFile extends TAbstractFile {
  stat: FileStats = { ctime: 0, mtime: 0, size: 0 };
  basename = '';
  extension = '';

  constructor(vault: Vault, path: string, parent: TFolder | null) {
    super(vault, path, parent);
    this._setPath(path);
  }

  override _setPath(path: string): void {
    super._setPath(path);
    const dot = this.name.lastIndexOf('.');
    this.basename = dot > 0 ? this.name.slice(0, dot) : this.name;
    this.extension = dot > 0 ? this.name.slice(dot + 1) : '';
  }
}

export class TFolder extends TAbstractFile {
  children: TAbstractFile[] = [];

  isRoot(): boolean {
    return this.path === '/';
  }
}

// ─────────────────────────────────── disk, adapter and vault ───────────────────────────────────

interface DiskFile {
  data: string;
  ctime: number;
  mtime: number;
}

export function enoent(op: string, path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file or directory, ${op} '${path}'`), { code: 'ENOENT' });
}

/**
 * The vault folder on disk: files and folders by vault-relative path ('' is the vault root).
 *
 * Case-insensitive (option `caseInsensitiveDisk`), as the default file systems of macOS (APFS),
 * Windows (NTFS), iOS and Android storage are: `sessions` and `Sessions` are one folder, an existing
 * entry keeps its own case, and a new file goes into the folder as it is cased on disk. Obsidian's
 * own file index stays case-sensitive (`Vault.getAbstractFileByPath('sessions')` is null when the
 * folder is `Sessions`), and `Vault.createFolder` / `Vault.create` then fail with "Folder already
 * exists." / "File already exists." (obsidian.d.ts documents neither; the messages are the app's, as
 * plugins report them, e.g. Templater and QuickAdd issues on "Folder already exists").
 */
class MemoryDisk {
  readonly files = new Map<string, DiskFile>();
  readonly folders = new Set<string>(['']);

  constructor(
    readonly now: () => number,
    readonly caseInsensitive = false,
  ) {}

  /** The path as the disk has it: on a case-insensitive disk each existing part takes its own case. */
  real(path: string): string {
    if (!this.caseInsensitive || path === '') return path;
    const parts = path.split('/');
    let at = '';
    for (const part of parts) {
      const next = at === '' ? part : `${at}/${part}`;
      const lower = next.toLowerCase();
      const found = [...this.folders, ...this.files.keys()].find((p) => p.toLowerCase() === lower);
      at = found ?? next;
    }
    return at;
  }

  exists(path: string): boolean {
    const real = this.real(path);
    return this.files.has(real) || this.folders.has(real);
  }

  hasFolder(path: string): boolean {
    return this.folders.has(this.real(path));
  }

  read(path: string): string {
    const file = this.files.get(path);
    if (!file) throw enoent('open', path);
    return file.data;
  }

  write(given: string, data: string, options: DataWriteOptions = {}): void {
    const path = this.real(given);
    const now = this.now();
    const file = this.files.get(path);
    if (file) {
      file.data = data;
      file.mtime = options.mtime ?? now;
    } else {
      this.files.set(path, { data, ctime: options.ctime ?? now, mtime: options.mtime ?? now });
    }
  }

  /** Creates `path` and its missing parents; returns the folders created, outermost first. */
  mkdirp(path: string): string[] {
    const created: string[] = [];
    if (path === '') return created;
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const folder = parts.slice(0, i).join('/');
      if (this.files.has(folder)) throw Object.assign(new Error(`EEXIST: file already exists, mkdir '${folder}'`), { code: 'EEXIST' });
      if (!this.folders.has(folder)) {
        this.folders.add(folder);
        created.push(folder);
      }
    }
    return created;
  }

  /** Everything under `folder` (not the folder itself). */
  descendants(folder: string): string[] {
    const prefix = folder === '' ? '' : `${folder}/`;
    return [...this.folders, ...this.files.keys()].filter((p) => p !== '' && p !== folder && p.startsWith(prefix));
  }

  list(folder: string): { files: string[]; folders: string[] } {
    const inFolder = (p: string): boolean => p !== '' && p !== folder && parentPath(p) === folder;
    return { files: [...this.files.keys()].filter(inFolder), folders: [...this.folders].filter(inFolder) };
  }

  remove(path: string): void {
    for (const p of this.descendants(path)) {
      this.files.delete(p);
      this.folders.delete(p);
    }
    this.files.delete(path);
    this.folders.delete(path);
  }

  move(from: string, to: string): void {
    const moves = [from, ...this.descendants(from)].map((p) => [p, to + p.slice(from.length)] as const);
    for (const [oldPath, newPath] of moves) {
      const file = this.files.get(oldPath);
      if (file) {
        this.files.delete(oldPath);
        this.files.set(newPath, file);
      } else if (this.folders.delete(oldPath)) {
        this.folders.add(newPath);
      }
    }
  }
}

export interface Stat {
  type: 'file' | 'folder';
  ctime: number;
  mtime: number;
  size: number;
}

export interface ListedFiles {
  files: string[];
  folders: string[];
}

/** Fake: one call that wrote to the vault (or its disk), in order. */
export interface VaultCall {
  op: string;
  path: string;
  newPath?: string;
}

/** Obsidian's DataAdapter over the in-memory disk; a write to an indexed path updates the vault as its file watcher would. */
export class FakeDataAdapter {
  constructor(
    private readonly vault: Vault,
    private readonly disk: MemoryDisk,
  ) {}

  getName(): string {
    return this.vault.getName();
  }

  exists(normalizedPath: string, _sensitive?: boolean): Promise<boolean> {
    return later(() => this.disk.exists(normalizedPath));
  }

  stat(normalizedPath: string): Promise<Stat | null> {
    return later(() => {
      const file = this.disk.files.get(normalizedPath);
      if (file) return { type: 'file', ctime: file.ctime, mtime: file.mtime, size: utf8Length(file.data) };
      return this.disk.folders.has(normalizedPath) ? { type: 'folder', ctime: 0, mtime: 0, size: 0 } : null;
    });
  }

  list(normalizedPath: string): Promise<ListedFiles> {
    return later(() => {
      const folder = normalizedPath === '/' ? '' : normalizedPath;
      if (!this.disk.folders.has(folder)) throw enoent('scandir', normalizedPath);
      return this.disk.list(folder);
    });
  }

  read(normalizedPath: string): Promise<string> {
    return later(() => this.disk.read(normalizedPath));
  }

  readBinary(normalizedPath: string): Promise<ArrayBuffer> {
    return later(() => new TextEncoder().encode(this.disk.read(normalizedPath)).buffer);
  }

  write(normalizedPath: string, data: string, options?: DataWriteOptions): Promise<void> {
    return later(() => this.writeNow('adapter.write', normalizedPath, data, options));
  }

  writeBinary(normalizedPath: string, data: ArrayBuffer, options?: DataWriteOptions): Promise<void> {
    return this.write(normalizedPath, new TextDecoder().decode(data), options);
  }

  append(normalizedPath: string, data: string, options?: DataWriteOptions): Promise<void> {
    return later(() => {
      const before = this.disk.files.get(normalizedPath)?.data ?? '';
      this.writeNow('adapter.append', normalizedPath, before + data, options);
    });
  }

  process(normalizedPath: string, fn: (data: string) => string, options?: DataWriteOptions): Promise<string> {
    return later(() => {
      const next = checkedResult(fn(this.disk.read(normalizedPath)));
      this.writeNow('adapter.process', normalizedPath, next, options);
      return next;
    });
  }

  getResourcePath(normalizedPath: string): string {
    return `app://local/${normalizedPath}`;
  }

  mkdir(normalizedPath: string): Promise<void> {
    return later(() => {
      this.vault.calls.push({ op: 'adapter.mkdir', path: normalizedPath });
      for (const folder of this.disk.mkdirp(normalizedPath)) this.vault._diskChanged(folder);
    });
  }

  trashSystem(normalizedPath: string): Promise<boolean> {
    return this.remove(normalizedPath).then(() => true);
  }

  trashLocal(normalizedPath: string): Promise<void> {
    return this.remove(normalizedPath);
  }

  rmdir(normalizedPath: string, recursive: boolean): Promise<void> {
    return later(() => {
      if (!this.disk.folders.has(normalizedPath)) throw enoent('rmdir', normalizedPath);
      if (!recursive && this.disk.descendants(normalizedPath).length > 0) {
        throw Object.assign(new Error(`ENOTEMPTY: directory not empty, rmdir '${normalizedPath}'`), { code: 'ENOTEMPTY' });
      }
      this.vault.calls.push({ op: 'adapter.rmdir', path: normalizedPath });
      this.vault._removeFromDisk(normalizedPath);
    });
  }

  remove(normalizedPath: string): Promise<void> {
    return later(() => {
      if (!this.disk.files.has(normalizedPath)) throw enoent('unlink', normalizedPath);
      this.vault.calls.push({ op: 'adapter.remove', path: normalizedPath });
      this.vault._removeFromDisk(normalizedPath);
    });
  }

  rename(normalizedPath: string, normalizedNewPath: string): Promise<void> {
    return later(() => {
      if (!this.disk.exists(normalizedPath)) throw enoent('rename', normalizedPath);
      this.vault.calls.push({ op: 'adapter.rename', path: normalizedPath, newPath: normalizedNewPath });
      this.vault._moveOnDisk(normalizedPath, normalizedNewPath);
    });
  }

  copy(normalizedPath: string, normalizedNewPath: string): Promise<void> {
    return later(() => {
      if (this.disk.exists(normalizedNewPath)) throw new Error(`EEXIST: file already exists, copyfile '${normalizedNewPath}'`);
      this.writeNow('adapter.copy', normalizedNewPath, this.disk.read(normalizedPath));
    });
  }

  private writeNow(op: string, path: string, data: string, options?: DataWriteOptions): void {
    if (this.disk.folders.has(path)) throw Object.assign(new Error(`EISDIR: illegal operation on a directory, open '${path}'`), { code: 'EISDIR' });
    const created = this.disk.mkdirp(parentPath(path));
    this.disk.write(path, data, options);
    this.vault.calls.push({ op, path });
    for (const folder of created) this.vault._diskChanged(folder);
    this.vault._diskChanged(path);
  }
}

function checkedResult(next: unknown): string {
  if (typeof next !== 'string') {
    throw new TypeError('process(): the callback must return the new text (a string), synchronously');
  }
  return next;
}

/** Fake: what the app learns from the vault (kept apart from `on`, so listener counts are the plugin's). */
interface VaultObserver {
  created(file: TAbstractFile): void;
  modified(file: TFile, data: string): void;
  deleted(file: TAbstractFile): void;
  renamed(file: TAbstractFile, oldPath: string): void;
}

/** Obsidian's Vault over an in-memory disk. */
export class Vault extends Events {
  readonly adapter: FakeDataAdapter;
  configDir = '.obsidian';
  /** Fake: every write made through the vault or its adapter, in order. */
  readonly calls: VaultCall[] = [];
  /** Fake: set by the app. */
  _observer: VaultObserver | null = null;
  private readonly disk: MemoryDisk;
  private readonly index = new Map<string, TAbstractFile>();
  private readonly root: TFolder;

  constructor(
    private readonly vaultName: string,
    now: () => number,
    caseInsensitiveDisk = false,
  ) {
    super();
    this.disk = new MemoryDisk(now, caseInsensitiveDisk);
    this.adapter = new FakeDataAdapter(this, this.disk);
    this.root = new TFolder(this, '/', null);
    this.root.name = '';
    this.index.set('/', this.root);
  }

  static recurseChildren(root: TFolder, cb: (file: TAbstractFile) => unknown): void {
    cb(root);
    for (const child of root.children) {
      if (child instanceof TFolder) Vault.recurseChildren(child, cb);
      else cb(child);
    }
  }

  getName(): string {
    return this.vaultName;
  }

  getRoot(): TFolder {
    return this.root;
  }

  getAbstractFileByPath(path: string): TAbstractFile | null {
    return this.index.get(path) ?? null;
  }

  getFileByPath(path: string): TFile | null {
    const file = this.index.get(path);
    return file instanceof TFile ? file : null;
  }

  getFolderByPath(path: string): TFolder | null {
    const folder = this.index.get(path === '' ? '/' : path);
    return folder instanceof TFolder ? folder : null;
  }

  getAllLoadedFiles(): TAbstractFile[] {
    return [...this.index.values()];
  }

  getAllFolders(includeRoot?: boolean): TFolder[] {
    return [...this.index.values()].filter((f): f is TFolder => f instanceof TFolder && (includeRoot === true || f !== this.root));
  }

  getFiles(): TFile[] {
    return [...this.index.values()].filter((f): f is TFile => f instanceof TFile);
  }

  getMarkdownFiles(): TFile[] {
    return this.getFiles().filter((f) => f.extension === 'md');
  }

  read(file: TFile): Promise<string> {
    return later(() => this.disk.read(file.path));
  }

  cachedRead(file: TFile): Promise<string> {
    return this.read(file);
  }

  readBinary(file: TFile): Promise<ArrayBuffer> {
    return this.adapter.readBinary(file.path);
  }

  getResourcePath(file: TFile): string {
    return this.adapter.getResourcePath(file.path);
  }

  /** Fails when the file exists and when its folder does not (create the folder first). */
  create(path: string, data: string, options?: DataWriteOptions): Promise<TFile> {
    return later(() => {
      if (this.disk.exists(path)) throw new Error('File already exists.');
      if (!this.disk.hasFolder(parentPath(path))) throw enoent('open', path);
      // A case-insensitive disk puts the file in the folder as it is cased there (Obsidian's index follows the disk).
      path = this.disk.real(parentPath(path)) === parentPath(path) ? path : `${this.disk.real(parentPath(path))}/${path.split('/').pop() ?? ''}`;
      this.disk.write(path, data, options);
      this.calls.push({ op: 'create', path });
      const file = this.indexPath(path);
      if (!(file instanceof TFile)) throw new Error(`Cannot index ${path}`);
      this.emitCreated(file);
      return file;
    });
  }

  createBinary(path: string, data: ArrayBuffer, options?: DataWriteOptions): Promise<TFile> {
    return this.create(path, new TextDecoder().decode(data), options);
  }

  /** Creates the folder and its missing parents; fails when it exists. */
  createFolder(path: string): Promise<TFolder> {
    return later(() => {
      if (this.disk.exists(path)) throw new Error('Folder already exists.');
      this.calls.push({ op: 'createFolder', path });
      for (const folder of this.disk.mkdirp(path)) this.emitCreated(this.indexPath(folder));
      const folder = this.getFolderByPath(path);
      if (!folder) throw new Error(`Cannot index ${path}`);
      return folder;
    });
  }

  modify(file: TFile, data: string, options?: DataWriteOptions): Promise<void> {
    return later(() => this.writeIndexed('modify', file, data, options));
  }

  modifyBinary(file: TFile, data: ArrayBuffer, options?: DataWriteOptions): Promise<void> {
    return this.modify(file, new TextDecoder().decode(data), options);
  }

  append(file: TFile, data: string, options?: DataWriteOptions): Promise<void> {
    return later(() => this.writeIndexed('append', file, this.disk.read(file.path) + data, options));
  }

  /** Atomic: `fn` gets the text as it is now and its result is written in the same step. */
  process(file: TFile, fn: (data: string) => string, options?: DataWriteOptions): Promise<string> {
    return later(() => {
      this.requireIndexed(file);
      const next = checkedResult(fn(this.disk.read(file.path)));
      this.writeIndexed('process', file, next, options);
      return next;
    });
  }

  delete(file: TAbstractFile, _force?: boolean): Promise<void> {
    return later(() => {
      this.requireIndexed(file);
      this.calls.push({ op: 'delete', path: file.path });
      this._removeFromDisk(file.path);
    });
  }

  trash(file: TAbstractFile, system: boolean): Promise<void> {
    return this._trash(file, system);
  }

  /** Fake: the trash (FileManager.trashFile goes here too). */
  _trash(file: TAbstractFile, system: boolean): Promise<void> {
    return later(() => {
      this.requireIndexed(file);
      this.calls.push({ op: system ? 'trash.system' : 'trash.local', path: file.path });
      this._removeFromDisk(file.path);
    });
  }

  /** Fails when the destination exists or its folder does not. */
  rename(file: TAbstractFile, newPath: string): Promise<void> {
    return later(() => {
      this.requireIndexed(file);
      if (this.disk.exists(newPath)) throw new Error('Destination file already exists!');
      if (!this.disk.folders.has(parentPath(newPath))) throw enoent('rename', newPath);
      this.calls.push({ op: 'rename', path: file.path, newPath });
      this._moveOnDisk(file.path, newPath);
    });
  }

  copy<T extends TAbstractFile>(file: T, newPath: string): Promise<T> {
    return later(() => {
      this.requireIndexed(file);
      if (!(file instanceof TFile)) throw new Error('Copying folders is not modelled by the fake');
      if (this.disk.exists(newPath)) throw new Error('File already exists.');
      if (!this.disk.folders.has(parentPath(newPath))) throw enoent('copyfile', newPath);
      this.disk.write(newPath, this.disk.read(file.path));
      this.calls.push({ op: 'copy', path: file.path, newPath });
      const copy = this.indexPath(newPath);
      this.emitCreated(copy);
      return copy as T;
    });
  }

  override on(name: 'create' | 'modify' | 'delete', callback: (file: TAbstractFile) => unknown, ctx?: unknown): EventRef;
  override on(name: 'rename', callback: (file: TAbstractFile, oldPath: string) => unknown, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef {
    return super.on(name, callback, ctx);
  }

  /** Fake: puts files on disk and in the index without events (the vault as it is at start-up). */
  _seed(files: Record<string, string>, folders: string[] = []): void {
    for (const folder of folders) this.disk.mkdirp(normalizePath(folder));
    for (const [path, data] of Object.entries(files)) {
      this.disk.mkdirp(parentPath(path));
      this.disk.write(path, data);
    }
    for (const folder of [...this.disk.folders].sort()) if (folder !== '' && !isHiddenPath(folder)) this.indexPath(folder);
    for (const path of [...this.disk.files.keys()].sort()) if (!isHiddenPath(path)) this.indexPath(path);
  }

  /** Fake: the text on disk (null when there is no such file), without a call being recorded. */
  _peek(path: string): string | null {
    return this.disk.files.get(path)?.data ?? null;
  }

  /** Fake: a view saving its editor's text. */
  _saveFromView(file: TFile, data: string): Promise<void> {
    return later(() => this.writeIndexed('editor.save', file, data));
  }

  /** Fake: the disk changed at `path` (an adapter call): update the index as the file watcher would. */
  _diskChanged(path: string): void {
    if (isHiddenPath(path)) return;
    const indexed = this.index.get(path);
    const file = this.disk.files.get(path);
    if (file && indexed instanceof TFile) {
      this.refreshStat(indexed);
      this.emitModified(indexed, file.data);
    } else if (file || this.disk.folders.has(path)) {
      if (!indexed) this.emitCreated(this.indexPath(path));
    } else if (indexed) {
      this.unindex(indexed);
    }
  }

  /** Fake: removes a file or folder (with what it holds) from disk and index, firing `delete`. */
  _removeFromDisk(path: string): void {
    const indexed = this.index.get(path);
    this.disk.remove(path);
    if (indexed) this.unindex(indexed);
  }

  /** Fake: moves a file or folder on disk and in the index, firing `rename` for it and what it holds. */
  _moveOnDisk(from: string, to: string): void {
    const moved = this.index.get(from);
    this.disk.mkdirp(parentPath(to));
    this.disk.move(from, to);
    if (!moved) {
      this._diskChanged(to);
      return;
    }
    if (isHiddenPath(to)) {
      this.unindex(moved);
      return;
    }
    const entries = [...this.index.entries()].filter(([p]) => p === from || p.startsWith(`${from}/`));
    for (const [p] of entries) this.index.delete(p);
    if (moved.parent) removeItem(moved.parent.children, moved);
    const newParent = this.ensureFolderIndexed(parentPath(to));
    moved.parent = newParent;
    newParent.children.push(moved);
    for (const [p, item] of entries) {
      const oldPath = item.path;
      item._setPath(to + p.slice(from.length));
      this.index.set(item.path, item);
      this._observer?.renamed(item, oldPath);
      this.trigger('rename', item, oldPath);
    }
  }

  private requireIndexed(file: TAbstractFile): void {
    if (this.index.get(file.path) !== file) throw enoent('open', file.path);
  }

  private writeIndexed(op: string, file: TFile, data: string, options?: DataWriteOptions): void {
    fakeWork(() => {
      this.requireIndexed(file);
      this.disk.write(file.path, data, options);
      this.calls.push({ op, path: file.path });
      this.refreshStat(file);
      this.emitModified(file, data);
    });
  }

  private refreshStat(file: TFile): void {
    const disk = this.disk.files.get(file.path);
    if (!disk) return;
    file.stat.ctime = disk.ctime;
    file.stat.mtime = disk.mtime;
    file.stat.size = utf8Length(disk.data);
  }

  private ensureFolderIndexed(path: string): TFolder {
    const existing = this.getFolderByPath(path);
    if (existing) return existing;
    const folder = this.indexPath(path);
    if (!(folder instanceof TFolder)) throw new Error(`${path} is not a folder`);
    return folder;
  }

  /** Adds `path` (on disk) to the index under its parent folder; returns the index entry. */
  private indexPath(path: string): TAbstractFile {
    const existing = this.index.get(path);
    if (existing) return existing;
    const parent = this.ensureFolderIndexed(parentPath(path));
    const item = this.disk.folders.has(path) ? new TFolder(this, path, parent) : new TFile(this, path, parent);
    if (item instanceof TFile) this.refreshStat(item);
    parent.children.push(item);
    this.index.set(path, item);
    return item;
  }

  private unindex(item: TAbstractFile): void {
    if (item instanceof TFolder) for (const child of [...item.children]) this.unindex(child);
    this.index.delete(item.path);
    if (item.parent) removeItem(item.parent.children, item);
    this._observer?.deleted(item);
    this.trigger('delete', item);
  }

  private emitCreated(item: TAbstractFile): void {
    this._observer?.created(item);
    this.trigger('create', item);
  }

  private emitModified(file: TFile, data: string): void {
    this._observer?.modified(file, data);
    this.trigger('modify', file);
  }
}
