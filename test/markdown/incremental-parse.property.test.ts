/** Random edits to generated notes: the incremental re-parse equals a fresh parse of the edited text. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { reparseNote, type Reparse } from '../../src/core/markdown/incremental-parse';
import { parseNoteTracked } from '../../src/core/markdown/parse-note';
import type { ParsedNote } from '../../src/core/markdown/types';
import { lineSoup, realisticNote } from './note-arbitrary';

/** A few top-level tables among other blocks: most edits inside them can be taken incrementally. */
const tableNote = fc
  .tuple(
    fc.constantFrom('', '---\ncanon: x\n---\n', '\uFEFF'),
    fc.array(
      fc.tuple(
        fc.constantFrom('# Head\n\n', '## Two\n', 'Para text\n', '', '[ref]: /u\n\n', '> quote\n\n', '- item\n\n'),
        fc.array(fc.constantFrom('| `a|b` | c \\| d |', '| x | y |', '|a|b|', '| **b** | ~~s~~ |', '| [ref] | <b>h</b> |', '| 1 |', '| a | b | c |', '|  |  |', '| &amp; | *e* |'), { maxLength: 6 }),
        fc.constantFrom('\n', '\n\n', '\nlazy\n', '\n# After\n', ''),
      ),
      { minLength: 1, maxLength: 3 },
    ),
    fc.constantFrom('\n', '\r\n'),
  )
  .map(([lead, tables, eol]) => {
    const body = tables.map(([before, rows, after]) => `${before}| h1 | h2 |\n| --- | :-: |\n${rows.join('\n')}${after}`).join('');
    return (lead + body).replace(/\n/g, eol);
  });

/** Text typed, pasted or deleted: characters that keep a row a row, and ones that end or split it. */
const typed = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('x', ' ', '|', '\\', '`', '*', '_', '[', ']', '<', '&', '2026-03-07', 'W-3', '\\|', '**') },
  { weight: 2, arbitrary: fc.constantFrom('\n', '\r\n', '\r', '\n|', '|\n', '\n| a | b |', '| c | d |\n', '\n\n', '\n# h\n', '\n> q', '\n- x', '\n```\n') },
);

/** One edit: insert at an offset (anywhere, or inside a line that starts with `|`), delete a range, or replace one. */
const edit = fc.record({ at: fc.nat(), length: fc.nat({ max: 24 }), insert: fc.oneof(fc.constant(''), typed), line: fc.boolean(), inRow: fc.boolean() });

type Edit = { at: number; length: number; insert: string; line: boolean; inRow: boolean };

function applyEdit(text: string, { at, length, insert, line, inRow }: Edit): string {
  let from = text.length === 0 ? 0 : at % (text.length + 1);
  const rowStarts = [...text.matchAll(/(^|\n)\|/g)].map((m) => m.index + (m[1] as string).length);
  if (inRow && rowStarts.length > 0) {
    const start = rowStarts[at % rowStarts.length] as number;
    const end = text.indexOf('\n', start);
    from = start + 1 + (length % Math.max(1, (end < 0 ? text.length : end) - start));
    length = length % 3;
  }
  let to = Math.min(text.length, from + length);
  if (line) {
    // Whole lines: a row typed, pasted or deleted.
    from = text.lastIndexOf('\n', from - 1) + 1;
    const end = text.indexOf('\n', to);
    to = end < 0 ? text.length : end + 1;
    if (insert !== '' && !insert.endsWith('\n')) insert = `${insert}\n`;
  }
  return text.slice(0, from) + insert + text.slice(to);
}

/** Every row's cells (rows read them from the note text when asked, so `toEqual` on the note does not see them). */
function cellsOf(note: ParsedNote): unknown {
  return note.tables.map((t) => [t.header, t.delimiter, ...t.rows].map((r) => r.cells.map((c) => [c.raw, c.text, c.from, c.to])));
}

let taken = 0;
let edited = 0;

function agrees(text: string, edits: Edit[]): boolean {
  let previous: Reparse = { ...parseNoteTracked(text), edit: null };
  let current = text;
  for (const e of edits) {
    current = applyEdit(current, e);
    const incremental = reparseNote(previous, current);
    const fresh = parseNoteTracked(current);
    expect(incremental.note).toEqual(fresh.note);
    expect(cellsOf(incremental.note)).toEqual(cellsOf(fresh.note));
    expect(incremental.budget).toEqual(fresh.budget);
    expect(incremental.definitions).toEqual(fresh.definitions);
    edited++;
    if (incremental.edit) taken++;
    previous = incremental;
  }
  return true;
}

describe('reparseNote after random edits', () => {
  it('equals a fresh parse on notes of top-level tables (and takes the incremental path often)', () => {
    taken = 0;
    edited = 0;
    fc.assert(fc.property(tableNote, fc.array(edit, { minLength: 1, maxLength: 4 }), agrees), { numRuns: 400 });
    expect(taken / edited).toBeGreaterThan(0.1);
  });

  it('equals a fresh parse on notes of realistic blocks', () => {
    fc.assert(fc.property(realisticNote, fc.array(edit, { minLength: 1, maxLength: 3 }), agrees), { numRuns: 200 });
  });

  it('equals a fresh parse on soups of table-ish lines in containers', () => {
    fc.assert(fc.property(lineSoup, fc.array(edit, { minLength: 1, maxLength: 3 }), agrees), { numRuns: 400 });
  });

  it('shifts every table, heading and line start after a row typed into a long table', () => {
    const rows = Array.from({ length: 50 }, (_, i) => `| W-${i + 1} | note ${i} |`);
    const text = `# Log\n\n| ID | Notes |\n| --- | --- |\n${rows.join('\n')}\n\n## Later\n\n| a | b |\n| - | - |\n| 1 | 2 |\n`;
    const before = parseNoteTracked(text);
    const at = text.indexOf('note 20 |') + 'note 20'.length;
    const typedRow = `${text.slice(0, at)}, *typed*${text.slice(at)}`;
    const after = reparseNote(before, typedRow);
    expect(after.edit).toMatchObject({ table: 0, row: 20, removed: 1, added: 1, offsetDelta: 9, lineDelta: 0 });
    expect(after.note).toEqual(parseNoteTracked(typedRow).note);
    expect(cellsOf(after.note)).toEqual(cellsOf(parseNoteTracked(typedRow).note));
    // Rows before the edit are the earlier parse's own objects.
    expect(after.note.tables[0]?.rows[19]).toBe(before.note.tables[0]?.rows[19]);
    const pasted = typedRow.replace('| W-30 |', '| W-30a | x |\n| W-30 |');
    const again = reparseNote(after, pasted);
    expect(again.edit).toMatchObject({ row: 29, removed: 1, added: 2, lineDelta: 1 });
    expect(again.note).toEqual(parseNoteTracked(pasted).note);
    expect(cellsOf(again.note)).toEqual(cellsOf(parseNoteTracked(pasted).note));
  });
});
