// Not one row lost, at scale: rounds of 50 `canon add` processes (six kinds, in turn) started at once
// on one vault, with every reported row looked up on disk afterwards (test/helpers/parallel-adds.ts),
// then `canon check`. Prints one line per round and the totals; exits 1 on any lost, doubled or
// misreported row. The README's "Reliability" section quotes its figures.
//
// Usage: npm run stress [-- --rounds 20 --processes 50]
import { rmSync } from 'node:fs';
import { canon, copyExampleVault } from '../test/helpers/run-cli';
import { parallelRound } from '../test/helpers/parallel-adds';

const arg = (name: string, fallback: number): number => {
  const at = process.argv.indexOf(`--${name}`);
  return at > 0 ? Number(process.argv[at + 1]) : fallback;
};
const ROUNDS = arg('rounds', 20);
const PROCESSES = arg('processes', 50);

let reported = 0;
let found = 0;
let failed = 0;
let problems = 0;
const times: number[] = [];
for (let round = 1; round <= ROUNDS; round++) {
  const vault = copyExampleVault();
  const result = await parallelRound(vault, PROCESSES, `s${round}`);
  const check = canon(['check', '--vault', vault]);
  reported += result.succeeded;
  found += result.rowsFound;
  failed += result.processes - result.succeeded;
  problems += result.problems.length + (check.status === 0 ? 0 : 1);
  times.push(result.ms);
  console.log(`round ${String(round).padStart(2)}: ${result.succeeded}/${result.processes} exit 0, ${result.rowsFound} rows on disk, ids unique: ${result.problems.length === 0 ? 'yes' : 'NO'}, check exit ${check.status}, ${(result.ms / 1000).toFixed(1)} s`);
  for (const p of [...result.problems, ...result.failures]) console.log(`  ${p}`);
  rmSync(vault, { recursive: true, force: true });
}
const sorted = [...times].sort((a, b) => a - b);
console.log(`\n${ROUNDS} rounds × ${PROCESSES} processes: ${reported} reported added, ${found} rows on disk, ${failed} failed, ${problems} problems; round time median ${((sorted[Math.floor(sorted.length / 2)] ?? 0) / 1000).toFixed(1)} s, max ${((sorted.at(-1) ?? 0) / 1000).toFixed(1)} s`);
const ok = problems === 0 && reported === found && failed === 0;
console.log(ok ? 'PASS  every reported row is on disk once, with the id it reported' : 'FAIL');
process.exitCode = ok ? 0 : 1;
