// Adversarial cells (part of `npm run bench`): how long a check of the example stack takes when its
// first Rollback Triggers row holds 1 MB of one pattern in each of its Metric, Condition and Window
// cells and its first Rollout Windows row 1 MB in its Events cell (runs of spaces, tabs, backslashes,
// escaped pipes, brackets, backticks, …; plus malformed rows of `[[` runs). Timed two ways: checkStack
// on an in-memory copy of the vault (the core alone), and the built CLI, `canon check --format json`,
// as a whole process on a copy on disk. A quadratic regex took 17 s for 100 KB of spaces; linear
// parsers take a fraction of a second for 4 MB. Prints one row per pattern with PASS (under 1 s) or
// FAIL; exits 1 on any FAIL or on diagnostics other than the expected rejections.
//
// Usage: npm run build && npx tsx bench/adversarial.ts [--runs 3] [--mb 1] [--no-cli]
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { check } from '../test/helpers/memory-vault';
import { canon, copyExampleVault, EXAMPLE_VAULT, REPO } from '../test/helpers/run-cli';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const RUNS = arg('runs', 3);
const BYTES = Math.round(arg('mb', 1) * 1024 * 1024);
const CLI = !process.argv.includes('--no-cli') && existsSync(join(REPO, 'dist', 'cli.mjs'));
const BAR_MS = 1000;

const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const TRIGGER_ROW = '| Fallback rate over rolling 20 missions | fallback rate | > 10% | 20 missions | Mara (VP on-call) | Roll traffic back one step; open a packet for the fallback cause. |';
const TRIGGER_CELLS = '| fallback rate | > 10% | 20 missions |';
const EVENTS_CELL = '| vp.mission.failed=0, vp.mission.completed=12, vp.continuity.lost=0 |';

interface Case {
  name: string;
  unit: string;
  /** The evidence log with `fill` (BYTES of the pattern) put in. */
  note: (evidence: string, fill: string) => string;
  /** The diagnostics (rule, count) the case must give on the evidence log, and nothing else of error severity. */
  expect: Record<string, number>;
}

function replaced(text: string, find: string, by: string): string {
  const at = text.indexOf(find);
  if (at < 0) throw new Error(`the example vault changed: ${find.slice(0, 40)}… not found`);
  return text.slice(0, at) + by + text.slice(at + find.length);
}

/** Metric, Condition and Window of the first trigger and Events of the first window: each `fill` with a leading and a trailing character. */
const fourCells = (evidence: string, fill: string): string => {
  const trigger = TRIGGER_ROW.replace(TRIGGER_CELLS, `| a${fill}x | >${fill}1x | 20${fill}x |`);
  return replaced(replaced(evidence, TRIGGER_ROW, trigger), EVENTS_CELL, `| a.b=${fill}x |`);
};

const PATTERNS: [string, string][] = [
  ['spaces', ' '],
  ['tabs', '\t'],
  ['backslashes', '\\'],
  ['escaped pipes', '\\|'],
  ['brackets [[', '[['],
  ['backticks', '`'],
  ['parentheses ((((', '(((('],
  ['percent signs %%%%', '%%%%'],
  ["' a'", ' a'],
  ["'\\t '", '\t '],
  ["': '", ': '],
  ["' #'", ' #'],
  ['double quotes', '"'],
];

const CASES: Case[] = [
  ...PATTERNS.map(([name, unit]): Case => ({ name, unit, note: fourCells, expect: { 'cell/type': 4 } })),
  {
    name: 'malformed row: [[ run, stray pipe',
    unit: '[[',
    note: (evidence, fill) => replaced(evidence, TRIGGER_ROW, `| T | [[${fill}x | y | > 1 | 3 windows | o | r |`),
    expect: { 'table/malformed': 1 },
  },
  {
    name: 'malformed row: [[a\\| run',
    unit: '[[a|',
    note: (evidence, fill) => replaced(evidence, TRIGGER_ROW, `| T | ${fill}x | > 1 | 3 windows | o | r |`),
    expect: { 'table/malformed': 1 },
  },
];

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(EXAMPLE_VAULT, { recursive: true, encoding: 'utf8' })) {
    const path = name.split('\\').join('/');
    if (path.endsWith('.md') && !path.startsWith('.')) files[path] = readFileSync(join(EXAMPLE_VAULT, name), 'utf8');
  }
  return files;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The evidence log's error diagnostics by rule, e.g. `cell/type ×4`. */
function tally(diagnostics: readonly { path: string; severity: string; rule: string }[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const d of diagnostics) if (d.path === EVIDENCE && d.severity === 'error') out[d.rule] = (out[d.rule] ?? 0) + 1;
  return out;
}

const sameTally = (a: Record<string, number>, b: Record<string, number>): boolean =>
  Object.keys({ ...a, ...b }).every((k) => a[k] === b[k]);
const showTally = (t: Record<string, number>): string => Object.entries(t).map(([rule, n]) => `${rule} ×${n}`).join(', ') || 'none';

function main(): void {
  const files = exampleFiles();
  const evidence = files[EVIDENCE];
  if (evidence === undefined) throw new Error(`${EVIDENCE} is missing from the example vault`);
  const baseline = tally(check(files).diagnostics);
  if (Object.keys(baseline).length > 0) throw new Error(`the example evidence log has errors already: ${showTally(baseline)}`);

  console.log(`# Adversarial cells: ${(BYTES / 1024 / 1024).toFixed(2)} MB of a pattern per cell`);
  console.log('');
  console.log(`node ${process.version}; median of ${RUNS} runs; bar: each under ${BAR_MS} ms`);
  if (!CLI) console.log(process.argv.includes('--no-cli') ? 'CLI: skipped (--no-cli)' : 'CLI: skipped (dist/cli.mjs is missing: run `npm run build`)');
  console.log('');
  console.log('| pattern | note MB | checkStack ms (in memory) | canon check ms (process) | errors on the evidence log | result |');
  console.log('| --- | ---: | ---: | ---: | --- | --- |');

  let failures = 0;
  for (const c of CASES) {
    const fill = c.unit.repeat(Math.ceil(BYTES / c.unit.length));
    const text = c.note(evidence, fill);
    const vaultFiles = { ...files, [EVIDENCE]: text };

    const memory: number[] = [];
    let found: Record<string, number> = {};
    for (let i = 0; i < RUNS; i++) {
      const t0 = performance.now();
      const result = check(vaultFiles);
      memory.push(performance.now() - t0);
      found = tally(result.diagnostics);
    }
    let ok = sameTally(found, c.expect);
    let problem = ok ? '' : ` (expected ${showTally(c.expect)})`;

    let cliMs = Number.NaN;
    if (CLI) {
      const vault = copyExampleVault();
      writeFileSync(join(vault, EVIDENCE), text);
      const samples: number[] = [];
      for (let i = 0; i < RUNS; i++) {
        const t0 = performance.now();
        const run = canon(['check', '--vault', vault, '--format', 'json'], { timeout: 600_000 });
        samples.push(performance.now() - t0);
        let cliFound: Record<string, number> = {};
        try {
          cliFound = tally((JSON.parse(run.stdout) as { diagnostics: { path: string; severity: string; rule: string }[] }).diagnostics);
        } catch {
          problem += ` (canon check exit ${run.status}: ${run.stderr.trim().split('\n')[0] ?? ''})`;
          ok = false;
          break;
        }
        if (!sameTally(cliFound, c.expect)) {
          problem += ` (canon check found ${showTally(cliFound)})`;
          ok = false;
        }
      }
      cliMs = median(samples);
      rmSync(vault, { recursive: true, force: true });
    }

    const memoryMs = median(memory);
    const fast = memoryMs < BAR_MS && (!CLI || cliMs < BAR_MS);
    if (!ok || !fast) failures++;
    const cli = CLI ? cliMs.toFixed(0) : 'n/a';
    console.log(`| ${c.name} | ${(text.length / 1024 / 1024).toFixed(1)} | ${memoryMs.toFixed(0)} | ${cli} | ${showTally(found)}${problem} | ${ok && fast ? 'PASS' : 'FAIL'} |`);
  }
  console.log('');
  console.log(failures === 0 ? `PASS  every adversarial check under ${BAR_MS} ms, with the expected rejections` : `FAIL  ${failures} case(s) slow or misread`);
  process.exitCode = failures === 0 ? 0 : 1;
}

main();
