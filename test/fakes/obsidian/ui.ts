/**
 * What the app shows: notices, modals (suggest and fuzzy-suggest modals too), popover suggests,
 * menus, and icons and tooltips.
 */

import type { App } from './app';
import { activeDoc, fakeDom } from './dom';
import { Component } from './events';
import { current, type Dict } from './host';
import { Scope } from './keymap';

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
