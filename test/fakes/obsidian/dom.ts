/**
 * The DOM the fake and the plugin share: happy-dom's window in Node, the page's own in a browser
 * (test/e2e/host maps `happy-dom` to a stub there). `installDom` puts Obsidian's globals and its
 * helpers on the DOM prototypes (`createEl`, `setText`, `addClass`…), counts window and document
 * listeners, and opens pop-out windows.
 */

import { Window as HappyWindow } from 'happy-dom';
import type { App } from './app';
import { type Callback, current, type Dict, type DomWindow, host, type Invocable, pageWindow, timers } from './host';

// ─────────────────────────────────────── DOM (happy-dom) ───────────────────────────────────────

const SVG_NS = 'http://www.w3.org/2000/svg';
export const ELEMENT_NODE = 1;
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
export function fakeDom(): FakeDom {
  return installed?.dom ?? installDom();
}

export function activeDoc(): Document {
  return fakeDom().document;
}

export function defineValues(target: object, values: Dict): void {
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
