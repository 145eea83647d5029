import { idColumn } from '../schema/table-schema';
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
    const read = bound.rows.find((r) => r.values[index] === n);
    return read ? { path: bound.path, line: read.row.line } : null;
  }
  return null;
}
