import type { CellResult } from './cell-type';

const MAX_QUOTED = 60;

/** The found text as a message quotes it: in backticks, cut past 60 characters with `…`. */
export function quote(text: string): string {
  if (text === '') return 'the empty cell';
  const cut = text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
  return `\`${cut}\``;
}

/** A failed read in the one message shape: "`found` is not a thing; expected what". */
export function notA<T>(found: string, what: string, expected: string): CellResult<T> {
  return { ok: false, message: `${quote(found)} is not ${what}; expected ${expected}` };
}

/** A failed read whose found part is already a phrase (e.g. "`G1` is repeated"). */
export function fail<T>(found: string, rest: string, expected: string): CellResult<T> {
  return { ok: false, message: `${quote(found)} ${rest}; expected ${expected}` };
}

export function ok<T>(value: T): CellResult<T> {
  return { ok: true, value };
}
