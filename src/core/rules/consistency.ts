import type { Diagnostic } from './rule-ids';
import type { LinkRef } from '../schema/cell-type';
import { cellAt, columnIndex, type BoundTable, type ReadRow } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/** How far a written fallback rate may stray from Fallbacks / Missions, in percentage points. */
export const RATE_TOLERANCE = 0.05;

/** `row/consistency`: End ≥ Start, Fallbacks ≤ Missions, the rate adds up, superseded decisions say so. */
export const consistencyRule: Rule = {
  ids: ['row/consistency'],
  check(model, out) {
    const evidence = model.tables.get('evidence');
    if (evidence) {
      const columns = windowColumns(evidence);
      for (const read of evidence.rows) checkWindow(evidence, read, out, columns);
    }
    const decisions = model.tables.get('decision');
    if (decisions) checkSupersedes(decisions, out);
  },
};

/** Schema indexes of Start, End, Missions, Fallbacks and Fallback Rate. */
type WindowColumns = readonly [number, number, number, number, number];

function windowColumns(bound: BoundTable): WindowColumns {
  const col = (name: string): number => columnIndex(bound.schema, name);
  return [col('Start'), col('End'), col('Missions'), col('Fallbacks'), col('Fallback Rate')];
}

/** The problems of one Rollout Windows row (also used to refuse an append). */
export function checkWindow(bound: BoundTable, read: ReadRow, out: Diagnostic[], columns: WindowColumns = windowColumns(bound)): void {
  const [start, end, missions, fallbacks, rate] = columns;
  const s = read.values[start];
  const e = read.values[end];
  if (s instanceof Date && e instanceof Date && e.getTime() < s.getTime()) {
    report(bound, read, out, end, `End \`${read.cells[end]?.text ?? ''}\` is before Start \`${read.cells[start]?.text ?? ''}\`; expected End ≥ Start`);
  }
  const m = read.values[missions];
  const f = read.values[fallbacks];
  if (typeof m !== 'number' || typeof f !== 'number') return;
  if (f > m) {
    report(bound, read, out, fallbacks, `Fallbacks ${f} exceed Missions ${m}; expected Fallbacks ≤ Missions`);
    return;
  }
  const r = read.values[rate];
  if (typeof r !== 'number') return;
  const expected = m === 0 ? 0 : (f / m) * 100;
  if (Math.abs(r - expected) > RATE_TOLERANCE + 1e-9) {
    report(bound, read, out, rate, `Fallback Rate ${read.cells[rate]?.text ?? ''} does not match ${f} / ${m}; expected ${formatRate(expected)}`);
  }
}

function report(bound: BoundTable, read: ReadRow, out: Diagnostic[], i: number, message: string): void {
  const cell = read.cells[i];
  if (cell) out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/consistency', 'error', message));
}

/** Fallback rate as Canon writes it: two decimals, no unit. */
export function formatRate(rate: number): string {
  return (Math.round(rate * 100) / 100).toFixed(2);
}

function checkSupersedes(bound: BoundTable, out: Diagnostic[]): void {
  const id = columnIndex(bound.schema, 'ID');
  const status = columnIndex(bound.schema, 'Status');
  const supersedes = columnIndex(bound.schema, 'Supersedes');
  const byId = new Map<number, ReadRow>();
  for (const read of bound.rows) {
    const n = read.values[id];
    if (typeof n === 'number' && !byId.has(n)) byId.set(n, read);
  }
  for (const read of bound.rows) {
    const links = read.values[supersedes] as LinkRef[] | undefined;
    const own = read.values[id];
    const cell = read.cells[supersedes];
    if (!links || !cell || typeof own !== 'number') continue;
    for (const target of decisionIds(links)) {
      const older = byId.get(target);
      if (!older) continue; // link/unresolved reports it
      if (target >= own) {
        out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/consistency', 'error', `D-${own} supersedes D-${target}; expected a decision to supersede only older ones`));
      } else if (older.values[status] !== 'superseded') {
        out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/consistency', 'error',
          `D-${own} supersedes D-${target}, whose Status is \`${older.cells[status]?.text ?? ''}\`; expected D-${target} to read superseded`));
      }
    }
  }
}

/** The decision numbers a Supersedes cell names (`D-3` or `[[D-3]]`). */
export function decisionIds(links: readonly LinkRef[]): number[] {
  const ids: number[] = [];
  for (const link of links) {
    const text = link.kind === 'row-id' ? link.id : link.target;
    const match = /^D-(\d+)$/i.exec(text);
    if (match?.[1]) ids.push(Number(match[1]));
  }
  return ids;
}
