/** HTML (flow) blocks as micromark opens and closes them: CommonMark's seven kinds. */
import { isSpaceOrTab } from './line-cursor';

const BLOCK_NAMES = new Set(
  (
    'address article aside base basefont blockquote body caption center col colgroup dd details dialog ' +
    'dir div dl dt fieldset figcaption figure footer form frame frameset h1 h2 h3 h4 h5 h6 head header hr ' +
    'html iframe legend li link main menu menuitem nav noframes ol optgroup option p param search section ' +
    'summary table tbody td tfoot th thead title tr track ul'
  ).split(' '),
);
const RAW_NAMES = new Set(['pre', 'script', 'style', 'textarea']);

/** Scanner states inside an HTML block line, after micromark's `continuation*` states. */
const CONT = 0;
const COMMENT_INSIDE = 1;
const RAW_TAG_OPEN = 2;
const RAW_END_TAG = 3;
const CDATA_INSIDE = 4;
const DECL_INSIDE = 5;

export interface HtmlOpen {
  /** 1–7, CommonMark's kinds. */
  kind: number;
  /** Where the rest of the opening line is scanned for the end condition. */
  pos: number;
  state: number;
}

function isAlpha(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

function isAlnum(c: number): boolean {
  return isAlpha(c) || (c >= 48 && c <= 57);
}

function at(text: string, i: number, end: number): number {
  return i < end ? text.charCodeAt(i) : -1;
}

/** The HTML block opening at `from` (a `<`), or null. Kind 7 cannot interrupt a paragraph. */
export function htmlBlockStart(
  text: string,
  from: number,
  end: number,
  interrupt: boolean,
  lazy: boolean,
): HtmlOpen | null {
  let i = from + 1;
  let c = at(text, i, end);
  if (c === 33) {
    i++;
    c = at(text, i, end);
    if (c === 45) return at(text, i + 1, end) === 45 ? { kind: 2, pos: i + 2, state: DECL_INSIDE } : null;
    if (c === 91) {
      return text.startsWith('CDATA[', i + 1) && i + 7 <= end ? { kind: 5, pos: i + 7, state: CONT } : null;
    }
    return isAlpha(c) ? { kind: 4, pos: i + 1, state: DECL_INSIDE } : null;
  }
  if (c === 63) return { kind: 3, pos: i + 1, state: DECL_INSIDE };
  let closing = false;
  if (c === 47) {
    closing = true;
    i++;
    c = at(text, i, end);
  }
  if (!isAlpha(c)) return null;
  const nameStart = i;
  while (i < end && (isAlnum(text.charCodeAt(i)) || text.charCodeAt(i) === 45)) i++;
  c = at(text, i, end);
  if (!(c === -1 || c === 47 || c === 62 || isSpaceOrTab(c))) return null;
  const name = text.slice(nameStart, i).toLowerCase();
  if (c !== 47 && !closing && RAW_NAMES.has(name)) return { kind: 1, pos: i, state: CONT };
  if (BLOCK_NAMES.has(name)) {
    if (c !== 47) return { kind: 6, pos: i, state: CONT };
    return at(text, i + 1, end) === 62 ? { kind: 6, pos: i + 2, state: CONT } : null;
  }
  if (interrupt && !lazy) return null;
  return completeTagRest(text, i, end, closing) ? { kind: 7, pos: end, state: CONT } : null;
}

/** Rest of a complete open or closing tag (kind 7), which must be alone on its line. */
function completeTagRest(text: string, i: number, end: number, closing: boolean): boolean {
  if (closing) {
    while (isSpaceOrTab(at(text, i, end))) i++;
  } else {
    i = attributes(text, i, end);
    if (i < 0) return false;
  }
  if (at(text, i, end) !== 62) return false;
  i++;
  while (isSpaceOrTab(at(text, i, end))) i++;
  return i >= end;
}

/** Skip attributes (and a self-closing slash); returns the offset of the expected `>`, or -1. */
function attributes(text: string, i: number, end: number): number {
  let state = 0; // 0 before a name, 1 after a name, 2 before a value
  for (;;) {
    const c = at(text, i, end);
    if (state === 0) {
      if (c === 47) return i + 1;
      if (isSpaceOrTab(c)) i++;
      else if (c === 58 || c === 95 || isAlpha(c)) {
        i++;
        while (isAttributeNameChar(at(text, i, end))) i++;
        state = 1;
      } else return i;
    } else if (state === 1) {
      if (c === 61) {
        i++;
        state = 2;
      } else if (isSpaceOrTab(c)) i++;
      else state = 0;
    } else if (isSpaceOrTab(c)) {
      i++;
    } else {
      if (c === -1 || c === 60 || c === 61 || c === 62 || c === 96) return -1;
      if (c === 34 || c === 39) {
        let close = i + 1;
        while (close < end && text.charCodeAt(close) !== c) close++;
        if (close >= end) return -1;
        i = close + 1;
        const after = at(text, i, end);
        if (!(after === 47 || after === 62 || isSpaceOrTab(after))) return -1;
        state = 0;
      } else {
        while (i < end && !endsUnquotedValue(text.charCodeAt(i))) i++;
        state = 1;
      }
    }
  }
}

function isAttributeNameChar(c: number): boolean {
  return c === 45 || c === 46 || c === 58 || c === 95 || isAlnum(c);
}

function endsUnquotedValue(c: number): boolean {
  return c === 34 || c === 39 || c === 47 || c === 60 || c === 61 || c === 62 || c === 96 || isSpaceOrTab(c);
}

/** Whether this line (from `from`, in `state`) holds the end condition of an HTML block of kind 1–5. */
export function htmlBlockCloses(kind: number, text: string, from: number, end: number, state: number): boolean {
  if (kind > 5) return false;
  let buffer = '';
  let i = from;
  while (i < end) {
    const c = text.charCodeAt(i);
    switch (state) {
      case COMMENT_INSIDE:
        if (c === 45) {
          i++;
          state = DECL_INSIDE;
        } else state = CONT;
        continue;
      case RAW_TAG_OPEN:
        if (c === 47) {
          i++;
          buffer = '';
          state = RAW_END_TAG;
        } else state = CONT;
        continue;
      case RAW_END_TAG:
        if (c === 62 && RAW_NAMES.has(buffer.toLowerCase())) return true;
        if (isAlpha(c) && buffer.length < 8) {
          buffer += String.fromCharCode(c);
          i++;
        } else state = CONT;
        continue;
      case CDATA_INSIDE:
        if (c === 93) {
          i++;
          state = DECL_INSIDE;
        } else state = CONT;
        continue;
      case DECL_INSIDE:
        if (c === 62) return true;
        if (c === 45 && kind === 2) i++;
        else state = CONT;
        continue;
      default:
        i++;
        if (c === 45 && kind === 2) state = COMMENT_INSIDE;
        else if (c === 60 && kind === 1) state = RAW_TAG_OPEN;
        else if (c === 62 && kind === 4) return true;
        else if (c === 63 && kind === 3) state = DECL_INSIDE;
        else if (c === 93 && kind === 5) state = CDATA_INSIDE;
    }
  }
  return false;
}
