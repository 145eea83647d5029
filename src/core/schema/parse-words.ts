import type { CellResult, Gate } from './cell-type';
import { fail, notA, ok } from './cell-message';

const ID_NUMBER = /^[1-9]\d*$/;
const GATE = /^[Gg]([1-5])$/;
const GATE_RANGE = /^[Gg]([1-5])(?:-|–|\.\.)[Gg]([1-5])$/;
const GATES_EXPECTED = 'G1…G5 separated by commas or spaces, or — for none';

/** `—`, `–`, `-` or `none`: the cell says "nothing" on purpose. */
export function isNonePlaceholder(text: string): boolean {
  return text === '—' || text === '–' || text === '-' || text.toLowerCase() === 'none';
}

/** Reads a `text` cell: anything not empty. */
export function parseText(text: string): CellResult<string> {
  return text === '' ? notA(text, 'text', 'some text') : ok(text);
}

/** Reads an `id` cell `<prefix>-<n>` (prefix case-insensitive, n positive, no leading zero); the value is n. */
export function parseId(text: string, prefix: string): CellResult<number> {
  const fast = asciiId(text, prefix);
  if (fast > 0) return ok(fast);
  const dash = prefix.length;
  const n = text.slice(dash + 1);
  const good = text[dash] === '-' && text.slice(0, dash).toLowerCase() === prefix.toLowerCase() && ID_NUMBER.test(n);
  const value = good ? Number(n) : NaN;
  if (!Number.isSafeInteger(value)) return notA(text, 'an id', `${prefix}-<n> with n a positive integer, e.g. ${prefix}-1`);
  return ok(value);
}

/** An `id` cell's value in the common form (see asciiId); else undefined (parseId decides). */
export function quickId(text: string, prefix: string): number | undefined {
  return asciiId(text, prefix) || undefined;
}

/** `quickId` of `text[from, to)`, without the slice; NaN where it is undefined. */
export function quickIdAt(text: string, from: number, to: number, prefix: string): number {
  const n = asciiIdAt(text, from, to, prefix);
  return n > 0 ? n : NaN;
}

/**
 * The n of `<prefix>-<n>` when the prefix matches in ASCII letters and n has at most 15 digits (so
 * it is a safe integer), else 0: the common case without slicing or a regex; parseId decides the rest.
 */
function asciiId(text: string, prefix: string): number {
  return asciiIdAt(text, 0, text.length, prefix);
}

function asciiIdAt(text: string, from: number, to: number, prefix: string): number {
  const dash = prefix.length;
  const n = to - from;
  if (n <= dash + 1 || n - dash - 1 > 15 || text.charCodeAt(from + dash) !== 45) return 0;
  for (let i = 0; i < dash; i++) {
    const a = text.charCodeAt(from + i);
    const b = prefix.charCodeAt(i);
    if (a !== b && !((a | 32) === (b | 32) && (a | 32) >= 97 && (a | 32) <= 122)) return 0;
  }
  let value = 0;
  for (let i = from + dash + 1; i < to; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9 || (d === 0 && i === from + dash + 1)) return 0;
    value = value * 10 + d;
  }
  return value;
}

// Case and the separator inside a word do not matter: `In Progress` reads as `in-progress`.
function enumKey(word: string): string {
  return word.toLowerCase().replace(/[\s_-]+/g, '-');
}

const NON_ASCII_SPACE = /\s/;

/**
 * Whether `text` has more than `max` characters besides whitespace, `_` and `-` (the separators a
 * key collapses), counting no further: a text that long makes no short key, and is not collapsed at
 * all (a megabyte of `a a a …` would be half a million replacements).
 */
export function keyLongerThan(text: string, max: number): boolean {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 95 || c === 45 || (c >= 9 && c <= 13)) continue;
    if (c > 127 && NON_ASCII_SPACE.test(text.charAt(i))) continue;
    if (++n > max) return true;
  }
  return false;
}

/**
 * An `enum` cell's value when the text is exactly one of the words and holds no ASCII capital or
 * non-ASCII character (so that lower-casing would not change it); else undefined (parseEnum decides).
 */
export function quickEnum(text: string, values: readonly string[]): string | undefined {
  return quickEnumAt(text, 0, text.length, values);
}

/** `quickEnum` of `text[from, to)`, without the slice: the listed word it spells exactly, else undefined. */
export function quickEnumAt(text: string, from: number, to: number, values: readonly string[]): string | undefined {
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c > 127 || (c >= 65 && c <= 90)) return undefined;
  }
  const n = to - from;
  for (const value of values) {
    if (value.length !== n) continue;
    let i = 0;
    while (i < n && text.charCodeAt(from + i) === value.charCodeAt(i)) i++;
    if (i === n) return value;
  }
  return undefined;
}

/** Reads an `enum` cell case-insensitively; the value is the word as the schema lists it. */
export function parseEnum(text: string, values: readonly string[]): CellResult<string> {
  const lower = text.toLowerCase();
  for (const value of values) if (value === lower) return ok(value);
  const keys = values.map(enumKey);
  if (!keyLongerThan(lower, Math.max(0, ...keys.map((k) => k.length)))) {
    const key = enumKey(text);
    const at = keys.indexOf(key);
    if (at >= 0) return ok(values[at] as string);
  }
  return notA(text, 'a listed value', `one of ${values.join(', ')}`);
}

/** Reads a `gates` cell: a subset of G1…G5 (ranges `G1-G3` allowed), or `—`/`-`/`none`. */
export function parseGates(text: string): CellResult<Gate[]> {
  if (isNonePlaceholder(text)) return ok([]);
  const gates: Gate[] = [];
  for (const token of text.split(/[\s,;]+/)) {
    if (token === '') continue;
    const single = GATE.exec(token);
    const range = single ? null : GATE_RANGE.exec(token);
    const from = Number(single?.[1] ?? range?.[1]);
    const to = Number(single?.[1] ?? range?.[2]);
    if (!(from <= to)) return notA(token, 'a gate', GATES_EXPECTED);
    for (let g = from; g <= to; g++) {
      const gate = `G${g}` as Gate;
      if (gates.includes(gate)) return fail(text, `repeats ${gate}`, 'each gate at most once');
      gates.push(gate);
    }
  }
  return gates.length > 0 ? ok(gates) : notA(text, 'a gate list', GATES_EXPECTED);
}
