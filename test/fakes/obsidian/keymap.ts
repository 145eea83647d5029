/**
 * Keys and scopes: Scope (a key's handlers, passed on to the parent scope) and Keymap.
 */

import { removeItem } from './host';
import { Platform } from './platform';
import type { PaneType } from './workspace';

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
