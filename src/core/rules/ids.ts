import { cellAt, valuesOf } from '../stack/bind-table';
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
      const store = valuesOf(bound);
      const ids = store.nums[i] as Float64Array;
      const seen = new FirstLines(store.size);
      // The largest id so far and its row, as scalars: no object per row, no text until a message needs it.
      let any = false;
      let previousN = 0;
      let previousRow = -1;
      const report = (j: number, rule: 'id/duplicate' | 'id/order', message: (text: string) => string): void => {
        const cell = store.cell(j, i);
        if (cell) out.push(cellAt(bound.path, bound.note, store.rowAt(j), cell, rule, 'error', message(cell.text)));
      };
      for (let j = 0; j < store.size; j++) {
        const n = ids[j] as number;
        if (Number.isNaN(n) || !store.hasCell(j, i)) continue;
        const firstLine = seen.get(n);
        if (firstLine !== undefined) {
          report(j, 'id/duplicate', (text) => `\`${text}\` is already used on line ${firstLine}; expected a unique id`);
        } else {
          seen.set(n, store.line(j));
          if (any && n < previousN) {
            const previousText = store.text(previousRow, i) ?? '';
            report(j, 'id/order', (text) => `\`${text}\` comes after \`${previousText}\`; expected ids to increase down the table`);
          }
        }
        if (!any || n > previousN) {
          any = true;
          previousN = n;
          previousRow = j;
        }
      }
    }
  },
};
