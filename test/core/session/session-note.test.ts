import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edit/text-edit';
import { frontmatterLayout, setFrontmatterKey } from '../../../src/core/session/frontmatter-layout';
import { readSessionNote } from '../../../src/core/session/session-note';
import { parseYamlValue } from '../../../src/core/session/yaml-lite';

const FLOW = `---
canon: session
started: 2026-11-24T14:05
objective: "Ship the handoff: \\"P-4\\""
packets: ["P-4", "P-5"]
status: open
ticks: ["Code behavior validated."]
changes: []
gates: ["P-4 G1"]
baseline:
  status: {"rows":10,"last":"| a \\\\| b |"}
  decision: {"rows":5,"maxId":5}
---

# Ship the handoff

My own notes.
`;

/** The same frontmatter as Obsidian's property editor writes it back: block lists and maps. */
const BLOCK = `---
canon: session
started: 2026-11-24T14:05
objective: 'Ship the handoff: "P-4"'
packets:
  - P-4
  - P-5
status: open
ticks:
- Code behavior validated.
changes: []
gates:
  - P-4 G1
baseline:
  status:
    rows: 10
    last: "| a \\\\| b |"
  decision:
    rows: 5
    maxId: 5 # largest id at start
---

# Ship the handoff
`;

describe('yaml-lite', () => {
  it.each([
    ['plain', 'P-4', [], 'P-4'],
    ['number', '12', [], 12],
    ['boolean and null', '[true, ~, null]', [], [true, null, null]],
    ['comment', 'open # still open', [], 'open'],
    ['double-quoted escapes', '"a\\nb \\u00e9 \\"q\\""', [], 'a\nb é "q"'],
    ['single-quoted', "'it''s # not a comment'", [], "it's # not a comment"],
    ['flow list', '[P-4, "P-5", \'P-6\']', [], ['P-4', 'P-5', 'P-6']],
    ['JSON map', '{"rows":10,"last":"| x |"}', [], { rows: 10, last: '| x |' }],
    ['block list', '', ['  - a', '  - "b"'], ['a', 'b']],
    ['block map', '', ['  rows: 3', '  last: x: y'], { rows: 3, last: 'x: y' }],
    ['list of maps', '', ['  - rows: 1', '    done: 0'], [{ rows: 1, done: 0 }]],
    ['literal block', '|', ['  line one', '  line two'], 'line one\nline two'],
    ['quoted scalar over two lines', '"| a | b,', ['    c |"'], '| a | b, c |'],
    ['flow list over two lines', '[P-4,', ['  P-5]'], ['P-4', 'P-5']],
  ])('reads %s', (_, inline, lines, expected) => {
    expect(parseYamlValue(inline, lines)).toEqual(expected);
  });
});

describe('session note frontmatter', () => {
  it('reads the flow form Canon writes', () => {
    const read = readSessionNote(FLOW);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.session).toMatchObject({
      canon: 'session', started: '2026-11-24T14:05', objective: 'Ship the handoff: "P-4"', packets: ['P-4', 'P-5'], status: 'open',
      ticks: ['Code behavior validated.'], changes: [], gates: ['P-4 G1'],
      baseline: { status: { rows: 10, last: '| a \\| b |' }, decision: { rows: 5, maxId: 5 } },
    });
  });

  it('reads the block form Obsidian rewrites it to as the same session', () => {
    const flow = readSessionNote(FLOW);
    const block = readSessionNote(BLOCK);
    expect(block.ok && flow.ok && block.session).toEqual(flow.ok && flow.session);
  });

  it('reads a single packet written as a scalar as a one-item list', () => {
    const read = readSessionNote(FLOW.replace('packets: ["P-4", "P-5"]', 'packets: P-4'));
    expect(read.ok && read.session.packets).toEqual(['P-4']);
  });

  it('names the key and what was expected when the frontmatter is not a session', () => {
    expect(readSessionNote('# no frontmatter\n')).toMatchObject({ ok: false, problem: expect.stringMatching(/no frontmatter/) as unknown });
    const bad = readSessionNote(FLOW.replace('status: open', 'status: paused'));
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problem).toMatch(/^frontmatter status: .*expected a session note/);
  });

  it('rewrites one key and nothing else', () => {
    const layout = frontmatterLayout(BLOCK);
    expect(layout?.keys.map((k) => k.key)).toEqual(['canon', 'started', 'objective', 'packets', 'status', 'ticks', 'changes', 'gates', 'baseline']);
    if (!layout) return;
    const after = applyEdits(BLOCK, [setFrontmatterKey(layout, 'ticks', '["A", "B"]')]);
    expect(after).toBe(BLOCK.replace('ticks:\n- Code behavior validated.\n', 'ticks: ["A", "B"]\n'));
    const added = applyEdits(BLOCK, [setFrontmatterKey(layout, 'closed', '2026-11-24T16:30')]);
    expect(added).toBe(BLOCK.replace('    maxId: 5 # largest id at start\n---', '    maxId: 5 # largest id at start\nclosed: 2026-11-24T16:30\n---'));
  });

  it('keeps CRLF line endings', () => {
    const crlf = FLOW.replace(/\n/g, '\r\n');
    const layout = frontmatterLayout(crlf);
    if (!layout) throw new Error('no layout');
    expect(layout.eol).toBe('\r\n');
    const after = applyEdits(crlf, [setFrontmatterKey(layout, 'gates', '[]')]);
    expect(after).toBe(crlf.replace('gates: ["P-4 G1"]\r\n', 'gates: []\r\n'));
    expect(readSessionNote(after).ok).toBe(true);
  });
});
