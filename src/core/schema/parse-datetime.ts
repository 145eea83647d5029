import type { CellResult } from './cell-type';
import { notA, ok } from './cell-message';

// One regex for both forms: `yyyy-MM-dd HH:mm[:ss[.fff]][ offset]` and ISO 8601 `yyyy-MM-ddTHH:mm…`.
// Hand-rolled because the validator reads 50k-row tables: date-fns `parse` costs ~10 µs a call.
const DATETIME = /^(\d{4})-(\d{2})-(\d{2})(?:(?:[Tt]|\s+)(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*([Zz]|[+-]\d{2}(?::?\d{2})?)?)?$/;

const DATETIME_EXPECTED = 'yyyy-MM-dd HH:mm';
const DATE_EXPECTED = 'yyyy-MM-dd';
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1] ?? 0;
}

/** Minutes east of UTC for `Z`, `+02:00`, `+0200`, `+02`; null when out of range. */
function offsetMinutes(offset: string): number | null {
  if (offset === 'Z' || offset === 'z') return 0;
  const hours = Number(offset.slice(1, 3));
  const minutes = offset.length > 3 ? Number(offset.slice(-2)) : 0;
  if (hours > 23 || minutes > 59) return null;
  return (offset[0] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

/** The local instant of checked components; the Date constructor maps years 0–99 to 1900–1999, so those are set again. */
function localDate(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): Date {
  const local = new Date(year, month - 1, day, hour, minute, second, ms);
  if (year < 100) local.setFullYear(year);
  return local;
}

function validParts(year: number, month: number, day: number, hour: number, minute: number, second: number): boolean {
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month) && hour <= 23 && minute <= 59 && second <= 59;
}

/** Builds the instant; checks every component first (rather than round-tripping the local Date, which a DST gap would shift). */
function toDate(m: RegExpExecArray): Date | null {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  if (!validParts(year, month, day, hour, minute, second)) return null;
  if (m[8] === undefined) return localDate(year, month, day, hour, minute, second, ms);
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (year < 100) utc.setUTCFullYear(year);
  return new Date(utc.getTime() - offset * 60_000);
}

/** Two ASCII digits at `i` as a number, or -1. */
function twoDigits(text: string, i: number): number {
  const a = text.charCodeAt(i) - 48;
  const b = text.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/**
 * The common shapes of `text[from, to)` read without the regex (a 50k-row table has 100k datetimes):
 * exactly `yyyy-MM-dd HH:mm` (with one space) or, when `time` is false, `yyyy-MM-dd`. The instant in
 * epoch ms, NaN when a component is out of range, or -Infinity for any other shape (the regex decides those).
 */
function fastLocalAt(text: string, from: number, to: number, time: boolean): number {
  if (to - from !== (time ? 16 : 10)) return -Infinity;
  const century = twoDigits(text, from);
  const years = twoDigits(text, from + 2);
  const month = twoDigits(text, from + 5);
  const day = twoDigits(text, from + 8);
  if (century < 0 || years < 0 || month < 0 || day < 0 || text.charCodeAt(from + 4) !== 45 || text.charCodeAt(from + 7) !== 45) return -Infinity;
  let hour = 0;
  let minute = 0;
  if (time) {
    if (text.charCodeAt(from + 10) !== 32 || text.charCodeAt(from + 13) !== 58) return -Infinity;
    hour = twoDigits(text, from + 11);
    minute = twoDigits(text, from + 14);
    if (hour < 0 || minute < 0) return -Infinity;
  }
  const year = century * 100 + years;
  return validParts(year, month, day, hour, minute, 0) ? localDate(year, month, day, hour, minute, 0, 0).getTime() : NaN;
}

/** `fastLocalAt` of the whole text: the instant, null when a component is out of range, undefined for another shape. */
function fastLocal(text: string, time: boolean): Date | null | undefined {
  const ms = fastLocalAt(text, 0, text.length, time);
  return ms === -Infinity ? undefined : Number.isNaN(ms) ? null : new Date(ms);
}

/** `quickDatetime` of `text[from, to)` as epoch ms, without the slice; NaN where it is undefined. */
export function quickDatetimeAt(text: string, from: number, to: number): number {
  const ms = fastLocalAt(text, from, to, true);
  return ms === -Infinity ? NaN : ms;
}

/** A `datetime` cell's value when it is exactly `yyyy-MM-dd HH:mm` and valid; else undefined (parseDatetime decides). */
export function quickDatetime(text: string): Date | undefined {
  return fastLocal(text, true) ?? undefined;
}

/** Reads a `datetime` cell: `yyyy-MM-dd HH:mm`, optional `:ss` and offset, or ISO 8601 with `T`. */
export function parseDatetime(text: string): CellResult<Date> {
  let date = fastLocal(text, true);
  if (date === undefined) {
    const m = DATETIME.exec(text);
    date = m && m[4] !== undefined ? toDate(m) : null;
  }
  return date ? ok(date) : notA(text, 'a datetime', DATETIME_EXPECTED);
}

/** Reads a `date` cell: `yyyy-MM-dd` (local midnight), or any datetime. */
export function parseDate(text: string): CellResult<Date> {
  let date = fastLocal(text, false);
  if (date === undefined) date = fastLocal(text, true);
  if (date === undefined) {
    const m = DATETIME.exec(text);
    date = m ? toDate(m) : null;
  }
  return date ? ok(date) : notA(text, 'a date', DATE_EXPECTED);
}
