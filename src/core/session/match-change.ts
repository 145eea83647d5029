/** Finds the trigger-matrix row an operator means by a few words ("rollout windows", "strategic direction") or its number. */
import type { TriggerMatrixRow } from '../stack/templates';

export type ChangeMatch = { ok: true; row: TriggerMatrixRow } | { ok: false; message: string };

function words(text: string): string[] {
  return text.toLowerCase().split(/[^\p{L}\p{N}]+/u).filter((w) => w.length >= 3 || /\d/.test(w));
}

/** Two words match when one starts with the other or they share their first four letters (behaviour ~ behavior). */
function sameWord(a: string, b: string): boolean {
  if (a.startsWith(b) || b.startsWith(a)) return true;
  let n = 0;
  while (n < a.length && a.charAt(n) === b.charAt(n)) n++;
  return n >= 4;
}

function list(matrix: readonly TriggerMatrixRow[]): string {
  return matrix.map((r, i) => `${i + 1}) ${r.change}`).join('; ');
}

/** The row whose "If you change…" text holds every word given (or row N, 1-based). */
export function matchChange(matrix: readonly TriggerMatrixRow[], input: string): ChangeMatch {
  const wanted = input.trim();
  if (/^\d+$/.test(wanted)) {
    const row = matrix[Number(wanted) - 1];
    return row ? { ok: true, row } : { ok: false, message: `the trigger matrix has no row ${wanted}; expected 1 to ${matrix.length}: ${list(matrix)}` };
  }
  const exact = matrix.find((r) => r.change.trim().toLowerCase() === wanted.toLowerCase());
  if (exact) return { ok: true, row: exact };
  const given = words(wanted);
  const hits = given.length === 0 ? [] : matrix.filter((r) => {
    const own = words(r.change);
    return given.every((w) => own.some((o) => sameWord(w, o)));
  });
  const [only] = hits;
  if (only && hits.length === 1) return { ok: true, row: only };
  if (hits.length > 1) return { ok: false, message: `\`${wanted}\` matches ${hits.length} kinds of change; expected one of ${list(hits)} (or its number)` };
  return { ok: false, message: `\`${wanted}\` names no kind of change of the trigger matrix; expected words of one of ${list(matrix)} (or its number)` };
}
