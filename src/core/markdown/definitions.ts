/** Link reference definitions at the start of a paragraph, read as micromark's `definition` does. */

const NL = 10;

function isSpace(c: number): boolean {
  return c === 32 || c === 9;
}

function isControl(c: number): boolean {
  return c < 32 || c === 127;
}

function skipSpace(s: string, i: number): number {
  while (i < s.length && isSpace(s.charCodeAt(i))) i++;
  return i;
}

function skipWhitespace(s: string, i: number): number {
  while (i < s.length && (isSpace(s.charCodeAt(i)) || s.charCodeAt(i) === NL)) i++;
  return i;
}

/** `[label]` from `i`; offset after `]`, or -1. */
function label(s: string, i: number): number {
  if (s.charCodeAt(i) !== 91) return -1;
  i++;
  let size = 0;
  let seen = false;
  for (;;) {
    const c = i < s.length ? s.charCodeAt(i) : -1;
    if (size > 999 || c === -1 || c === 91 || (c === 93 && !seen)) return -1;
    if (c === 93) return i + 1;
    if (c === NL) {
      i++;
      continue;
    }
    while (i < s.length) {
      const d = s.charCodeAt(i);
      if (d === 91 || d === 93 || d === NL || size++ > 999) break;
      i++;
      if (!seen) seen = !isSpace(d);
      if (d === 92 && i < s.length) {
        const e = s.charCodeAt(i);
        if (e === 91 || e === 92 || e === 93) {
          i++;
          size++;
        }
      }
    }
  }
}

/** A destination from `i`; offset after it, or -1. */
function destination(s: string, i: number): number {
  const n = s.length;
  let c = i < n ? s.charCodeAt(i) : -1;
  if (c === 60) {
    for (i++; ; ) {
      c = i < n ? s.charCodeAt(i) : -1;
      if (c === 62) return i + 1;
      if (c === -1 || c === 60 || c === NL) return -1;
      i++;
      if (c === 92 && i < n && [60, 62, 92].includes(s.charCodeAt(i))) i++;
    }
  }
  if (c === -1 || c === 32 || c === 41 || isControl(c)) return -1;
  let balance = 0;
  for (;;) {
    c = i < n ? s.charCodeAt(i) : -1;
    if (balance === 0 && (c === -1 || c === 41 || c === 32 || c === 9 || c === NL)) return i;
    if (c === 40) balance++;
    else if (c === 41) balance--;
    else if (c === -1 || c === 32 || isControl(c)) return -1;
    i++;
    if (c === 92 && i < n && [40, 41, 92].includes(s.charCodeAt(i))) i++;
  }
}

/** An optional title after whitespace from `i`, ending its line; offset of that line end, or -1. */
function title(s: string, i: number): number {
  const n = s.length;
  if (i >= n || !(isSpace(s.charCodeAt(i)) || s.charCodeAt(i) === NL)) return -1;
  i = skipWhitespace(s, i);
  const open = i < n ? s.charCodeAt(i) : -1;
  if (open !== 34 && open !== 39 && open !== 40) return -1;
  const marker = open === 40 ? 41 : open;
  for (i++; ; ) {
    const c = i < n ? s.charCodeAt(i) : -1;
    if (c === marker) break;
    if (c === -1) return -1;
    i++;
    if (c === NL) i = skipSpace(s, i);
    else if (c === 92 && i < n && (s.charCodeAt(i) === marker || s.charCodeAt(i) === 92)) i++;
  }
  i = skipSpace(s, i + 1);
  return i >= n || s.charCodeAt(i) === NL ? i : -1;
}

/** One definition from `i` (a line start); the offset of the line end it stops at, or -1. */
function definition(s: string, i: number): number {
  i = label(s, i);
  if (i < 0 || s.charCodeAt(i) !== 58) return -1;
  i = destination(s, skipWhitespace(s, i + 1));
  if (i < 0) return -1;
  const t = title(s, i);
  if (t >= 0) return t;
  i = skipSpace(s, i);
  return i >= s.length || s.charCodeAt(i) === NL ? i : -1;
}

/**
 * How many leading lines of a paragraph's content (lines joined with `\n`, each without its
 * indentation) are link reference definitions.
 */
export function definitionLines(content: string): number {
  let i = 0;
  let lines = 0;
  for (;;) {
    const end = definition(content, i);
    if (end < 0) return lines;
    for (let j = i; j < end; j++) if (content.charCodeAt(j) === NL) lines++;
    if (end >= content.length) return lines + 1;
    lines++;
    i = skipSpace(content, end + 1);
  }
}
