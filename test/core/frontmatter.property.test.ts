/**
 * The one frontmatter reader held to a real YAML parser (`yaml`, the CLI's): generated frontmatter
 * blocks — comments, quotes, blank lines, block scalars, anchors, aliases, tags, flow and block
 * collections, numbers and words whose type differs between YAML 1.1 and 1.2, broken YAML — read as
 * `yaml.parse` reads them, for every key and so for the keys Canon reads (`canon`, a session's).
 * The plain reader answers only where it agrees with `yaml`, and declines the rest.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYaml } from '../../src/cli/parse-yaml';
import { readFrontmatter } from '../../src/core/markdown/frontmatter';
import { readPlainYaml } from '../../src/core/markdown/plain-yaml';
import { claimOf, readClaim } from '../../src/core/stack/claim';

const RUNS = { numRuns: 3000 };

const KEYS = ['canon', 'canon', 'title', 'tags', 'status', 'a', 'b_c', 'Due date', 'x-y', 'k2', 'null', 'yes', 'true', 'Y', '"canon"', "'canon'", '"q\\tk"', '__proto__', '1', '-k', 'é'];

/** Plain scalars, numbers and words that YAML 1.1 and 1.2 type differently, quoted forms, comments. */
const PLAIN_VALUES = [
  'evidence-log', 'session', 'hello world', "it's", 'a#b', 'http://x.y/z', 'a, b', 'a [b] {c}', 'x ?y', 'é', '😀', '=', 'a  b',
  '~', 'null', 'Null', 'NULL', 'true', 'True', 'FALSE', 'yes', 'No', 'on', 'off', 'y', 'n',
  '42', '-3', '0', '-0', '007', '1.5', '1.50', '123456789012345', '1234567890123456789', '1e3', '-1e3', '0x1F', '0o7', '1_000', '.5', '+1', '1.',
  '.inf', '-.inf', '.nan', '2026-01-05', '2026-11-24T14:05', '2026-11-24 14:05:00', '12:30', '-foo', '--', '<<',
  '"a # b"', '"esc \\"q\\""', '"tab\\tx"', '"\\u00e9"', '"back\\\\slash"', "'it''s'", "''", '""', "'a\\b'", '"a\' b"',
];
/** What is outside the plain subset, or not YAML at all. */
const OTHER_VALUES = [
  'a: b', 'x:', '- x', '-', '[a, b]', '[a, b', '{a: 1}', '{a', '[]', '{}', '&a evidence-log', '*a', '&a [1, 2]', '!!str 1e3', '!!int "3"', '!custom x',
  '!!binary aGk=', '%x', '@x', '`x', '|', '|-', '|+', '>', '>-', '|2', '"unterminated', "'x' y", '"x"y', 'a\tb', '? x', ': x', '*undefined',
];
const COMMENTS = ['', '', '', ' # c', '  #c', '\t# c', '#c', ' # x: y', '   '];
const SEPARATORS = [': ', ': ', ':  ', ':', ':\t'];
/** Lines under an entry: a block scalar's (with blank lines), a nested map or list, or lines that break the YAML. */
const BODIES: string[][] = [
  [], [], [], ['  line one'], ['  line one', '', '  line two'], ['  line one', '', '', '    indented', '  last'], ['  - item', '  - 2'], ['- item', '- [a, b]'],
  ['  nested: 1', '  deeper:', '    x: &n 3'], ['  continued plain'], [' one space'], ['\tx'], ['  # a comment in the body'],
];
const FILLERS = ['', '# a comment', '  # an indented comment', '...', '%YAML 1.2', 'just text', '? canon', ': evidence-log', 'ref: *a', 'canon: *a'];

/** One top-level entry: its lines. */
const entry = (values: readonly string[]) =>
  fc.tuple(fc.constantFrom(...KEYS), fc.constantFrom(...SEPARATORS), fc.constantFrom(...values), fc.constantFrom(...COMMENTS), fc.constantFrom(...BODIES))
    .map(([key, separator, value, comment, body]) => [`${key}${separator}${value}${comment}`, ...body]);
const filler = fc.constantFrom(...FILLERS).map((line) => [line]);

/** A frontmatter block's YAML (each line ended with `\n`). */
const block = (values: readonly string[], fillerWeight: number) =>
  fc.array(fc.oneof({ arbitrary: entry(values), weight: 4 }, { arbitrary: filler, weight: fillerWeight }), { maxLength: 8 })
    .map((entries) => entries.flat().map((line) => `${line}\n`).join(''));

const anyBlock = block([...PLAIN_VALUES, ...OTHER_VALUES], 1);
/** Frontmatter as notes usually have it: plain keys, words, quoted text, small numbers, booleans, comments. */
const COMMON_VALUES = ['evidence-log', 'session', 'hello world', "it's", 'http://x.y/z', 'a, b', 'é', '', '~', 'null', 'true', 'false', '42', '-3', '1.5', '"a # b"', "'it''s'", '""'];
const commonBlock = fc.array(
  fc.oneof(
    { arbitrary: fc.tuple(fc.constantFrom('canon', 'title', 'status', 'owner', 'Due date', 'x-y'), fc.constantFrom(...COMMON_VALUES), fc.constantFrom('', '', ' # c', '  #c')).map(([k, v, c]) => `${k}: ${v}${c}`), weight: 5 },
    { arbitrary: fc.constantFrom('', '# a comment', '  # indented'), weight: 1 },
  ),
  { maxLength: 6 },
).map((lines) => lines.map((line) => `${line}\n`).join(''));

/** What `yaml` reads, or 'error'. */
function yamlReads(source: string): unknown {
  try {
    // Warnings (an unknown tag read as a string) not printed; the values are the same.
    return parse(source, { logLevel: 'error' }) as unknown;
  } catch {
    return 'error';
  }
}

const isMap = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The 1-based note line of the first line that starts the key `canon` (2 when none does: `? canon`). */
function canonLine(source: string): number {
  const at = source.split(/\r?\n/).findIndex((line) => /^(?:canon|"canon"|'canon')[ \t]*:(?:[ \t]|$)/.test(line));
  return at < 0 ? 2 : at + 2;
}

describe('the plain reader, held to `yaml`', () => {
  it('answers only what `yaml` reads the same, for every key', () => {
    fc.assert(
      fc.property(anyBlock, (source) => {
        const plain = readPlainYaml(source);
        if (plain === null) return;
        const yaml = yamlReads(source);
        expect(yaml, source).not.toBe('error');
        expect(plain, source).toEqual(yaml ?? {});
      }),
      RUNS,
    );
  });

  it('answers every block of the frontmatter notes usually have, unless a key is there twice (so the property above is not empty)', () => {
    fc.assert(
      fc.property(commonBlock, (source) => {
        const keys = source.split('\n').filter((l) => /^\w/.test(l)).map((l) => l.slice(0, l.indexOf(':')));
        const plain = readPlainYaml(source);
        expect(plain !== null, source).toBe(new Set(keys).size === keys.length);
        if (plain) expect(plain, source).toEqual(yamlReads(source) ?? {});
      }),
      RUNS,
    );
  });
});

describe('the frontmatter reader, held to `yaml`', () => {
  it('reads every block as `yaml` does: the same map, or a problem with a line inside the block', () => {
    fc.assert(
      fc.property(anyBlock, fc.constantFrom('\n', '\r\n'), fc.boolean(), (lf, eol, bom) => {
        const source = lf.replace(/\n/g, eol);
        const note = `${bom ? '\uFEFF' : ''}---${eol}${source}---${eol}# Body${eol}`;
        const read = readFrontmatter(note, parseYaml);
        const yaml = yamlReads(source);
        const lines = lf.split('\n').length;
        if (yaml === null || yaml === undefined) expect(read, source).toMatchObject({ ok: true, data: {} });
        else if (isMap(yaml)) expect(read, source).toMatchObject({ ok: true, data: yaml });
        else {
          expect(read.ok, source).toBe(false);
          if (!read.ok) expect(read.problem.line, source).toBeGreaterThanOrEqual(2);
          if (!read.ok) expect(read.problem.line, source).toBeLessThanOrEqual(lines + 1);
        }
        // The same YAML with LF line endings reads the same.
        expect(readFrontmatter(`---\n${lf}---\n`, parseYaml).ok).toBe(read.ok);
      }),
      RUNS,
    );
  });

  it('reads the claim as `yaml` reads `canon`, at the line of its key', () => {
    fc.assert(
      fc.property(anyBlock, (source) => {
        const claim = readClaim(`---\n${source}---\n`, parseYaml);
        const yaml = yamlReads(source);
        if (!isMap(yaml)) {
          expect(claim.canon, source).toBeUndefined();
          return;
        }
        const canon = claimOf(yaml);
        expect(claim, source).toEqual(canon === undefined ? {} : { canon, canonLine: canonLine(source) });
      }),
      RUNS,
    );
  });
});
