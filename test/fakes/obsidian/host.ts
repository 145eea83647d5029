/**
 * The host the fake runs in: Node's global object (or the page's window in a browser), timers looked
 * up at call time, the shared callback types, and the app that is current (where notices, menus and
 * listener errors are recorded). No Node import: this module is bundled for the browser as is.
 */

import type { App } from './app';

// ───────────────────────────── host: Node's global object and its timers ─────────────────────────────

export type Dict = Record<string, unknown>;
/** A callback of any arity, as event listeners and Obsidian callbacks are typed here. */
export type Callback = (...data: never[]) => unknown;
export type Invocable = (...data: unknown[]) => unknown;
/** The browser window's type (lib.dom), which happy-dom's Window stands in for. */
export type DomWindow = typeof window;

/**
 * Node's global object: `installDom` puts `window`, `document`, `activeDocument`… on it. (The one
 * use of `globalThis`: there is no `window` until the fake creates it.) In a real browser (the
 * end-to-end host page, test/e2e/host) it is the page's window, and `installDom` uses its DOM.
 */
export const host = globalThis as unknown as DomWindow & Dict;
/** The page's window when the fake is loaded in a real browser (a document exists before the fake makes one), else null. */
export const pageWindow: DomWindow | null = typeof host.document === 'object' && host.document !== null ? host : null;
/** A real macrotask, taken before a test can install fake timers (imports run first); a message round trip in a browser. */
export const realSetImmediate: (callback: () => void) => void = pageWindow ? pageMacrotask(pageWindow) : host.setImmediate;

/** The host's own setTimeout, taken before a test can install fake timers (imports run first). */
const nativeSetTimeout: unknown = Reflect.get(host, 'setTimeout');

/** Waits `ms` of real time, whatever timers a test installed since. */
export function realSleep(ms: number): Promise<void> {
  return new Promise((resolve) => void Reflect.apply(nativeSetTimeout as Invocable, host, [resolve, ms]));
}

/** Whether the timers the fake calls now are not the host's own (vitest's fake timers replaced them). */
export function timersAreFake(): boolean {
  return Reflect.get(host, 'setTimeout') !== nativeSetTimeout;
}

/** Timers looked up at call time, so vitest's fake timers (installed later) drive them. */
export const timers = {
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
export function later<T>(fn: () => T): Promise<T> {
  return Promise.resolve().then(fn);
}

function toError(error: unknown): Error {
  return error instanceof Error ? error : new Error(String(error));
}

/** A listener threw: Obsidian logs it and carries on; the fake also records it on the app. */
export function reportListenerError(error: unknown): void {
  current.app?.listenerErrors.push(toError(error));
  console.error(error);
}

/** Removes the first `item` from `list`, if it is there. */
export function removeItem<T>(list: T[], item: T): void {
  const i = list.indexOf(item);
  if (i >= 0) list.splice(i, 1);
}

// ───────────────────────────────────────── the current app ─────────────────────────────────────────

/** The most recently created app: where `Notice`, `Menu` and listener errors are recorded. */
export const current: { app: App | null } = { app: null };

// ───────────────────────────── the fake's own work, timed ─────────────────────────────

/**
 * Fake: when the fake itself worked on the main thread (performance.now() start, duration in ms):
 * parsing and resolving metadata, editing and saving an editor's text, writing the vault. Obsidian
 * does that work too, but not as this fake does it (the cache is filled outside the plugin's tasks,
 * CodeMirror edits incrementally), so a test that watches the main thread's long tasks takes this
 * time out of them to see the plugin's own. Exclusive: while a listener the fake calls runs (a
 * plugin's handler), the fake's clock stops.
 */
export const fakeWorkLog: Array<{ start: number; duration: number }> = [];
let fakeDepth = 0;
let fakeSince = 0;

function stopFakeClock(): void {
  const now = performance.now();
  if (now > fakeSince) fakeWorkLog.push({ start: fakeSince, duration: now - fakeSince });
}

/** Runs the fake's own work `fn`, timed into `fakeWorkLog`. */
export function fakeWork<T>(fn: () => T): T {
  if (fakeDepth++ === 0) fakeSince = performance.now();
  try {
    return fn();
  } finally {
    if (--fakeDepth === 0) stopFakeClock();
  }
}

/** Runs a listener or callback of the plugin from inside the fake's work: not the fake's time. */
export function pluginTime<T>(fn: () => T): T {
  if (fakeDepth === 0) return fn();
  const depth = fakeDepth;
  stopFakeClock();
  fakeDepth = 0;
  try {
    return fn();
  } finally {
    fakeDepth = depth;
    fakeSince = performance.now();
  }
}
