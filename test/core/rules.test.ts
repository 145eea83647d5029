import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RULE_IDS, type RuleId } from '../../src/core/rules/rule-ids';
import { check } from '../helpers/memory-vault';

const root = join(import.meta.dirname, '../../example-vault');
const CC = '00_DraganCorp_Program_Control_Center.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const OM = '05_Phase_A_Execution_Operating_Model.md';

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else if (entry.name.endsWith('.md')) files[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'utf8');
    }
  };
  walk(root, '');
  return files;
}

/** Replaces the first match of `find` in one note; fails loudly when the example vault changed. */
function edit(files: Record<string, string>, path: string, find: string | RegExp, replace: string): Record<string, string> {
  const text = files[path] ?? '';
  const next = text.replace(find, replace);
  if (next === text) throw new Error(`fixture edit did not apply to ${path}: ${String(find)}`);
  return { ...files, [path]: next };
}

/** The first body row of the table under `section` in a note, as its source line. */
function firstRow(text: string, section: string): string {
  const lines = text.split('\n');
  const h = lines.findIndex((l) => /^#+ /.test(l) && l.toLowerCase().includes(section.toLowerCase()));
  const header = lines.findIndex((l, i) => i > h && l.trimStart().startsWith('|'));
  return lines[header + 2] ?? '';
}

function replaceCell(row: string, index: number, value: string): string {
  const cells = row.split(/(?<!\\)\|/);
  cells[index + 1] = ` ${value} `;
  return cells.join('|');
}

const base = exampleFiles();
const windowRow = firstRow(base[EV] ?? '', 'Rollout Windows');
const statusRow = firstRow(base[CC] ?? '', 'Status Log');
const decisionRow = firstRow(base[CC] ?? '', 'Decision Log');

const breakers: Record<RuleId, () => Record<string, string>> = {
  'config/invalid': () => base, // the CLI reports it (exit 2); see test/cli
  'doc/missing': () => { const { [PLAN]: _plan, ...rest } = base; return rest; },
  'doc/duplicate-role': () => ({ ...base, 'copy.md': '---\ncanon: evidence-log\n---\n', 'copy2.md': '---\ncanon: evidence-log\n---\n' }),
  'doc/unknown-role': () => ({ ...base, 'odd.md': '---\ncanon: evidence-logs\n---\n' }),
  'doc/invalid-frontmatter': () => edit(base, EV, 'canon: evidence-log\n', 'canon: evidence-log\ntags: [phase-a\n'),
  'doc/unreadable': () => base, // the CLI reports it (binary, invalid UTF-8); see test/cli
  'doc/conflict-copy': () => ({ ...base, '04_Phase_A_Controlled_Rollout_Evidence_Log.sync-conflict-20261114-101500-ABCDEF7.md': base[EV] ?? '' }),
  'section/missing': () => edit(base, CC, /^#+ .*Lessons Learned.*$/m, '## Lessons'),
  'table/missing': () => edit(base, PLAN, /\n\|[^\n]*Packet[\s\S]*?\n\n/, '\n\nNo table yet.\n\n'),
  'table/missing-column': () => edit(base, CC, /\| Owner \| Status \| Supersedes \|/, '| Owners | Status | Supersedes |'),
  'table/unknown-column': () => edit(base, CC, '| Date | Lesson | Action |', '| Date | Lesson | Follow-up |'),
  'table/duplicate-column': () => edit(base, CC, /\| Decision \| Rationale \|/, '| Decision | Decision |'),
  'table/malformed': () => edit(base, EV, windowRow, `${windowRow} extra |`),
  'cell/type': () => edit(base, EV, windowRow, replaceCell(windowRow, 1, '2026-13-02 09:00')),
  'cell/required': () => edit(base, EV, windowRow, replaceCell(windowRow, 9, '')),
  'id/duplicate': () => edit(base, EV, /\| W-2 \|/, '| W-1 |'),
  'id/order': () => edit(base, EV, /\| W-3 \|/, '| W-30 |'),
  'row/order': () => edit(base, CC, statusRow, replaceCell(statusRow, 0, '2099-01-01 00:00')),
  'row/consistency': () => edit(base, EV, windowRow, replaceCell(windowRow, 6, '50.00%')),
  'link/unresolved': () => edit(base, CC, statusRow, replaceCell(statusRow, 4, '[[No such note]]')),
  'guardrail/no-triggers': () => edit(base, EV, /(\| Trigger \| Metric[^\n]*\n\|[^\n]*\n)(\|[^\n]*\n)+/, '$1'),
  'guardrail/promote-in-breach': () => edit(base, EV, /\| 14 \| 0 \| 0\.00% \|/, '| 14 | 14 | 100.00% |'),
  'guardrail/hold-in-breach': () => edit(base, EV, /\| 12 \| 1 \| 8\.33% \|/, '| 12 | 12 | 100.00% |'),
  'guardrail/broaden-unguarded': () => edit(base, EV, 'At 15 % under D-4. ', ''),
  'guardrail/stale-recommendation': () => edit(base, EV, /(## Current Recommendation\n)/, '$1\n<!-- canon:recommendation -->\nRecommendation: rollback.\n<!-- /canon:recommendation -->\n'),
};

describe('rules', () => {
  it('stay silent on the example vault', () => {
    expect(check(base).diagnostics).toEqual([]);
  });

  const testable = RULE_IDS.filter((id) => id !== 'config/invalid' && id !== 'doc/unreadable');
  it.each(testable)('%s fires on a note made to break it', (id) => {
    const result = check(breakers[id]());
    const fired = result.diagnostics.filter((d) => d.rule === id);
    expect(fired.length, JSON.stringify(result.diagnostics, null, 1)).toBeGreaterThan(0);
    for (const d of fired) {
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
      expect(d.message).toMatch(/expected/);
    }
  });

  it('a decision row is read', () => {
    expect(decisionRow).toMatch(/D-1/);
  });

  it('severities are overridable and `off` silences a rule', () => {
    const broken = breakers['row/consistency']();
    expect(check(broken, { rules: { 'row/consistency': 'off' } }).diagnostics).toEqual([]);
    expect(check(broken, { rules: { 'row/consistency': 'info' } }).diagnostics.map((d) => d.severity)).toEqual(['info']);
  });

  it('a missing operating model is only a warning', () => {
    const { [OM]: _om, ...rest } = base;
    expect(check(rest).diagnostics.map((d) => [d.rule, d.severity])).toEqual([['doc/missing', 'warning']]);
  });
});
