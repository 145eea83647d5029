/**
 * Test helpers that act as a user does: typing, choosing, clicking, and `renderLink` (a link
 * drawn as Reading view, Live Preview or Source mode draws it).
 */

import { defineValues, ELEMENT_NODE, fakeDom } from './dom';
import type { Editor } from './editor';
import { getLinkpath } from './metadata-cache';
import { Platform } from './platform';
import type { MarkdownView } from './views';

// ───────────────────────────────────────── test helpers for the DOM ─────────────────────────────────────────

/** Fake: types `value` into an input or textarea as a user does: sets it and fires `input` (then `change`). */
export function typeInto(el: HTMLInputElement | HTMLTextAreaElement, value: string): void {
  const win = fakeDom().window;
  el.value = value;
  el.dispatchEvent(new win.Event('input', { bubbles: true }));
  el.dispatchEvent(new win.Event('change', { bubbles: true }));
}

/** Fake: picks the option with `value` in a select (fires `change`); throws when there is no such option. */
export function selectOption(el: HTMLSelectElement, value: string): void {
  if (!Array.from(el.options).some((o) => o.value === value)) {
    throw new Error(`No option "${value}" (options: ${Array.from(el.options).map((o) => o.value).join(', ')})`);
  }
  el.value = value;
  el.dispatchEvent(new (fakeDom().window.Event)('change', { bubbles: true }));
}

/** Fake: sets an input's value (a slider's, say) and fires `change` only. */
export function changeValue(el: HTMLInputElement, value: string | number): void {
  el.value = String(value);
  el.dispatchEvent(new (fakeDom().window.Event)('change', { bubbles: true }));
}

/** Fake: how `click` clicks: the button (0 left, 1 middle, 2 right) and the keys held (`mod`: Ctrl, or Cmd on macOS). */
export interface ClickOptions {
  button?: 0 | 1 | 2;
  mod?: boolean;
  ctrl?: boolean;
  meta?: boolean;
  shift?: boolean;
  alt?: boolean;
}

/**
 * Fake: clicks an element as a user does: `mousedown` (which makes the leaf it is in the active
 * one), `mouseup`, then `click` for the left button or `auxclick` for the others — browsers fire no
 * `click` for a middle click (UI Events; Chromium since 55). A disabled control gets none of them.
 */
export function click(el: Element, options: ClickOptions = {}): void {
  if ((el as Partial<HTMLButtonElement>).disabled === true) return;
  const button = options.button ?? 0;
  const mod = options.mod === true;
  const keys = {
    ctrlKey: options.ctrl === true || (mod && !Platform.isMacOS),
    metaKey: options.meta === true || (mod && Platform.isMacOS),
    shiftKey: options.shift === true,
    altKey: options.alt === true,
  };
  const init = { bubbles: true, cancelable: true, composed: true, button, ...keys };
  const MouseEventClass = (el.ownerDocument?.defaultView ?? fakeDom().window).MouseEvent;
  el.dispatchEvent(new MouseEventClass('mousedown', { ...init, buttons: [1, 4, 2][button] ?? 1 }));
  el.dispatchEvent(new MouseEventClass('mouseup', init));
  const plain = button === 0 && !keys.ctrlKey && !keys.metaKey && !keys.shiftKey && !keys.altKey;
  if (plain && 'click' in el && typeof el.click === 'function') (el as HTMLElement).click();
  else el.dispatchEvent(new MouseEventClass(button === 0 ? 'click' : 'auxclick', { ...init, detail: 1 }));
}

/** Fake: the part of CodeMirror's EditorView that `renderLink` gives an editor, as `editor.cm`. */
export interface FakeEditorView {
  /** The editor's element (`.cm-editor`) and its content (`.cm-content`) as last drawn. */
  dom: HTMLElement | null;
  contentDOM: HTMLElement | null;
  /** The document offset of a drawn node (a text node's plus `offset`); throws for a node not drawn. */
  posAtDOM(node: Node, offset?: number): number;
}

/** Where each node `renderLink` drew starts in its editor's text. */
const drawnAt = new WeakMap<Node, number>();
const editorViews = new WeakMap<Editor, FakeEditorView>();

function editorViewOf(editor: Editor): FakeEditorView {
  let cm = editorViews.get(editor);
  if (!cm) {
    cm = {
      dom: null,
      contentDOM: null,
      posAtDOM: (node, offset = 0) => {
        for (let n: Node | null = node; n; n = n.parentNode) {
          const at = drawnAt.get(n);
          if (at !== undefined) return n === node && node.nodeType !== ELEMENT_NODE ? at + offset : at;
        }
        throw new RangeError('Trying to find position for a DOM position outside of the document');
      },
    };
    editorViews.set(editor, cm);
    defineValues(editor, { cm });
  }
  return cm;
}

/**
 * Fake: draws line `line` (0-based) of a markdown view's note as the app draws it in the view's mode
 * (replacing what the view showed), and returns what a user clicks of its `index`th `[[link]]`:
 * - Reading view: an `a.internal-link` whose `data-href` and `href` are the link's target and whose
 *   text is its alias (`is-unresolved` when no note resolves), in `.markdown-preview-view`;
 * - Live Preview (`.markdown-source-view.is-live-preview`) with no selection touching the link: the
 *   link drawn, its source hidden: `span.cm-hmd-internal-link > span.cm-underline` showing the alias
 *   (or the target), the span clicked;
 * - Live Preview with the cursor in or at the link, and Source mode: the link's source, `[[`, target,
 *   `|`, alias, `]]`, each a span; the alias (or target) span is returned.
 * The editor gets `cm` (CodeMirror's EditorView, which Obsidian puts on `editor.cm` outside its typed
 * API) answering `posAtDOM` for what was drawn. Redraw after moving the cursor.
 * Source: none of these classes is in obsidian.d.ts or the developer docs. `a.internal-link` with
 * `data-href` is Obsidian's reading view markup; `.is-live-preview`, `.cm-hmd-internal-link`,
 * `.cm-link-alias`, `.cm-formatting-link` and `.cm-underline` are Obsidian's CodeMirror 6 classes as
 * plugins select on them (MamoruDS/obsidian-open-link-with src/click.ts reads `cm-underline` and
 * `external-link`); that Live Preview shows a link's source while the cursor is in it is the app's
 * documented behaviour (help.obsidian.md, "Live Preview"), the exact "touching" rule a guess.
 */
export function renderLink(view: MarkdownView, line: number, index = 0): HTMLElement {
  const editor = view.editor;
  const text = view.getMode() === 'preview' ? view.getViewData() : editor.getValue();
  const lineText = text.split('\n')[line];
  if (lineText === undefined) throw new Error(`renderLink: the note has no line ${line}`);
  const links = [...lineText.matchAll(/(?<!!)\[\[([^\]\n]*?)\]\]/g)];
  const wanted = links[index];
  if (!wanted) throw new Error(`renderLink: line ${line} has no link number ${index}: ${lineText}`);
  const root = view.contentEl;
  root.empty();
  let clicked: HTMLElement | null = null;

  if (view.getMode() === 'preview') {
    const block = root
      .createDiv({ cls: 'markdown-reading-view' })
      .createDiv({ cls: ['markdown-preview-view', 'markdown-rendered'] })
      .createDiv({ cls: 'markdown-preview-sizer' })
      .createEl('p');
    let at = 0;
    for (const m of links) {
      const inner = m[1] ?? '';
      const pipe = inner.indexOf('|');
      // A table's alias pipe is escaped (`[[W-12\|alias]]`): the target has no backslash.
      const target = (pipe < 0 ? inner : inner.slice(0, pipe)).replace(/\\$/, '');
      block.appendText(lineText.slice(at, m.index));
      const resolved = view.app.metadataCache.getFirstLinkpathDest(getLinkpath(target), view.file?.path ?? '') !== null;
      const a = block.createEl('a', {
        cls: resolved ? 'internal-link' : ['internal-link', 'is-unresolved'],
        text: pipe < 0 ? target : inner.slice(pipe + 1),
        attr: { 'data-href': target, href: target, target: '_blank', rel: 'noopener nofollow' },
      });
      if (m === wanted) clicked = a;
      at = m.index + m[0].length;
    }
    block.appendText(lineText.slice(at));
    return clicked ?? block;
  }

  const livePreview = view.getState().source !== true;
  const sourceView = root.createDiv({ cls: ['markdown-source-view', 'cm-s-obsidian', 'mod-cm6', ...(livePreview ? ['is-live-preview'] : [])] });
  const cmEditor = sourceView.createDiv({ cls: 'cm-editor' });
  const content = cmEditor
    .createDiv({ cls: 'cm-scroller' })
    .createDiv({ cls: 'cm-sizer' })
    .createDiv({ cls: 'cm-contentContainer' })
    .createDiv({ cls: 'cm-content', attr: { contenteditable: 'true', role: 'textbox' } });
  const cm = editorViewOf(editor);
  cm.dom = cmEditor;
  cm.contentDOM = content;
  const lineEl = content.createDiv({ cls: 'cm-line' });
  const lineStart = editor.posToOffset({ line, ch: 0 });
  drawnAt.set(lineEl, lineStart);
  const selections = editor.listSelections().map((s) => [editor.posToOffset(s.anchor), editor.posToOffset(s.head)].sort((x, y) => x - y));
  const textAt = (from: number, to: number): void => {
    if (to <= from) return;
    const node = lineEl.doc.createTextNode(lineText.slice(from, to));
    lineEl.appendChild(node);
    drawnAt.set(node, lineStart + from);
  };
  const span = (parent: HTMLElement, cls: string[], from: number, shown: string): HTMLElement => {
    const el = parent.createSpan({ cls, text: shown });
    drawnAt.set(el, lineStart + from);
    return el;
  };
  let at = 0;
  for (const m of links) {
    const inner = m[1] ?? '';
    const pipe = inner.indexOf('|');
    // A table's alias pipe is escaped (`[[W-12\|alias]]`): the target has no backslash.
    const target = (pipe < 0 ? inner : inner.slice(0, pipe)).replace(/\\$/, '');
    const alias = pipe < 0 ? null : inner.slice(pipe + 1);
    const from = m.index;
    const to = from + m[0].length;
    textAt(at, from);
    const editing = selections.some(([a = 0, b = 0]) => a <= lineStart + to && b >= lineStart + from);
    let shownEl: HTMLElement;
    if (livePreview && !editing) {
      const shownFrom = alias === null ? from + 2 : from + 3 + pipe;
      const outer = span(lineEl, alias === null ? ['cm-hmd-internal-link'] : ['cm-hmd-internal-link', 'cm-link-alias'], shownFrom, '');
      shownEl = span(outer, ['cm-underline'], shownFrom, alias ?? target);
    } else {
      span(lineEl, ['cm-formatting-link', 'cm-formatting-link-start'], from, '[[');
      shownEl = span(lineEl, alias === null ? ['cm-hmd-internal-link'] : ['cm-hmd-internal-link', 'cm-link-has-alias'], from + 2, target);
      if (alias !== null) {
        span(lineEl, ['cm-hmd-internal-link', 'cm-link-alias-pipe'], from + 2 + pipe, '|');
        shownEl = span(lineEl, ['cm-hmd-internal-link', 'cm-link-alias'], from + 3 + pipe, alias);
      }
      span(lineEl, ['cm-formatting-link', 'cm-formatting-link-end'], to - 2, ']]');
    }
    if (m === wanted) clicked = shownEl;
    at = to;
  }
  textAt(at, lineText.length);
  return clicked ?? lineEl;
}
