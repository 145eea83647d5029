/** Block quotes, list items and footnote definitions: how micromark opens and continues them. */
import { type LineCursor, isSpaceOrTab } from './line-cursor';

export const QUOTE = 0;
export const LIST = 1;
export const FOOTNOTE = 2;

export interface Container {
  kind: number;
  ordered: boolean;
  /** The list marker (`-`, `*`, `+`, `.`, `)`), 0 for other containers. */
  marker: number;
  /** Columns of a list item's content indentation. */
  size: number;
  initialBlank: boolean;
  furtherBlank: boolean;
  /** A footnote definition's `[^label]:`, so the inline parser knows the label is defined. */
  label?: string;
}

/** Block quotes carry no state, so one immutable record serves them all (10,000 nested quotes cost one). */
const QUOTE_CONTAINER: Container = Object.freeze({ kind: QUOTE, ordered: false, marker: 0, size: 0, initialBlank: false, furtherBlank: false });

/** Whether `from..end` is a thematic break (three or more `*`, `-` or `_`, spaces allowed). */
export function isThematicBreak(text: string, from: number, end: number): boolean {
  const marker = text.charCodeAt(from);
  let count = 0;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c === marker) count++;
    else if (!isSpaceOrTab(c)) return false;
  }
  return count >= 3;
}

/** `>` continuing a block quote: up to 3 columns of indentation, the marker, one optional space. */
export function continueQuote(cur: LineCursor): boolean {
  const saved = cur.save();
  cur.consumeSpace(3);
  if (cur.vcol === 0 && cur.code() === 62) {
    cur.pos++;
    cur.col++;
    if (cur.atSpace()) cur.consumeColumn();
    return true;
  }
  cur.restore(saved);
  return false;
}

/**
 * A footnote definition continues on a blank line or one indented 4 columns. Returns 0 (no),
 * 1 (blank) or 2 (indented). Right after an enclosing footnote's indentation, no indentation of its
 * own is needed: micromark checks the last indent token, which is then the enclosing one.
 */
export function continueFootnote(cur: LineCursor, afterFootnoteIndent: boolean): number {
  if (cur.restBlank()) return 1;
  const saved = cur.save();
  const n = cur.consumeSpace(4);
  if (n === 4 || (n === 0 && afterFootnoteIndent)) return 2;
  cur.restore(saved);
  return 0;
}

/**
 * A list continues on a blank line or a line indented to its content; else a sibling item may
 * start (which closes the current item's content). Returns 0 (no), 1 (continued), 2 (sibling item).
 * `dry` (a look-ahead) changes no state and refuses siblings.
 */
export function continueList(cur: LineCursor, list: Container, dry: boolean): number {
  if (cur.restBlank()) {
    if (!dry) list.furtherBlank = list.furtherBlank || list.initialBlank;
    cur.consumeSpace(list.size);
    return 1;
  }
  const blocked = list.furtherBlank || !cur.atSpace();
  if (!dry) {
    list.furtherBlank = false;
    list.initialBlank = false;
  }
  if (!blocked && cur.indentAtLeast(list.size)) {
    cur.consumeSpace(list.size);
    return 1;
  }
  if (dry) return 0;
  const saved = cur.save();
  const indent = cur.consumeSpace(3);
  if (!cur.atSpace() && startListItem(cur, list, false, indent)) return 2;
  cur.restore(saved);
  return 0;
}

/** A new container at the cursor (after up to 3 columns of indentation), or null. */
export function startContainer(cur: LineCursor, interrupt: boolean): Container | null {
  const saved = cur.save();
  const indent = cur.consumeSpace(3);
  if (!cur.atSpace()) {
    const c = cur.code();
    if (c === 62) {
      cur.pos++;
      cur.col++;
      if (cur.atSpace()) cur.consumeColumn();
      return QUOTE_CONTAINER;
    }
    if (c === 91) {
      const from = cur.pos;
      const to = startFootnote(cur);
      if (to > 0) {
        const label = cur.text.slice(from, to);
        return { kind: FOOTNOTE, ordered: false, marker: 0, size: 4, initialBlank: false, furtherBlank: false, label };
      }
    } else {
      const item = startListItem(cur, null, interrupt, indent);
      if (item) return item;
    }
  }
  cur.restore(saved);
  return null;
}

/** `[^label]:` and the whitespace after it; returns the offset after the colon, or 0. */
function startFootnote(cur: LineCursor): number {
  const { text, end } = cur;
  let i = cur.pos + 1;
  if (i >= end || text.charCodeAt(i) !== 94) return 0;
  i++;
  let size = 0;
  let data = false;
  for (;;) {
    const c = i < end ? text.charCodeAt(i) : -1;
    if (size > 999 || (c === 93 && !data) || c === -1 || c === 91 || isSpaceOrTab(c)) return 0;
    if (c === 93) break;
    data = true;
    size++;
    i++;
    if (c === 92 && i < end) {
      const d = text.charCodeAt(i);
      if (d === 91 || d === 92 || d === 93) {
        i++;
        size++;
      }
    }
  }
  i++;
  if (i >= end || text.charCodeAt(i) !== 58) return 0;
  i++;
  cur.col += i - cur.pos;
  cur.pos = i;
  cur.skipSpace();
  return i;
}

/**
 * A list item marker at the cursor. `list` is the list being continued (its kind and marker must
 * match), null for a new list; `indent` the columns before the marker. When interrupting a
 * paragraph an item cannot start blank and an ordered one must start at 1.
 */
function startListItem(cur: LineCursor, list: Container | null, interrupt: boolean, indent: number): Container | null {
  const c = cur.code();
  const startCol = cur.col;
  let ordered: boolean;
  let marker: number;
  if (c === 42 || c === 43 || c === 45) {
    if (list && (list.ordered || list.marker !== c)) return null;
    if (c !== 43 && cur.thematicBreakAhead()) return null;
    ordered = false;
    marker = c;
  } else if (c >= 48 && c <= 57) {
    if ((list && !list.ordered) || (interrupt && c !== 49)) return null;
    let digits = 0;
    for (let d = c; digits < 9 && d >= 48 && d <= 57; d = cur.code()) {
      cur.pos++;
      cur.col++;
      digits++;
    }
    marker = cur.code();
    if (interrupt && digits >= 2) return null;
    if (list ? marker !== list.marker : marker !== 46 && marker !== 41) return null;
    ordered = true;
  } else {
    return null;
  }
  cur.pos++;
  cur.col++;
  let size: number;
  let blank = false;
  if (cur.restBlank()) {
    if (interrupt) return null;
    blank = true;
    size = indent + 1 + (cur.col - startCol);
  } else {
    const saved = cur.save();
    const n = cur.consumeSpace(4);
    if (n === 0 || cur.atSpace()) {
      cur.restore(saved);
      if (!cur.atSpace()) return null;
      cur.consumeColumn();
    }
    size = indent + (cur.col - startCol);
  }
  const item = list ?? { kind: LIST, ordered, marker, size, initialBlank: false, furtherBlank: false };
  item.size = size;
  item.initialBlank = blank;
  return item;
}

/** How the open containers matched a line. */
export interface StackMatch {
  /** How many of the open containers continue (outermost first). */
  continued: number;
  /** Whether the last one continued by starting a sibling list item (which closes the flow). */
  sibling: boolean;
}

/**
 * Match the open containers against the line at the cursor, outermost first, stopping at the first
 * that does not continue or that continues with a sibling list item. `dry` (a look-ahead) changes
 * no container state and refuses siblings.
 */
export function matchStack(cur: LineCursor, stack: Container[], dry: boolean, out: StackMatch): void {
  out.continued = 0;
  out.sibling = false;
  let footnoteIndent = false;
  for (const c of stack) {
    let r: number;
    if (c.kind === FOOTNOTE) {
      r = continueFootnote(cur, footnoteIndent);
      footnoteIndent = r === 2;
      if (r === 2) r = 1;
    } else {
      r = c.kind === QUOTE ? +continueQuote(cur) : continueList(cur, c, dry);
      footnoteIndent = false;
    }
    if (r === 0) return;
    out.continued++;
    if (r === 2) {
      out.sibling = true;
      return;
    }
  }
}
