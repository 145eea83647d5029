/**
 * The inline fast paths, proven against remark: text that `needsInlineParse` calls safe is its own
 * plain text, and `plainInline` (escapes, code spans, emphasis) gives what mdast-util-to-string gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { needsInlineParse } from '../../src/core/markdown/cell-plain';
import { plainInline } from '../../src/core/markdown/inline-plain';
import { referenceShape } from './reference';

/** remark's plain text of `s` as a table cell and as an ATX heading. */
function remarkText(s: string): { cell: string; heading: string } {
  const shape = referenceShape(`# ${s}\n\n| h |\n| - |\n| ${s} |\n`);
  return { cell: shape.tables[0]?.rows[0]?.cells[0] ?? '', heading: shape.headings[0]?.text ?? '' };
}

/** Inline-ish text: single characters of every class and markup-looking fragments. */
const pieces = [
  'a', 'B', '7', ' ', ' ', '\t', '.', ',', ';', ':', '!', '?', '"', "'", '(', ')', '{', '}', '/', '#', '%', '+', '=', '^', '$',
  '-', '@', 'é', 'ß', '—', '“', '✓', '😀', '\u00a0', '\u2003', '\u000b', '。', '*', '**', '_', '__', '~', '`', '``', '\\',
  '\\*', '\\_', '\\`', '\\\\', '\\|', '[', ']', '[[', ']]', '](', '<', '>', '<b>', '<br>', '</b>', '&', '&amp;', '&#35;',
  'a_b', 'x_', '_x', 'www.', 'http://', 'a@b', ':/', '&x', ';',
];

/** Whether `s` has a pipe that is not escaped (it would split a table cell). */
function hasRawPipe(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\\' && (s[i + 1] === '\\' || s[i + 1] === '|')) i++;
    else if (s[i] === '|') return true;
  }
  return false;
}

const inline = fc
  .array(fc.constantFrom(...pieces), { minLength: 1, maxLength: 10 })
  .map((parts) => parts.join('').replace(/^[ \t]+|[ \t]+$/g, ''))
  // Keep to text that is inline in both places: no block starts, no ATX closing `#`, no raw pipe.
  .filter((s) => s.length > 0 && !/^[#>\-+*=]|^\d+[.)]|^\[\^|^[`~]{3}|^<|#$/.test(s) && !hasRawPipe(s));

describe('the inline fast path', () => {
  it('leaves text alone exactly when remark does', () => {
    fc.assert(
      fc.property(inline, (s) => {
        fc.pre(!needsInlineParse(s, false));
        const { cell, heading } = remarkText(s);
        expect(cell).toBe(s.trim());
        expect(heading).toBe(s.trim());
      }),
      { numRuns: 800 },
    );
  });

  it('treats brackets as markup once the note defines links', () => {
    expect(needsInlineParse('[[note]]', false)).toBe(false);
    expect(needsInlineParse('[[note]]', true)).toBe(true);
    expect(needsInlineParse('[a](b)', false)).toBe(true);
  });

  it('knows the characters that may change text', () => {
    for (const s of ['*a*', '_a_', '~a~', '`a`', '\\*', '<http://a.b>', '&amp;', 'a\0b']) expect(needsInlineParse(s, false)).toBe(true);
    for (const s of ['snake_case', 'C:\\Users', '<br>', 'R&D', '2026-03-07 08:00', '3.2 %', 'x > y']) expect(needsInlineParse(s, false)).toBe(false);
  });
});

describe('plainInline (escapes, code spans, emphasis without remark)', () => {
  it('gives remark’s plain text whenever it answers', () => {
    fc.assert(
      fc.property(inline, (s) => {
        const cell = plainInline(s, true, false);
        const heading = plainInline(s, false, false);
        fc.pre(cell !== null && heading !== null);
        const expected = remarkText(s);
        expect(cell?.trim()).toBe(expected.cell);
        expect(heading?.trim()).toBe(expected.heading);
      }),
      { numRuns: 1500 },
    );
  });

  it('resolves the common cases', () => {
    expect(plainInline('**Manual** hold by the on-call.', true, false)).toBe('Manual hold by the on-call.');
    expect(plainInline('Ran `events \\| where name == "x"` twice', true, false)).toBe('Ran events | where name == "x" twice');
    expect(plainInline('Ran `events \\| where name == "x"` twice', false, false)).toBe('Ran events \\| where name == "x" twice');
    expect(plainInline('see [[03 Playbook#Queries\\|queries]]', true, false)).toBe('see [[03 Playbook#Queries|queries]]');
    expect(plainInline('***x*** and *a **b** c*', true, false)).toBe('x and a b c');
  });

  it('hands links, HTML, autolinks, entities and strikethrough to remark', () => {
    for (const s of ['[a](b) *x*', '<b>*x*</b>', 'www.x.com *a*', '&amp; *a*', '~~a~~', 'a@b.c *x*']) expect(plainInline(s, true, false)).toBeNull();
  });
});
