import { cellAt, columnIndex } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/** `row/order`: a table's order column never decreases; rollout windows are ordered and do not overlap. */
export const rowOrderRule: Rule = {
  ids: ['row/order'],
  check(model, out) {
    for (const bound of model.tables.values()) {
      const orderBy = bound.schema.orderedBy ?? (bound.schema.kind === 'evidence' ? 'Start' : undefined);
      if (!orderBy) continue;
      const i = columnIndex(bound.schema, orderBy);
      const end = bound.schema.kind === 'evidence' ? columnIndex(bound.schema, 'End') : -1;
      const idAt = bound.schema.columns.findIndex((c) => c.type.kind === 'id');
      let last: { time: number; text: string; end: number | null; id: string } | null = null;
      for (const read of bound.rows) {
        const value = read.values[i];
        const cell = read.cells[i];
        if (!(value instanceof Date) || !cell) continue;
        const time = value.getTime();
        const id = idAt >= 0 ? (read.cells[idAt]?.text ?? '') : '';
        if (last && time < last.time) {
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/order', 'error',
            `${orderBy} \`${cell.text}\` is earlier than \`${last.text}\` on the row above; expected rows in ${orderBy} order`));
        } else if (last && last.end !== null && time < last.end) {
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/order', 'error',
            `${id || 'this window'} starts at \`${cell.text}\`, before ${last.id || 'the window above'} ends; expected windows not to overlap`));
        }
        const endValue = end >= 0 ? read.values[end] : undefined;
        if (!last || time >= last.time) {
          last = { time, text: cell.text, end: endValue instanceof Date ? endValue.getTime() : null, id };
        }
      }
    }
  },
};
