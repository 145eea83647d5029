// The rule pages of docs/rules run as tests (README "Releases and contributing": "the tests run those examples, so the docs
// cannot drift"): one page per rule id, each example applied to a copy of example-vault/ and its
// documented diagnostics asserted exactly; the `config/` and `doc/` rules through the built `canon` bin.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONFIG_FILE, parseConfig } from '../../src/core/config/config';
import { DEFAULT_SEVERITY, RULE_DESCRIPTIONS, RULE_IDS, type RuleId } from '../../src/core/rules/rule-ids';
import {
  applyExample, checkInMemory, checkWithCli, exampleVaultFiles, fences, readPages, RULES_DIR,
  runsOnCli, type Example, type JsonDiagnostic, type RulePage,
} from './rule-pages';

const pages = readPages();
const base = exampleVaultFiles();
const INDEX = join(RULES_DIR, 'README.md');
const isRule = (id: string): id is RuleId => (RULE_IDS as readonly string[]).includes(id);


interface Case {
  name: string;
  page: RulePage;
  example: Example;
}
const cases: Case[] = pages.flatMap((page) => page.examples.map((example) => ({
  name: `${page.file}:${example.line} ${example.outcome}`, page, example,
})));

function filesOf(c: Case): Map<string, Buffer> {
  return applyExample(base, c.example.edits, c.name);
}

/** What the CLI reports for the case's files: the page rule's diagnostics, or its `{ error }` object. */
function cliOutcome(rule: string, files: Map<string, Buffer>): { status: number | null; value: unknown; stderr: string } {
  const run = checkWithCli(files);
  const json = run.json as { error?: unknown; diagnostics?: JsonDiagnostic[] };
  // Every diagnostic names its page (the `docs` address); the rest is compared with the page's example.
  const named = (json.diagnostics ?? []).map((d) => {
    const { docs, ...rest } = d as JsonDiagnostic & { docs?: unknown };
    expect(docs).toBe(`https://github.com/canon-contributors/canon/blob/main/docs/rules/${d.rule}.md`);
    return rest;
  });
  const value = json.error !== undefined ? { error: json.error } : named.filter((d) => d.rule === rule);
  return { status: run.status, value, stderr: run.stderr };
}

describe('docs/rules: one page per rule id', () => {
  it('has exactly one page for each rule id and none for an unknown id', () => {
    const ids = pages.map((p) => p.rule);
    expect(ids.filter((id) => !isRule(id)), 'pages for unknown rule ids').toEqual([]);
    expect([...ids].sort()).toEqual([...RULE_IDS].sort());
  });

  it.each(pages.map((p) => [p.file, p] as const))('%s: title, default severity, examples that pass and fail', (_file, page) => {
    expect(page.title).toBe(page.rule);
    expect(page.severity).toBe(isRule(page.rule) ? DEFAULT_SEVERITY[page.rule] : null);
    expect(page.examples.filter((e) => e.outcome === 'fails').length).toBeGreaterThan(0);
    expect(page.examples.filter((e) => e.outcome === 'passes').length).toBeGreaterThan(0);
    for (const e of page.examples) {
      if (e.outcome === 'passes') expect(e.expect, `${page.file}:${e.line}`).toEqual([]);
      else expect(e.expect, `${page.file}:${e.line}`).not.toEqual([]);
    }
    if (page.rule !== 'config/invalid') expect(page.configs.length, 'a canon.config.json block').toBeGreaterThan(0);
  });

  it.each(pages.map((p) => [p.file, p] as const))('%s: relative links resolve', (_file, page) => {
    const full = join(RULES_DIR, page.file);
    for (const target of relativeLinks(page.text)) expect(existsSync(join(dirname(full), target)), `${page.file} → ${target}`).toBe(true);
  });

  it('the index lists every rule with its page, default severity and description', () => {
    const text = readFileSync(INDEX, 'utf8');
    const rows = [...text.matchAll(/^\| \[`([^`]+)`\]\(([^)]+)\) \| (\w+) \| (.*) \|$/gm)].map((m) => ({ id: m[1], link: m[2], severity: m[3], line: m[4] }));
    expect(rows.map((r) => r.id)).toEqual([...RULE_IDS]);
    for (const row of rows) {
      const id = row.id ?? '';
      if (!isRule(id)) continue;
      expect(row.link).toBe(`${id}.md`);
      expect(existsSync(join(RULES_DIR, row.link ?? ''))).toBe(true);
      expect(row.severity, id).toBe(DEFAULT_SEVERITY[id]);
      expect(row.line, id).toBe(RULE_DESCRIPTIONS[id]);
    }
    for (const target of relativeLinks(text)) expect(existsSync(join(RULES_DIR, target)), target).toBe(true);
    for (const block of fences(text).filter((f) => f.info === 'json canon.config.json')) expect(parseConfig(block.body).ok).toBe(true);
  });
});

describe('docs/rules: examples (in memory)', () => {
  it.each(cases.filter((c) => !runsOnCli(c.page.rule)).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const found = checkInMemory(filesOf(c)).filter((d) => d.rule === c.page.rule);
    expect(found).toEqual(c.example.expect);
  });
});

describe('docs/rules: examples (the built CLI)', () => {
  it.each(cases.filter((c) => runsOnCli(c.page.rule)).map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const run = cliOutcome(c.page.rule, filesOf(c));
    expect(run.value).toEqual(c.example.expect);
    const error = (c.example.expect as { error?: { message: string } }).error;
    if (error) {
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`canon check: ${error.message}`);
    } else {
      expect(run.status).not.toBe(2);
    }
  });
});

describe('docs/rules: the canon.config.json blocks change the severity they say', () => {
  const configCases = pages.flatMap((page) => page.configs.map((text, i) => ({ name: `${page.file} block ${i + 1}`, page, text })));
  it.each(configCases.map((c) => [c.name, c] as const))('%s', (_name, { page, text }) => {
    const parsed = parseConfig(text);
    if (!parsed.ok) throw new Error(`${page.file}: ${parsed.problems.map((p) => p.message).join('; ')}`);
    expect(Object.keys(parsed.config.rules)).toEqual([page.rule]);
    const setting = parsed.config.rules[page.rule as RuleId];
    const example = page.examples.find((e) => e.outcome === 'fails');
    if (!example || !setting) throw new Error(`${page.file}: no failing example or no setting`);
    const files = applyExample(base, example.edits, `${page.file}:${example.line}`);
    files.set(CONFIG_FILE, Buffer.from(text, 'utf8'));
    const documented = example.expect as JsonDiagnostic[];
    const wanted = setting === 'off' ? [] : documented.map((d) => ({ ...d, severity: setting }));
    const found = runsOnCli(page.rule) ? cliOutcome(page.rule, files).value : checkInMemory(files).filter((d) => d.rule === page.rule);
    expect(found).toEqual(wanted);
  });
});

/** The relative link targets of a markdown page (no scheme, no pure anchors), without their anchors. */
function relativeLinks(text: string): string[] {
  const prose = text.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, '');
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1] ?? '')
    .filter((t) => !/^[a-z]+:/i.test(t) && !t.startsWith('#'))
    .map((t) => t.replace(/#.*$/, ''));
}
