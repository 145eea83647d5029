import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { planAppend, type AppendPlan } from '../../src/core/edit/append-entry';
import { applyEdits } from '../../src/core/edit/text-edit';
import { parseNote } from '../../src/core/markdown/parse-note';
import { PHASE_A, tableFor } from '../../src/core/schema/preset';
import type { EntryKind } from '../../src/core/schema/table-schema';
import { FIXED_NOW, load } from '../helpers/memory-vault';

const root = join(import.meta.dirname, '../fixtures/append');
const cases = readdirSync(root).sort();

interface Entry {
  kind: EntryKind;
  fields: Record<string, string>;
}

/** The vault path that gives the note the role the entry's table lives in. */
function notePath(kind: EntryKind): string {
  return `${PHASE_A.prefixes[tableFor(PHASE_A, kind).role] ?? ''}_Note.md`;
}

function append(text: string, entry: Entry): { plan: AppendPlan; output: string | null } {
  const path = notePath(entry.kind);
  const { model, readOnly } = load({ [path]: text });
  const plan = planAppend(model, readOnly, { kind: entry.kind, fields: entry.fields, now: FIXED_NOW });
  return { plan, output: plan.ok ? applyEdits(text, plan.edits) : null };
}

/** The span of `after` that differs from `before`: [start, end) in `before`'s coordinates. */
function changedSpan(before: string, after: string): [number, number] {
  let start = 0;
  while (start < before.length && before[start] === after[start]) start++;
  let end = 0;
  while (end < before.length - start && before[before.length - 1 - end] === after[after.length - 1 - end]) end++;
  return [start, before.length - end];
}

const variants: [string, (s: string) => string][] = [
  ['as written', (s) => s],
  ['with frontmatter prepended', (s) => `---\ntitle: "A | note"\naliases: [x]\n---\n${s}`],
  ['with CRLF line endings', (s) => (s.includes('\r\n') ? s : s.replace(/\n/g, '\r\n'))],
];

describe.each(cases)('append fixture %s', (name) => {
  const before = readFileSync(join(root, name, 'before.md'), 'utf8');
  const after = readFileSync(join(root, name, 'after.md'), 'utf8');
  const entry = JSON.parse(readFileSync(join(root, name, 'entry.json'), 'utf8')) as Entry;

  it.each(variants)('gives the expected file byte for byte, %s', (_label, variant) => {
    const input = variant(before);
    const expected = variant(after);
    const { plan, output } = append(input, entry);
    expect(plan.ok ? [] : plan.errors).toEqual([]);
    expect(output).toBe(expected);
  });

  it('changes bytes only inside the target table (or the created section at the end)', () => {
    const { plan, output } = append(before, entry);
    if (!plan.ok || output === null) throw new Error('append failed');
    const [start, end] = changedSpan(before, output);
    const section = tableFor(PHASE_A, entry.kind).section.toLowerCase();
    const table = parseNote(before).tables.find((t) => t.heading?.text.toLowerCase().replace(/^\d+\)\s*/, '') === section);
    if (plan.createdSection) {
      const note = parseNote(before);
      const heading = note.headings.find((h) => h.text.toLowerCase() === section);
      expect(start).toBeGreaterThanOrEqual(heading ? heading.to : before.trimEnd().length - 1);
    } else {
      expect(table).toBeDefined();
      expect(start).toBeGreaterThanOrEqual(table?.from ?? Infinity);
      expect(end).toBeLessThanOrEqual((table?.to ?? -1) + 2);
    }
  });

  it('reads back with the new row holding the values written', () => {
    const { plan, output } = append(before, entry);
    if (!plan.ok || output === null) throw new Error('append failed');
    const note = parseNote(output);
    const row = note.tables.flatMap((t) => t.rows).find((r) => r.line === plan.line);
    expect(row).toBeDefined();
    const table = note.tables.find((t) => t.rows.includes(row!));
    expect(row?.cells.length).toBe(table?.header.cells.length);
  });
});

describe('append refusals', () => {
  const status = '## Status Log\n\n| Date | Change | Summary | Gates | Evidence |\n| --- | --- | --- | --- | --- |\n| 2026-11-20 09:00 | A | B | G1 | |\n';

  it('lists every field error and writes nothing', () => {
    const { plan } = append(status, { kind: 'status', fields: { Date: '2026-13-01 10:00', Gates: 'G9', Bogus: 'x' } });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.cannotRun).toBe(false);
    const text = plan.errors.map((e) => `${e.rule}: ${e.message}`).join('\n');
    expect(text).toMatch(/entry\/unknown-column: no column `Bogus` in Status Log/);
    expect(text).toMatch(/cell\/type: Date: `2026-13-01 10:00` is not a datetime/);
    expect(text).toMatch(/cell\/type: Gates:/);
    expect(text).toMatch(/cell\/required: Change is empty/);
    expect(text).toMatch(/cell\/required: Summary is empty/);
  });

  it('refuses an entry dated before the last row', () => {
    const { plan } = append(status, { kind: 'status', fields: { Date: '2026-11-19 09:00', Change: 'x', Summary: 'y', Gates: 'G1' } });
    expect(plan.ok ? [] : plan.errors.map((e) => e.rule)).toEqual(['row/order']);
  });

  it('refuses a malformed target table and says why', () => {
    const broken = status.replace('| 2026-11-20 09:00 | A | B | G1 | |', '| 2026-11-20 09:00 | A | [[x|y]] | G1 | |');
    const { plan } = append(broken, { kind: 'status', fields: { Change: 'x', Summary: 'y', Gates: 'G1' } });
    expect(plan.ok).toBe(false);
    if (plan.ok) return;
    expect(plan.cannotRun).toBe(true);
    expect(plan.errors[0]?.message).toMatch(/Status Log in 00_Note\.md is malformed, so nothing was written: line 5: row has 6 cells; expected 5.*\[\[note\\\|alias\]\]/);
  });

  it('refuses a section whose table no longer reads as one (header and alignment rows disagree)', () => {
    const broken = status.replace('| Date | Change | Summary | Gates | Evidence |', '| Date | Change | Summary | Gates |');
    const { plan, output } = append(broken, { kind: 'status', fields: { Change: 'x', Summary: 'y', Gates: 'G1' } });
    expect(output).toBeNull();
    expect(plan.ok ? '' : plan.errors[0]?.message).toMatch(/Status Log in 00_Note\.md has table lines from line 3 that do not read as a table/);
  });

  it('puts each field error on its column, also for cross-row rules', () => {
    const evidence = readFileSync(join(root, 'evidence-defaults/before.md'), 'utf8');
    const { plan } = append(evidence, { kind: 'evidence', fields: { Start: '2026-11-24 11:00', End: '2026-11-24 10:00', Traffic: '5', Missions: '2', Fallbacks: '3', 'Fallback Rate': '', p95: '1', Decision: 'hold' } });
    const columns = plan.ok ? [] : plan.errors.map((e) => `${e.column ?? '-'} ${e.rule}`);
    expect(columns).toContain('End row/consistency');
    expect(columns).toContain('Fallbacks row/consistency');
    expect(columns.some((c) => c.startsWith('Fallback Rate'))).toBe(false);
  });

  it('refuses inconsistent evidence: fallbacks over missions, end before start, duplicate id, overlap', () => {
    const evidence = readFileSync(join(root, 'evidence-defaults/before.md'), 'utf8');
    const { plan } = append(evidence, { kind: 'evidence', fields: { Window: 'W-1', Start: '2026-11-20 11:00', End: '2026-11-20 10:00', Traffic: '5', Missions: '2', Fallbacks: '3', p95: '1', Decision: 'hold' } });
    const errors = plan.ok ? [] : plan.errors;
    expect(errors.map((e) => e.rule).sort()).toEqual(['id/duplicate', 'row/consistency', 'row/consistency', 'row/order']);
    expect(errors.map((e) => e.message).join('\n')).toMatch(/Fallbacks 3 exceed Missions 2/);
  });

  it('refuses a promote while a trigger is in breach', () => {
    const evidence = readFileSync(join(root, 'evidence-defaults/before.md'), 'utf8');
    const { plan } = append(evidence, { kind: 'evidence', fields: { Start: '2026-11-24 08:00', End: '2026-11-24 12:00', Traffic: '10', Missions: '40', Fallbacks: '10', p95: '600', Decision: 'promote' } });
    expect(plan.ok ? [] : plan.errors.map((e) => e.rule)).toEqual(['guardrail/promote-in-breach']);
  });

  it('refuses unresolved links', () => {
    const { plan } = append(status, { kind: 'status', fields: { Change: 'x', Summary: 'y', Gates: 'G1', Evidence: '[[Nowhere]], W-99' } });
    expect(plan.ok ? [] : plan.errors.map((e) => e.rule)).toEqual(['link/unresolved', 'link/unresolved']);
  });

  it('refuses when the role has no note', () => {
    const { model, readOnly } = load({ 'other.md': '# x' });
    const plan = planAppend(model, readOnly, { kind: 'lesson', fields: { Lesson: 'x' }, now: FIXED_NOW });
    expect(plan.ok).toBe(false);
    if (!plan.ok) expect(plan.cannotRun).toBe(true);
  });
});
