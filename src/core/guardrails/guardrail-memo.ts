/**
 * The guardrail reads and evaluations of the last check, kept so that a check after an edit that
 * changed no window or trigger (a keystroke in a Notes cell) does not evaluate the triggers again.
 * Window rows are kept per read row (a row the bind did not read again keeps its values array);
 * a table whose rows all read as before gives back the very array of the last check, and the
 * evaluations are kept for those arrays. Results equal the plain functions'.
 */
import { valuesOf, type BoundTable, type ReadRow } from '../stack/bind-table';
import { valuesKey } from '../stack/table-store';
import { arrayWindows, evaluateTriggersSteps, findDecidedInBreachSteps, type DecidedInBreach } from './evaluate';
import { drain, ROWS_PER_STEP, type Steps } from '../steps';
import { readTriggers, readWindowAt, windowColumns } from './read-rows';
import type { GuardrailReport, TriggerRow, WindowRow } from './types';

type Breaches = DecidedInBreach[];

/** Memo of `readWindows`, `readTriggers`, `evaluateTriggers` and `findPromoteInBreach` between checks. */
export class GuardrailMemo {
  /** The read rows the last windows were read from, and the window read from each (undefined: malformed). */
  private readsWere: readonly ReadRow[] = [];
  private perReadWere: (WindowRow | undefined)[] = [];
  private windowsWere: WindowRow[] = [];
  private triggersWere: TriggerRow[] = [];
  private report: { triggers: TriggerRow[]; windows: WindowRow[]; report: GuardrailReport } | null = null;
  private breaches: { triggers: TriggerRow[]; windows: WindowRow[]; found: Breaches } | null = null;

  /**
   * `readWindows(bound)`: rows before and after the edited ones (matched from both ends by their
   * values arrays, which an incremental bind keeps) keep their window; the last check's array when
   * every row reads as it did.
   */
  windows(bound: BoundTable | undefined): WindowRow[] {
    return drain(this.windowsSteps(bound));
  }

  /** `windows` as work that can pause between slices of rows. */
  *windowsSteps(bound: BoundTable | undefined): Steps<WindowRow[]> {
    if (!bound) return [];
    const reads = bound.rows;
    if (reads === this.readsWere) return this.windowsWere;
    const at = windowColumns(bound);
    const store = valuesOf(bound);
    const was = this.readsWere;
    const wasRead = this.perReadWere;
    const n = reads.length;
    const m = was.length;
    // Read rows compared by the key of their values (no values array made for it).
    let head = 0;
    while (head < n && head < m && valuesKey(reads[head] as ReadRow) === valuesKey(was[head] as ReadRow)) {
      head++;
      if (head % ROWS_PER_STEP === 0) yield;
    }
    let tail = 0;
    while (tail < n - head && tail < m - head && valuesKey(reads[n - 1 - tail] as ReadRow) === valuesKey(was[m - 1 - tail] as ReadRow)) {
      tail++;
      if (tail % ROWS_PER_STEP === 0) yield;
    }
    const perRead = new Array<WindowRow | undefined>(n);
    const rows: WindowRow[] = [];
    for (let i = 0; i < n; i++) {
      if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
      const read = reads[i] as ReadRow;
      if (read.malformed) continue;
      let row = i < head ? wasRead[i] : i >= n - tail ? wasRead[i - n + m] : undefined;
      // A row matched by its values key is the same row text (kept, or moved by an edit above it): only its line may differ.
      if (!row || row.line !== read.row.line) row = readWindowAt(store, i, at);
      perRead[i] = row;
      rows.push(row);
    }
    this.readsWere = reads;
    this.perReadWere = perRead;
    return (this.windowsWere = yield* sameSteps(rows, this.windowsWere));
  }

  /** `readTriggers(bound)`: the last check's array when every row reads as it did. */
  triggers(bound: BoundTable | undefined): TriggerRow[] {
    return (this.triggersWere = same(readTriggers(bound), this.triggersWere));
  }

  /** `evaluateTriggers`, kept for the same arrays. */
  evaluate(triggers: TriggerRow[], windows: WindowRow[]): GuardrailReport {
    return drain(this.evaluateSteps(triggers, windows));
  }

  /** `evaluate` as work that can pause between slices of windows. */
  *evaluateSteps(triggers: TriggerRow[], windows: WindowRow[]): Steps<GuardrailReport> {
    const kept = this.report;
    if (kept && kept.triggers === triggers && kept.windows === windows) return kept.report;
    const report = yield* evaluateTriggersSteps(triggers, windows);
    this.report = { triggers, windows, report };
    return report;
  }

  /** `findDecidedInBreachSteps` (windows promoted or held in breach), kept for the same arrays; work that can pause. */
  *inBreachSteps(triggers: TriggerRow[], windows: WindowRow[]): Steps<Breaches> {
    const kept = this.breaches;
    if (kept && kept.triggers === triggers && kept.windows === windows) return kept.found;
    const found = yield* findDecidedInBreachSteps(triggers, arrayWindows(windows));
    this.breaches = { triggers, windows, found };
    return found;
  }
}

/** `was` when `rows` holds the same data row by row (rows read again compared by value), else `rows`. */
function same<T>(rows: T[], was: T[]): T[] {
  return drain(sameSteps(rows, was));
}

/** `same` as work that can pause (a table read afresh compares every row by value). */
function* sameSteps<T>(rows: T[], was: T[]): Steps<T[]> {
  if (rows.length !== was.length) return rows;
  for (let i = 0; i < rows.length; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    if (rows[i] !== was[i] && !sameData(rows[i], was[i])) return rows;
  }
  return was;
}

/** Deep equality of read rows: primitives, dates, maps, arrays and plain objects. */
export function sameData(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  if (a instanceof Date) return a.getTime() === (b as Date).getTime();
  if (a instanceof Map) {
    const m = b as Map<unknown, unknown>;
    if (a.size !== m.size) return false;
    for (const [k, v] of a) if (!m.has(k) || !sameData(v, m.get(k))) return false;
    return true;
  }
  if (Array.isArray(a)) {
    const arr = b as unknown[];
    return a.length === arr.length && a.every((v, i) => sameData(v, arr[i]));
  }
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  const ob = b as Record<string, unknown>;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(ob, k) && sameData((a as Record<string, unknown>)[k], ob[k]));
}
