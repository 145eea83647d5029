/**
 * The Editor: a note's text as CodeMirror holds it (LF only), selections, transactions and undo.
 */

import { fakeWork, pluginTime } from './host';

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
export function toLf(text: string): string {
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
    fakeWork(() => this.applyChanges(method, changes, origin, selectionAfter, caret));
  }

  private applyChanges(method: string, changes: OffsetChange[], origin?: string, selectionAfter?: [number, number], caret?: EditorRangeOrCaret): void {
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
    for (const listener of [...this.changeListeners]) pluginTime(listener);
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
