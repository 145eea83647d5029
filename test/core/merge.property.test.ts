// Property: two sequences of appends to the same base table merge into every row of both, ids
// unique and increasing, and merging in the other order gives the same rows (ids aside).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planMerge } from '../../src/core/merge/merge-note';
import { PHASE_A } from '../../src/core/schema/preset';

const HEADER = '| ID | Date | Decision | Rationale | Owner | Status | Supersedes |\n| --- | --- | --- | --- | --- | --- | --- |';

/** A new row: its text (unique per side and position) and what it names — a base decision, or one of its own side's earlier rows. */
interface NewRow {
  tag: string;
  /** Index of an earlier row of the same side named in Rationale, or null. */
  names: number | null;
  /** A base decision named in Supersedes? No: supersedes would edit the base row; a plain mention instead. */
  mentionsBase: number | null;
}

const side = (name: 'o' | 't'): fc.Arbitrary<NewRow[]> =>
  fc.array(fc.record({ names: fc.option(fc.nat({ max: 8 }), { nil: null }), mentionsBase: fc.option(fc.integer({ min: 1, max: 3 }), { nil: null }) }), { maxLength: 7 })
    .map((rows) => rows.map((r, i) => ({ tag: `${name}${i}`, names: r.names !== null && r.names < i ? r.names : null, mentionsBase: r.mentionsBase })));

const base = fc.record({ rows: fc.integer({ min: 0, max: 3 }), before: fc.constantFrom('', 'Intro text.\n\n'), after: fc.constantFrom('', '\n## Lessons Learned\n\nNone yet.\n'), crlf: fc.boolean() });

function note(baseRows: number, before: string, after: string, rows: string[]): string {
  const body = [HEADER, ...Array.from({ length: baseRows }, (_, i) => `| D-${i + 1} | 2026-10-0${i + 1} | Base ${i + 1}. | Because. | Ivo | accepted | |`), ...rows].join('\n');
  return `---\ncanon: control-center\n---\n# Control\n\n${before}## Decision Log\n\n${body}\n${after}`;
}

/** A side's rows as `canon add` would write them: the next ids after the base's. */
function written(baseRows: number, rows: NewRow[]): string[] {
  return rows.map((r, i) => {
    const mention = [r.names !== null ? `after D-${baseRows + 1 + r.names}` : '', r.mentionsBase !== null && r.mentionsBase <= baseRows ? `see D-${r.mentionsBase}` : ''].filter(Boolean).join(', ');
    return `| D-${baseRows + 1 + i} | 2026-11-01 | Row ${r.tag}. | ${mention || 'Because.'} | Ivo | proposed | |`;
  });
}

/** The merged table's rows with every id replaced by the tag of the row holding it: rows compared ids aside. */
function canonical(text: string): { rows: string[]; ids: number[] } {
  const lines = text.replace(/\r\n/g, '\n').split('\n').filter((l) => /^\| D-\d+ \|/.test(l));
  const ids = lines.map((l) => Number(/^\| D-(\d+)/.exec(l)?.[1]));
  const label = new Map<number, string>();
  lines.forEach((l, i) => label.set(ids[i] as number, /\| Row (\w+)\. \|/.exec(l)?.[1] ?? `base${ids[i]}`));
  return { rows: lines.map((l) => l.replace(/D-(\d+)/g, (_, n: string) => `<${label.get(Number(n)) ?? `?${n}`}>`)).sort(), ids };
}

describe('planMerge (property)', () => {
  it('holds every row of both sides once, ids unique and increasing, the same rows in either order', () => {
    fc.assert(
      fc.property(base, side('o'), side('t'), (b, ours, theirs) => {
        const eol = (s: string): string => (b.crlf ? s.replace(/\n/g, '\r\n') : s);
        const baseText = eol(note(b.rows, b.before, b.after, []));
        const oursText = eol(note(b.rows, b.before, b.after, written(b.rows, ours)));
        const theirsText = eol(note(b.rows, b.before, b.after, written(b.rows, theirs)));
        const one = planMerge({ base: baseText, ours: oursText, theirs: theirsText, role: 'control-center', preset: PHASE_A });
        const other = planMerge({ base: baseText, ours: theirsText, theirs: oursText, role: 'control-center', preset: PHASE_A });
        if (ours.length === 0 && theirs.length === 0) {
          expect(one.ok).toBe(false);
          return;
        }
        if (!one.ok || !other.ok) throw new Error(one.ok ? (other.ok ? '' : other.reason) : one.reason);
        const a = canonical(one.text);
        const c = canonical(other.text);
        expect(a.ids).toEqual(Array.from({ length: b.rows + ours.length + theirs.length }, (_, i) => i + 1));
        expect(c.ids).toEqual(a.ids);
        expect(a.rows).toEqual(c.rows);
        for (const r of [...ours, ...theirs]) expect(a.rows.filter((row) => row.includes(`Row ${r.tag}.`))).toHaveLength(1);
        // A reference names the row it named before the merge (its tag), whichever side's rows moved.
        for (const [rows, prefix] of [[ours, 'o'], [theirs, 't']] as const) {
          rows.forEach((r) => {
            if (r.names === null) return;
            expect(a.rows.find((row) => row.includes(`Row ${r.tag}.`))).toContain(`after <${prefix}${r.names}>`);
          });
        }
        // Only line endings the note had.
        if (b.crlf) expect(one.text.replace(/\r\n/g, '')).not.toContain('\n');
      }),
      { numRuns: 300 },
    );
  });
});
