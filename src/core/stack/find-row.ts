import { idColumn } from '../schema/table-schema';
import { valuesOf } from './bind-table';
import type { StackModel } from './model';

/** Where a row id (`W-12`, `D-3`, `P-4`) lives in the stack: its note and 1-based line, or null. */
export function findRowById(model: StackModel, id: string): { path: string; line: number } | null {
  const match = /^([A-Za-z]+)-(\d+)$/.exec(id.trim());
  if (!match) return null;
  const prefix = (match[1] ?? '').toUpperCase();
  const n = Number(match[2]);
  for (const bound of model.tables.values()) {
    const column = idColumn(bound.schema);
    if (column?.type.kind !== 'id' || column.type.prefix !== prefix) continue;
    const index = bound.schema.columns.indexOf(column);
    const store = valuesOf(bound);
    const ids = store.nums[index] as Float64Array;
    for (let j = 0; j < store.size; j++) if (ids[j] === n) return { path: bound.path, line: store.line(j) };
    return null;
  }
  return null;
}
