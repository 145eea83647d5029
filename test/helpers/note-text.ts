import { expect } from 'vitest';
import { referenceShape } from '../markdown/reference';

/** The lines of `after` that `before` lacks, asserting that nothing else changed (the append is minimal). */
export function insertedLines(before: string, after: string): string[] {
  const b = before.split('\n');
  const a = after.split('\n');
  let i = 0;
  while (i < b.length && b[i] === a[i]) i++;
  let j = 0;
  while (j < b.length - i && b[b.length - 1 - j] === a[a.length - 1 - j]) j++;
  expect(b.length - i - j, 'lines of the note changed besides the insertion').toBe(0);
  return a.slice(i, a.length - j);
}

/** The lines that differ between two versions of a note (same line count), as [line, after]. */
export function changedLines(before: string, after: string): [number, string][] {
  const b = before.split('\n');
  const a = after.split('\n');
  expect(a.length).toBe(b.length);
  return a.flatMap((line, i) => (line === b[i] ? [] : [[i + 1, line] as [number, string]]));
}

/** The first table under `heading`, as remark reads the note: its header and each row's cells. */
export function tableUnder(text: string, heading: string): { header: string[]; rows: string[][] } {
  const headingLine = text.split('\n').findIndex((l) => l.replace(/^#+\s*/, '') === heading) + 1;
  const table = referenceShape(text).tables.find((t) => t.line > headingLine);
  if (headingLine === 0 || !table) throw new Error(`no table under "${heading}"`);
  return { header: table.header, rows: table.rows.map((r) => r.cells) };
}
