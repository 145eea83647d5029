/** parseNote against remark-parse + remark-gfm on every fixture, as is, with CRLF, with frontmatter. */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNote } from '../../src/core/markdown/parse-note';
import { blankFrontmatter, referenceShape, scannerShape } from './reference';

const dir = join(__dirname, '../fixtures/markdown');
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.md'));

const variants: [string, (text: string) => string][] = [
  ['as written', (t) => t],
  ['with CRLF line endings', (t) => t.replace(/\r?\n/g, '\r\n')],
  ['with frontmatter prepended', (t) => '---\ncanon: control-center\ntags:\n  - a\n---\n' + t],
];

describe('parseNote agrees with remark on every fixture', () => {
  it('has fixtures', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(15);
  });
  for (const file of fixtures) {
    for (const [name, variant] of variants) {
      it(`${file} ${name}`, () => {
        const text = variant(readFileSync(join(dir, file), 'utf8'));
        const note = parseNote(text);
        expect(scannerShape(note)).toEqual(referenceShape(blankFrontmatter(text, note)));
      });
    }
  }
});
