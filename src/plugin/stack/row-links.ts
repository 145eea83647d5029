import { getLinkpath, Keymap, MarkdownView, type App, type PaneType, type Plugin, type View } from 'obsidian';
import { findRowById } from '../../core';
import type { CanonHost } from '../host';

/** A row id as a link names it: `W-12`, `D-3`. */
const ROW_ID = /^[A-Za-z]+-\d+$/;

/** A wikilink in a line of text (embeds `![[…]]` included, and skipped by the caller). No lookbehind: iOS before 16.4. */
const WIKILINK = /(!?)\[\[([^\]\n]*?)\]\]/g;

/** What Obsidian puts on a markdown editor as `editor.cm`: CodeMirror's EditorView, not in its typed API. */
interface CodeMirrorView {
  posAtDOM(node: Node, offset?: number): number;
}

/** An internal link a click landed on: its target as written (`W-12`, `note#heading`) and the note it is in. */
interface ClickedLink {
  linktext: string;
  sourcePath: string;
}

/**
 * Makes `[[W-12]]`-style links to row ids open the row (README "Design decisions" lets links name row ids): Obsidian
 * would otherwise take them for links to a missing note and create `W-12.md` on click. Obsidian's own
 * conventions for links hold:
 * - only links drawn as links are followed: in Reading view (and rendered widgets), `a.internal-link`;
 *   in Live Preview a link whose source is hidden, i.e. no cursor in or at it. In Source mode, and in
 *   Live Preview while the cursor is in the link, a click places the cursor: Canon leaves it alone;
 * - the link's target is read (`data-href`, or the source), never the alias of `[[W-12|the window]]`;
 * - a plain click opens in place, a middle click or Ctrl/Cmd-click in a new tab (`Keymap.isModEvent`);
 * - in every window: the main one, and each pop-out as it opens (`window-open`);
 * - a note the link resolves to (a real `W-12.md`) wins: Obsidian opens it as it opens any link.
 */
export function registerRowLinks(plugin: Plugin, host: CanonHost): void {
  const { workspace } = host.app;
  const onClick = (evt: MouseEvent): void => {
    // The left button's click, or the middle button's auxclick (browsers fire no click for it); not the context menu.
    if (evt.button !== (evt.type === 'auxclick' ? 1 : 0)) return;
    const link = clickedLink(host.app, evt.target);
    if (link === null) return;
    const id = getLinkpath(link.linktext).trim();
    if (!ROW_ID.test(id)) return;
    if (host.app.metadataCache.getFirstLinkpathDest(id, link.sourcePath)) return;
    const model = host.snapshot().result?.model;
    if (!model || !findRowById(model, id)) return;
    evt.preventDefault();
    evt.stopImmediatePropagation();
    const newLeaf = Keymap.isModEvent(evt);
    // Rows may have moved since the last check (live checks off, or a re-check pending): look again first.
    void host
      .validateNow()
      .then(() => {
        const fresh = host.snapshot().result?.model;
        const row = fresh ? findRowById(fresh, id) : null;
        return row ? openRow(host.app, row.path, row.line, newLeaf) : undefined;
      })
      .catch(() => undefined);
  };
  const listening = new WeakSet<Document>();
  const listen = (doc: Document): void => {
    if (listening.has(doc)) return;
    listening.add(doc);
    // The capture phase of the document: before Obsidian's own link handling, which would create the note.
    plugin.registerDomEvent(doc, 'click', onClick, { capture: true });
    plugin.registerDomEvent(doc, 'auxclick', onClick, { capture: true });
  };
  // The main window, the pop-outs open now (their leaves' documents), and each pop-out as it opens.
  listen(workspace.containerEl.doc);
  workspace.iterateAllLeaves((leaf) => {
    const doc = (leaf.view as Partial<View> | undefined)?.containerEl?.doc;
    if (doc) listen(doc);
  });
  plugin.registerEvent(workspace.on('window-open', (win) => listen(win.doc)));
}

/** Opens a row's note at its (1-based) line: in place, or in a new tab or window as the click asked. */
async function openRow(app: App, path: string, line: number, newLeaf: PaneType | boolean): Promise<void> {
  const file = app.vault.getFileByPath(path);
  if (!file) return;
  const leaf = app.workspace.getLeaf(newLeaf);
  await leaf.openFile(file, { active: true, eState: { line: line - 1 } });
  if (leaf.view instanceof MarkdownView) {
    const editor = leaf.view.editor;
    const pos = { line: Math.min(line - 1, editor.lineCount() - 1), ch: 0 };
    editor.setCursor(pos);
    editor.scrollIntoView({ from: pos, to: pos }, true);
  }
}

/** The internal link a click landed on, if Obsidian would follow it on a click; null otherwise. */
function clickedLink(app: App, target: EventTarget | null): ClickedLink | null {
  const el = elementOf(target);
  if (!el) return null;
  const view = markdownViewAt(app, el);
  const sourcePath = view?.file?.path ?? '';
  // A link drawn as a link (Reading view, or a rendered widget in Live Preview): its target is data-href.
  const anchor = el.closest('a.internal-link');
  if (anchor) {
    const href = anchor.getAttribute('data-href') ?? anchor.getAttribute('href');
    return href === null ? null : { linktext: href, sourcePath };
  }
  const source = el.closest('.markdown-source-view');
  // Source mode shows every link as text to edit.
  if (!source?.classList.contains('is-live-preview') || !view) return null;
  const linkEl = el.closest('.cm-hmd-internal-link');
  const cm = (view.editor as unknown as { cm?: Partial<CodeMirrorView> }).cm;
  if (!linkEl || typeof cm?.posAtDOM !== 'function') return null;
  let offset: number;
  try {
    offset = cm.posAtDOM(linkEl, 0);
  } catch {
    return null;
  }
  // The link's source, read from the note: Live Preview shows only the alias of [[W-12|alias]].
  const editor = view.editor;
  const pos = editor.offsetToPos(offset);
  const link = wikilinkAt(editor.getLine(pos.line), pos.ch);
  if (link === null) return null;
  const from = editor.posToOffset({ line: pos.line, ch: link.from });
  const to = editor.posToOffset({ line: pos.line, ch: link.to });
  // The cursor in or at the link: Live Preview shows its source for editing, and a click places the cursor.
  const editing = editor.listSelections().some((range) => {
    const a = editor.posToOffset(range.anchor);
    const b = editor.posToOffset(range.head);
    return Math.min(a, b) <= to && Math.max(a, b) >= from;
  });
  return editing ? null : { linktext: link.target, sourcePath };
}

/** The wikilink (not an embed) of a line that column `ch` falls in: its target (no alias) and its columns. */
function wikilinkAt(line: string, ch: number): { target: string; from: number; to: number } | null {
  for (const m of line.matchAll(WIKILINK)) {
    const from = m.index;
    const to = from + m[0].length;
    if (ch < from || ch > to) continue;
    if (m[1] === '!') return null;
    // In a table the alias pipe is escaped: [[W-12\|the window]].
    const target = (m[2] ?? '').split('|')[0]?.replace(/\\$/, '').trim() ?? '';
    return { target, from, to };
  }
  return null;
}

/** The markdown view an element is in, if any. */
function markdownViewAt(app: App, el: Element): MarkdownView | null {
  for (const leaf of app.workspace.getLeavesOfType('markdown')) {
    if (leaf.view instanceof MarkdownView && leaf.view.containerEl.contains(el)) return leaf.view;
  }
  return null;
}

/** The element an event landed on (its parent for a text node). Duck-typed: a pop-out's elements are not the main window's `Element`s. */
function elementOf(target: EventTarget | null): Element | null {
  const node = target as (Partial<Element> & Partial<Node>) | null;
  if (typeof node?.closest === 'function') return node as Element;
  return node?.parentElement ?? null;
}
