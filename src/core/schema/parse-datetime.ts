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

/** Builds the instant; checks every component first (rather than round-tripping the local Date, which a DST gap would shift). */
function toDate(m: RegExpExecArray): Date | null {
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const hour = m[4] === undefined ? 0 : Number(m[4]);
  const minute = m[5] === undefined ? 0 : Number(m[5]);
  const second = m[6] === undefined ? 0 : Number(m[6]);
  const ms = m[7] === undefined ? 0 : Number(`${m[7]}00`.slice(0, 3));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  if (m[8] === undefined) {
    const local = new Date(year, month - 1, day, hour, minute, second, ms);
    if (year < 100) local.setFullYear(year); // the Date constructor maps 0–99 to 1900–1999
    return local;
  }
  const offset = offsetMinutes(m[8]);
  if (offset === null) return null;
  const utc = new Date(Date.UTC(year, month - 1, day, hour, minute, second, ms));
  if (year < 100) utc.setUTCFullYear(year);
  return new Date(utc.getTime() - offset * 60_000);
}

/** Reads a `datetime` cell: `yyyy-MM-dd HH:mm`, optional `:ss` and offset, or ISO 8601 with `T`. */
export function parseDatetime(text: string): CellResult<Date> {
  const m = DATETIME.exec(text);
  const date = m && m[4] !== undefined ? toDate(m) : null;
  return date ? ok(date) : notA(text, 'a datetime', DATETIME_EXPECTED);
}

/** Reads a `date` cell: `yyyy-MM-dd` (local midnight), or any datetime. */
export function parseDate(text: string): CellResult<Date> {
  const m = DATETIME.exec(text);
  const date = m ? toDate(m) : null;
  return date ? ok(date) : notA(text, 'a date', DATE_EXPECTED);
}
