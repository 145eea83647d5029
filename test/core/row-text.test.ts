import { describe, expect, it } from 'vitest';
import { escapeCell, formatRow } from '../../src/core/edit/row-text';
import { parseNote } from '../../src/core/markdown/parse-note';

describe('escapeCell', () => {
  it.each([
    ['a|b', 'a\\|b'],
    ['a\\|b', 'a\\|b'],
    ['a\\\\|b', 'a\\\\\\|b'],
    ['[[note|alias]]', '[[note\\|alias]]'],
    ['line one\nline two\r\nthree', 'line one<br>line two<br>three'],
    ['  padded  ', 'padded'],
    ['`x | y`', '`x \\| y`'],
  ])('%j → %j', (value, expected) => {
    expect(escapeCell(value)).toBe(expected);
  });

  it('always reads back as one cell', () => {
    for (const value of ['a|b', '\\|', '\\\\|', '|||', 'x\\', '`|`', '[[a|b]]|c']) {
      const row = formatRow(['h', escapeCell(value)], { leading: true, trailing: true, padded: true });
      const note = parseNote(`| a | b |\n| - | - |\n${row}\n`);
      expect(note.tables[0]?.rows[0]?.cells).toHaveLength(2);
    }
  });
});

describe('formatRow', () => {
  it('keeps the table\'s pipe style', () => {
    expect(formatRow(['a', 'b'], { leading: true, trailing: true, padded: true })).toBe('| a | b |');
    expect(formatRow(['a', 'b'], { leading: false, trailing: false, padded: false })).toBe('a|b');
    expect(formatRow(['a', ''], { leading: true, trailing: true, padded: true })).toBe('| a | |');
  });

  it('writes a leading pipe when the first cell is empty', () => {
    expect(formatRow(['', 'b'], { leading: false, trailing: false, padded: false })).toBe('||b|');
  });
});
