// `canon merge`'s row-by-row merge (the core, planMerge) on a large evidence log: a generated
// 10,000-row Rollout Windows table as the common version, ours with the next 100 windows, theirs with
// the 100 after those written as theirs would have (W-10001… again, their Notes naming their own ids).
// The merge must renumber theirs to W-10101…W-10200 and give back the generated 10,200-row log (but
// for the ids in theirs' Notes, which name theirs' own windows). Prints one Markdown table row with
// the median of the runs.
//
// Usage: npx tsx bench/merge.ts [--runs 7]
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { planMerge } from '../src/core/merge/merge-note';
import { PHASE_A } from '../src/core/schema/preset';
import { generateStack } from './generate.mjs';

const at = process.argv.indexOf('--runs');
const RUNS = at > 0 ? Number(process.argv[at + 1]) : 7;
const BASE_ROWS = 10_000;
const NEW_ROWS = 100;

const dir = mkdtempSync(join(tmpdir(), 'canon-bench-merge-'));
const stack = generateStack(dir, BASE_ROWS + 2 * NEW_ROWS) as { evidenceLog: string };
const full = readFileSync(stack.evidenceLog, 'utf8');
const lines = full.split('\n');
const rowAt = (id: number): number => lines.findIndex((l) => l.startsWith(`| W-${id} |`));
const first = rowAt(BASE_ROWS + 1);
const oursRows = lines.slice(first, first + NEW_ROWS);
const theirsRows = lines.slice(first + NEW_ROWS, first + 2 * NEW_ROWS)
  .map((l) => l.replace(/W-(\d+)/g, (m, n: string) => (Number(n) > BASE_ROWS + NEW_ROWS ? `W-${Number(n) - NEW_ROWS}` : m)));
const before = lines.slice(0, first);
const after = lines.slice(first + 2 * NEW_ROWS);
const base = [...before, ...after].join('\n');
const ours = [...before, ...oursRows, ...after].join('\n');
const theirs = [...before, ...theirsRows, ...after].join('\n');

/** The note with the ids in each row's cells but its own masked: what must match whatever theirs' Notes named. */
function masked(text: string): string {
  return text.split('\n').map((l) => l.replace(/^(\| W-\d+ \|)(.*)$/, (_, id: string, rest: string) => id + rest.replace(/W-\d+/g, 'W-#'))).join('\n');
}

const times: number[] = [];
for (let run = 0; run < RUNS + 1; run++) {
  const started = performance.now();
  const plan = planMerge({ base, ours, theirs, role: 'evidence-log', preset: PHASE_A });
  const ms = performance.now() - started;
  if (!plan.ok) throw new Error(`the merge was refused: ${plan.reason}`);
  if (masked(plan.text) !== masked(full)) throw new Error('the merge did not give back the generated log');
  // The first run warms the JIT up; it is not counted.
  if (run > 0) times.push(ms);
}
times.sort((a, b) => a - b);
const median = times[Math.floor(times.length / 2)] ?? NaN;
console.log(`| merge two 10k-row logs, 100 new rows each | ${Math.round(median)} ms |`);
