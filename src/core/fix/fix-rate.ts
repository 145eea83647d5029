import { formatRate } from '../rules/consistency';
import type { Diagnostic } from '../rules/rule-ids';
import { lastRow } from '../markdown/table-row';
import { columnIndex, type BoundTable, type ReadRow } from '../stack/bind-table';
import type { TextEdit } from '../edit/text-edit';

/** Whether a `row/consistency` problem is a Fallback Rate that does not add up. */
export function isRateMismatch(d: Diagnostic): boolean {
  return d.rule === 'row/consistency' && d.message.startsWith('Fallback Rate ') && d.message.includes(' does not match ');
}

/**
 * The splice that writes Fallbacks / Missions as the window's rate: two decimals, as Canon writes it,
 * with the `%` the cell had (`9.26%`, `9.26 %`), or, when it had none, the table's way (its last row's).
 */
export function rateSplice(bound: BoundTable, read: ReadRow): { edit: TextEdit; from: string; to: string; detail: string } | null {
  const rate = columnIndex(bound.schema, 'Fallback Rate');
  const [missions, fallbacks] = [columnIndex(bound.schema, 'Missions'), columnIndex(bound.schema, 'Fallbacks')].map((i) => read.values[i]);
  const cell = read.cells[rate];
  if (!cell || typeof missions !== 'number' || typeof fallbacks !== 'number' || fallbacks > missions) return null;
  const expected = formatRate(missions === 0 ? 0 : (fallbacks / missions) * 100);
  const own = /\s*%$/.exec(cell.raw)?.[0];
  const suffix = own ?? tableSuffix(bound, rate);
  const to = `${expected}${suffix}`;
  if (to === cell.raw) return null;
  return { edit: { from: cell.from, to: cell.to, insert: to }, from: cell.raw, to, detail: `${fallbacks} / ${missions}` };
}

function tableSuffix(bound: BoundTable, rate: number): string {
  const last = bound.table ? lastRow(bound.table) : undefined;
  const at = bound.columnAt[rate] ?? -1;
  const text = at >= 0 ? (last?.cells[at]?.raw ?? '') : '';
  return /\s*%$/.exec(text)?.[0] ?? '';
}
