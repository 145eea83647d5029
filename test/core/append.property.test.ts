import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkStack } from '../../src/core/check-stack';
import { defaultConfig } from '../../src/core/config/config';
import { planAppend } from '../../src/core/edit/append-entry';
import { escapeCell } from '../../src/core/edit/row-text';
import { applyEdits } from '../../src/core/edit/text-edit';
import { parseNote } from '../../src/core/markdown/parse-note';
import { FIXED_NOW, load, memoryVault } from '../helpers/memory-vault';

/** Prose and blocks that may surround the table: none of them is a table or a heading named like one. */
const block = fc.constantFrom(
  'Some prose with a | pipe and `code | span`.',
  '> A quote\n> over two lines.',
  '- a list item\n- another',
  '```\n| not | a | table |\n| - | - | - |\n```',
  '<!-- a comment | with a pipe -->',
  '## Other section',
  '1. numbered\n2. list',
  '---',
  'Text with **bold**, _emphasis_ and [[Some note|alias]].',
);

const safeText = fc.string({ unit: fc.constantFrom(...'abcXYZ 019|\\`*_[]<>&#-.:;!?é'.split('')), minLength: 1, maxLength: 24 })
  .filter((s) => s.trim() !== '' && !/\\$/.test(s.trim()) && !/^[-+*#>0-9]/.test(s.trim()));

const lessonRow = fc.tuple(fc.integer({ min: 1, max: 28 }), safeText).map(([day, lesson]) => `| 2026-10-${String(day).padStart(2, '0')} | ${escapeCell(lesson)} | |`);

const note = fc.record({
  before: fc.array(block, { maxLength: 4 }),
  rows: fc.array(lessonRow, { maxLength: 6 }),
  after: fc.array(block, { maxLength: 4 }),
  crlf: fc.boolean(),
  trailingNewline: fc.boolean(),
  frontmatter: fc.boolean(),
}).map(({ before, rows, after, crlf, trailingNewline, frontmatter }) => {
  const sortedRows = [...rows].sort();
  const parts = [
    ...(frontmatter ? ['---\ncanon: control-center\ntitle: x\n---'] : []),
    '# Control center', ...before, '## Lessons Learned', ['| Date | Lesson | Action |', '| --- | --- | --- |', ...sortedRows].join('\n'), ...after,
  ];
  let text = parts.join('\n\n') + (trailingNewline ? '\n' : '');
  if (crlf) text = text.replace(/\n/g, '\r\n');
  return text;
});

describe('append (property)', () => {
  it('changes nothing but the inserted row, and the row reads back as written', () => {
    fc.assert(
      fc.property(note, safeText, fc.option(safeText, { nil: undefined }), (text, lesson, action) => {
        const path = '00_Control.md';
        const { model, readOnly } = load({ [path]: text });
        const fields: Record<string, string> = { Lesson: lesson, ...(action === undefined ? {} : { Action: action }) };
        const plan = planAppend(model, readOnly, { kind: 'lesson', fields, now: FIXED_NOW });
        if (!plan.ok) throw new Error(JSON.stringify(plan.errors));
        expect(plan.edits).toHaveLength(1);
        const edit = plan.edits[0]!;
        expect(edit.from).toBe(edit.to);
        const output = applyEdits(text, plan.edits);
        expect(output.slice(0, edit.from)).toBe(text.slice(0, edit.from));
        expect(output.slice(edit.from + edit.insert.length)).toBe(text.slice(edit.from));
        const eol = text.includes('\r\n') ? '\r\n' : '\n';
        expect(edit.insert.startsWith(eol)).toBe(true);
        expect(edit.insert.slice(eol.length)).not.toMatch(/[\r\n]/);
        const table = parseNote(output).tables.find((t) => t.heading?.text === 'Lessons Learned');
        const row = table?.rows.at(-1);
        expect(row?.line).toBe(plan.line);
        expect(row?.cells.map((c) => c.raw)).toEqual(['2026-11-24', escapeCell(lesson), action === undefined ? '' : escapeCell(action)]);
      }),
      { numRuns: 300 },
    );
  });
});

describe('parser and validator (property)', () => {
  it('never throw on arbitrary text in any canonical note', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 400 }), fc.constantFrom('00_A.md', '02_B.md', '03_C.md', '04_D.md', '05_E.md'), (text, path) => {
        const result = checkStack(memoryVault({ [path]: text }), defaultConfig());
        expect(result.counts.error).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('never throw on table-shaped noise', () => {
    const cell = fc.string({ unit: fc.constantFrom(...'|\\`*[]W-0123456789.:% <>&\t'.split('')), maxLength: 12 });
    const line = fc.array(cell, { minLength: 1, maxLength: 8 }).map((cells) => `| ${cells.join(' | ')} |`);
    fc.assert(
      fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
        const text = `## Rollout Windows\n\n| Window | Start | End | Traffic | Missions | Fallbacks | Fallback Rate | p95 | Events | Decision | Notes |\n|-|-|-|-|-|-|-|-|-|-|-|\n${lines.join('\n')}\n\n## Rollback Triggers\n\n| Trigger | Metric | Condition | Window | Owner | Response |\n|-|-|-|-|-|-|\n${lines.join('\n')}\n`;
        expect(() => checkStack(memoryVault({ '04_Evidence.md': text }), defaultConfig())).not.toThrow();
      }),
      { numRuns: 300 },
    );
  });
});
