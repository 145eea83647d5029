import { cellAt } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/**
 * The line each id was first seen on: ids up to a bound (a table's ids are usually 1…n) in a typed
 * array, the rest in a map; no hashing per row in a 50k-row table.
 */
class FirstLines {
  private readonly small: Int32Array;
  private readonly large = new Map<number, number>();

  constructor(rows: number) {
    this.small = new Int32Array(2 * rows + 16);
  }

  get(n: number): number | undefined {
    if (Number.isInteger(n) && n >= 0 && n < this.small.length) {
      const line = this.small[n] as number;
      if (line > 0) return line;
    }
    return this.large.size > 0 ? this.large.get(n) : undefined;
  }

  set(n: number, line: number): void {
    if (Number.isInteger(n) && n >= 0 && n < this.small.length && line > 0 && line <= 0x7fffffff) this.small[n] = line;
    else this.large.set(n, line);
  }
}

/** `id/duplicate`, `id/order`: ids are unique and increase down their table. */
export const idRule: Rule = {
  ids: ['id/duplicate', 'id/order'],
  check(model, out) {
    for (const bound of model.tables.values()) {
      const i = bound.schema.columns.findIndex((c) => c.type.kind === 'id');
      if (i < 0) continue;
      const seen = new FirstLines(bound.rows.length);
      // The largest id so far and its text, as scalars: no object per row.
      let any = false;
      let previousN = 0;
      let previousText = '';
      for (const read of bound.rows) {
        const n = read.values[i];
        const cell = read.cells[i];
        if (typeof n !== 'number' || !cell) continue;
        const firstLine = seen.get(n);
        if (firstLine !== undefined) {
          out.push(cellAt(bound.path, bound.note, read.row, cell, 'id/duplicate', 'error', `\`${cell.text}\` is already used on line ${firstLine}; expected a unique id`));
        } else {
          seen.set(n, read.row.line);
          if (any && n < previousN) {
            out.push(cellAt(bound.path, bound.note, read.row, cell, 'id/order', 'error', `\`${cell.text}\` comes after \`${previousText}\`; expected ids to increase down the table`));
          }
        }
        if (!any || n > previousN) {
          any = true;
          previousN = n;
          previousText = cell.text;
        }
      }
    }
  },
};
