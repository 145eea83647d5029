/** fast-check arbitraries for generated notes: realistic blocks, and line soups of table-ish lines. */
import fc from 'fast-check';

/** Inline pieces a cell or heading may hold: plain words, escapes, code with pipes, markup, links. */
const inlinePieces = [
  'alpha', 'beta gamma', '2026-03-07 08:00', 'W-12', 'D-3', '3.2%', '1,200', 'vp.mission.failed=2',
  'a_b_c', 'snake_case', 'C:\\Users', 'x\\y', '\\|', '\\\\', '\\*', '\\_', '`code`', '`a|b`', '`a\\|b`',
  '`` a ` b ``', '*em*', '_em_', '**strong**', '__strong__', '~~del~~', '~one~', '[link](https://x.y)',
  '[ref]', '[[note]]', '[[note\\|alias]]', '[[note#head\\|alias]]', '![img](i.png)', '&amp;', '&copy;',
  '&#35;', '&nosuch;', 'R&D', '<b>bold</b>', '<br>', '<span title="t">x</span>', '<https://a.b/c>',
  '<me@x.org>', 'www.example.com', 'https://example.com/p?q=1', 'a@b.co', '!', '#', '# x', '-', ':',
  '>', '<', '1.', '*', '_', '~', '[', ']', '(', ')', '"q"', "'s'", '\u00a0', 'é', '😀', '\t', '  ',
  '[^1]', '<!-- c -->', '\\`', 'x  y', '   ',
];

export const inlineText = fc
  .array(fc.constantFrom(...inlinePieces), { minLength: 1, maxLength: 4 })
  .map((parts) => parts.join(' ').replace(/\|/g, '\\|').replace(/\\\\\|/g, '\\|'));

/** Cell text: may hold raw pipes inside code (which split the cell, as in remark). */
const cellText = fc.oneof(
  { weight: 5, arbitrary: fc.array(fc.constantFrom(...inlinePieces), { maxLength: 3 }).map((p) => p.join(' ')) },
  { weight: 1, arbitrary: fc.constantFrom('', ' ', '`x|y`', '[[n|a]]') },
);

const pad = fc.constantFrom('', ' ', '  ', '\t');

function row(cells: string[], lead: boolean, trail: boolean, padding: string): string {
  return (lead ? '|' + padding : '') + cells.join(padding + '|' + padding) + (trail ? padding + '|' : '');
}

const align = fc.constantFrom('-', '---', ':--', '--:', ':-:', '-----');

/** A GFM table: header, delimiter with the same count, body rows that may be short or long. */
export const tableBlock = fc
  .record({
    columns: fc.integer({ min: 1, max: 5 }),
    lead: fc.boolean(),
    trail: fc.boolean(),
    padding: pad,
    header: fc.array(cellText, { minLength: 5, maxLength: 5 }),
    aligns: fc.array(align, { minLength: 5, maxLength: 5 }),
    body: fc.array(fc.array(cellText, { minLength: 0, maxLength: 7 }), { maxLength: 5 }),
    lazyTail: fc.constantFrom('', '', '', 'lazy text'),
  })
  .map(({ columns, lead, trail, padding, header, aligns, body, lazyTail }) => {
    const headCells = header.slice(0, columns).map((c) => c.replace(/\|/g, '\\|').trim() || 'h');
    const lines = [row(headCells, lead || columns === 1, trail, padding), row(aligns.slice(0, columns), lead || columns === 1, trail, padding)];
    for (const cells of body) lines.push(row(cells.length ? cells : [''], true, true, padding));
    if (lazyTail) lines.push(lazyTail);
    return lines;
  });

const heading = fc.oneof(
  fc.tuple(fc.integer({ min: 1, max: 6 }), inlineText, fc.constantFrom('', ' #', ' ##', ' #  ')).map(([n, t, close]) => ['#'.repeat(n) + ' ' + t + close]),
  fc.tuple(inlineText, fc.constantFrom('===', '---', '=', '--')).map(([t, u]) => [t, u]),
  fc.tuple(inlineText, inlineText).map(([a, b]) => [a, b, '===']),
);

const paragraph = fc.array(inlineText, { minLength: 1, maxLength: 3 });

const fence = fc
  .tuple(fc.constantFrom('```', '~~~', '````'), fc.constantFrom('', 'md', 'js x'), fc.array(fc.constantFrom('| a | b |', '| - | - |', '# not', 'code', '```', ''), { maxLength: 4 }), fc.boolean())
  .map(([f, info, body, closed]) => [f + info, ...body.filter((l) => !l.startsWith(f[0] as string)), ...(closed ? [f] : [])]);

const html = fc.constantFrom<string[]>(
  ['<div>', '| a | b |', '| - | - |', '</div>'],
  ['<!--', '| a |', '| - |', '-->'],
  ['<details>', '<summary>S</summary>', '', '| a |', '| - |', '</details>'],
  ['<pre>', '# not a heading', '</pre>'],
  ['<custom-tag>'],
  ['<br/>'],
);

const misc = fc.constantFrom<string[]>(['---'], ['***'], ['    indented code'], [''], ['[ref]: https://ref.example'], ['[^1]: A footnote.'], ['- [ ] task'], ['text | with pipe']);

type Lines = string[];

function nest(inner: fc.Arbitrary<Lines>): fc.Arbitrary<Lines> {
  return fc.tuple(fc.constantFrom('> ', '>', '- ', '* ', '1. ', '2) ', '> - ', '- > '), inner).map(([marker, lines]) => {
    const rest = marker.startsWith('>') ? marker.replace(/[-*] $/, '  ') : ' '.repeat(marker.length);
    return lines.map((l, i) => (i === 0 ? marker : l === '' ? rest.trimEnd() : rest) + l);
  });
}

const leaf = fc.oneof(
  { weight: 5, arbitrary: tableBlock },
  { weight: 2, arbitrary: heading },
  { weight: 3, arbitrary: paragraph },
  { weight: 1, arbitrary: fence },
  { weight: 1, arbitrary: html },
  { weight: 1, arbitrary: misc },
);

const block: fc.Arbitrary<Lines> = fc.oneof(
  { weight: 4, arbitrary: leaf },
  { weight: 2, arbitrary: nest(leaf) },
  { weight: 1, arbitrary: nest(nest(leaf)) },
);

/** A note of realistic blocks, separated by blank lines or not (so blocks interrupt each other). */
export const realisticNote = fc
  .array(fc.tuple(block, fc.constantFrom('\n\n', '\n\n', '\n')), { maxLength: 8 })
  .map((blocks) => blocks.map(([lines, sep]) => lines.join('\n') + sep).join(''));

/** Line prefixes that open or continue containers, or indent. */
const soupPrefixes = ['', '', '', '', '> ', '>', '- ', '  ', '1. ', '    ', '   ', '\t', '> - ', '[^1]: ', ' ', '* ', '2) ', '>  ', '> > ', '-', ' - ', '>\t', '  - ', '+ ', '>>', '- [ ] ', '-\t'];

/** Line bodies around tables: heads, delimiter rows, blocks that interrupt, lazy text. */
const soupBodies = [
  '| a | b |', '| - | - |', 'a | b', '-|-', ':-', '|-', '| 1 |', '| 1 | 2 | 3 |', 'text', 'more text', '# h', '## h #',
  '---', '===', '```', '~~~', '````', '<div>', '<!--', '-->', '', '', '', '', '| `a|b` | c \\| d |', '*x* | _y_',
  '|', '||', '| :-: | --: |', '- | -', 'x\\|y | z', '<b>', '</div>', '<pre>', '</pre>', '[x]: /u', '[x] | [^1]',
  '\t| a |', '|a|b|', '|---|---|', '    | a |', '| [x] | a_b_ |', '| **b** | ~~s~~ |', '<http://a.b> | &amp;',
  '-', '=', '***', '#', '\\# x', '| a |  |', '<!-- x -->', '[^1]: note', '1. x', '2. y', '- x', '> q',
];

/** A "soup" of such lines with mixed line endings: finds where container and table rules meet. */
export const lineSoup = fc
  .array(
    fc.tuple(fc.constantFrom(...soupPrefixes), fc.constantFrom(...soupBodies), fc.constantFrom('', '', ' ', '\t'), fc.constantFrom('\n', '\n', '\n', '\r\n', '\r')),
    { maxLength: 12 },
  )
  .map((lines) => lines.map(([prefix, body, tail, eol]) => prefix + body + tail + eol).join(''));
