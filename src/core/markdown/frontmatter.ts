/** YAML frontmatter at the very start of a note: its extent and top-level scalar fields. */
import type { Frontmatter } from './types';

const BOM = 0xfeff;

function lineIs(text: string, from: number, to: number, marker: string): boolean {
  if (!text.startsWith(marker, from)) return false;
  for (let i = from + marker.length; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/**
 * The frontmatter block (`---` on the first line, closed by `---` or `...`), or null when the note
 * has none or it is never closed.
 */
export function readFrontmatter(text: string, starts: number[], ends: number[]): Frontmatter | null {
  const first = text.charCodeAt(0) === BOM ? 1 : 0;
  if (!lineIs(text, first, ends[0] ?? 0, '---')) return null;
  for (let k = 1; k < starts.length; k++) {
    const from = starts[k] ?? 0;
    const to = ends[k] ?? from;
    if (lineIs(text, from, to, '---') || lineIs(text, from, to, '...')) {
      const fields: Record<string, string> = {};
      for (let j = 1; j < k; j++) readField(text.slice(starts[j], ends[j]), fields);
      return { from: 0, to, endLine: k + 1, fields };
    }
  }
  return null;
}

/** A top-level `key: value` line with a scalar value; nested blocks, lists and flow collections are skipped. */
function readField(line: string, fields: Record<string, string>): void {
  const head = line.charCodeAt(0);
  if (Number.isNaN(head) || head === 32 || head === 9 || head === 35 || head === 45) return;
  let colon: number;
  if (head === 34 || head === 39) {
    const close = line.indexOf(line.charAt(0), 1);
    if (close < 0) return;
    colon = close + 1;
    while (line.charCodeAt(colon) === 32 || line.charCodeAt(colon) === 9) colon++;
    if (line.charCodeAt(colon) !== 58) return;
  } else {
    colon = line.indexOf(':');
    if (colon <= 0) return;
  }
  // YAML needs whitespace (or the end of the line) after the colon of a mapping.
  const after = line.charCodeAt(colon + 1);
  if (!Number.isNaN(after) && after !== 32 && after !== 9) return;
  const key = unquote(line.slice(0, colon).trim());
  const value = scalar(line.slice(colon + 1).trim());
  if (key && value !== null) fields[key] = value;
}

function scalar(value: string): string | null {
  if (value === '') return null;
  const head = value.charAt(0);
  if (head === '"' || head === "'") {
    const close = head === '"' ? doubleQuotedEnd(value) : singleQuotedEnd(value);
    return close < 0 ? null : unquote(value.slice(0, close + 1));
  }
  if ('[{|>&*!%@`'.includes(head)) return null;
  const comment = value.search(/[ \t]#/);
  return (comment >= 0 ? value.slice(0, comment) : value).trim();
}

// The two scans below say what `/^"((?:[^"\\]|\\.)*)"/` and `/^'((?:[^']|'')*)'/` said, without the
// regex engine's backtracking stack, which a quoted value of some megabytes overflows (a RangeError).

/** The offset of the `"` closing the double-quoted `value` (`\` escapes any character but a line break), or -1. */
function doubleQuotedEnd(value: string): number {
  for (let i = 1; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === 34) return i;
    if (c === 92) {
      const next = value.charCodeAt(i + 1);
      if (Number.isNaN(next) || next === 10 || next === 13 || next === 0x2028 || next === 0x2029) return -1;
      i++;
    }
  }
  return -1;
}

/**
 * The offset of the `'` closing the single-quoted `value` (`''` is a quote): the first `'` not
 * doubled; when there is none, the first quote of the last `''` (where the regex backtracked to), or -1.
 */
function singleQuotedEnd(value: string): number {
  let lastPair = -1;
  for (let i = 1; i < value.length; i++) {
    if (value.charCodeAt(i) !== 39) continue;
    if (value.charCodeAt(i + 1) !== 39) return i;
    lastPair = i;
    i++;
  }
  return lastPair;
}

function unquote(value: string): string {
  if (value.length >= 2 && value.startsWith("'") && value.endsWith("'")) return value.slice(1, -1).replace(/''/g, "'");
  if (value.length >= 2 && value.startsWith('"') && value.endsWith('"')) {
    return value.slice(1, -1).replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c));
  }
  return value;
}
