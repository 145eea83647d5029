import type { CellResult } from './cell-type';
import { fail, notA, ok } from './cell-message';

// Plain decimal: digits, or digits grouped by thousands with commas (`1,200`, never `1,20`), optional fraction.
const DECIMAL = /^[+-]?(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)(?:\.\d+)?$/;
const INTEGER = /^[+-]?(?:\d+|[1-9]\d{0,2}(?:,\d{3})+)$/;

/** The value of a plain decimal (`1,200.5`, `-3`), or null; no exponent, no `NaN`/`Infinity`. */
export function readDecimal(text: string): number | null {
  if (!DECIMAL.test(text)) return null;
  const value = Number(text.includes(',') ? text.replace(/,/g, '') : text);
  if (!Number.isFinite(value)) return null;
  return value === 0 ? 0 : value; // no -0
}

/** The value of a plain integer (`1,200`), or null when it is not one or not a safe integer. */
export function readInteger(text: string): number | null {
  if (!INTEGER.test(text)) return null;
  const value = Number(text.includes(',') ? text.replace(/,/g, '') : text);
  if (!Number.isSafeInteger(value)) return null;
  return value === 0 ? 0 : value;
}

/** Exact powers of ten up to 10^15. */
const POW10 = [1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * `text[from, end)` when it is a plain unsigned decimal of at most 15 digits (digits, at most one `.`
 * with digits on both sides): its value, else -1. No regex, no slice: the common cell read in a long
 * table. The value is exactly `Number` of the text: digits·10^-k is one correctly rounded division of
 * two exactly represented numbers.
 */
function plainDecimal(text: string, from: number, end: number, point: boolean): number {
  let n = 0;
  let digits = 0;
  let scale = -1;
  for (let i = from; i < end; i++) {
    const c = text.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      n = n * 10 + (c - 48);
      digits++;
      if (scale >= 0) scale++;
    } else if (c === 46 && point && scale < 0 && i > from && i < end - 1) {
      scale = 0;
    } else {
      return -1;
    }
  }
  if (digits === 0 || digits > 15) return -1;
  return scale > 0 ? n / (POW10[scale] as number) : n;
}

/** NaN as undefined. */
const defined = (n: number): number | undefined => (Number.isNaN(n) ? undefined : n);

/** A `percent` cell's value when it is a plain decimal (optionally with `%` right after it) from 0 to 100; else undefined. */
export function quickPercent(text: string): number | undefined {
  return defined(quickPercentAt(text, 0, text.length));
}

/** An `integer` cell's value when it is plain digits (at most 15) and not below `min`; else undefined. */
export function quickInteger(text: string, min?: number): number | undefined {
  return defined(quickIntegerAt(text, 0, text.length, min));
}

/** A `number` cell's value when it is a plain unsigned decimal and not below `min`; else undefined. */
export function quickNumber(text: string, min?: number): number | undefined {
  return defined(quickNumberAt(text, 0, text.length, min));
}

/** `quickPercent` of `text[from, to)` (not empty, no space at its edges), without the slice; NaN where it is undefined. */
export function quickPercentAt(text: string, from: number, to: number): number {
  const end = text.charCodeAt(to - 1) === 37 ? to - 1 : to;
  const value = plainDecimal(text, from, end, true);
  return value >= 0 && value <= 100 ? value : NaN;
}

/** `quickInteger` of `text[from, to)`, without the slice; NaN where it is undefined. */
export function quickIntegerAt(text: string, from: number, to: number, min?: number): number {
  const value = plainDecimal(text, from, to, false);
  return value >= 0 && (min === undefined || value >= min) ? value : NaN;
}

/** `quickNumber` of `text[from, to)`, without the slice; NaN where it is undefined. */
export function quickNumberAt(text: string, from: number, to: number, min?: number): number {
  const value = plainDecimal(text, from, to, true);
  return value >= 0 && (min === undefined || value >= min) ? value : NaN;
}

function belowMin(text: string, what: string, min: number): CellResult<number> {
  return fail(text, 'is below the minimum', `${what} ≥ ${min}`);
}

/** Reads an `integer` cell, with an optional lower bound. */
export function parseInteger(text: string, min?: number): CellResult<number> {
  const value = readInteger(text);
  if (value === null) return notA(text, 'an integer', 'a whole number such as 1200 or 1,200');
  if (min !== undefined && value < min) return belowMin(text, 'an integer', min);
  return ok(value);
}

/** Reads a `number` cell, with an optional lower bound. */
export function parseNumber(text: string, min?: number): CellResult<number> {
  const value = readDecimal(text);
  if (value === null) return notA(text, 'a number', 'a plain decimal such as 850, 1,200 or 12.5');
  if (min !== undefined && value < min) return belowMin(text, 'a number', min);
  return ok(value);
}

/** Reads a `percent` cell: 0–100 with an optional `%` (`3.2`, `3.2%`, `3.2 %`). */
export function parsePercent(text: string): CellResult<number> {
  const bare = text.endsWith('%') ? text.slice(0, -1).trimEnd() : text;
  const value = readDecimal(bare);
  if (value === null) return notA(text, 'a percent', 'a number from 0 to 100 such as 3.2 or 3.2%');
  if (value < 0 || value > 100) return fail(text, 'is out of range', 'a percent from 0 to 100');
  return ok(value);
}
