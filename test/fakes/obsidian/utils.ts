/**
 * Obsidian's module functions: debounce (with the fake's pending-debounce bookkeeping),
 * normalizePath, the API version, and small string and buffer helpers.
 */

import type { App } from './app';
import { current, timers } from './host';

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
export function makeDebouncer<T extends unknown[], V>(cb: (...args: [...T]) => V, timeout: number, resetTimer: boolean, internal: boolean): Debouncer<T, V> {
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
  return runDebounces(owner, true);
}

/** Fake: runs the debounced calls of plugins waiting (made while `owner` was the current app): not Obsidian's own (an editor's autosave). */
export function runPluginDebounces(owner: App): number {
  return runDebounces(owner, false);
}

function runDebounces(owner: App | null | undefined, withInternal: boolean): number {
  let ran = 0;
  for (let round = 0; round < 100; round++) {
    const due = [...pendingDebouncers].filter(([, info]) => (owner === undefined || info.owner === owner) && (withInternal || !info.internal));
    if (due.length === 0) break;
    for (const [pending] of due) {
      pending.run();
      ran++;
    }
  }
  return ran;
}

/** Debounced calls waiting, made while `owner` was the current app (Obsidian's own excluded). */
export function pendingDebounceCount(owner: App): number {
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
