import { cellAt, columnIndex, valuesOf } from '../stack/bind-table';
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
      const isDate = (c: number): boolean => ['datetime', 'date'].includes(bound.schema.columns[c]?.type.kind ?? '');
      if (!isDate(i)) continue;
      const store = valuesOf(bound);
      const times = store.nums[i] as Float64Array;
      const ends = end >= 0 && isDate(end) ? store.nums[end] : null;
      const idText = (j: number): string => (idAt >= 0 ? (store.text(j, idAt) ?? '') : '');
      // The row the next one is compared with (the latest in order so far), as scalars: no object per row.
      let seen = false;
      let lastTime = 0;
      let lastRow = -1;
      let lastEnd: number | null = null;
      for (let j = 0; j < store.size; j++) {
        const time = times[j] as number;
        if (Number.isNaN(time) || !store.hasCell(j, i)) continue;
        if (seen && time < lastTime) {
          const cell = store.cell(j, i);
          const lastText = store.text(lastRow, i) ?? '';
          if (cell) {
            out.push(cellAt(bound.path, bound.note, store.rowAt(j), cell, 'row/order', 'error',
              `${orderBy} \`${cell.text}\` is earlier than \`${lastText}\` on the row above; expected rows in ${orderBy} order`));
          }
        } else if (seen && lastEnd !== null && time < lastEnd) {
          const cell = store.cell(j, i);
          const id = idText(j);
          const lastId = idText(lastRow);
          if (cell) {
            out.push(cellAt(bound.path, bound.note, store.rowAt(j), cell, 'row/order', 'error',
              `${id || 'this window'} starts at \`${cell.text}\`, before ${lastId || 'the window above'} ends; expected windows not to overlap`));
          }
        }
        if (!seen || time >= lastTime) {
          const endValue = ends ? (ends[j] as number) : NaN;
          seen = true;
          lastTime = time;
          lastRow = j;
          lastEnd = !Number.isNaN(endValue) ? endValue : null;
        }
      }
    }
  },
};
