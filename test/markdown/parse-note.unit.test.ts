/** parseNote: offsets, prefixes, line endings, frontmatter, and inputs that must not break it. */
import { describe, expect, it } from 'vitest';
import { parseNote } from '../../src/core/markdown/parse-note';
import type { ParsedNote, Table } from '../../src/core/markdown/types';
import { readFrontmatter } from '../../src/core/markdown/frontmatter';
import { parseYaml } from '../../src/cli/parse-yaml';

function only(note: ParsedNote): Table {
  expect(note.tables).toHaveLength(1);
  return note.tables[0] as Table;
}

describe('line index and line endings', () => {
  it('takes the line ending of the first line break', () => {
    expect(parseNote('a\nb\r\nc').eol).toBe('\n');
    expect(parseNote('a\r\nb\nc').eol).toBe('\r\n');
    expect(parseNote('a\rb\r\n').eol).toBe('\n');
    expect(parseNote('no break').eol).toBe('\n');
    expect(parseNote('').eol).toBe('\n');
  });

  it('starts a line after \\n, \\r\\n and a lone \\r', () => {
    expect(parseNote('a\r\nb\rc\nd').lineStarts).toEqual([0, 3, 5, 7]);
    expect(parseNote('').lineStarts).toEqual([0]);
    expect(parseNote('x\n').lineStarts).toEqual([0, 2]);
  });
});

describe('tables: rows, cells and offsets', () => {
  const text = '# Log\n\n| Date | Change |\n| :--- | ---: |\n| 2026-03-07 08:00 | `a\\|b` and [[n\\|alias]] |\n';
  const note = parseNote(text);
  const table = only(note);

  it('gives each row its line and offsets', () => {
    expect(table.line).toBe(3);
    expect(table.header.line).toBe(3);
    expect(table.delimiter.line).toBe(4);
    expect(table.rows.map((r) => r.line)).toEqual([5]);
    const row = table.rows[0]!;
    expect(row.lineFrom).toBe(note.lineStarts[4]);
    expect(row.from).toBe(row.lineFrom);
    expect(text.slice(row.from, row.to)).toBe('| 2026-03-07 08:00 | `a\\|b` and [[n\\|alias]] |');
    expect(table.from).toBe(note.lineStarts[2]);
    expect(table.to).toBe(row.to);
  });

  it('gives each cell its raw source, offsets and plain text', () => {
    const cells = table.rows[0]!.cells;
    expect(cells.map((c) => c.raw)).toEqual(['2026-03-07 08:00', '`a\\|b` and [[n\\|alias]]']);
    expect(cells.map((c) => c.text)).toEqual(['2026-03-07 08:00', 'a|b and [[n|alias]]']);
    for (const cell of cells) expect(text.slice(cell.from, cell.to)).toBe(cell.raw);
    expect(table.header.cells.map((c) => c.text)).toEqual(['Date', 'Change']);
    expect(table.delimiter.cells.map((c) => c.raw)).toEqual([':---', '---:']);
  });

  it('reads alignment and the section heading', () => {
    expect(table.align).toEqual(['left', 'right']);
    expect(table.heading?.text).toBe('Log');
    expect(table.heading?.line).toBe(1);
  });

  it('splits an unescaped wiki link alias into two cells, as remark does', () => {
    const t = only(parseNote('| a | b |\n| - | - |\n| [[n|alias]] | x |'));
    expect(t.rows[0]!.cells.map((c) => c.text)).toEqual(['[[n', 'alias]]', 'x']);
  });

  it('keeps short and long rows as they stand', () => {
    const t = only(parseNote('| a | b |\n| - | - |\n| 1 |\n| 1 | 2 | 3 |\n|\n'));
    expect(t.rows.map((r) => r.cells.map((c) => c.text))).toEqual([['1'], ['1', '2', '3'], ['']]);
  });

  it('reads a note without a trailing line break', () => {
    const t = only(parseNote('| a |\n| - |\n| last'));
    expect(t.rows[0]!.cells[0]!.text).toBe('last');
    expect(t.to).toBe('| a |\n| - |\n| last'.length);
  });

  it('has no heading for a table above every heading', () => {
    expect(only(parseNote('| a |\n| - |\n\n# Later')).heading).toBeNull();
  });

  it('takes the nearest heading above, at any depth', () => {
    const note = parseNote('# One\n\n> ## Two\n\n| a |\n| - |');
    expect(only(note).heading?.text).toBe('Two');
  });
});

describe('container prefixes', () => {
  it('repeats a block quote marker', () => {
    const t = only(parseNote('> | a |\n> | - |\n> | 1 |\n'));
    expect(t.prefix).toBe('> ');
    expect(t.rows[0]!.from - t.rows[0]!.lineFrom).toBe(2);
  });

  it('repeats nested quotes and list indentation', () => {
    expect(only(parseNote('> > | a |\n> > | - |\n')).prefix).toBe('> > ');
    expect(only(parseNote('- item\n\n  | a |\n  | - |\n  | 1 |\n')).prefix).toBe('  ');
    expect(only(parseNote('1. | a |\n   | - |\n')).prefix).toBe('   ');
    expect(only(parseNote('>| a |\n>| - |\n')).prefix).toBe('>');
  });

  it('keeps the indentation of an indented table', () => {
    expect(only(parseNote('   | a |\n   | - |\n')).prefix).toBe('   ');
    expect(only(parseNote('| a |\n| - |\n')).prefix).toBe('');
  });
});

describe('frontmatter', () => {
  const text = [
    '---',
    'canon: evidence-log',
    'title: "Quoted: value"',
    "single: 'it''s'",
    'list: [a, b]',
    'nested:',
    '  key: value',
    'empty:',
    'comment: value # note',
    '---',
    '# Heading',
    '',
  ].join('\n');
  const note = parseNote(text);

  it('reads its values through the one frontmatter reader', () => {
    expect(readFrontmatter(text, parseYaml)).toMatchObject({
      ok: true,
      data: { canon: 'evidence-log', title: 'Quoted: value', single: "it's", list: ['a', 'b'], nested: { key: 'value' }, empty: null, comment: 'value' },
    });
  });

  it('knows where it ends and reads no heading or table from it', () => {
    expect(note.frontmatter?.from).toBe(0);
    expect(note.frontmatter?.endLine).toBe(10);
    expect(text.slice(note.frontmatter!.to - 3, note.frontmatter!.to)).toBe('---');
    expect(note.headings.map((h) => [h.text, h.line])).toEqual([['Heading', 11]]);
  });

  it('may carry CRLF line endings, and closes with `---` only (as Obsidian and remark-frontmatter)', () => {
    const crlf = parseNote('---\r\ncanon: control-center\r\n---\r\n| a |\r\n| - |\r\n');
    expect(readFrontmatter(crlf.text, parseYaml)).toMatchObject({ ok: true, data: { canon: 'control-center' } });
    expect(crlf.frontmatter?.endLine).toBe(3);
    expect(only(crlf).line).toBe(4);
    expect(parseNote('---\ncanon: control-center\n...\n').frontmatter).toBeNull();
  });

  it('is no frontmatter when never closed or not on the first line', () => {
    const open = parseNote('---\ncanon: x\n\n# H');
    expect(open.frontmatter).toBeNull();
    expect(parseNote('\n---\ncanon: x\n---\n').frontmatter).toBeNull();
  });

  it('reads frontmatter of a canonical note as content never (a table-shaped line in it is no table)', () => {
    const note2 = parseNote('---\na: | x |\nb: | - |\n---\n');
    expect(note2.tables).toEqual([]);
  });
});

describe('headings', () => {
  it('reads ATX and setext headings with their plain text and level', () => {
    const note = parseNote('# A **b** #\n\nC `d`\n---\n\n#### \\# e\n');
    expect(note.headings.map((h) => [h.level, h.text, h.line])).toEqual([
      [1, 'A b', 1],
      [2, 'C d', 3],
      [4, '# e', 6],
    ]);
  });
});

describe('CRLF notes read as their LF twins', () => {
  const lf = '# Log\n\n> | a | b |\n> | - | - |\n> | `x\\|y` | *z* |\nlazy\n\nSet\n===\n';
  const crlf = lf.replace(/\n/g, '\r\n');

  it('gives the same lines, cells and headings, offsets shifted by one a line', () => {
    const a = parseNote(lf);
    const b = parseNote(crlf);
    expect(b.eol).toBe('\r\n');
    expect(b.headings.map((h) => [h.level, h.text, h.line])).toEqual(a.headings.map((h) => [h.level, h.text, h.line]));
    expect(b.tables).toHaveLength(a.tables.length);
    a.tables.forEach((ta, i) => {
      const tb = b.tables[i]!;
      expect(tb.prefix).toBe(ta.prefix);
      const rowsA = [ta.header, ta.delimiter, ...ta.rows];
      const rowsB = [tb.header, tb.delimiter, ...tb.rows];
      rowsA.forEach((ra, j) => {
        const rb = rowsB[j]!;
        const shift = ra.line - 1;
        expect([rb.line, rb.lineFrom, rb.from, rb.to]).toEqual([ra.line, ra.lineFrom + shift, ra.from + shift, ra.to + shift]);
        expect(rb.cells.map((c) => [c.raw, c.text, c.from - shift, c.to - shift])).toEqual(ra.cells.map((c) => [c.raw, c.text, c.from, c.to]));
      });
    });
  });
});

describe('inputs that must neither throw nor hang', () => {
  it('reads an empty note', () => {
    expect(parseNote('')).toMatchObject({ text: '', eol: '\n', lineStarts: [0], frontmatter: null, headings: [], tables: [] });
  });

  it('reads a 5 MB single line quickly', () => {
    const line = 'word *x* `c` | '.repeat(350_000);
    const t0 = performance.now();
    const note = parseNote(line);
    expect(note.tables).toEqual([]);
    expect(performance.now() - t0).toBeLessThan(5000);
    expect(parseNote('# ' + '_a *b '.repeat(200_000)).headings).toHaveLength(1);
  });

  it('reads a 500-column table', () => {
    const cells = Array.from({ length: 500 }, (_, i) => `c${i}`);
    const text = `| ${cells.join(' | ')} |\n|${' - |'.repeat(500)}\n| ${cells.join(' | ')} |\n`;
    const t = only(parseNote(text));
    expect(t.header.cells).toHaveLength(500);
    expect(t.rows[0]!.cells[499]!.text).toBe('c499');
  });

  it('reads 10,000 nested block quotes without recursion', () => {
    const q = '>'.repeat(10_000);
    const note = parseNote(`${q} | a |\n${q} | - |\n${q} | 1 |\n`);
    expect(only(note).rows[0]!.cells[0]!.text).toBe('1');
    expect(only(note).prefix).toBe(q + ' ');
  });

  it('stays linear on deep and repetitive nesting', () => {
    const inputs = [
      '- '.repeat(100_000) + 'x',
      Array.from({ length: 3000 }, (_, i) => ' '.repeat(i * 3) + '1. x').join('\n'),
      '[^a]: '.repeat(50_000) + 'x',
      '<a b="\n'.repeat(50_000),
      '# ' + 'a* '.repeat(50_000),
    ];
    for (const text of inputs) {
      const t0 = performance.now();
      parseNote(text);
      expect(performance.now() - t0).toBeLessThan(3000);
    }
  });

  it('reads NUL bytes, lone carriage returns and decoded invalid UTF-8', () => {
    const bytes = new Uint8Array([0x7c, 0x20, 0xff, 0x20, 0x7c, 0x0a, 0x7c, 0x2d, 0x7c, 0x0a, 0x7c, 0x00, 0xc3, 0x7c]);
    const t = only(parseNote(new TextDecoder().decode(bytes)));
    expect(t.header.cells[0]!.text).toBe('\ufffd');
    expect(t.rows[0]!.cells[0]!.text).toBe('\ufffd\ufffd');
    expect(only(parseNote('| a |\r| - |\r| b |')).rows[0]!.line).toBe(3);
  });
});
