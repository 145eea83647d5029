/**
 * The metadata cache: CachedMetadata and its parts, `computeFileCache` (what Obsidian's parser
 * records for a note), link resolution, the frontmatter helpers, and MetadataCache with its lag
 * (`FakeAppOptions.metadataLag`).
 */

import { type EventRef, Events } from './events';
import { type Callback, type Dict, fakeWork, host, timers } from './host';
import { normalizePath } from './utils';
import { parentPath, type TFile, type Vault } from './vault';
import { isPlainObject, parseYaml } from './yaml';

// ─────────────────────────────────────────── metadata ───────────────────────────────────────────

export interface Loc {
  line: number;
  col: number;
  offset: number;
}

export interface Pos {
  start: Loc;
  end: Loc;
}

export interface CacheItem {
  position: Pos;
}

export interface HeadingCache extends CacheItem {
  heading: string;
  level: number;
}

export interface SectionCache extends CacheItem {
  id?: string;
  type: string;
}

export interface Reference {
  link: string;
  original: string;
  displayText?: string;
}

export interface LinkCache extends Reference, CacheItem {}
export type EmbedCache = LinkCache;

export interface FrontmatterLinkCache extends Reference {
  key: string;
}

export interface TagCache extends CacheItem {
  tag: string;
}

export interface ListItemCache extends CacheItem {
  id?: string;
  task?: string;
  parent: number;
}

export interface BlockCache extends CacheItem {
  id: string;
}

export type FrontMatterCache = Dict;

export interface CachedMetadata {
  links?: LinkCache[];
  embeds?: EmbedCache[];
  tags?: TagCache[];
  headings?: HeadingCache[];
  sections?: SectionCache[];
  listItems?: ListItemCache[];
  frontmatter?: FrontMatterCache;
  frontmatterPosition?: Pos;
  frontmatterLinks?: FrontmatterLinkCache[];
  blocks?: Record<string, BlockCache>;
}

/** A note's lines (without their line breaks) and where each starts in the text. */
class NoteLines {
  readonly lines: string[] = [];
  readonly starts: number[] = [];

  constructor(text: string) {
    let pos = 0;
    for (;;) {
      const nl = text.indexOf('\n', pos);
      const end = nl < 0 ? text.length : nl;
      this.lines.push(text.slice(pos, end).replace(/\r$/, ''));
      this.starts.push(pos);
      if (nl < 0) break;
      pos = nl + 1;
    }
  }

  line(i: number): string {
    return this.lines[i] ?? '';
  }

  loc(line: number, col: number): Loc {
    return { line, col, offset: (this.starts[line] ?? 0) + col };
  }

  /** From the start of `from` to the end of `to`. */
  span(from: number, to: number, col = 0): Pos {
    return { start: this.loc(from, col), end: this.loc(to, this.line(to).length) };
  }
}

const BLANK = /^\s*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})([^`]*)$/;
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$/;
const HR = /^ {0,3}(?:(?:-[ \t]*){3,}|(?:\*[ \t]*){3,}|(?:_[ \t]*){3,})$/;
const SETEXT = /^ {0,3}(=+|-+)[ \t]*$/;
const QUOTE = /^ {0,3}>/;
const LIST_ITEM = /^([ \t]*)([-*+]|\d{1,9}[.)])(?:[ \t]+(.*))?$/;
const MATH = /^ {0,3}\$\$/;
const COMMENT = /^\s*%%/;
const HTML = /^ {0,3}<(?:[a-zA-Z][a-zA-Z0-9-]*(?:[\s/>]|$)|\/[a-zA-Z]|!--)/;
const DELIMITER_ROW = /^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/;

/** A GFM table row's cells (a pipe escaped with `\\` stays inside its cell). */
function tableCells(row: string): string[] {
  let inner = row.trim();
  if (inner.startsWith('|')) inner = inner.slice(1);
  const cells: string[] = [];
  let current = '';
  for (let i = 0; i < inner.length; i++) {
    const ch = inner[i] ?? '';
    if (ch === '\\' && i + 1 < inner.length) {
      current += ch + (inner[i + 1] ?? '');
      i++;
    } else if (ch === '|') {
      cells.push(current);
      current = '';
    } else {
      current += ch;
    }
  }
  if (current.trim() !== '' || cells.length === 0) cells.push(current);
  return cells;
}

function startsTable(notes: NoteLines, i: number): boolean {
  const head = notes.line(i);
  const delimiter = notes.line(i + 1);
  return (
    i + 1 < notes.lines.length &&
    head.includes('|') &&
    delimiter.includes('|') &&
    DELIMITER_ROW.test(delimiter) &&
    tableCells(head).length === tableCells(delimiter).length
  );
}

/** Whether line `i` opens a block that ends a paragraph or a table. */
function interrupts(notes: NoteLines, i: number): boolean {
  const line = notes.line(i);
  return (
    BLANK.test(line) ||
    FENCE.test(line) ||
    ATX.test(line) ||
    QUOTE.test(line) ||
    HR.test(line) ||
    MATH.test(line) ||
    /^ {0,3}([-*+]|1[.)])[ \t]+\S/.test(line) ||
    startsTable(notes, i)
  );
}

/**
 * Fake: the metadata Obsidian's cache holds for a note, from a small block parser: frontmatter
 * (`yaml`), ATX and setext headings, fenced code, math, comments, HTML, GFM tables (a table may
 * interrupt a paragraph), lists (with tasks), blockquotes and callouts, thematic breaks and
 * paragraphs; links, embeds, tags and block ids outside code. Lines are 0-based; a block ends at
 * the end of its last line.
 */
export function computeFileCache(text: string): CachedMetadata {
  const notes = new NoteLines(text);
  const n = notes.lines.length;
  const cache: CachedMetadata = { sections: [] };
  const sections = cache.sections ?? [];
  const headings: HeadingCache[] = [];
  const listItems: ListItemCache[] = [];
  const scanned: number[] = [];
  let i = 0;

  if (/^---\s*$/.test(notes.line(0))) {
    let close = 1;
    while (close < n && !/^---\s*$/.test(notes.line(close))) close++;
    if (close < n) {
      const position = { start: notes.loc(0, 0), end: notes.loc(close, 3) };
      cache.frontmatterPosition = position;
      sections.push({ type: 'yaml', position });
      try {
        const data = parseYaml(notes.lines.slice(1, close).join('\n'));
        if (isPlainObject(data)) {
          cache.frontmatter = data;
          cache.frontmatterLinks = frontmatterLinks(data);
        }
      } catch {
        // Obsidian keeps a note whose frontmatter does not parse; it just has no frontmatter.
      }
      i = close + 1;
    }
  }

  while (i < n) {
    const line = notes.line(i);
    const start = i;
    if (BLANK.test(line)) {
      i++;
      continue;
    }
    const fence = FENCE.exec(line);
    if (fence) {
      const mark = fence[1] ?? '```';
      const close = new RegExp(`^ {0,3}${mark[0] === '`' ? '`' : '~'}{${mark.length},}[ \\t]*$`);
      i++;
      while (i < n && !close.test(notes.line(i))) i++;
      const end = Math.min(i, n - 1);
      sections.push({ type: 'code', position: notes.span(start, end) });
      i = end + 1;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const position = notes.span(i, i);
      headings.push({ heading: (atx[2] ?? '').trim(), level: (atx[1] ?? '#').length, position });
      sections.push({ type: 'heading', position });
      scanned.push(i);
      i++;
      continue;
    }
    if (MATH.test(line) || COMMENT.test(line)) {
      const mark = MATH.test(line) ? '$$' : '%%';
      const rest = line.slice(line.indexOf(mark) + 2);
      if (!rest.includes(mark)) {
        i++;
        while (i < n && !notes.line(i).includes(mark)) i++;
      }
      const end = Math.min(i, n - 1);
      sections.push({ type: mark === '$$' ? 'math' : 'comment', position: notes.span(start, end) });
      i = end + 1;
      continue;
    }
    if (HR.test(line)) {
      sections.push({ type: 'thematicBreak', position: notes.span(i, i) });
      i++;
      continue;
    }
    if (startsTable(notes, i)) {
      i += 2;
      while (i < n && !interrupts(notes, i) && !LIST_ITEM.test(notes.line(i)) && !HTML.test(notes.line(i))) i++;
      sections.push({ type: 'table', position: notes.span(start, i - 1) });
      for (let row = start; row < i; row++) if (row !== start + 1) scanned.push(row);
      continue;
    }
    if (QUOTE.test(line)) {
      i++;
      while (i < n && (QUOTE.test(notes.line(i)) || !interrupts(notes, i))) i++;
      const type = /^ {0,3}>\s*\[!/.test(line) ? 'callout' : 'blockquote';
      sections.push({ type, position: notes.span(start, i - 1) });
      for (let row = start; row < i; row++) scanned.push(row);
      continue;
    }
    if (LIST_ITEM.test(line)) {
      i = readList(notes, i, listItems);
      sections.push({ type: 'list', position: notes.span(start, i - 1) });
      for (let row = start; row < i; row++) scanned.push(row);
      continue;
    }
    if (HTML.test(line)) {
      while (i < n && !BLANK.test(notes.line(i))) i++;
      sections.push({ type: 'html', position: notes.span(start, i - 1) });
      continue;
    }
    // A paragraph, or a setext heading when an underline ends it.
    i++;
    let setext: number | null = null;
    while (i < n) {
      const underline = SETEXT.exec(notes.line(i));
      if (underline) {
        setext = (underline[1] ?? '=').startsWith('=') ? 1 : 2;
        break;
      }
      if (interrupts(notes, i)) break;
      i++;
    }
    if (setext !== null) {
      const heading = notes.lines.slice(start, i).map((l) => l.trim()).join(' ');
      const position = notes.span(start, i);
      headings.push({ heading, level: setext, position });
      sections.push({ type: 'heading', position });
      for (let row = start; row < i; row++) scanned.push(row);
      i++;
      continue;
    }
    sections.push({ type: 'paragraph', position: notes.span(start, i - 1) });
    for (let row = start; row < i; row++) scanned.push(row);
  }

  if (headings.length > 0) cache.headings = headings;
  if (listItems.length > 0) cache.listItems = listItems;
  scanReferences(notes, scanned, cache);
  return cache;
}

/** Reads a list from line `start`; records its items; returns the line after it. */
function readList(notes: NoteLines, start: number, items: ListItemCache[]): number {
  const n = notes.lines.length;
  const stack: Array<{ indent: number; line: number }> = [];
  let last = start;
  let i = start;
  while (i < n) {
    const line = notes.line(i);
    const item = LIST_ITEM.exec(line);
    if (item) {
      const indent = (item[1] ?? '').length;
      while (stack.length > 0 && (stack[stack.length - 1]?.indent ?? 0) >= indent) stack.pop();
      const task = /^\[(.)\](?:\s|$)/.exec(item[3] ?? '');
      items.push({
        parent: stack[stack.length - 1]?.line ?? -start,
        position: { start: notes.loc(i, indent), end: notes.loc(i, line.length) },
        ...(task ? { task: task[1] } : {}),
      });
      stack.push({ indent, line: i });
      last = i;
      i++;
    } else if (BLANK.test(line)) {
      let next = i;
      while (next < n && BLANK.test(notes.line(next))) next++;
      if (next < n && (LIST_ITEM.test(notes.line(next)) || /^[ \t]{2,}\S/.test(notes.line(next)))) i = next;
      else break;
    } else if (/^[ \t]+\S/.test(line) || !interrupts(notes, i)) {
      const previous = items[items.length - 1];
      if (previous) previous.position.end = notes.loc(i, line.length);
      last = i;
      i++;
    } else {
      break;
    }
  }
  return last + 1;
}

function frontmatterLinks(data: Dict): FrontmatterLinkCache[] {
  const out: FrontmatterLinkCache[] = [];
  const visit = (key: string, value: unknown): void => {
    if (typeof value === 'string') {
      for (const m of value.matchAll(/\[\[([^[\]]+?)\]\]/g)) out.push({ key, ...wikiReference(m[0], m[1] ?? '') });
    } else if (Array.isArray(value)) {
      value.forEach((item: unknown, index) => visit(`${key}.${index}`, item));
    }
  };
  for (const [key, value] of Object.entries(data)) visit(key, value);
  return out;
}

function wikiReference(original: string, inner: string): Reference {
  const bar = inner.indexOf('|');
  // In a table a link's alias pipe is escaped (`[[note\|alias]]`): the backslash is not part of the link.
  const target = (bar >= 0 ? inner.slice(0, bar) : inner).replace(/\\$/, '').trim();
  const alias = bar >= 0 ? inner.slice(bar + 1).trim() : undefined;
  return { link: target, original, displayText: alias ?? target };
}

function scanReferences(notes: NoteLines, lines: number[], cache: CachedMetadata): void {
  const links: LinkCache[] = [];
  const embeds: EmbedCache[] = [];
  const tags: TagCache[] = [];
  const blocks: Record<string, BlockCache> = {};
  for (const i of lines) {
    // Code spans and inline comments hold no links; blank them out, keeping columns.
    const line = notes.line(i).replace(/(`+)[^`]*?\1|%%.*?%%/g, (m) => ' '.repeat(m.length));
    const at = (col: number, length: number): Pos => ({ start: notes.loc(i, col), end: notes.loc(i, col + length) });
    for (const m of line.matchAll(/(!?)\[\[([^[\]\n]+?)\]\]/g)) {
      const ref = { ...wikiReference(m[0].replace(/^!/, ''), m[2] ?? ''), original: m[0], position: at(m.index, m[0].length) };
      (m[1] ? embeds : links).push(ref);
    }
    for (const m of line.matchAll(/(!?)\[([^\]\n]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
      const target = m[3] ?? '';
      if (/^[a-z][a-z0-9+.-]*:/i.test(target) || target.startsWith('#')) continue;
      let link = target;
      try {
        link = decodeURIComponent(target);
      } catch {
        // Keep the link as written.
      }
      const ref = { link, original: m[0], displayText: m[2] ?? '', position: at(m.index, m[0].length) };
      (m[1] ? embeds : links).push(ref);
    }
    for (const m of line.matchAll(/(^|[\s(])(#[^\s#!"$%&'()*+,.:;<=>?@[\]^`{|}~]+)/gu)) {
      const tag = m[2] ?? '';
      if (/^#\d+$/.test(tag)) continue;
      tags.push({ tag, position: at(m.index + (m[1] ?? '').length, tag.length) });
    }
    const block = /\s\^([A-Za-z0-9-]+)\s*$/.exec(line);
    if (block?.[1]) blocks[block[1].toLowerCase()] = { id: block[1], position: notes.span(i, i) };
  }
  if (links.length > 0) cache.links = links;
  if (embeds.length > 0) cache.embeds = embeds;
  if (tags.length > 0) cache.tags = tags;
  if (Object.keys(blocks).length > 0) cache.blocks = blocks;
}

/** Splits `note#heading` (or `note#^block`) into its path and its subpath (with the `#`). */
export function parseLinktext(linktext: string): { path: string; subpath: string } {
  const hash = linktext.indexOf('#');
  return hash < 0 ? { path: linktext, subpath: '' } : { path: linktext.slice(0, hash), subpath: linktext.slice(hash) };
}

export function getLinkpath(linktext: string): string {
  return parseLinktext(linktext).path;
}

/**
 * Fake: a metadata cache that lags, as Obsidian's does (`FakeAppOptions.metadataLag`). Each write is
 * parsed `minMs`…`maxMs` later (seeded random, per file); at start the cache holds only `previous`.
 */
export interface MetadataLag {
  minMs: number;
  maxMs: number;
  /** Seed of the delays (default 1): the same seed gives the same delays for the same writes. */
  seed?: number;
  /**
   * The texts whose metadata the cache held when the vault was last closed (path → text), as
   * Obsidian keeps it between sessions. A note listed with its current text has its metadata at
   * once (and no `changed`); any other note (changed since, by a git pull or a sync while closed,
   * or new) has the listed text's metadata, or none, until it is indexed after the layout is ready.
   */
  previous?: Record<string, string>;
}

/** mulberry32: a small seeded generator for the lag's delays. */
function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Obsidian's metadata cache: parsed after a write (a microtask later), then `changed`, `resolve` and `resolved`.
 *
 * With `metadataLag` it lags as the app's does. What is modelled, and where it comes from:
 * - `changed` "Called when a file has been indexed, and its (updated) cache is now available" and
 *   `resolved` "Called when all files has been resolved. This will be fired each time files get
 *   modified after the initial load" (obsidian.d.ts 1.13.1, MetadataCache.on('changed' | 'resolved');
 *   the same text at https://docs.obsidian.md/Reference/TypeScript+API/MetadataCache/on('changed')
 *   and …/on('resolved')). So the fake fires `changed` per file as its metadata arrives and
 *   `resolved` only once nothing is pending, a timer tick after the last `changed`.
 * - `resolve` "Called when a file has been resolved for `resolvedLinks` and `unresolvedLinks`. This
 *   happens sometimes after a file has been indexed" (obsidian.d.ts, on('resolve')): fired per file
 *   right after its `changed` (how long "sometimes after" is, the d.ts does not say).
 * - `changed` is "not called when a file is renamed" (obsidian.d.ts): a rename moves the cache, no event.
 * - The cache is still empty or filling at layout-ready: obsidian-tasks (src/Obsidian/Cache.ts) loads
 *   its whole index again "after the first metadata cache resolve", since at start-up "the task
 *   cache's initial load would end up with 0 tasks, as the metadata cache would still be empty",
 *   and notes that `changed` "Does not fire when starting up obsidian and only works for changes".
 *   Its PR #1524 found a note shortened while Obsidian was closed read at start-up with "the old
 *   cached data about locations of list items": the cache outlives the session and is stale for
 *   notes changed meanwhile (`previous` here). obsidian-tasks PR #109 (issue #87): the file cache
 *   "can be undefined", so it retries "to see if it is set at a later stage" (`getFileCache` null here).
 * - Guessed, where the d.ts and the developer docs are silent: the delays (that the app parses in
 *   a worker comes from our issue tracker, not from a source; the fake draws `minMs`…`maxMs` per
 *   file); how late `resolved` comes after the last `changed` (a 0 ms timer here, put off by a
 *   write meanwhile); that a note written again while its parse is pending gets one parse of its
 *   latest text (one `changed`); that notes whose text is the
 *   `previous` one are served at start-up without `changed` (the comment in obsidian-tasks above);
 *   and that start-up indexing begins once the layout-ready callbacks have run (in the app it runs
 *   alongside them, so they see the cache empty or filling; the fake makes that certain).
 */
export class MetadataCache extends Events {
  resolvedLinks: Record<string, Record<string, number>> = {};
  unresolvedLinks: Record<string, Record<string, number>> = {};
  private readonly caches = new Map<string, CachedMetadata>();
  private readonly pending = new Set<TFile>();
  private scheduled = false;
  /** Under `metadataLag`: parses on their way, with the timer and the time each is due. */
  private readonly lagging = new Map<TFile, { timer: unknown; due: number; order: number }>();
  /** Under `metadataLag`: notes to index once the layout is ready. */
  private readonly startup: TFile[] = [];
  private resolvedTimer: unknown = null;
  private lagOrder = 0;
  private readonly random: () => number;

  constructor(
    private readonly vault: Vault,
    /** 'microtask': parse pending files a microtask after a write; 'manual': only on `flushPending()`. */
    private readonly mode: 'microtask' | 'manual',
    /** Fake: parse late, as the app does (see MetadataLag); without it, the modes above. */
    private readonly lag?: MetadataLag,
  ) {
    super();
    this.random = seededRandom(lag?.seed ?? 1);
  }

  /** `computeFileCache`, as the fake's own work (see `fakeWorkLog`). */
  private parse(text: string): CachedMetadata {
    return fakeWork(() => computeFileCache(text));
  }

  getFileCache(file: TFile): CachedMetadata | null {
    return this.caches.get(file.path) ?? null;
  }

  getCache(path: string): CachedMetadata | null {
    return this.caches.get(path) ?? null;
  }

  /** The file a link points to, as Obsidian resolves it: exact path, then relative, then by name (case-insensitive). */
  getFirstLinkpathDest(linkpath: string, sourcePath: string): TFile | null {
    const path = parseLinktext(linkpath).path.trim();
    if (path === '') return this.vault.getFileByPath(sourcePath);
    const withExt = (p: string): string[] => (/\.[^/]+$/.test(p) ? [p, `${p}.md`] : [`${p}.md`]);
    const byPath = new Map(this.vault.getFiles().map((f) => [f.path.toLowerCase(), f] as const));
    for (const candidate of withExt(normalizePath(path))) {
      const hit = byPath.get(candidate.toLowerCase());
      if (hit) return hit;
    }
    const folder = parentPath(sourcePath);
    if (folder !== '') {
      for (const candidate of withExt(resolveRelative(folder, path))) {
        const hit = byPath.get(candidate.toLowerCase());
        if (hit) return hit;
      }
    }
    const ends = withExt(path).map((p) => `/${p.toLowerCase()}`);
    const matches = this.vault.getFiles().filter((f) => ends.some((end) => `/${f.path.toLowerCase()}`.endsWith(end)));
    matches.sort((a, b) => {
      const near = Number(parentPath(b.path) === folder) - Number(parentPath(a.path) === folder);
      return near || a.path.length - b.path.length || a.path.localeCompare(b.path);
    });
    return matches[0] ?? null;
  }

  fileToLinktext(file: TFile, sourcePath: string, omitMdExtension = true): string {
    const name = omitMdExtension && file.extension === 'md' ? file.basename : file.name;
    const dest = this.getFirstLinkpathDest(name, sourcePath);
    if (dest === file) return name;
    return omitMdExtension && file.extension === 'md' ? file.path.slice(0, -3) : file.path;
  }

  override on(name: 'changed', callback: (file: TFile, data: string, cache: CachedMetadata) => unknown, ctx?: unknown): EventRef;
  override on(name: 'deleted', callback: (file: TFile, prevCache: CachedMetadata | null) => unknown, ctx?: unknown): EventRef;
  override on(name: 'resolve', callback: (file: TFile) => unknown, ctx?: unknown): EventRef;
  override on(name: 'resolved', callback: () => unknown, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef;
  override on(name: string, callback: Callback, ctx?: unknown): EventRef {
    return super.on(name, callback, ctx);
  }

  /** Fake: files written and not parsed yet (under `metadataLag`, those whose metadata has not arrived). */
  get pendingCount(): number {
    return this.pending.size + this.lagging.size;
  }

  /** Fake (under `metadataLag`): a parse is on its way, or `resolved` is waiting to fire. */
  get _lagBusy(): boolean {
    return this.lagging.size > 0 || this.resolvedTimer !== null;
  }

  /** Fake: nothing is pending and no `resolved` is waiting to fire. */
  get idle(): boolean {
    return this.pendingCount === 0 && this.resolvedTimer === null;
  }

  /**
   * Fake (under `metadataLag`): delivers every parse on its way now, in the order they were due
   * (`changed` and `resolve` each), then `resolved`; returns how many. Timers need not run.
   */
  flushLagging(): number {
    const due = [...this.lagging].sort(([, a], [, b]) => a.due - b.due || a.order - b.order);
    for (const [file, entry] of due) {
      timers.clear(entry.timer);
      this.arrive(file);
    }
    if (this.resolvedTimer !== null) {
      timers.clear(this.resolvedTimer);
      this.resolvedTimer = null;
      this.trigger('resolved');
    }
    return due.length;
  }

  /** Fake: parses what is pending now, firing `changed` per file, then `resolve` and `resolved`. */
  flushPending(): number {
    this.scheduled = false;
    const files = [...this.pending].filter((f) => this.vault.getFileByPath(f.path) === f);
    this.pending.clear();
    for (const file of files) {
      const data = this.vault._peek(file.path) ?? '';
      const cache = this.parse(data);
      this.caches.set(file.path, cache);
      this.trigger('changed', file, data, cache);
    }
    if (files.length > 0) {
      this.resolveAll();
      for (const file of files) this.trigger('resolve', file);
      this.trigger('resolved');
    }
    return files.length;
  }

  /**
   * Fake: parses every markdown file now, without events (the cache as it is at start-up). Under
   * `metadataLag`, only the notes whose `previous` text is their text; the others wait for the layout.
   */
  _parseAll(): void {
    for (const file of this.vault.getMarkdownFiles()) {
      const text = this.vault._peek(file.path) ?? '';
      const before = this.lag ? this.lag.previous?.[file.path] : text;
      if (before !== undefined) this.caches.set(file.path, this.parse(before));
      if (before !== text) this.startup.push(file);
    }
    this.resolveAll();
  }

  /** Fake: the layout is ready: `resolved` now, or under `metadataLag` once the notes not yet indexed are. */
  _layoutReady(): void {
    const files = this.startup.splice(0);
    if (!this.lag || (files.length === 0 && this.lagging.size === 0)) {
      this.trigger('resolved');
      return;
    }
    for (const file of files) if (this.vault.getFileByPath(file.path) === file) this.lagQueue(file);
    this.maybeResolved();
  }

  /** Fake: a file was written or created. */
  _queue(file: TFile): void {
    if (file.extension !== 'md') return;
    if (this.lag) {
      this.lagQueue(file);
      return;
    }
    this.pending.add(file);
    if (this.mode === 'microtask' && !this.scheduled) {
      this.scheduled = true;
      host.queueMicrotask(() => void this.flushPending());
    }
  }

  _deleted(file: TFile): void {
    const previous = this.caches.get(file.path) ?? null;
    this.caches.delete(file.path);
    this.pending.delete(file);
    const lagging = this.lagging.get(file);
    if (lagging) {
      timers.clear(lagging.timer);
      this.lagging.delete(file);
    }
    if (file.extension !== 'md') return;
    this.trigger('deleted', file, previous);
    this.resolveAll();
    if (lagging) this.maybeResolved();
  }

  /** Under `metadataLag`: the note's parse arrives later (one parse of its latest text when it is written again meanwhile). */
  private lagQueue(file: TFile): void {
    if (!this.lag || this.lagging.has(file)) return;
    if (this.resolvedTimer !== null) {
      timers.clear(this.resolvedTimer);
      this.resolvedTimer = null;
    }
    const { minMs, maxMs } = this.lag;
    const ms = minMs + Math.floor(this.random() * (Math.max(minMs, maxMs) - minMs + 1));
    const timer = timers.set(() => {
      this.lagging.delete(file);
      this.arrive(file);
    }, ms);
    this.lagging.set(file, { timer, due: Date.now() + ms, order: this.lagOrder++ });
  }

  /** Under `metadataLag`: a note's metadata arrives: `changed`, then `resolve`; `resolved` once nothing is pending. */
  private arrive(file: TFile): void {
    this.lagging.delete(file);
    if (this.vault.getFileByPath(file.path) === file) {
      const data = this.vault._peek(file.path) ?? '';
      const cache = this.parse(data);
      this.caches.set(file.path, cache);
      this.trigger('changed', file, data, cache);
      this.resolveAll();
      this.trigger('resolve', file);
    }
    this.maybeResolved();
  }

  /** `resolved` a timer tick after the last parse arrived, unless another write came meanwhile. */
  private maybeResolved(): void {
    if (this.lagging.size > 0 || this.resolvedTimer !== null) return;
    this.resolvedTimer = timers.set(() => {
      this.resolvedTimer = null;
      if (this.lagging.size === 0) this.trigger('resolved');
    }, 0);
  }

  _renamed(file: TFile, oldPath: string): void {
    const cache = this.caches.get(oldPath);
    this.caches.delete(oldPath);
    if (cache) this.caches.set(file.path, cache);
    this.resolveAll();
  }

  private resolveAll(): void {
    fakeWork(() => this.resolveLinks());
  }

  private resolveLinks(): void {
    this.resolvedLinks = {};
    this.unresolvedLinks = {};
    for (const file of this.vault.getMarkdownFiles()) {
      const resolved: Record<string, number> = {};
      const unresolved: Record<string, number> = {};
      const cache = this.caches.get(file.path);
      for (const ref of [...(cache?.links ?? []), ...(cache?.embeds ?? []), ...(cache?.frontmatterLinks ?? [])]) {
        const dest = this.getFirstLinkpathDest(ref.link, file.path);
        const key = dest ? dest.path : parseLinktext(ref.link).path;
        const bucket = dest ? resolved : unresolved;
        bucket[key] = (bucket[key] ?? 0) + 1;
      }
      this.resolvedLinks[file.path] = resolved;
      this.unresolvedLinks[file.path] = unresolved;
    }
  }
}

function resolveRelative(folder: string, path: string): string {
  const parts = folder.split('/').filter(Boolean);
  for (const segment of path.split('/')) {
    if (segment === '..') parts.pop();
    else if (segment !== '.' && segment !== '') parts.push(segment);
  }
  return parts.join('/');
}

/** All tags of a note: `#tags` in its text and `tags` in its frontmatter, each with its `#`. */
export function getAllTags(cache: CachedMetadata): string[] | null {
  const tags = [...(parseFrontMatterTags(cache.frontmatter) ?? []), ...(cache.tags ?? []).map((t) => t.tag)];
  return tags.length > 0 ? tags : null;
}

export function parseFrontMatterEntry(frontmatter: unknown, key: string | RegExp): unknown {
  if (!isPlainObject(frontmatter)) return null;
  for (const [k, value] of Object.entries(frontmatter)) {
    if (typeof key === 'string' ? k === key : key.test(k)) return value;
  }
  return null;
}

export function parseFrontMatterStringArray(frontmatter: unknown, key: string | RegExp): string[] | null {
  const value = parseFrontMatterEntry(frontmatter, key);
  if (value === null || value === undefined) return null;
  const list: unknown[] = Array.isArray(value) ? value : typeof value === 'string' ? value.split(/[,\s]+/) : [value];
  const out = list.filter((v): v is string | number => typeof v === 'string' || typeof v === 'number').map(String).filter((v) => v !== '');
  return out.length > 0 ? out : null;
}

export function parseFrontMatterTags(frontmatter: unknown): string[] | null {
  const tags = parseFrontMatterStringArray(frontmatter, /^tags?$/i);
  return tags ? tags.map((t) => (t.startsWith('#') ? t : `#${t}`)) : null;
}

export function parseFrontMatterAliases(frontmatter: unknown): string[] | null {
  return parseFrontMatterStringArray(frontmatter, /^alias(es)?$/i);
}

export interface FrontMatterInfo {
  exists: boolean;
  frontmatter: string;
  from: number;
  to: number;
  contentStart: number;
}

export function getFrontMatterInfo(content: string): FrontMatterInfo {
  const notes = new NoteLines(content);
  const none = { exists: false, frontmatter: '', from: 0, to: 0, contentStart: 0 };
  if (!/^---\s*$/.test(notes.line(0))) return none;
  for (let i = 1; i < notes.lines.length; i++) {
    if (!/^---\s*$/.test(notes.line(i))) continue;
    const from = notes.starts[1] ?? content.length;
    const to = notes.starts[i] ?? content.length;
    return { exists: true, frontmatter: content.slice(from, to), from, to, contentStart: notes.starts[i + 1] ?? content.length };
  }
  return none;
}
