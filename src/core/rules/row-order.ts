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
      // The row the next one is compared with (the latest in order so far), as scalars: no object per row.
      let seen = false;
      let lastTime = 0;
      let lastText = '';
      let lastEnd: number | null = null;
      let lastId = '';
      for (const read of bound.rows) {
        const value = read.values[i];
        const cell = read.cells[i];
        if (!(value instanceof Date) || !cell) continue;
        const time = value.getTime();
        if (seen && time < lastTime) {
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/order', 'error',
            `${orderBy} \`${cell.text}\` is earlier than \`${lastText}\` on the row above; expected rows in ${orderBy} order`));
        } else if (seen && lastEnd !== null && time < lastEnd) {
          const id = idAt >= 0 ? (read.cells[idAt]?.text ?? '') : '';
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'row/order', 'error',
            `${id || 'this window'} starts at \`${cell.text}\`, before ${lastId || 'the window above'} ends; expected windows not to overlap`));
        }
        if (!seen || time >= lastTime) {
          const endValue = end >= 0 ? read.values[end] : undefined;
          seen = true;
          lastTime = time;
          lastText = cell.text;
          lastEnd = endValue instanceof Date ? endValue.getTime() : null;
          lastId = idAt >= 0 ? (read.cells[idAt]?.text ?? '') : '';
        }
      }
    }
  },
};
