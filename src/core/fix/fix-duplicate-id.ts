import type { TextEdit } from '../edit/text-edit';
import { renumberIds } from '../merge/renumber';
import type { Diagnostic } from '../rules/rule-ids';
import { idColumn } from '../schema/table-schema';
import { valuesOf, type BoundTable } from '../stack/bind-table';

/** Whether a problem is a row id used twice in its table. */
export function isDuplicateId(d: Diagnostic): boolean {
  return d.rule === 'id/duplicate';
}

/** The largest id of a table (0 when it has none). */
export function largestId(bound: BoundTable): number {
  const column = idColumn(bound.schema);
  if (!column) return 0;
  const ids = valuesOf(bound).nums[bound.schema.columns.indexOf(column)];
  let max = 0;
  if (ids) for (let j = 0; j < ids.length; j++) if ((ids[j] as number) > max) max = ids[j] as number;
  return max;
}

/**
 * The later of two rows with one id, renumbered `to`: its id cell, and each reference to its old id in
 * the rows below it in its table (written after it, they name it; a reference above names the first).
 * Returns the splices and the table indexes of the rows they touch.
 */
export function renumberSplices(bound: BoundTable, index: number, to: number): { edits: TextEdit[]; rows: number[]; from: string; references: number } | null {
  const column = idColumn(bound.schema);
  if (column?.type.kind !== 'id') return null;
  const i = bound.schema.columns.indexOf(column);
  const read = bound.rows[index];
  const cell = read?.cells[i];
  const n = read?.values[i];
  if (!read || !cell || typeof n !== 'number') return null;
  const prefix = column.type.prefix;
  const idText = new RegExp(`\\b${prefix}-${n}\\b`);
  if (!idText.test(cell.raw)) return null;
  const edits: TextEdit[] = [{ from: cell.from, to: cell.to, insert: cell.raw.replace(idText, `${prefix}-${to}`) }];
  const rows = [index];
  let references = 0;
  const renumbering = new Map([[prefix, new Map([[n, to]])]]);
  for (let j = index + 1; j < bound.rows.length; j++) {
    const below = bound.rows[j];
    if (!below) continue;
    let touched = false;
    const ownId = below.cells[i]?.from;
    below.row.cells.forEach((c) => {
      if (c.from === ownId) return;
      const out = renumberIds(c.raw, renumbering);
      if (out.count === 0) return;
      edits.push({ from: c.from, to: c.to, insert: out.text });
      references += out.count;
      touched = true;
    });
    if (touched) rows.push(j);
  }
  return { edits, rows, from: `${prefix}-${n}`, references };
}
