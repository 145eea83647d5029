import { cellAt } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/** `id/duplicate`, `id/order`: ids are unique and increase down their table. */
export const idRule: Rule = {
  ids: ['id/duplicate', 'id/order'],
  check(model, out) {
    for (const bound of model.tables.values()) {
      const i = bound.schema.columns.findIndex((c) => c.type.kind === 'id');
      if (i < 0) continue;
      const seen = new Map<number, number>();
      let previous: { n: number; text: string } | null = null;
      for (const read of bound.rows) {
        const n = read.values[i];
        const cell = read.cells[i];
        if (typeof n !== 'number' || !cell) continue;
        const firstLine = seen.get(n);
        if (firstLine !== undefined) {
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'id/duplicate', 'error', `\`${cell.text}\` is already used on line ${firstLine}; expected a unique id`));
        } else {
          seen.set(n, read.row.line);
          if (previous && n < previous.n) {
            out.push(cellAt(bound.path, bound.note, read.row, cell, 'id/order', 'error', `\`${cell.text}\` comes after \`${previous.text}\`; expected ids to increase down the table`));
          }
        }
        if (!previous || n > previous.n) previous = { n, text: cell.text };
      }
    }
  },
};
