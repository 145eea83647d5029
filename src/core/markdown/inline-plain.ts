/**
 * Plain text of a line of inline markdown that holds only backslash escapes, code spans and `*`/`_`
 * emphasis, computed without micromark: its tokenizer and `resolveAllAttention`, ported. Anything
 * else (links, HTML, autolinks, entities, strikethrough, NUL) returns null for the remark batch.
 */

const STAR = 42;
const UNDERSCORE = 95;
const BACKTICK = 96;
const BACKSLASH = 92;

const WHITESPACE = /\s/;
const PUNCTUATION = /\p{P}|\p{S}/u;

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

/** micromark's `classifyCharacter`: 1 whitespace (or the edge of the text), 2 punctuation, 0 other. */
function classify(s: string, i: number): number {
  if (i < 0 || i >= s.length) return 1;
  const c = s.charCodeAt(i);
  if (c < 128) return c <= 32 ? 1 : isAsciiPunctuation(c) ? 2 : 0;
  const ch = String.fromCharCode(c);
  return WHITESPACE.test(ch) ? 1 : PUNCTUATION.test(ch) ? 2 : 0;
}

/** Whether constructs this module does not implement could apply to `s` (links, HTML, autolinks, entities, strikethrough). */
function needsRemark(s: string, hasDefinitions: boolean): boolean {
  return needsRemarkAt(s, 0, s.length, hasDefinitions);
}

/** Last offset of character `c` in `s[from, to)`, or -1. */
function lastIn(s: string, c: number, from: number, to: number): number {
  for (let i = to - 1; i >= from; i--) if (s.charCodeAt(i) === c) return i;
  return -1;
}

/** `needsRemark` of `s.slice(from, to)`, without the slice: what the validator asks of every cell with markup. */
export function needsRemarkAt(s: string, from: number, to: number, hasDefinitions: boolean): boolean {
  // The last `>` and `;` are looked for once, when a `<` or `&` first needs them (-2: not yet).
  let lastGt = -2;
  let lastSemicolon = -2;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 0 || c === 126 || c === 64) return true;
    if (c === 60) {
      if (lastGt === -2) lastGt = lastIn(s, 62, from, to);
      if (lastGt > i) return true;
    }
    if (c === 38) {
      if (lastSemicolon === -2) lastSemicolon = lastIn(s, 59, from, to);
      if (lastSemicolon > i) return true;
    }
    if ((c === 91 || c === 93) && hasDefinitions) return true;
    if (c === 93 && i + 1 < to && s.charCodeAt(i + 1) === 40) return true;
    if (c === 58 && i + 2 < to && s.charCodeAt(i + 1) === 47 && s.charCodeAt(i + 2) === 47) return true;
    if ((c | 32) === 119 && i + 3 < to && (s.charCodeAt(i + 1) | 32) === 119 && (s.charCodeAt(i + 2) | 32) === 119 && s.charCodeAt(i + 3) === 46) {
      return true;
    }
  }
  return false;
}

interface Run {
  /** Index of the run's piece in `pieces`. */
  piece: number;
  marker: number;
  size: number;
  open: boolean;
  close: boolean;
  active: boolean;
}

/** Length of the backtick run at `i`. */
function backticks(s: string, i: number): number {
  let j = i;
  while (j < s.length && s.charCodeAt(j) === BACKTICK) j++;
  return j - i;
}

/**
 * Finds closing backtick runs: for each run length, the offsets of the runs of exactly that length,
 * consumed left to right (queries only move forward), so a line of many unmatched runs stays linear.
 */
class BacktickRuns {
  private readonly bySize = new Map<number, number[]>();
  private readonly next = new Map<number, number>();

  constructor(s: string) {
    for (let i = s.indexOf('`'); i >= 0; ) {
      const n = backticks(s, i);
      let list = this.bySize.get(n);
      if (!list) this.bySize.set(n, (list = []));
      list.push(i);
      i = s.indexOf('`', i + n);
    }
  }

  /** Offset of the first run of exactly `size` backticks at or after `from`, or -1. */
  close(from: number, size: number): number {
    const list = this.bySize.get(size);
    if (!list) return -1;
    let k = this.next.get(size) ?? 0;
    while (k < list.length && (list[k] as number) < from) k++;
    this.next.set(size, k);
    return k < list.length ? (list[k] as number) : -1;
  }
}

function codeValue(content: string, inTable: boolean): string {
  let value = content;
  if (value.length >= 2 && value.charCodeAt(0) === 32 && value.charCodeAt(value.length - 1) === 32 && /[^ ]/.test(value)) {
    value = value.slice(1, -1);
  }
  // mdast-util-gfm-table: in a table, `\|` in code is a pipe (and `\\` stays as written).
  return inTable ? value.replace(/\\([\\|])/g, (whole, c: string) => (c === '|' ? c : whole)) : value;
}

/** Delimiter run at `i` of `size` markers, with micromark's open/close flags. */
function attentionRun(s: string, i: number, size: number, piece: number): Run {
  const marker = s.charCodeAt(i);
  const before = classify(s, i - 1);
  const after = classify(s, i + size);
  const open = !after || (after === 2 && before > 0);
  const close = !before || (before === 2 && after > 0);
  return {
    piece,
    marker,
    size,
    open: marker === STAR ? open : open && (before > 0 || !close),
    close: marker === STAR ? close : close && (after > 0 || !open),
    active: true,
  };
}

/**
 * Plain text (as mdast-util-to-string gives it, untrimmed) of `s`, or null when `s` needs the full
 * parser. `inTable` applies the table rule for `\|` in code spans.
 */
export function plainInline(s: string, inTable: boolean, hasDefinitions: boolean): string | null {
  if (needsRemark(s, hasDefinitions)) return null;
  const pieces: string[] = [];
  const runs: Run[] = [];
  const ticks = s.includes('`') ? new BacktickRuns(s) : null;
  let text = '';
  for (let i = 0; i < s.length; ) {
    const c = s.charCodeAt(i);
    if (c === BACKSLASH && i + 1 < s.length && isAsciiPunctuation(s.charCodeAt(i + 1))) {
      text += s[i + 1];
      i += 2;
      continue;
    }
    if (c === BACKTICK) {
      // A whole run opens a code span, closed by the next run of the same length; else it is text.
      const size = backticks(s, i);
      const close = (ticks as BacktickRuns).close(i + size, size);
      if (close < 0) {
        text += s.slice(i, i + size);
        i += size;
      } else {
        text += codeValue(s.slice(i + size, close), inTable);
        i = close + size;
      }
      continue;
    }
    if (c === STAR || c === UNDERSCORE) {
      let j = i;
      while (j < s.length && s.charCodeAt(j) === c) j++;
      pieces.push(text);
      text = '';
      runs.push(attentionRun(s, i, j - i, pieces.length));
      pieces.push('');
      i = j;
      continue;
    }
    text += s[i];
    i++;
  }
  pieces.push(text);
  resolveAttention(runs);
  for (const run of runs) pieces[run.piece] = String.fromCharCode(run.marker).repeat(run.size);
  return pieces.join('');
}

/** micromark's `resolveAllAttention`, reduced to how many markers of each run stay text. */
function resolveAttention(runs: Run[]): void {
  for (let index = 0; index < runs.length; index++) {
    const closer = runs[index] as Run;
    if (!closer.close || !closer.active || closer.size === 0) continue;
    for (let open = index - 1; open >= 0; open--) {
      const opener = runs[open] as Run;
      if (!opener.open || !opener.active || opener.size === 0 || opener.marker !== closer.marker) continue;
      if ((opener.close || closer.open) && closer.size % 3 && !((opener.size + closer.size) % 3)) continue;
      const use = opener.size > 1 && closer.size > 1 ? 2 : 1;
      opener.size -= use;
      closer.size -= use;
      // Delimiters between the two become plain text.
      for (let k = open + 1; k < index; k++) (runs[k] as Run).active = false;
      // A closer with markers left looks for another opener.
      if (closer.size > 0) index--;
      break;
    }
  }
}
