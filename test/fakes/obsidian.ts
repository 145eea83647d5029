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
 * One app is live at a time: `createFakeApp` empties the document body, and `Notice`, `Menu` and
 * listener errors are recorded on the most recently created app.
 * In Node the DOM is happy-dom's; bundled into a page (test/e2e/host) the fake runs over the
 * browser's own DOM, with happy-dom and Node's fs and path left out of the bundle.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { Window as HappyWindow } from 'happy-dom';

type Dict = Record<string, unknown>;
/** A callback of any arity, as event listeners and Obsidian callbacks are typed here. */
type Callback = (...data: never[]) => unknown;
type Invocable = (...data: unknown[]) => unknown;
/** The browser window's type (lib.dom), which happy-dom's Window stands in for. */
type DomWindow = typeof window;

// ───────────────────────────── host: Node's global object and its timers ─────────────────────────────

/**
 * Node's global object: `installDom` puts `window`, `document`, `activeDocument`… on it. (The one
 * use of `globalThis`: there is no `window` until the fake creates it.) In a real browser (the
 * end-to-end host page, test/e2e/host) it is the page's window, and `installDom` uses its DOM.
 */
const host = globalThis as unknown as DomWindow & Dict;
/** The page's window when the fake is loaded in a real browser (a document exists before the fake makes one), else null. */
const pageWindow: DomWindow | null = typeof host.document === 'object' && host.document !== null ? host : null;
/** A real macrotask, taken before a test can install fake timers (imports run first); a message round trip in a browser. */
const realSetImmediate: (callback: () => void) => void = pageWindow ? pageMacrotask(pageWindow) : host.setImmediate;

/** Timers looked up at call time, so vitest's fake timers (installed later) drive them. */
const timers = {
  set: (callback: () => void, ms: number): unknown => host.setTimeout(callback, ms),
  clear: (id: unknown): void => host.clearTimeout(id as number),
  setInterval: (callback: () => void, ms: number): unknown => host.setInterval(callback, ms),
  clearInterval: (id: unknown): void => host.clearInterval(id as number),
};

/** A browser's macrotask without setTimeout's 4 ms clamp: a MessageChannel round trip. */
function pageMacrotask(win: DomWindow): (callback: () => void) => void {
  const queue: Array<() => void> = [];
  const channel = new win.MessageChannel();
  channel.port1.onmessage = () => queue.shift()?.();
  return (callback) => {
    queue.push(callback);
    channel.port2.postMessage(null);
  };
}

/** Runs `fn` a microtask later, as Obsidian's async APIs do their work after the call returns. */
function later<T>(fn: () => T): Promise<T> {
  return Promise.resolve().then(fn);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A listener threw: Obsidian logs it and carries on; the fake also records it on the app. */
function reportListenerError(error: unknown): void {
  current.app?.listenerErrors.push(toError(error));
  console.error(error);
}

// ─────────────────────────────────────── DOM (happy-dom) ───────────────────────────────────────

const SVG_NS = 'http://www.w3.org/2000/svg';
const ELEMENT_NODE = 1;
const DOCUMENT_NODE = 9;

/** Fake: the DOM the fake and the plugin share (one happy-dom window per test file). */
export interface FakeDom {
  window: DomWindow;
  document: Document;
  /** Listeners added to `window` / `document` (while `owner` was the current app) and not removed yet. */
  liveDomListeners(owner?: App | null): { window: number; document: number };
  /** Intervals set with `window.setInterval` (while `owner` was the current app) and not cleared yet. */
  liveIntervals(owner?: App | null): number;
  /**
   * Opens a second window, as a pop-out is: happy-dom's in Node (whose DOM classes are the main
   * window's), a same-origin iframe in a browser (with its own classes, as a real pop-out has). It
   * gets Obsidian's globals and helpers; its listeners count with the main window's until `close()`.
   */
  openWindow(): { window: DomWindow; document: Document; close: () => void };
  /** The window `activeWindow` and `activeDocument` point at, in every window (Obsidian: the focused one). */
  setActiveWindow(target: DomWindow): void;
}

interface TrackedListener {
  /** The window or document listened on. */
  target: EventTarget;
  type: string;
  listener: EventListenerOrEventListenerObject;
  capture: boolean;
  /** The app that was current when it was added: leak counts are per app. */
  owner: App | null;
}

let installed: { dom: FakeDom; restore: () => void } | null = null;

/** DOM classes and functions made global, as a browser has them. */
const DOM_GLOBALS = [
  'Node', 'Element', 'HTMLElement', 'SVGElement', 'SVGSVGElement', 'Text', 'Comment', 'DocumentFragment',
  'Document', 'HTMLDocument', 'Event', 'CustomEvent', 'UIEvent', 'KeyboardEvent', 'MouseEvent', 'PointerEvent',
  'FocusEvent', 'InputEvent', 'WheelEvent', 'ClipboardEvent', 'DragEvent', 'DataTransfer', 'HTMLInputElement',
  'HTMLTextAreaElement', 'HTMLSelectElement', 'HTMLOptionElement', 'HTMLButtonElement', 'HTMLDivElement',
  'HTMLSpanElement', 'HTMLAnchorElement', 'HTMLLabelElement', 'HTMLParagraphElement', 'HTMLHeadingElement',
  'HTMLUListElement', 'HTMLOListElement', 'HTMLLIElement', 'HTMLTableElement', 'HTMLTableRowElement',
  'HTMLTableCellElement', 'HTMLTableSectionElement', 'HTMLFormElement', 'HTMLDetailsElement', 'HTMLCanvasElement',
  'HTMLImageElement', 'MutationObserver', 'ResizeObserver', 'IntersectionObserver', 'Range', 'Selection',
  'NodeFilter', 'TreeWalker', 'DOMRect', 'customElements',
] as const;

/**
 * Fake: creates the happy-dom window once and installs it as the browser globals Obsidian has
 * (`window`, `document`, `activeWindow`, `activeDocument`, DOM classes, `createEl`, `createDiv`,
 * `createSpan`, `createSvg`, `createFragment`, `sleep`, `nextFrame`) plus Obsidian's prototype
 * helpers (`el.createDiv`, `el.setText`, `el.addClass`, …). `window.setTimeout` and friends call
 * the timers of the moment, so vitest's fake timers drive them. Idempotent.
 * In a real browser (the end-to-end host) the page's own window, document and timers are used:
 * only Obsidian's globals and helpers are added, and intervals are not counted.
 */
export function installDom(): FakeDom {
  if (installed) return installed.dom;
  const happy = pageWindow ? null : new HappyWindow({ url: 'app://obsidian.md/index.html', width: 1200, height: 800 });
  const win = pageWindow ?? (happy as unknown as DomWindow);
  const doc = win.document;
  const live = { window: [] as TrackedListener[], document: [] as TrackedListener[] };
  const intervals = new Map<unknown, App | null>();
  trackListeners(win, live.window);
  trackListeners(doc, live.document);
  installDomHelpers(win);
  installLanguageHelpers();

  /** Obsidian's globals of a window whose document is `d` (each pop-out has its own). */
  const globalsFor = (d: Document): Dict => ({
    activeWindow: win,
    activeDocument: doc,
    createEl: (tag: string, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void) => withCallback(makeEl(d, tag, o, undefined), cb),
    createDiv: (o?: DomElementInfo | string, cb?: (el: HTMLElement) => void) => withCallback(makeEl(d, 'div', o, undefined), cb),
    createSpan: (o?: DomElementInfo | string, cb?: (el: HTMLElement) => void) => withCallback(makeEl(d, 'span', o, undefined), cb),
    createSvg: (tag: string, o?: SvgElementInfo | string, cb?: (el: SVGElement) => void) => withCallback(makeSvg(d, tag, o, undefined), cb),
    // createFragment's own implementation: the native call is the point here.
    createFragment: (cb?: (el: DocumentFragment) => void) => withCallback(d.createDocumentFragment(), cb),
    sleep: (ms: number) => new Promise<void>((resolve) => void timers.set(resolve, ms)),
    nextFrame: () => new Promise<void>((resolve) => void timers.set(resolve, 16)),
    isBoolean: (obj: unknown) => typeof obj === 'boolean',
    fish: (selector: string) => d.querySelector(selector),
    fishAll: (selector: string) => Array.from(d.querySelectorAll(selector)),
  });
  const obsidianGlobals = globalsFor(doc);
  // In a browser the page's timers are the real ones already (and `timers` calls them: no wrapping).
  const nodeTimers: Dict = pageWindow ? {} : {
    setTimeout: (cb: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => timers.set(() => cb(...args), ms ?? 0),
    clearTimeout: (id: unknown) => timers.clear(id),
    setInterval: (cb: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
      const id = timers.setInterval(() => cb(...args), ms ?? 0);
      intervals.set(id, current.app);
      return id;
    },
    clearInterval: (id: unknown) => {
      intervals.delete(id);
      timers.clearInterval(id);
    },
    requestAnimationFrame: (cb: (time: number) => void) => timers.set(() => cb(host.performance.now()), 16),
    cancelAnimationFrame: (id: unknown) => timers.clear(id),
    queueMicrotask: (cb: () => void) => host.queueMicrotask(cb),
  };
  defineValues(win, { ...obsidianGlobals, ...nodeTimers });
  /** Every open window (the main one and the pop-outs), and the pop-outs' closers. */
  const windows = new Set<DomWindow>([win]);
  const popouts = new Map<DomWindow, () => void>();

  // Node's global object gets the window's globals; a browser's window has them already.
  const globals: Dict = {};
  if (!pageWindow) {
    Object.assign(globals, obsidianGlobals, { window: win, document: doc, navigator: win.navigator });
    for (const name of DOM_GLOBALS) if (name in win) globals[name] = (win as unknown as Dict)[name];
    for (const name of ['getComputedStyle', 'requestAnimationFrame', 'cancelAnimationFrame', 'matchMedia'] as const) {
      const fn = (win as unknown as Dict)[name];
      if (typeof fn === 'function') globals[name] = (fn as Invocable).bind(win);
    }
  }
  const saved = new Map<string, PropertyDescriptor | undefined>();
  for (const [name, value] of Object.entries(globals)) {
    const previous = Object.getOwnPropertyDescriptor(host, name);
    if (previous && !previous.configurable) continue;
    saved.set(name, previous);
    Object.defineProperty(host, name, { configurable: true, writable: true, enumerable: false, value });
  }

  const dom: FakeDom = {
    window: win,
    document: doc,
    liveDomListeners: (owner) => ({
      window: live.window.filter((t) => owner === undefined || t.owner === owner).length,
      document: live.document.filter((t) => owner === undefined || t.owner === owner).length,
    }),
    liveIntervals: (owner) => [...intervals.values()].filter((o) => owner === undefined || o === owner).length,
    openWindow: () => {
      let popout: DomWindow;
      let end: () => void;
      if (pageWindow) {
        const frame = doc.body.createEl('iframe', { cls: 'fake-popout-window', attr: { title: 'Pop-out window' } });
        const frameWindow = frame.contentWindow as DomWindow | null;
        if (!frameWindow) throw new Error('openWindow: the iframe has no window');
        popout = frameWindow;
        installDomHelpers(popout);
        end = () => frame.remove();
      } else {
        const other = new HappyWindow({ url: 'app://obsidian.md/popout.html', width: 800, height: 600 });
        popout = other as unknown as DomWindow;
        end = () => void other.happyDOM.close();
      }
      const popoutDoc = popout.document;
      trackListeners(popout, live.window);
      trackListeners(popoutDoc, live.document);
      defineValues(popout, { ...globalsFor(popoutDoc), ...nodeTimers, activeWindow: dom.window, activeDocument: dom.document });
      windows.add(popout);
      dom.setActiveWindow(activeWindowNow());
      const close = (): void => {
        if (!popouts.delete(popout)) return;
        windows.delete(popout);
        // A closed window's listeners go with it.
        for (const list of [live.window, live.document]) {
          for (let i = list.length - 1; i >= 0; i--) if (list[i]?.target === popout || list[i]?.target === popoutDoc) list.splice(i, 1);
        }
        if (activeWindowNow() === popout) dom.setActiveWindow(win);
        end();
      };
      popouts.set(popout, close);
      return { window: popout, document: popoutDoc, close };
    },
    setActiveWindow: (target) => {
      const values = { activeWindow: target, activeDocument: target.document };
      for (const w of windows) defineValues(w, values);
      // Node's global object is not the window: bare `activeDocument` reads it there.
      if (!pageWindow) defineValues(host, values);
    },
  };
  /** The window `activeWindow` points at now. */
  const activeWindowNow = (): DomWindow => ((win as unknown as Dict).activeWindow as DomWindow | undefined) ?? win;
  installed = {
    dom,
    restore: () => {
      for (const closePopout of [...popouts.values()]) closePopout();
      for (const [name, previous] of saved) {
        if (previous) Object.defineProperty(host, name, previous);
        else Reflect.deleteProperty(host, name);
      }
      void happy?.happyDOM.close();
    },
  };
  return dom;
}

/** Fake: removes what `installDom` installed (the prototype helpers stay; they are harmless). */
export function uninstallDom(): void {
  installed?.restore();
  installed = null;
}

/** The installed DOM (installing it on first use). */
function fakeDom(): FakeDom {
  return installed?.dom ?? installDom();
}

function activeDoc(): Document {
  return fakeDom().document;
}

function defineValues(target: object, values: Dict): void {
  for (const [name, value] of Object.entries(values)) {
    Object.defineProperty(target, name, { configurable: true, writable: true, enumerable: false, value });
  }
}

function defineMissing(target: object, values: Dict): void {
  for (const [name, value] of Object.entries(values)) {
    if (!Object.prototype.hasOwnProperty.call(target, name)) defineValues(target, { [name]: value });
  }
}

/** Wraps add/removeEventListener on `target` to count the listeners it holds (`list` may be shared by several windows). */
function trackListeners(target: EventTarget, list: TrackedListener[]): void {
  const add = target.addEventListener.bind(target);
  const remove = target.removeEventListener.bind(target);
  const captureOf = (options?: boolean | EventListenerOptions): boolean =>
    typeof options === 'boolean' ? options : (options?.capture ?? false);
  const drop = (type: string, listener: EventListenerOrEventListenerObject, capture: boolean): void => {
    const i = list.findIndex((t) => t.target === target && t.type === type && t.listener === listener && t.capture === capture);
    if (i >= 0) list.splice(i, 1);
  };
  defineValues(target, {
    addEventListener: (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | AddEventListenerOptions) => {
      if (listener) {
        const capture = captureOf(options);
        if (!list.some((t) => t.target === target && t.type === type && t.listener === listener && t.capture === capture)) {
          list.push({ target, type, listener, capture, owner: current.app });
          if (typeof options === 'object') options.signal?.addEventListener('abort', () => drop(type, listener, capture));
        }
      }
      add(type, listener, options);
    },
    removeEventListener: (type: string, listener: EventListenerOrEventListenerObject | null, options?: boolean | EventListenerOptions) => {
      if (listener) drop(type, listener, captureOf(options));
      remove(type, listener, options);
    },
  });
}

function withCallback<T>(el: T, cb: ((el: T) => void) | undefined): T {
  cb?.(el);
  return el;
}

function classesOf(cls: string | string[] | undefined): string[] {
  if (cls === undefined) return [];
  return (Array.isArray(cls) ? cls : [cls]).flatMap((c) => c.split(/\s+/)).filter((c) => c.length > 0);
}

function setAttrOn(el: Element, name: string, value: string | number | boolean | null): void {
  if (value === null) el.removeAttribute(name);
  else el.setAttribute(name, String(value));
}

function setTextOn(el: Node, value: string | DocumentFragment): void {
  if (typeof value === 'string') {
    el.textContent = value;
  } else {
    el.textContent = '';
    el.appendChild(value);
  }
}

function place<T extends Element>(el: T, parent: Node | undefined, prepend: boolean | undefined): T {
  if (parent) parent.insertBefore(el, prepend ? parent.firstChild : null);
  return el;
}

function docOf(node: Node): Document {
  if (node.nodeType === DOCUMENT_NODE) return node as Document;
  return node.ownerDocument ?? activeDoc();
}

/** Obsidian's `createEl`: the element, its classes, text, attributes and properties, placed in its parent. */
function makeEl(doc: Document, tag: string, o: DomElementInfo | string | undefined, parent: Node | undefined): HTMLElement {
  const info: DomElementInfo = typeof o === 'string' ? { cls: o } : (o ?? {});
  // createEl's own implementation: the native call is the point here.
  const el = doc.createElement(tag);
  const classes = classesOf(info.cls);
  if (classes.length > 0) el.classList.add(...classes);
  // The type goes before the value: an input's value is read by its type.
  if (info.type !== undefined) setAttrOn(el, 'type', info.type);
  if (info.text !== undefined) setTextOn(el, info.text);
  if (info.attr) for (const [name, value] of Object.entries(info.attr)) setAttrOn(el, name, value);
  if (info.title !== undefined) el.title = info.title;
  if (info.placeholder !== undefined) el.setAttribute('placeholder', info.placeholder);
  if (info.href !== undefined) el.setAttribute('href', info.href);
  if (info.value !== undefined) {
    if ('value' in el) (el as HTMLInputElement).value = info.value;
    else el.setAttribute('value', info.value);
  }
  return place(el, parent ?? info.parent, info.prepend);
}

function makeSvg(doc: Document, tag: string, o: SvgElementInfo | string | undefined, parent: Node | undefined): SVGElement {
  const info: SvgElementInfo = typeof o === 'string' ? { cls: o } : (o ?? {});
  const el = doc.createElementNS(SVG_NS, tag);
  const classes = classesOf(info.cls);
  if (classes.length > 0) el.classList.add(...classes);
  if (info.attr) for (const [name, value] of Object.entries(info.attr)) setAttrOn(el, name, value);
  return place(el, parent ?? info.parent, info.prepend);
}

function isShown(el: HTMLElement): boolean {
  if (!el.isConnected) return false;
  for (let cur: Element | null = el; cur; cur = cur.parentElement) {
    if (cur.hasAttribute('hidden')) return false;
    if ('style' in cur && (cur as HTMLElement).style.display === 'none') return false;
  }
  return true;
}

interface DelegatedListener {
  selector: string;
  listener: Callback;
  options?: boolean | AddEventListenerOptions;
  callback: (ev: Event) => void;
}
const delegated = new WeakMap<EventTarget, Map<string, DelegatedListener[]>>();

/** Obsidian's `el.on(type, selector, listener)`: a listener for events from descendants matching `selector`. */
function onDelegated(target: HTMLElement | Document, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
  const callback = (ev: Event): void => {
    const from = ev.target as Node | null;
    const start = from && from.nodeType === ELEMENT_NODE ? (from as Element) : from?.parentElement;
    const match = start?.closest(selector);
    if (match && (target === match || target.contains(match))) (listener as Invocable).call(target, ev, match);
  };
  const byType = delegated.get(target) ?? new Map<string, DelegatedListener[]>();
  delegated.set(target, byType);
  byType.set(type, [...(byType.get(type) ?? []), { selector, listener, options, callback }]);
  target.addEventListener(type, callback, options);
}

function offDelegated(target: HTMLElement | Document, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
  const list = delegated.get(target)?.get(type) ?? [];
  const i = list.findIndex((d) => d.selector === selector && d.listener === listener);
  const found = list[i];
  if (!found) return;
  list.splice(i, 1);
  target.removeEventListener(type, found.callback, options);
}

/** Obsidian's helpers on the DOM prototypes (happy-dom's classes are shared by all its windows). */
function installDomHelpers(win: DomWindow): void {
  const nodeHelpers = {
    createEl(this: Node, tag: string, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(docOf(this), tag, o, this), cb);
    },
    createDiv(this: Node, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(docOf(this), 'div', o, this), cb);
    },
    createSpan(this: Node, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(docOf(this), 'span', o, this), cb);
    },
    createSvg(this: Node, tag: string, o?: SvgElementInfo | string, cb?: (el: SVGElement) => void): SVGElement {
      return withCallback(makeSvg(docOf(this), tag, o, this), cb);
    },
    empty(this: Node): void {
      while (this.firstChild) this.removeChild(this.firstChild);
    },
    detach(this: Node): void {
      this.parentNode?.removeChild(this);
    },
    appendText(this: Node, val: string): void {
      this.appendChild(docOf(this).createTextNode(val));
    },
    insertAfter<T extends Node>(this: Node, node: T, child: Node | null): T {
      return this.insertBefore(node, child ? child.nextSibling : this.firstChild);
    },
    indexOf(this: Node, other: Node): number {
      return Array.prototype.indexOf.call(this.childNodes, other);
    },
    setChildrenInPlace(this: Node, children: Node[]): void {
      while (this.firstChild) this.removeChild(this.firstChild);
      for (const child of children) this.appendChild(child);
    },
    instanceOf(this: Node, type: abstract new (...args: never[]) => unknown): boolean {
      // The helper that stands in for instanceof has to use it.
      return this instanceof type;
    },
  };
  defineValues(win.Node.prototype, nodeHelpers);
  for (const [name, get] of Object.entries({
    doc(this: Node) { return docOf(this); },
    win(this: Node) { return docOf(this).defaultView ?? win; },
    constructorWin() { return win; },
  })) {
    Object.defineProperty(win.Node.prototype, name, { configurable: true, enumerable: false, get });
  }

  const elementHelpers = {
    getText(this: Element): string {
      return this.textContent ?? '';
    },
    setText(this: Element, val: string | DocumentFragment): void {
      setTextOn(this, val);
    },
    addClass(this: Element, ...classes: string[]): void {
      this.classList.add(...classesOf(classes));
    },
    addClasses(this: Element, classes: string[]): void {
      this.classList.add(...classesOf(classes));
    },
    removeClass(this: Element, ...classes: string[]): void {
      this.classList.remove(...classesOf(classes));
    },
    removeClasses(this: Element, classes: string[]): void {
      this.classList.remove(...classesOf(classes));
    },
    toggleClass(this: Element, classes: string | string[], value: boolean): void {
      for (const c of classesOf(classes)) this.classList.toggle(c, value);
    },
    hasClass(this: Element, cls: string): boolean {
      return this.classList.contains(cls);
    },
    setAttr(this: Element, name: string, value: string | number | boolean | null): void {
      setAttrOn(this, name, value);
    },
    setAttrs(this: Element, obj: Record<string, string | number | boolean | null>): void {
      for (const [name, value] of Object.entries(obj)) setAttrOn(this, name, value);
    },
    getAttr(this: Element, name: string): string | null {
      return this.getAttribute(name);
    },
    matchParent(this: Element, selector: string, lastParent?: Element): Element | null {
      const match = this.closest(selector);
      // The search stops below `lastParent`.
      if (match && lastParent && (match === lastParent || match.contains(lastParent))) return null;
      return match;
    },
    getCssPropertyValue(this: Element, property: string, pseudoElement?: string): string {
      return win.getComputedStyle(this, pseudoElement).getPropertyValue(property);
    },
    isActiveElement(this: Element): boolean {
      return docOf(this).activeElement === this;
    },
    find(this: Element, selector: string): Element | null {
      return this.querySelector(selector);
    },
    findAll(this: Element, selector: string): Element[] {
      return Array.from(this.querySelectorAll(selector));
    },
    findAllSelf(this: Element, selector: string): Element[] {
      const all = Array.from(this.querySelectorAll(selector));
      return this.matches(selector) ? [this, ...all] : all;
    },
  };
  defineValues(win.Element.prototype, elementHelpers);

  const styleHelpers = {
    setCssStyles(this: HTMLElement, styles: Partial<CSSStyleDeclaration>): void {
      for (const [name, value] of Object.entries(styles)) {
        if (typeof value === 'string') this.style.setProperty(name.replace(/[A-Z]/g, (m) => `-${m.toLowerCase()}`), value);
      }
    },
    setCssProps(this: HTMLElement, props: Record<string, string>): void {
      for (const [name, value] of Object.entries(props)) this.style.setProperty(name, value);
    },
  };
  defineValues(win.SVGElement.prototype, styleHelpers);
  defineValues(win.HTMLElement.prototype, {
    ...styleHelpers,
    show(this: HTMLElement): void {
      this.style.removeProperty('display');
    },
    hide(this: HTMLElement): void {
      this.style.setProperty('display', HIDDEN);
    },
    toggle(this: HTMLElement, show: boolean): void {
      if (show) this.style.removeProperty('display');
      else this.style.setProperty('display', HIDDEN);
    },
    toggleVisibility(this: HTMLElement, visible: boolean): void {
      this.style.setProperty('visibility', visible ? VISIBLE : INVISIBLE);
    },
    isShown(this: HTMLElement): boolean {
      return isShown(this);
    },
    onClickEvent(this: HTMLElement, listener: (ev: MouseEvent) => unknown, options?: boolean | AddEventListenerOptions): void {
      this.addEventListener('click', listener, options);
      this.addEventListener('auxclick', listener, options);
    },
    on(this: HTMLElement, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
      onDelegated(this, type, selector, listener, options);
    },
    off(this: HTMLElement, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
      offDelegated(this, type, selector, listener, options);
    },
    trigger(this: HTMLElement, eventType: string): void {
      this.dispatchEvent(new win.Event(eventType, { bubbles: true, cancelable: true }));
    },
    onNodeInserted(this: HTMLElement, listener: () => unknown, once?: boolean): () => void {
      const observer = new win.MutationObserver(() => {
        if (!this.isConnected) return;
        listener();
        if (once) observer.disconnect();
      });
      observer.observe(docOf(this), { childList: true, subtree: true });
      return () => observer.disconnect();
    },
    onWindowMigrated(this: HTMLElement): () => void {
      // One window only: an element never moves to another.
      return () => undefined;
    },
  });

  const detachedCreators = {
    createEl(this: Document, tag: string, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(this, tag, o, undefined), cb);
    },
    createDiv(this: Document, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(this, 'div', o, undefined), cb);
    },
    createSpan(this: Document, o?: DomElementInfo | string, cb?: (el: HTMLElement) => void): HTMLElement {
      return withCallback(makeEl(this, 'span', o, undefined), cb);
    },
    createSvg(this: Document, tag: string, o?: SvgElementInfo | string, cb?: (el: SVGElement) => void): SVGElement {
      return withCallback(makeSvg(this, tag, o, undefined), cb);
    },
    on(this: Document, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
      onDelegated(this, type, selector, listener, options);
    },
    off(this: Document, type: string, selector: string, listener: Callback, options?: boolean | AddEventListenerOptions): void {
      offDelegated(this, type, selector, listener, options);
    },
  };
  // happy-dom's document is of a window-bound subclass, not of `window.Document`: give both the helpers.
  defineValues(win.Document.prototype, detachedCreators);
  defineValues(Object.getPrototypeOf(win.document) as object, detachedCreators);
  defineValues(win.DocumentFragment.prototype, {
    find(this: DocumentFragment, selector: string): Element | null {
      return this.querySelector(selector);
    },
    findAll(this: DocumentFragment, selector: string): Element[] {
      return Array.from(this.querySelectorAll(selector));
    },
  });
}

// Style values kept in constants: these helpers implement Obsidian's own show/hide.
const HIDDEN = 'none';
const VISIBLE = 'visible';
const INVISIBLE = 'hidden';

/** Obsidian's additions to Array, String, Math, Object and Number, which plugin code may call. */
function installLanguageHelpers(): void {
  defineMissing(Array.prototype, {
    first(this: unknown[]) { return this[0]; },
    last(this: unknown[]) { return this[this.length - 1]; },
    contains(this: unknown[], target: unknown) { return this.includes(target); },
    remove(this: unknown[], target: unknown) {
      for (let i = this.indexOf(target); i >= 0; i = this.indexOf(target)) this.splice(i, 1);
    },
    unique(this: unknown[]) { return [...new Set(this)]; },
    shuffle(this: unknown[]) {
      for (let i = this.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [this[i], this[j]] = [this[j], this[i]];
      }
      return this;
    },
  });
  defineMissing(Array, { combine: (arrays: unknown[][]) => arrays.flat() });
  defineMissing(String.prototype, {
    contains(this: string, target: string) { return this.includes(target); },
    format(this: string, ...args: string[]) { return this.replace(/\{(\d+)\}/g, (m, i: string) => args[Number(i)] ?? m); },
  });
  defineMissing(String, { isString: (obj: unknown) => typeof obj === 'string' });
  defineMissing(Number, { isNumber: (obj: unknown) => typeof obj === 'number' });
  defineMissing(Math, {
    clamp: (value: number, min: number, max: number) => Math.min(Math.max(value, min), max),
    square: (value: number) => value * value,
  });
  defineMissing(Object, {
    isEmpty: (object: Dict) => Object.keys(object).length === 0,
    each: (object: Dict, callback: (value: unknown, key?: string) => boolean | void) => {
      for (const [key, value] of Object.entries(object)) if (callback(value, key) === false) return false;
      return true;
    },
  });
}

// ───────────────────────────────────── events and components ─────────────────────────────────────

/** What `on` returns; pass it to `offref` or `Component.registerEvent`. */
export interface EventRef {
  readonly e: Events;
  readonly name: string;
  readonly fn: Callback;
  readonly ctx: unknown;
}

/** Obsidian's event emitter; a listener that throws is logged (and recorded) and the others still run. */
export class Events {
  private readonly _listeners = new Map<string, EventRef[]>();

  on(name: string, callback: Callback, ctx?: unknown): EventRef {
    const ref: EventRef = { e: this, name, fn: callback, ctx };
    this._listeners.set(name, [...(this._listeners.get(name) ?? []), ref]);
    return ref;
  }

  off(name: string, callback: Callback): void {
    const list = this._listeners.get(name);
    if (list) this._listeners.set(name, list.filter((ref) => ref.fn !== callback));
  }

  offref(ref: EventRef): void {
    const list = ref.e._listeners.get(ref.name);
    if (list) ref.e._listeners.set(ref.name, list.filter((r) => r !== ref));
  }

  trigger(name: string, ...data: unknown[]): void {
    for (const ref of this._listeners.get(name) ?? []) this.tryTrigger(ref, data);
  }

  tryTrigger(evt: EventRef, args: unknown[]): void {
    try {
      (evt.fn as Invocable).apply(evt.ctx, args);
    } catch (error) {
      reportListenerError(error);
    }
  }

  /** Fake: how many listeners are registered (for one event, or in all). */
  listenerCount(name?: string): number {
    if (name !== undefined) return this._listeners.get(name)?.length ?? 0;
    let count = 0;
    for (const list of this._listeners.values()) count += list.length;
    return count;
  }
}

/** Obsidian's Component: load/unload with children and registered cleanups (run in reverse order). */
export class Component {
  /** Fake (Obsidian's private field, read by tests): whether the component is loaded. */
  _loaded = false;
  private readonly _children: Component[] = [];
  private readonly _cleanups: Array<() => unknown> = [];

  load(): void {
    if (this._loaded) return;
    this._loaded = true;
    void this.onload();
    for (const child of [...this._children]) child.load();
  }

  /** (Obsidian types this `void`; a plugin's may return a promise, which `Plugin` awaits.) */
  onload(): Promise<void> | void {
    // Subclasses override.
  }

  unload(): void {
    if (!this._loaded) return;
    this._loaded = false;
    for (let child = this._children.pop(); child; child = this._children.pop()) child.unload();
    for (let cleanup = this._cleanups.pop(); cleanup; cleanup = this._cleanups.pop()) cleanup();
    this.onunload();
  }

  onunload(): void {
    // Subclasses override.
  }

  addChild<T extends Component>(component: T): T {
    this._children.push(component);
    if (this._loaded) component.load();
    return component;
  }

  removeChild<T extends Component>(component: T): T {
    const i = this._children.indexOf(component);
    if (i >= 0) {
      this._children.splice(i, 1);
      component.unload();
    }
    return component;
  }

  register(cb: () => unknown): void {
    this._cleanups.push(cb);
  }

  registerEvent(eventRef: EventRef): void {
    this.register(() => eventRef.e.offref(eventRef));
  }

  registerDomEvent(el: Window | Document | HTMLElement, type: string, callback: Callback, options?: boolean | AddEventListenerOptions): void {
    const listener = callback as unknown as EventListener;
    el.addEventListener(type, listener, options);
    this.register(() => el.removeEventListener(type, listener, options));
  }

  registerScopeEvent(handler: KeymapEventHandler): void {
    this.register(() => handler.scope.unregister(handler));
  }

  registerInterval(id: number): number {
    this.register(() => fakeDom().window.clearInterval(id));
    return id;
  }

  /** Fake: registered cleanups not yet run. */
  get registeredCleanups(): number {
    return this._cleanups.length;
  }
}

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

function parentPath(path: string): string {
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

function enoent(op: string, path: string): Error {
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

function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
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
    this.requireIndexed(file);
    this.disk.write(file.path, data, options);
    this.calls.push({ op, path: file.path });
    this.refreshStat(file);
    this.emitModified(file, data);
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

// ──────────────────────────────────── YAML (the simple subset) ────────────────────────────────────

interface YamlLine {
  indent: number;
  text: string;
  no: number;
}

/** Parses the YAML notes use: maps, nested maps, block and flow lists, quoted and plain scalars, `|`/`>` blocks. */
export function parseYaml(yaml: string): unknown {
  const raw = yaml.split(/\r\n|\n|\r/);
  const lines: YamlLine[] = [];
  raw.forEach((line, i) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    if (/^\t/.test(line)) throw new Error(`YAML line ${i + 1}: tabs are not allowed for indentation`);
    lines.push({ indent: line.length - line.trimStart().length, text: line.trim(), no: i });
  });
  if (lines.length === 0) return null;
  const first = lines[0];
  const [value, next] = parseYamlBlock(lines, raw, 0, first ? first.indent : 0);
  const rest = lines[next];
  if (rest) throw new Error(`YAML line ${rest.no + 1}: unexpected indentation`);
  return value;
}

const YAML_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},][^:#]*?|[^\s:#'"[\]{},])\s*:(?:\s+(.*))?$/;

function isYamlSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function parseYamlBlock(lines: YamlLine[], raw: string[], start: number, indent: number): [unknown, number] {
  const first = lines[start];
  if (!first) return [null, start];
  if (isYamlSeqItem(first.text)) return parseYamlSeq(lines, raw, start, indent);
  return parseYamlMap(lines, raw, start, indent);
}

function parseYamlMap(lines: YamlLine[], raw: string[], start: number, indent: number): [Dict, number] {
  const out: Dict = {};
  let i = start;
  for (let line = lines[i]; line && line.indent === indent && !isYamlSeqItem(line.text); line = lines[i]) {
    const m = YAML_KEY.exec(line.text);
    if (!m) throw new Error(`YAML line ${line.no + 1}: expected "key: value", found "${line.text}"`);
    const key = String(yamlScalar(m[1] ?? ''));
    const rest = stripYamlComment(m[2] ?? '');
    i++;
    const next = lines[i];
    if (/^[|>][+-]?$/.test(rest)) {
      [out[key], i] = yamlBlockScalar(lines, raw, i, indent, rest);
    } else if (rest !== '') {
      out[key] = yamlFlowOrScalar(rest);
    } else if (next && (next.indent > indent || (next.indent === indent && isYamlSeqItem(next.text)))) {
      [out[key], i] = parseYamlBlock(lines, raw, i, next.indent);
    } else {
      out[key] = null;
    }
  }
  return [out, i];
}

function parseYamlSeq(lines: YamlLine[], raw: string[], start: number, indent: number): [unknown[], number] {
  const out: unknown[] = [];
  let i = start;
  for (let line = lines[i]; line && line.indent === indent && isYamlSeqItem(line.text); line = lines[i]) {
    const rest = line.text.slice(1).trim();
    if (rest === '') {
      i++;
      const next = lines[i];
      if (next && next.indent > indent) [out[out.length], i] = parseYamlBlock(lines, raw, i, next.indent);
      else out.push(null);
    } else if (YAML_KEY.test(rest) && !/^["'[{]/.test(rest)) {
      // "- key: value" opens a map whose keys line up with `key`.
      const itemIndent = indent + (line.text.length - rest.length);
      const sub = [{ indent: itemIndent, text: rest, no: line.no }, ...lines.slice(i + 1)];
      const [map, used] = parseYamlMap(sub, raw, 0, itemIndent);
      out.push(map);
      i += used;
    } else {
      out.push(yamlFlowOrScalar(stripYamlComment(rest)));
      i++;
    }
  }
  return [out, i];
}

function yamlBlockScalar(lines: YamlLine[], raw: string[], i: number, indent: number, style: string): [string, number] {
  const first = lines[i];
  if (!first || first.indent <= indent) return ['', i];
  let j = i;
  while (lines[j] && (lines[j]?.indent ?? 0) > indent) j++;
  const from = first.no;
  const to = (lines[j - 1]?.no ?? from) + 1;
  const body = raw.slice(from, to).map((l) => l.slice(first.indent));
  const text = style.startsWith('|') ? body.join('\n') : body.join(' ');
  return [style.endsWith('-') ? text : `${text}\n`, j];
}

function stripYamlComment(text: string): string {
  if (/^["']/.test(text)) return text;
  const i = text.search(/\s#/);
  return (i >= 0 ? text.slice(0, i) : text).trim();
}

function yamlFlowOrScalar(text: string): unknown {
  if (text.startsWith('[') && text.endsWith(']')) return splitYamlFlow(text.slice(1, -1)).map(yamlFlowOrScalar);
  if (text.startsWith('{') && text.endsWith('}')) {
    const out: Dict = {};
    for (const part of splitYamlFlow(text.slice(1, -1))) {
      const m = /^([^:]+?)\s*:\s*(.*)$/.exec(part);
      if (!m) throw new Error(`YAML: expected "key: value" in "${text}"`);
      out[String(yamlScalar(m[1] ?? ''))] = yamlFlowOrScalar(m[2] ?? '');
    }
    return out;
  }
  return yamlScalar(text);
}

function splitYamlFlow(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
    } else if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

function yamlScalar(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Error(`YAML: unterminated string ${t}`);
    return JSON.parse(t) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`YAML: unterminated string ${t}`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t === '' || t === '~' || /^null$/i.test(t)) return null;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
}

/** Writes a value as YAML (block style), quoting strings that would read back as something else. */
export function stringifyYaml(obj: unknown): string {
  return `${yamlLines(obj, 0).join('\n')}\n`;
}

function yamlLines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: unknown) => {
      if (isPlainObject(item) && Object.keys(item).length > 0) {
        const [first = '', ...rest] = yamlLines(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return isPlainObject(item) || Array.isArray(item) ? [`${pad}-`, ...yamlLines(item, indent + 2)] : [`${pad}- ${yamlScalarText(item)}`];
    });
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return [`${pad}{}`];
    return Object.entries(value).flatMap(([key, item]) => {
      const k = yamlScalarText(key);
      if (Array.isArray(item) && item.length > 0) return [`${pad}${k}:`, ...yamlLines(item, indent + 2)];
      if (isPlainObject(item) && Object.keys(item).length > 0) return [`${pad}${k}:`, ...yamlLines(item, indent + 2)];
      if (Array.isArray(item)) return [`${pad}${k}: []`];
      if (isPlainObject(item)) return [`${pad}${k}: {}`];
      return [`${pad}${k}: ${yamlScalarText(item)}`];
    });
  }
  return [`${pad}${yamlScalarText(value)}`];
}

function isPlainObject(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function yamlScalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const plain = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^:#\n]*$/.test(text) && !/\s$/.test(text) && yamlScalar(text) === text;
  return plain ? text : JSON.stringify(text);
}

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
      const cache = computeFileCache(data);
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
      if (before !== undefined) this.caches.set(file.path, computeFileCache(before));
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
      const cache = computeFileCache(data);
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

// ──────────────────────────────────────────── editor ────────────────────────────────────────────

export interface EditorPosition {
  line: number;
  ch: number;
}

export interface EditorRange {
  from: EditorPosition;
  to: EditorPosition;
}

export interface EditorRangeOrCaret {
  from: EditorPosition;
  to?: EditorPosition;
}

export interface EditorChange extends EditorRangeOrCaret {
  text: string;
}

export interface EditorSelection {
  anchor: EditorPosition;
  head: EditorPosition;
}

export interface EditorSelectionOrCaret {
  anchor: EditorPosition;
  head?: EditorPosition;
}

export interface EditorTransaction {
  replaceSelection?: string;
  changes?: EditorChange[];
  selections?: EditorRangeOrCaret[];
  selection?: EditorRangeOrCaret;
}

interface OffsetChange {
  from: number;
  to: number;
  text: string;
}

interface HistoryStep {
  before: string;
  after: string;
  selectionBefore: [number, number];
  selectionAfter: [number, number];
}

/** Fake: one call that changed an editor's text, with its changes as offsets in the text before it. */
export interface EditorCall {
  method: string;
  origin?: string;
  changes: OffsetChange[];
}

/** CodeMirror keeps LF line breaks only; any other break in inserted text becomes LF. */
function toLf(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

/**
 * Obsidian's Editor, backed by a string the way CodeMirror 6 is: every call that changes the text is
 * one undo step (a transaction with many changes too); changes in a transaction are positions in the
 * text before it and must not overlap; a line number out of range throws (a `ch` past the end of
 * its line is clamped).
 */
export class Editor {
  /** Fake: every text-changing call, in order. */
  readonly calls: EditorCall[] = [];
  /** Fake: the last range scrolled into view. */
  lastScroll: { range: EditorRange; center: boolean } | null = null;
  private text = '';
  private lineStarts: number[] = [0];
  private anchor = 0;
  private head = 0;
  private focused = false;
  private readonly undoStack: HistoryStep[] = [];
  private readonly redoStack: HistoryStep[] = [];
  private readonly changeListeners = new Set<() => void>();

  constructor(text = '') {
    this._load(text);
  }

  getDoc(): this {
    return this;
  }

  refresh(): void {
    // Nothing to lay out.
  }

  getValue(): string {
    return this.text;
  }

  setValue(content: string): void {
    this.apply('setValue', [{ from: 0, to: this.text.length, text: content }]);
  }

  getLine(line: number): string {
    this.checkLine(line);
    return this.text.slice(this.lineStarts[line], this.lineEnd(line));
  }

  setLine(n: number, text: string): void {
    this.checkLine(n);
    this.apply('setLine', [{ from: this.lineStarts[n] ?? 0, to: this.lineEnd(n), text }]);
  }

  lineCount(): number {
    return this.lineStarts.length;
  }

  lastLine(): number {
    return this.lineStarts.length - 1;
  }

  getSelection(): string {
    return this.text.slice(Math.min(this.anchor, this.head), Math.max(this.anchor, this.head));
  }

  somethingSelected(): boolean {
    return this.anchor !== this.head;
  }

  getRange(from: EditorPosition, to: EditorPosition): string {
    const a = this.posToOffset(from);
    const b = this.posToOffset(to);
    return this.text.slice(Math.min(a, b), Math.max(a, b));
  }

  replaceSelection(replacement: string, origin?: string): void {
    const from = Math.min(this.anchor, this.head);
    const to = Math.max(this.anchor, this.head);
    const end = from + toLf(replacement).length;
    this.apply('replaceSelection', [{ from, to, text: replacement }], origin, [end, end]);
  }

  replaceRange(replacement: string, from: EditorPosition, to?: EditorPosition, origin?: string): void {
    const a = this.posToOffset(from);
    const b = to ? this.posToOffset(to) : a;
    this.apply('replaceRange', [{ from: Math.min(a, b), to: Math.max(a, b), text: replacement }], origin);
  }

  getCursor(side: 'from' | 'to' | 'head' | 'anchor' = 'head'): EditorPosition {
    const offsets = { from: Math.min(this.anchor, this.head), to: Math.max(this.anchor, this.head), head: this.head, anchor: this.anchor };
    return this.offsetToPos(offsets[side]);
  }

  listSelections(): EditorSelection[] {
    return [{ anchor: this.offsetToPos(this.anchor), head: this.offsetToPos(this.head) }];
  }

  setCursor(pos: EditorPosition | number, ch?: number): void {
    const offset = this.posToOffset(typeof pos === 'number' ? { line: pos, ch: ch ?? 0 } : pos);
    this.anchor = offset;
    this.head = offset;
  }

  setSelection(anchor: EditorPosition, head?: EditorPosition): void {
    this.anchor = this.posToOffset(anchor);
    this.head = head ? this.posToOffset(head) : this.anchor;
  }

  setSelections(ranges: EditorSelectionOrCaret[], main = 0): void {
    const range = ranges[main] ?? ranges[0];
    if (range) this.setSelection(range.anchor, range.head);
  }

  focus(): void {
    this.focused = true;
  }

  blur(): void {
    this.focused = false;
  }

  hasFocus(): boolean {
    return this.focused;
  }

  getScrollInfo(): { top: number; left: number } {
    return { top: 0, left: 0 };
  }

  scrollTo(_x?: number | null, _y?: number | null): void {
    // Nothing scrolls.
  }

  scrollIntoView(range: EditorRange, center = false): void {
    this.lastScroll = { range, center };
  }

  undo(): void {
    const step = this.undoStack.pop();
    if (!step) return;
    this.redoStack.push(step);
    this.setText(step.before);
    [this.anchor, this.head] = step.selectionBefore;
    this.emitChange();
  }

  redo(): void {
    const step = this.redoStack.pop();
    if (!step) return;
    this.undoStack.push(step);
    this.setText(step.after);
    [this.anchor, this.head] = step.selectionAfter;
    this.emitChange();
  }

  exec(command: string): void {
    const commands: Record<string, () => void> = {
      undo: () => this.undo(),
      redo: () => this.redo(),
      goStart: () => this.setCursor(0, 0),
      goEnd: () => this.setCursor(this.lastLine(), this.getLine(this.lastLine()).length),
      selectAll: () => this.setSelection({ line: 0, ch: 0 }, this.offsetToPos(this.text.length)),
    };
    const run = commands[command];
    if (!run) throw new Error(`Fake editor: exec('${command}') is not modelled`);
    run();
  }

  /** All changes (positions in the text before the transaction) apply as one undo step. */
  transaction(tx: EditorTransaction, origin?: string): void {
    const changes: OffsetChange[] = (tx.changes ?? []).map((c) => ({
      from: this.posToOffset(c.from),
      to: this.posToOffset(c.to ?? c.from),
      text: c.text,
    }));
    if (tx.replaceSelection !== undefined) {
      changes.push({ from: Math.min(this.anchor, this.head), to: Math.max(this.anchor, this.head), text: tx.replaceSelection });
    }
    for (const c of changes) if (c.from > c.to) throw new RangeError(`Invalid change range ${c.from} to ${c.to}: from is after to`);
    const selection = tx.selection ?? tx.selections?.[0];
    this.apply('transaction', changes, origin, undefined, selection);
  }

  wordAt(pos: EditorPosition): EditorRange | null {
    const line = this.getLine(pos.line);
    const isWord = (ch: string | undefined): boolean => ch !== undefined && /[\p{L}\p{N}_]/u.test(ch);
    let from = Math.min(pos.ch, line.length);
    let to = from;
    while (from > 0 && isWord(line[from - 1])) from--;
    while (to < line.length && isWord(line[to])) to++;
    return from === to ? null : { from: { line: pos.line, ch: from }, to: { line: pos.line, ch: to } };
  }

  posToOffset(pos: EditorPosition): number {
    this.checkLine(pos.line);
    const start = this.lineStarts[pos.line] ?? 0;
    return start + Math.max(0, Math.min(pos.ch, this.lineEnd(pos.line) - start));
  }

  offsetToPos(offset: number): EditorPosition {
    const o = Math.max(0, Math.min(offset, this.text.length));
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= o) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, ch: o - (this.lineStarts[lo] ?? 0) };
  }

  processLines<T>(
    read: (line: number, lineText: string) => T | null,
    write: (line: number, lineText: string, value: T | null) => EditorChange | void,
    ignoreEmpty = false,
  ): void {
    const values = Array.from({ length: this.lineCount() }, (_, line) => read(line, this.getLine(line)));
    const changes: EditorChange[] = [];
    values.forEach((value, line) => {
      const text = this.getLine(line);
      if (ignoreEmpty && text.trim() === '') return;
      const change = write(line, text, value);
      if (change) changes.push(change);
    });
    this.transaction({ changes });
  }

  /** Fake: how many undo steps there are. */
  get undoDepth(): number {
    return this.undoStack.length;
  }

  /** Fake: replaces the text and forgets the history (a view loading a file). */
  _load(text: string): void {
    this.setText(toLf(text));
    this.anchor = 0;
    this.head = 0;
    this.undoStack.length = 0;
    this.redoStack.length = 0;
  }

  /** Fake: takes a vault change as one undoable step that touches only what differs. */
  _applyExternal(text: string): void {
    const next = toLf(text);
    if (next === this.text) return;
    let start = 0;
    while (start < next.length && start < this.text.length && next[start] === this.text[start]) start++;
    let end = 0;
    while (end < next.length - start && end < this.text.length - start && next[next.length - 1 - end] === this.text[this.text.length - 1 - end]) end++;
    this.apply('external', [{ from: start, to: this.text.length - end, text: next.slice(start, next.length - end) }]);
  }

  /** Fake: calls `listener` after every change of the text; returns the unsubscribe function. */
  _onChange(listener: () => void): () => void {
    this.changeListeners.add(listener);
    return () => this.changeListeners.delete(listener);
  }

  private apply(method: string, changes: OffsetChange[], origin?: string, selectionAfter?: [number, number], caret?: EditorRangeOrCaret): void {
    const sorted = [...changes].sort((a, b) => a.from - b.from || a.to - b.to);
    for (let i = 1; i < sorted.length; i++) {
      const prev = sorted[i - 1];
      const cur = sorted[i];
      if (prev && cur && cur.from < prev.to) {
        throw new RangeError(`Overlapping changes in one transaction: ${prev.from}–${prev.to} and ${cur.from}–${cur.to}`);
      }
    }
    const before = this.text;
    const selectionBefore: [number, number] = [this.anchor, this.head];
    let out = '';
    let last = 0;
    for (const c of sorted) {
      out += before.slice(last, c.from) + toLf(c.text);
      last = c.to;
    }
    out += before.slice(last);
    this.setText(out);
    [this.anchor, this.head] = selectionAfter ?? [mapOffset(this.anchor, sorted), mapOffset(this.head, sorted)];
    if (caret) {
      // A transaction's selection is in the text after it.
      this.anchor = this.posToOffset(caret.from);
      this.head = caret.to ? this.posToOffset(caret.to) : this.anchor;
    }
    if (sorted.length === 0) return;
    this.undoStack.push({ before, after: out, selectionBefore, selectionAfter: [this.anchor, this.head] });
    this.redoStack.length = 0;
    this.calls.push({ method, ...(origin !== undefined ? { origin } : {}), changes: sorted.map((c) => ({ ...c, text: toLf(c.text) })) });
    this.emitChange();
  }

  private setText(text: string): void {
    this.text = text;
    this.lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.lineStarts.push(i + 1);
  }

  private lineEnd(line: number): number {
    const next = this.lineStarts[line + 1];
    return next === undefined ? this.text.length : next - 1;
  }

  private checkLine(line: number): void {
    if (!Number.isInteger(line) || line < 0 || line >= this.lineStarts.length) {
      throw new RangeError(`Invalid line number ${line}: the document has lines 0 to ${this.lineStarts.length - 1}`);
    }
  }

  private emitChange(): void {
    for (const listener of [...this.changeListeners]) listener();
  }
}

/** Where an offset ends up after changes (sorted, in the text before them). */
function mapOffset(offset: number, changes: OffsetChange[]): number {
  let shift = 0;
  for (const c of changes) {
    if (offset <= c.from) break;
    const inserted = toLf(c.text).length;
    if (offset < c.to) return c.from + shift + inserted;
    shift += inserted - (c.to - c.from);
  }
  return offset + shift;
}

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
    if (file && this.app.vault.getFileByPath(file.path) === file && this.hasUnsavedChanges()) {
      const data = this.getViewData();
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

// ───────────────────────────────────────── keys and scopes ─────────────────────────────────────────

export type Modifier = 'Mod' | 'Ctrl' | 'Meta' | 'Shift' | 'Alt';

export interface KeymapInfo {
  modifiers: string | null;
  key: string | null;
}

export interface KeymapContext extends KeymapInfo {
  vkey: string;
}

export type KeymapEventListener = (evt: KeyboardEvent, ctx: KeymapContext) => unknown;

export interface KeymapEventHandler extends KeymapInfo {
  scope: Scope;
  /** Fake: the listener. */
  func: KeymapEventListener;
}

const MODIFIER_ORDER: Modifier[] = ['Mod', 'Ctrl', 'Meta', 'Shift', 'Alt'];

/** The modifiers an event holds, as a sorted comma list ('Mod' is Ctrl, or Cmd on macOS). */
function eventModifiers(evt: KeyboardEvent | MouseEvent): string {
  const held = MODIFIER_ORDER.filter((m) => Keymap.isModifier(evt, m));
  // 'Mod' stands for Ctrl (Cmd on macOS): report it once, under 'Mod'.
  const modKey: Modifier = Platform.isMacOS ? 'Meta' : 'Ctrl';
  return held.filter((m) => m !== modKey).join(',');
}

/** A layer of key handlers; a key nobody in this scope handles goes to the parent. */
export class Scope {
  readonly parent: Scope | undefined;
  /** Fake: the registered handlers. */
  readonly keys: KeymapEventHandler[] = [];

  constructor(parent?: Scope) {
    this.parent = parent;
  }

  register(modifiers: Modifier[] | null, key: string | null, func: KeymapEventListener): KeymapEventHandler {
    const mods = modifiers === null ? null : MODIFIER_ORDER.filter((m) => modifiers.includes(m)).join(',');
    const handler: KeymapEventHandler = { scope: this, modifiers: mods, key, func };
    this.keys.push(handler);
    return handler;
  }

  unregister(handler: KeymapEventHandler): void {
    removeItem(this.keys, handler);
  }

  /** Fake: offers a key event to this scope, then its parents; true when a handler took it. */
  handleKey(evt: KeyboardEvent): boolean {
    const modifiers = eventModifiers(evt);
    const handler = this.keys.find(
      (h) => (h.key === null || h.key.toLowerCase() === evt.key.toLowerCase()) && (h.modifiers === null || h.modifiers === modifiers),
    );
    if (!handler) return this.parent?.handleKey(evt) ?? false;
    const result = handler.func(evt, { modifiers, key: evt.key, vkey: evt.key });
    if (result === false) evt.preventDefault();
    return true;
  }
}

/** The stack of scopes: keys go to the scope pushed last (a modal's, say), else the app's. */
export class Keymap {
  private readonly stack: Scope[] = [];

  constructor(private readonly rootScope: Scope) {}

  static isModifier(evt: MouseEvent | TouchEvent | KeyboardEvent, modifier: Modifier): boolean {
    const e = evt as Partial<KeyboardEvent>;
    switch (modifier) {
      case 'Mod':
        return Platform.isMacOS ? e.metaKey === true : e.ctrlKey === true;
      case 'Ctrl':
        return e.ctrlKey === true;
      case 'Meta':
        return e.metaKey === true;
      case 'Shift':
        return e.shiftKey === true;
      case 'Alt':
        return e.altKey === true;
    }
  }

  static isModEvent(evt?: UIEvent | null): PaneType | boolean {
    if (!evt) return false;
    const e = evt as Partial<MouseEvent>;
    const mod = Platform.isMacOS ? e.metaKey === true : e.ctrlKey === true;
    if (mod && e.altKey === true && e.shiftKey === true) return 'window';
    if (mod && e.altKey === true) return 'split';
    if (mod || e.button === 1) return 'tab';
    return false;
  }

  pushScope(scope: Scope): void {
    removeItem(this.stack, scope);
    this.stack.push(scope);
  }

  popScope(scope: Scope): void {
    removeItem(this.stack, scope);
  }

  /** Fake: the scope keys go to now. */
  get activeScope(): Scope {
    return this.stack[this.stack.length - 1] ?? this.rootScope;
  }

  /** Fake: scopes pushed and not popped. */
  get pushedScopes(): number {
    return this.stack.length;
  }
}

// ─────────────────────────────────────── notices, modals, menus ───────────────────────────────────────

/** A toast; the fake records each on the current app (`app.notices`). */
export class Notice {
  noticeEl: HTMLElement;
  containerEl: HTMLElement;
  messageEl: HTMLElement;
  /** Fake: the message text (the latest, after `setMessage`). */
  message = '';
  /** Fake: the duration asked for (Obsidian's default: 4.5 s; 0 stays until hidden). */
  readonly duration: number | undefined;
  /** Fake: whether `hide()` was called. */
  hidden = false;

  constructor(message: string | DocumentFragment, duration?: number) {
    const doc = activeDoc();
    this.duration = duration;
    this.containerEl = doc.body.querySelector<HTMLElement>(':scope > .notice-container') ?? doc.body.createDiv({ cls: 'notice-container' });
    this.noticeEl = this.containerEl.createDiv({ cls: 'notice' });
    this.messageEl = this.noticeEl.createDiv({ cls: 'notice-message' });
    this.setMessage(message);
    current.app?.notices.push(this);
  }

  setMessage(message: string | DocumentFragment): this {
    this.messageEl.setText(message);
    this.message = this.messageEl.getText();
    return this;
  }

  hide(): void {
    this.hidden = true;
    this.noticeEl.detach();
  }
}

/** A dialog: `open()` puts it in the document and its scope on the keymap (Escape closes it). */
export class Modal {
  app: App;
  scope: Scope;
  containerEl: HTMLElement;
  modalEl: HTMLElement;
  titleEl: HTMLElement;
  contentEl: HTMLElement;
  shouldRestoreSelection = true;
  /** Fake: whether the modal is open. */
  isOpen = false;
  private closeCallback: (() => unknown) | null = null;

  constructor(app: App) {
    this.app = app;
    this.scope = new Scope(app.scope);
    this.scope.register([], 'Escape', () => {
      this.close();
      return false;
    });
    const doc = activeDoc();
    this.containerEl = doc.createDiv({ cls: 'modal-container mod-dim' });
    this.containerEl.createDiv({ cls: 'modal-bg' });
    this.modalEl = this.containerEl.createDiv({ cls: 'modal' });
    this.modalEl.createDiv({ cls: 'modal-close-button' }).addEventListener('click', () => this.close());
    this.titleEl = this.modalEl.createDiv({ cls: 'modal-header' }).createDiv({ cls: 'modal-title' });
    this.contentEl = this.modalEl.createDiv({ cls: 'modal-content' });
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    activeDoc().body.appendChild(this.containerEl);
    this.app.keymap.pushScope(this.scope);
    this.app.modals.push(this);
    void this.onOpen();
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.containerEl.detach();
    this.app.keymap.popScope(this.scope);
    this.onClose();
    this.closeCallback?.();
  }

  onOpen(): Promise<void> | void {
    // Subclasses override.
  }

  onClose(): void {
    // Subclasses override.
  }

  setTitle(title: string): this {
    this.titleEl.setText(title);
    return this;
  }

  setContent(content: string | DocumentFragment): this {
    this.contentEl.setText(content);
    return this;
  }

  setCloseCallback(callback: () => unknown): this {
    this.closeCallback = callback;
    return this;
  }
}

export interface Instruction {
  command: string;
  purpose: string;
}

/** A modal with an input and a list of suggestions: arrows move, Enter or a click chooses (and closes). */
export abstract class SuggestModal<T> extends Modal {
  limit = 100;
  emptyStateText = 'No results found.';
  inputEl: HTMLInputElement;
  resultContainerEl: HTMLElement;
  /** Fake: the suggestions shown now. */
  suggestions: T[] = [];
  /** Fake: the index of the highlighted suggestion. */
  selected = 0;
  private instructionsEl: HTMLElement;

  constructor(app: App) {
    super(app);
    const inputContainer = this.modalEl.createDiv({ cls: 'prompt-input-container', prepend: true });
    this.inputEl = inputContainer.createEl('input', { cls: 'prompt-input', type: 'text' });
    this.resultContainerEl = this.modalEl.createDiv({ cls: 'prompt-results' });
    this.instructionsEl = this.modalEl.createDiv({ cls: 'prompt-instructions' });
    this.inputEl.addEventListener('input', () => void this.updateSuggestions());
    this.scope.register([], 'ArrowDown', () => this.move(1));
    this.scope.register([], 'ArrowUp', () => this.move(-1));
    this.scope.register([], 'Enter', (evt) => {
      const value = this.suggestions[this.selected];
      if (value !== undefined) this.selectSuggestion(value, evt);
      return false;
    });
  }

  override open(): void {
    super.open();
    void this.updateSuggestions();
  }

  setPlaceholder(placeholder: string): void {
    this.inputEl.placeholder = placeholder;
  }

  setInstructions(instructions: Instruction[]): void {
    this.instructionsEl.empty();
    for (const i of instructions) {
      const el = this.instructionsEl.createDiv({ cls: 'prompt-instruction' });
      el.createSpan({ cls: 'prompt-instruction-command', text: i.command });
      el.createSpan({ text: i.purpose });
    }
  }

  /** Closes the modal, then hands the value to `onChooseSuggestion` (Obsidian's order). */
  selectSuggestion(value: T, evt: MouseEvent | KeyboardEvent): void {
    this.close();
    this.onChooseSuggestion(value, evt);
  }

  abstract getSuggestions(query: string): T[] | Promise<T[]>;

  abstract renderSuggestion(value: T, el: HTMLElement): void;

  abstract onChooseSuggestion(item: T, evt: MouseEvent | KeyboardEvent): unknown;

  /** Fake: renders the suggestions for the input's text (done on open and on each input event). */
  async updateSuggestions(): Promise<void> {
    const found = await this.getSuggestions(this.inputEl.value);
    this.suggestions = found.slice(0, this.limit > 0 ? this.limit : undefined);
    this.selected = 0;
    this.resultContainerEl.empty();
    if (this.suggestions.length === 0) {
      this.resultContainerEl.createDiv({ cls: 'suggestion-empty', text: this.emptyStateText });
      return;
    }
    this.suggestions.forEach((value, index) => {
      const el = this.resultContainerEl.createDiv({ cls: index === 0 ? 'suggestion-item is-selected' : 'suggestion-item' });
      this.renderSuggestion(value, el);
      el.addEventListener('click', (evt) => this.selectSuggestion(value, evt));
    });
  }

  private move(by: number): false {
    if (this.suggestions.length === 0) return false;
    this.selected = (this.selected + by + this.suggestions.length) % this.suggestions.length;
    Array.from(this.resultContainerEl.children).forEach((el, i) => el.toggleClass('is-selected', i === this.selected));
    return false;
  }
}

export interface SearchResult {
  score: number;
  matches: Array<[number, number]>;
}

export interface FuzzyMatch<T> {
  item: T;
  match: SearchResult;
}

/** A suggest modal over items matched fuzzily by their text. */
export abstract class FuzzySuggestModal<T> extends SuggestModal<FuzzyMatch<T>> {
  abstract getItems(): T[];

  abstract getItemText(item: T): string;

  abstract onChooseItem(item: T, evt: MouseEvent | KeyboardEvent): void;

  getSuggestions(query: string): Array<FuzzyMatch<T>> {
    const search = prepareFuzzySearch(query);
    const out: Array<FuzzyMatch<T>> = [];
    for (const item of this.getItems()) {
      const match = search(this.getItemText(item));
      if (match) out.push({ item, match });
    }
    return query.trim() === '' ? out : out.sort((a, b) => b.match.score - a.match.score);
  }

  renderSuggestion(value: FuzzyMatch<T>, el: HTMLElement): void {
    el.setText(this.getItemText(value.item));
  }

  onChooseSuggestion(item: FuzzyMatch<T>, evt: MouseEvent | KeyboardEvent): void {
    this.onChooseItem(item.item, evt);
  }
}

/** Matches the query's characters in order (case-insensitive); a tighter match scores higher. */
export function prepareFuzzySearch(query: string): (text: string) => SearchResult | null {
  const q = query.toLowerCase().replace(/\s+/g, '');
  return (text) => {
    const t = text.toLowerCase();
    const matches: Array<[number, number]> = [];
    let score = 0;
    let from = 0;
    for (const ch of q) {
      const at = t.indexOf(ch, from);
      if (at < 0) return null;
      const last = matches[matches.length - 1];
      if (last && last[1] === at) last[1] = at + 1;
      else matches.push([at, at + 1]);
      score -= at - from;
      from = at + 1;
    }
    return { score, matches };
  };
}

/** Matches when every word of the query is in the text (case-insensitive). */
export function prepareSimpleSearch(query: string): (text: string) => SearchResult | null {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return (text) => {
    const t = text.toLowerCase();
    const matches: Array<[number, number]> = [];
    for (const word of words) {
      const at = t.indexOf(word);
      if (at < 0) return null;
      matches.push([at, at + word.length]);
    }
    return { score: -(matches[0]?.[0] ?? 0), matches };
  };
}

/** Suggestions under a text input: typing fills them, a click chooses. */
export abstract class PopoverSuggest<T> {
  app: App;
  scope: Scope;
  /** Fake: the suggestion list element (in the document while open). */
  suggestEl: HTMLElement;
  /** Fake: the suggestions shown now. */
  suggestions: T[] = [];
  isOpen = false;

  constructor(app: App, scope?: Scope) {
    this.app = app;
    this.scope = scope ?? new Scope(app.scope);
    this.suggestEl = activeDoc().createDiv({ cls: 'suggestion-container' });
  }

  open(): void {
    if (this.isOpen) return;
    this.isOpen = true;
    activeDoc().body.appendChild(this.suggestEl);
    this.app.keymap.pushScope(this.scope);
  }

  close(): void {
    if (!this.isOpen) return;
    this.isOpen = false;
    this.suggestEl.detach();
    this.app.keymap.popScope(this.scope);
  }

  abstract renderSuggestion(value: T, el: HTMLElement): void;

  abstract selectSuggestion(value: T, evt: MouseEvent | KeyboardEvent): void;
}

export abstract class AbstractInputSuggest<T> extends PopoverSuggest<T> {
  limit = 100;
  private readonly textInputEl: HTMLInputElement | HTMLDivElement;
  private selectCallback: ((value: T, evt: MouseEvent | KeyboardEvent) => unknown) | null = null;

  constructor(app: App, textInputEl: HTMLInputElement | HTMLDivElement) {
    super(app);
    this.textInputEl = textInputEl;
    textInputEl.addEventListener('input', () => void this.refresh());
    textInputEl.addEventListener('focus', () => void this.refresh());
  }

  setValue(value: string): void {
    if ('value' in this.textInputEl) this.textInputEl.value = value;
    else this.textInputEl.textContent = value;
  }

  getValue(): string {
    return 'value' in this.textInputEl ? this.textInputEl.value : (this.textInputEl.textContent ?? '');
  }

  protected abstract getSuggestions(query: string): T[] | Promise<T[]>;

  selectSuggestion(value: T, evt: MouseEvent | KeyboardEvent): void {
    this.selectCallback?.(value, evt);
  }

  onSelect(callback: (value: T, evt: MouseEvent | KeyboardEvent) => unknown): this {
    this.selectCallback = callback;
    return this;
  }

  /** Fake: shows the suggestions for the input's text (done on each input and focus event). */
  async refresh(): Promise<void> {
    const found = await this.getSuggestions(this.getValue());
    this.suggestions = found.slice(0, this.limit > 0 ? this.limit : undefined);
    this.suggestEl.empty();
    for (const value of this.suggestions) {
      const el = this.suggestEl.createDiv({ cls: 'suggestion-item' });
      this.renderSuggestion(value, el);
      el.addEventListener('click', (evt) => this.selectSuggestion(value, evt));
    }
    if (this.suggestions.length > 0) this.open();
    else this.close();
  }
}

/** A context menu; the fake records each shown menu on the current app (`app.menus`). */
export class Menu extends Component {
  /** Fake: the items and separators, in order. */
  readonly items: Array<MenuItem | 'separator'> = [];
  /** Fake: where it was shown (null until shown). */
  shownAt: { x: number; y: number } | null = null;
  dom: HTMLElement;
  private readonly hideCallbacks: Array<() => unknown> = [];

  constructor() {
    super();
    this.dom = activeDoc().createDiv({ cls: 'menu' });
  }

  static forEvent(evt: MouseEvent | PointerEvent): Menu {
    const menu = new Menu();
    menu.shownAt = { x: evt.clientX, y: evt.clientY };
    return menu;
  }

  addItem(cb: (item: MenuItem) => unknown): this {
    const item = new MenuItem(this);
    cb(item);
    this.items.push(item);
    return this;
  }

  addSeparator(): this {
    this.items.push('separator');
    return this;
  }

  setNoIcon(): this {
    return this;
  }

  setUseNativeMenu(_useNativeMenu: boolean): this {
    return this;
  }

  showAtMouseEvent(evt: MouseEvent): this {
    return this.showAtPosition({ x: evt.clientX, y: evt.clientY });
  }

  showAtPosition(position: { x: number; y: number }, _doc?: Document): this {
    this.shownAt = position;
    this.dom.empty();
    for (const item of this.items) {
      if (item === 'separator') {
        this.dom.createDiv({ cls: 'menu-separator' });
        continue;
      }
      const el = this.dom.createDiv({ cls: item.disabled ? 'menu-item is-disabled' : 'menu-item', text: item.title });
      el.addEventListener('click', (evt) => item.trigger(evt));
    }
    activeDoc().body.appendChild(this.dom);
    this.load();
    current.app?.menus.push(this);
    return this;
  }

  hide(): this {
    if (this.dom.isConnected) {
      this.dom.detach();
      this.unload();
      for (const cb of this.hideCallbacks) cb();
    }
    return this;
  }

  close(): void {
    this.hide();
  }

  onHide(callback: () => unknown): void {
    this.hideCallbacks.push(callback);
  }
}

export class MenuItem {
  title = '';
  icon: string | null = null;
  checked: boolean | null = null;
  disabled = false;
  section = '';
  warning = false;
  private callback: ((evt: MouseEvent | KeyboardEvent) => unknown) | null = null;

  constructor(private readonly menu: Menu) {}

  setTitle(title: string | DocumentFragment): this {
    this.title = typeof title === 'string' ? title : (title.textContent ?? '');
    return this;
  }

  setIcon(icon: string | null): this {
    this.icon = icon;
    return this;
  }

  setChecked(checked: boolean | null): this {
    this.checked = checked;
    return this;
  }

  setDisabled(disabled: boolean): this {
    this.disabled = disabled;
    return this;
  }

  setWarning(isWarning: boolean): this {
    this.warning = isWarning;
    return this;
  }

  setIsLabel(_isLabel: boolean): this {
    return this;
  }

  setSection(section: string): this {
    this.section = section;
    return this;
  }

  onClick(callback: (evt: MouseEvent | KeyboardEvent) => unknown): this {
    this.callback = callback;
    return this;
  }

  /** Fake: the user picks this item: its callback runs (unless disabled) and the menu hides. */
  trigger(evt?: MouseEvent | KeyboardEvent): void {
    if (this.disabled) return;
    void this.callback?.(evt ?? new (fakeDom().window.MouseEvent)('click'));
    this.menu.hide();
  }
}

// ───────────────────────────────────────────── icons ─────────────────────────────────────────────

const customIcons = new Map<string, string>();

/** Puts the icon in `parent` (replacing its content): an `svg.svg-icon`, and `data-icon` on `parent`. */
export function setIcon(parent: HTMLElement, iconId: string): void {
  parent.empty();
  parent.setAttr('data-icon', iconId);
  parent.createSvg('svg', { cls: ['svg-icon', `lucide-${iconId}`], attr: { 'data-icon': iconId, viewBox: '0 0 24 24' } });
}

export function getIcon(iconId: string): SVGSVGElement | null {
  const svg = activeDoc().createSvg('svg', { cls: ['svg-icon', `lucide-${iconId}`], attr: { 'data-icon': iconId } });
  return svg;
}

export function addIcon(iconId: string, svgContent: string): void {
  customIcons.set(iconId, svgContent);
}

export function removeIcon(iconId: string): void {
  customIcons.delete(iconId);
}

export function getIconIds(): string[] {
  return [...customIcons.keys()];
}

export function setTooltip(el: HTMLElement, tooltip: string, _options?: Dict): void {
  el.setAttr('aria-label', tooltip);
}

export function displayTooltip(el: HTMLElement, content: string | DocumentFragment, _options?: Dict): void {
  el.setAttr('aria-label', typeof content === 'string' ? content : (content.textContent ?? ''));
}

// ──────────────────────────────────────── setting components ────────────────────────────────────────

export abstract class BaseComponent {
  disabled = false;

  then(cb: (component: this) => unknown): this {
    cb(this);
    return this;
  }

  setDisabled(disabled: boolean): this {
    this.disabled = disabled;
    return this;
  }
}

export abstract class ValueComponent<T> extends BaseComponent {
  registerOptionListener(listeners: Record<string, (value?: T) => T>, key: string): this {
    listeners[key] = (value?: T) => {
      if (value !== undefined) this.setValue(value);
      return this.getValue();
    };
    return this;
  }

  abstract getValue(): T;

  abstract setValue(value: T): this;
}

/** A component whose `onChange` callback runs on a DOM event (as the user's input), never on `setValue`. */
abstract class ChangingComponent<T> extends ValueComponent<T> {
  private changeCallback: ((value: T) => unknown) | null = null;

  onChange(callback: (value: T) => unknown): this {
    this.changeCallback = callback;
    return this;
  }

  onChanged(): void {
    void this.changeCallback?.(this.getValue());
  }
}

export abstract class AbstractTextComponent<E extends HTMLInputElement | HTMLTextAreaElement> extends ChangingComponent<string> {
  inputEl: E;

  constructor(inputEl: E) {
    super();
    this.inputEl = inputEl;
    inputEl.addEventListener('input', () => this.onChanged());
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.inputEl.disabled = disabled;
    return this;
  }

  getValue(): string {
    return this.inputEl.value;
  }

  setValue(value: string): this {
    this.inputEl.value = value;
    return this;
  }

  setPlaceholder(placeholder: string): this {
    this.inputEl.placeholder = placeholder;
    return this;
  }
}

export class TextComponent extends AbstractTextComponent<HTMLInputElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl('input', { type: 'text' }));
  }
}

export class TextAreaComponent extends AbstractTextComponent<HTMLTextAreaElement> {
  constructor(containerEl: HTMLElement) {
    super(containerEl.createEl('textarea'));
  }
}

export class SearchComponent extends AbstractTextComponent<HTMLInputElement> {
  clearButtonEl: HTMLElement;

  constructor(containerEl: HTMLElement) {
    const wrapper = containerEl.createDiv({ cls: 'search-input-container' });
    super(wrapper.createEl('input', { type: 'search' }));
    this.clearButtonEl = wrapper.createDiv({ cls: 'search-input-clear-button' });
    this.clearButtonEl.addEventListener('click', () => {
      this.setValue('');
      this.onChanged();
    });
  }
}

export class DropdownComponent extends ChangingComponent<string> {
  selectEl: HTMLSelectElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.selectEl = containerEl.createEl('select', { cls: 'dropdown' });
    this.selectEl.addEventListener('change', () => this.onChanged());
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.selectEl.disabled = disabled;
    return this;
  }

  addOption(value: string, display: string): this {
    this.selectEl.createEl('option', { value, text: display });
    return this;
  }

  addOptions(options: Record<string, string>): this {
    for (const [value, display] of Object.entries(options)) this.addOption(value, display);
    return this;
  }

  getValue(): string {
    return this.selectEl.value;
  }

  setValue(value: string): this {
    this.selectEl.value = value;
    return this;
  }
}

/** A switch: a click on `toggleEl` flips it and fires `onChange`. */
export class ToggleComponent extends ChangingComponent<boolean> {
  toggleEl: HTMLElement;
  private readonly inputEl: HTMLInputElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.toggleEl = containerEl.createDiv({ cls: 'checkbox-container' });
    this.inputEl = this.toggleEl.createEl('input', { type: 'checkbox', attr: { tabindex: 0 } });
    this.toggleEl.addEventListener('click', () => this.onClick());
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.toggleEl.toggleClass('is-disabled', disabled);
    this.inputEl.disabled = disabled;
    return this;
  }

  getValue(): boolean {
    return this.toggleEl.hasClass('is-enabled');
  }

  setValue(on: boolean): this {
    this.toggleEl.toggleClass('is-enabled', on);
    this.inputEl.checked = on;
    return this;
  }

  setTooltip(tooltip: string): this {
    this.toggleEl.setAttr('aria-label', tooltip);
    return this;
  }

  onClick(): void {
    if (this.disabled) return;
    this.setValue(!this.getValue());
    this.onChanged();
  }
}

/** A range input; `onChange` fires on `change` (and on `input` with `setInstant(true)`). */
export class SliderComponent extends ChangingComponent<number> {
  sliderEl: HTMLInputElement;
  private instant = false;

  constructor(containerEl: HTMLElement) {
    super();
    this.sliderEl = containerEl.createEl('input', { type: 'range', cls: 'slider' });
    this.sliderEl.addEventListener('input', () => {
      if (this.instant) this.onChanged();
    });
    this.sliderEl.addEventListener('change', () => {
      if (!this.instant) this.onChanged();
    });
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.sliderEl.disabled = disabled;
    return this;
  }

  setInstant(instant: boolean): this {
    this.instant = instant;
    return this;
  }

  setLimits(min: number | null, max: number | null, step: number | 'any'): this {
    if (min !== null) this.sliderEl.min = String(min);
    if (max !== null) this.sliderEl.max = String(max);
    this.sliderEl.step = String(step);
    return this;
  }

  getValuePretty(): string {
    return String(this.getValue());
  }

  setDynamicTooltip(): this {
    return this;
  }

  showTooltip(): void {
    // No tooltips.
  }

  getValue(): number {
    return Number(this.sliderEl.value);
  }

  setValue(value: number): this {
    this.sliderEl.value = String(value);
    return this;
  }
}

export class ColorComponent extends ChangingComponent<string> {
  colorPickerEl: HTMLInputElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.colorPickerEl = containerEl.createEl('input', { type: 'color' });
    this.colorPickerEl.addEventListener('change', () => this.onChanged());
  }

  getValue(): string {
    return this.colorPickerEl.value;
  }

  setValue(value: string): this {
    this.colorPickerEl.value = value;
    return this;
  }
}

export class ProgressBarComponent extends ValueComponent<number> {
  progressBar: HTMLElement;
  private value = 0;

  constructor(containerEl: HTMLElement) {
    super();
    this.progressBar = containerEl.createDiv({ cls: 'setting-progress-bar' });
  }

  getValue(): number {
    return this.value;
  }

  setValue(value: number): this {
    this.value = value;
    this.progressBar.setAttr('data-value', value);
    return this;
  }
}

/** A button; a click on `buttonEl` runs the `onClick` callback unless it is disabled. */
export class ButtonComponent extends BaseComponent {
  buttonEl: HTMLButtonElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.buttonEl = containerEl.createEl('button');
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.buttonEl.disabled = disabled;
    this.buttonEl.toggleClass('is-disabled', disabled);
    return this;
  }

  setCta(): this {
    this.buttonEl.addClass('mod-cta');
    return this;
  }

  removeCta(): this {
    this.buttonEl.removeClass('mod-cta');
    return this;
  }

  setWarning(): this {
    this.buttonEl.addClass('mod-warning');
    return this;
  }

  setTooltip(tooltip: string): this {
    this.buttonEl.setAttr('aria-label', tooltip);
    return this;
  }

  setButtonText(name: string): this {
    this.buttonEl.setText(name);
    return this;
  }

  setIcon(icon: string): this {
    setIcon(this.buttonEl, icon);
    return this;
  }

  setClass(cls: string): this {
    this.buttonEl.addClass(cls);
    return this;
  }

  onClick(callback: (evt: MouseEvent) => unknown): this {
    this.buttonEl.addEventListener('click', (evt) => {
      if (!this.disabled) void callback(evt);
    });
    return this;
  }
}

export class ExtraButtonComponent extends BaseComponent {
  extraSettingsEl: HTMLElement;

  constructor(containerEl: HTMLElement) {
    super();
    this.extraSettingsEl = containerEl.createDiv({ cls: 'clickable-icon extra-setting-button' });
  }

  override setDisabled(disabled: boolean): this {
    super.setDisabled(disabled);
    this.extraSettingsEl.toggleClass('is-disabled', disabled);
    return this;
  }

  setTooltip(tooltip: string): this {
    this.extraSettingsEl.setAttr('aria-label', tooltip);
    return this;
  }

  setIcon(icon: string): this {
    setIcon(this.extraSettingsEl, icon);
    return this;
  }

  onClick(callback: () => unknown): this {
    this.extraSettingsEl.addEventListener('click', () => {
      if (!this.disabled) void callback();
    });
    return this;
  }
}

/** One row of a settings page: name, description and controls, rendered as real inputs in `containerEl`. */
export class Setting {
  settingEl: HTMLElement;
  infoEl: HTMLElement;
  nameEl: HTMLElement;
  descEl: HTMLElement;
  controlEl: HTMLElement;
  components: BaseComponent[] = [];

  constructor(containerEl: HTMLElement) {
    this.settingEl = containerEl.createDiv({ cls: 'setting-item' });
    this.infoEl = this.settingEl.createDiv({ cls: 'setting-item-info' });
    this.nameEl = this.infoEl.createDiv({ cls: 'setting-item-name' });
    this.descEl = this.infoEl.createDiv({ cls: 'setting-item-description' });
    this.controlEl = this.settingEl.createDiv({ cls: 'setting-item-control' });
  }

  setName(name: string | DocumentFragment): this {
    this.nameEl.setText(name);
    return this;
  }

  setDesc(desc: string | DocumentFragment): this {
    this.descEl.setText(desc);
    return this;
  }

  setClass(cls: string): this {
    this.settingEl.addClass(cls);
    return this;
  }

  setTooltip(tooltip: string, _options?: Dict): this {
    this.nameEl.setAttr('aria-label', tooltip);
    return this;
  }

  setHeading(): this {
    this.settingEl.addClass('setting-item-heading');
    return this;
  }

  setDisabled(disabled: boolean): this {
    this.settingEl.toggleClass('is-disabled', disabled);
    for (const component of this.components) component.setDisabled(disabled);
    return this;
  }

  addButton(cb: (component: ButtonComponent) => unknown): this {
    return this.add(new ButtonComponent(this.controlEl), cb);
  }

  addExtraButton(cb: (component: ExtraButtonComponent) => unknown): this {
    return this.add(new ExtraButtonComponent(this.controlEl), cb);
  }

  addToggle(cb: (component: ToggleComponent) => unknown): this {
    return this.add(new ToggleComponent(this.controlEl), cb);
  }

  addText(cb: (component: TextComponent) => unknown): this {
    return this.add(new TextComponent(this.controlEl), cb);
  }

  addSearch(cb: (component: SearchComponent) => unknown): this {
    return this.add(new SearchComponent(this.controlEl), cb);
  }

  addTextArea(cb: (component: TextAreaComponent) => unknown): this {
    return this.add(new TextAreaComponent(this.controlEl), cb);
  }

  addDropdown(cb: (component: DropdownComponent) => unknown): this {
    return this.add(new DropdownComponent(this.controlEl), cb);
  }

  addColorPicker(cb: (component: ColorComponent) => unknown): this {
    return this.add(new ColorComponent(this.controlEl), cb);
  }

  addProgressBar(cb: (component: ProgressBarComponent) => unknown): this {
    return this.add(new ProgressBarComponent(this.controlEl), cb);
  }

  addSlider(cb: (component: SliderComponent) => unknown): this {
    return this.add(new SliderComponent(this.controlEl), cb);
  }

  then(cb: (setting: this) => unknown): this {
    cb(this);
    return this;
  }

  clear(): this {
    this.controlEl.empty();
    this.components = [];
    return this;
  }

  private add<C extends BaseComponent>(component: C, cb: (component: C) => unknown): this {
    this.components.push(component);
    cb(component);
    return this;
  }
}

/** A titled group of settings (Obsidian 1.11+). */
export class SettingGroup {
  listEl: HTMLElement;
  private readonly headingEl: HTMLElement;

  constructor(containerEl: HTMLElement) {
    const groupEl = containerEl.createDiv({ cls: 'setting-group' });
    this.headingEl = groupEl.createDiv({ cls: 'setting-item setting-item-heading' });
    this.listEl = groupEl.createDiv({ cls: 'setting-items' });
  }

  setHeading(text: string | DocumentFragment): this {
    this.headingEl.setText(text);
    return this;
  }

  addClass(...classes: string[]): this {
    this.listEl.addClass(...classes);
    return this;
  }

  addSetting(cb: (setting: Setting) => void): this {
    cb(new Setting(this.listEl));
    return this;
  }
}

/** A settings page; the app shows it with `app.setting.openTabById(pluginId)`. */
export abstract class SettingTab {
  icon = '';
  app: App;
  containerEl: HTMLElement;

  constructor(app: App) {
    this.app = app;
    this.containerEl = activeDoc().createDiv({ cls: 'vertical-tab-content' });
  }

  /** Obsidian 1.13's declarative settings; the fake renders only `display()`, so a tab must return none. */
  getSettingDefinitions(): unknown[] {
    return [];
  }

  abstract display(): void;

  hide(): void {
    this.containerEl.empty();
  }
}

export abstract class PluginSettingTab extends SettingTab {
  plugin: Plugin;

  constructor(app: App, plugin: Plugin) {
    super(app);
    this.plugin = plugin;
  }
}

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

// ───────────────────────────────────── utilities (module functions) ─────────────────────────────────────

export interface Debouncer<T extends unknown[], V> {
  (...args: [...T]): this;
  cancel(): this;
  run(): V | void;
}

/** Debouncers with a call waiting (with the app current when they were made); `app.flushDebounces` runs them now. */
const pendingDebouncers = new Map<{ run(): unknown }, { owner: App | null; internal: boolean }>();

/**
 * Obsidian's debounce: the first call starts a `timeout` ms timer (restarted by each call when
 * `resetTimer`); when it fires, `cb` runs once with the latest arguments. Timers are the window's,
 * so vitest's fake timers drive them.
 */
export function debounce<T extends unknown[], V>(cb: (...args: [...T]) => V, timeout = 0, resetTimer = false): Debouncer<T, V> {
  return makeDebouncer(cb, timeout, resetTimer, false);
}

/** `internal`: Obsidian's own (an editor's autosave), not counted as the plugin's pending work. */
function makeDebouncer<T extends unknown[], V>(cb: (...args: [...T]) => V, timeout: number, resetTimer: boolean, internal: boolean): Debouncer<T, V> {
  const owner = current.app;
  let timer: unknown = null;
  let args: [...T] | null = null;
  const fire = (): V | void => {
    const callArgs = args;
    timer = null;
    args = null;
    pendingDebouncers.delete(controls);
    if (callArgs) return cb(...callArgs);
  };
  const controls = {
    cancel: (): Debouncer<T, V> => {
      if (timer !== null) timers.clear(timer);
      timer = null;
      args = null;
      pendingDebouncers.delete(controls);
      return debouncer;
    },
    run: (): V | void => {
      if (timer === null) return;
      timers.clear(timer);
      return fire();
    },
  };
  const call = (...callArgs: [...T]): Debouncer<T, V> => {
    args = callArgs;
    if (timer !== null && resetTimer) {
      timers.clear(timer);
      timer = null;
    }
    if (timer === null) {
      timer = timers.set(fire, timeout);
      pendingDebouncers.set(controls, { owner, internal });
    }
    return debouncer;
  };
  const debouncer = Object.assign(call, controls) as Debouncer<T, V>;
  return debouncer;
}

/** Fake: runs the debounced calls waiting (those made while `owner` was the current app, or all), as if their timers fired now. */
export function runPendingDebounces(owner?: App | null): number {
  let ran = 0;
  for (let round = 0; round < 100; round++) {
    const due = [...pendingDebouncers].filter(([, info]) => owner === undefined || info.owner === owner);
    if (due.length === 0) break;
    for (const [pending] of due) {
      pending.run();
      ran++;
    }
  }
  return ran;
}

/** Debounced calls waiting, made while `owner` was the current app (Obsidian's own excluded). */
function pendingDebounceCount(owner: App): number {
  return [...pendingDebouncers.values()].filter((info) => info.owner === owner && !info.internal).length;
}

/** Obsidian's normalizePath: forward slashes, no doubled, leading or trailing slash, NFC; '' is '/'. */
export function normalizePath(path: string): string {
  const p = path
    .replace(/[\u00A0\u202F]/g, ' ')
    .replace(/[\\/]+/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .normalize('NFC');
  return p === '' ? '/' : p;
}

/** The platform: desktop unless the app was made for a phone or tablet (`FakeAppOptions.platform`). */
export const Platform = {
  isDesktop: true,
  isMobile: false,
  isDesktopApp: true,
  isMobileApp: false,
  isIosApp: false,
  isAndroidApp: false,
  isPhone: false,
  isTablet: false,
  isMacOS: false,
  isWin: false,
  isLinux: true,
  isSafari: false,
  resourcePathPrefix: 'app://local/',
};

/** Fake: the device an app runs on (`FakeAppOptions.platform`). */
export type FakePlatform = 'desktop' | 'phone' | 'tablet';

/** Fake: a mobile device's system (`FakeAppOptions.mobileOs`). */
export type FakeMobileOs = 'android' | 'ios';

const MOBILE_BODY_CLASSES = ['is-mobile', 'is-phone', 'is-tablet', 'is-ios', 'is-android'];
/** A desktop's OS flags while a mobile app is live (a test may have set them: they come back). */
let desktopOsFlags: Pick<typeof Platform, 'isMacOS' | 'isWin' | 'isLinux' | 'isSafari'> | null = null;

/**
 * Sets `Platform` and the body's classes for the device; every app does, so a phone in one test
 * does not leak into the next. A desktop's OS flags stay as a test set them.
 * Source: obsidian.d.ts 1.13.1 `Platform` (isMobile "The UI is in mobile mode", isMobileApp "the
 * capacitor-js mobile app", isPhone "very limited screen space", isTablet, isMacOS "or a device that
 * pretends to be one (like iPhones and iPads)", resourcePathPrefix "`file:///` on mobile"). The body
 * classes `is-mobile`, `is-phone`, `is-tablet`, `is-ios`, `is-android` are not in the d.ts or the
 * developer docs; they are what Obsidian's app.css, themes and plugins' styles select on.
 * Android's OS flags are a guess (all false): the d.ts says nothing of them.
 */
function applyPlatform(platform: FakePlatform, os: FakeMobileOs, body: HTMLElement): void {
  const mobile = platform !== 'desktop';
  if (mobile) {
    desktopOsFlags ??= { isMacOS: Platform.isMacOS, isWin: Platform.isWin, isLinux: Platform.isLinux, isSafari: Platform.isSafari };
    Object.assign(Platform, { isMacOS: os === 'ios', isWin: false, isLinux: false, isSafari: os === 'ios' });
  } else if (desktopOsFlags) {
    Object.assign(Platform, desktopOsFlags);
    desktopOsFlags = null;
  }
  Object.assign(Platform, {
    isDesktop: !mobile,
    isMobile: mobile,
    isDesktopApp: !mobile,
    isMobileApp: mobile,
    isIosApp: mobile && os === 'ios',
    isAndroidApp: mobile && os === 'android',
    isPhone: platform === 'phone',
    isTablet: platform === 'tablet',
    resourcePathPrefix: mobile ? 'file:///' : 'app://local/',
  });
  body.removeClasses(MOBILE_BODY_CLASSES);
  if (mobile) body.addClasses(['is-mobile', `is-${platform}`, `is-${os}`]);
}

export const apiVersion = '1.13.1';

/** Whether the running Obsidian's API is at least `version`. */
export function requireApiVersion(version: string): boolean {
  const a = apiVersion.split('.').map(Number);
  const b = version.split('.').map(Number);
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = (a[i] ?? 0) - (b[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

export function stripHeading(heading: string): string {
  return heading.replace(/[!"#$%&()*+,.:;<=>?@^`{|}~/[\]\\]/g, ' ').replace(/\s+/g, ' ').trim();
}

export function getLanguage(): string {
  return 'en';
}

export function arrayBufferToBase64(buffer: ArrayBuffer): string {
  return Buffer.from(buffer).toString('base64');
}

export function base64ToArrayBuffer(base64: string): ArrayBuffer {
  const bytes = Buffer.from(base64, 'base64');
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
}

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

// ───────────────────────────────────────────────── app ─────────────────────────────────────────────────

/** The most recently created app: where `Notice`, `Menu` and listener errors are recorded. */
const current: { app: App | null } = { app: null };

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
   * wait for it: advance the timers, or `metadataCache.flushLagging()`. Default: no lag.
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

/** The plugin's manifest.json (the repository's), for `loadPlugin` without a manifest. */
function defaultManifest(): PluginManifest {
  const fallback: PluginManifest = { id: 'canon', name: 'Canon', author: '', version: '0.0.0', minAppVersion: '1.7.2', description: '' };
  try {
    const parsed = JSON.parse(readFileSync(join(import.meta.dirname, '../../manifest.json'), 'utf8')) as Partial<PluginManifest>;
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
