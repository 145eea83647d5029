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
