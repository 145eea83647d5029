/**
 * Obsidian's Events (listeners that throw are logged and recorded) and Component (load/unload,
 * children, registered cleanups).
 */

import { fakeDom } from './dom';
import { type Callback, type Invocable, pluginTime, reportListenerError } from './host';
import type { KeymapEventHandler } from './keymap';

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
      pluginTime(() => (evt.fn as Invocable).apply(evt.ctx, args));
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
