import { describe, expect, it } from 'vitest';
import { applyEdits } from '../../../src/core/edit/text-edit';
import { frontmatterLayout, setFrontmatterKey } from '../../../src/core/session/frontmatter-layout';
import { readSessionNote } from '../../../src/core/session/session-note';
import { parseYaml } from '../../../src/cli/parse-yaml';

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

describe('session note frontmatter', () => {
  it('reads the flow form Canon writes', () => {
    const read = readSessionNote(FLOW, parseYaml);
    expect(read.ok).toBe(true);
    if (!read.ok) return;
    expect(read.session).toMatchObject({
      canon: 'session', started: '2026-11-24T14:05', objective: 'Ship the handoff: "P-4"', packets: ['P-4', 'P-5'], status: 'open',
      ticks: ['Code behavior validated.'], changes: [], gates: ['P-4 G1'],
      baseline: { status: { rows: 10, last: '| a \\| b |' }, decision: { rows: 5, maxId: 5 } },
    });
  });

  it('reads the block form Obsidian rewrites it to as the same session', () => {
    const flow = readSessionNote(FLOW, parseYaml);
    const block = readSessionNote(BLOCK, parseYaml);
    expect(block.ok && flow.ok && block.session).toEqual(flow.ok && flow.session);
  });

  it('reads a single packet written as a scalar as a one-item list', () => {
    const read = readSessionNote(FLOW.replace('packets: ["P-4", "P-5"]', 'packets: P-4'), parseYaml);
    expect(read.ok && read.session.packets).toEqual(['P-4']);
  });

  it('names the key and what was expected when the frontmatter is not a session', () => {
    expect(readSessionNote('# no frontmatter\n', parseYaml)).toMatchObject({ ok: false, problem: expect.stringMatching(/no frontmatter/) as unknown });
    const bad = readSessionNote(FLOW.replace('status: open', 'status: paused'), parseYaml);
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
    expect(readSessionNote(after, parseYaml).ok).toBe(true);
  });

  it('reads an objective written as a `|` block with its blank lines, and one in single quotes', () => {
    const block = readSessionNote(FLOW.replace('objective: "Ship the handoff: \\"P-4\\""', 'objective: |\n  Ship the handoff.\n\n  Then measure it.'), parseYaml);
    expect(block.ok && block.session.objective).toBe('Ship the handoff.\n\nThen measure it.\n');
    const quoted = readSessionNote(FLOW.replace('objective: "Ship the handoff: \\"P-4\\""', "objective: 'it''s # not a comment'"), parseYaml);
    expect(quoted.ok && quoted.session.objective).toBe("it's # not a comment");
  });

  it('reads anchors, aliases and tags as `yaml` does', () => {
    const text = FLOW.replace('ticks: ["Code behavior validated."]', 'ticks: &t ["Code behavior validated."]').replace('gates: ["P-4 G1"]', 'gates: *t\nchanges2: !!str 1e3');
    const read = readSessionNote(text.replace('changes2', 'objective2'), parseYaml);
    // objective2 is no key of the schema: the session reads, and the alias gives the anchored list.
    expect(read.ok && read.session.gates).toEqual(['Code behavior validated.']);
    expect(read.ok && read.data.objective2).toBe('1e3');
  });

  it('names the line of YAML that does not parse, and refuses a key no line shows', () => {
    const bad = readSessionNote(FLOW.replace('status: open', 'status: open\nstatus: closed'), parseYaml);
    expect(bad).toEqual({ ok: false, problem: 'frontmatter line 7: the frontmatter is not valid YAML (Map keys must be unique); expected YAML that Obsidian can read' });
    const unlined = readSessionNote(FLOW.replace('changes: []\n', '? changes\n: []\n'), parseYaml);
    expect(unlined).toEqual({ ok: false, problem: 'frontmatter key `changes` is not where Canon can rewrite it; expected each top-level key on a `key: value` line of its own' });
  });
});
