// The benchmark (`npm run bench`): how `canon check` and `canon add` scale with the size of the
// evidence log, against a plain read of the same files and against markdownlint-cli2.
// Each tool runs as a whole process (node start-up included); wall time is the median of the runs,
// peak memory the child's maximum resident set (GNU `/usr/bin/time -v`, else a preload hook that
// reports `process.resourceUsage().maxRSS`). The memory bar is relative to the notes' size: the
// runtime (`canon check` on a one-row stack: Node and Canon loaded, nothing to read) plus 3× the
// notes' bytes. MB are 2^20 bytes. A report, not a test: exits 0 unless the CLI cannot run.
//
// Usage: node bench/run.mjs [--rows 1000,10000,50000] [--runs 3] [--keep]
// (CANON_BENCH_NO_TIME=1 uses the preload hook even where /usr/bin/time exists.)
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, readFileSync, realpathSync, rmSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { fileURLToPath } from 'node:url';
import { generateStack } from './generate.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const OUT = join(ROOT, 'bench', 'out');
const CANON = join(ROOT, 'bin', 'canon.mjs');
const DIST = join(ROOT, 'dist', 'cli.mjs');
const PLAIN = join(ROOT, 'bench', 'plain-read.mjs');
const MARKDOWNLINT = join(ROOT, 'node_modules', '.bin', 'markdownlint-cli2');
/** A run slower than this is not repeated (markdownlint-style tools at large sizes). */
const SLOW_MS = 20_000;
const TIMEOUT_MS = 15 * 60_000;

function parseArgs(argv) {
  const opts = { rows: [1000, 10000, 50000], runs: 3, keep: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--rows' || arg.startsWith('--rows=')) opts.rows = value().split(',').map((s) => Number(s.trim().replace(/k$/i, '000')));
    else if (arg === '--runs' || arg.startsWith('--runs=')) opts.runs = Number(value());
    else if (arg === '--keep') opts.keep = true;
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown argument ${arg}`);
  }
  if (!opts.rows.length || opts.rows.some((n) => !Number.isInteger(n) || n < 1)) usage('--rows takes positive integers, e.g. --rows 1000,10000');
  if (!Number.isInteger(opts.runs) || opts.runs < 1) usage('--runs takes a positive integer');
  return opts;
}

function usage(problem) {
  if (problem) console.error(`bench: ${problem}`);
  console.error('usage: node bench/run.mjs [--rows 1000,10000,50000] [--runs 3] [--keep]');
  process.exit(problem ? 2 : 0);
}

/** GNU time with -v and -o, when it is there and works. */
function detectTime() {
  if (!existsSync('/usr/bin/time')) return false;
  const probe = join(OUT, 'time-probe.txt');
  const r = spawnSync('/usr/bin/time', ['-v', '-o', probe, process.execPath, '-e', '0'], { stdio: 'ignore' });
  const ok = r.status === 0 && existsSync(probe) && /Maximum resident set size/.test(readFileSync(probe, 'utf8'));
  rmSync(probe, { force: true });
  return ok;
}

const RSS_HOOK =
  'data:text/javascript,import{writeFileSync}from"node:fs";process.on("exit",()=>{try{writeFileSync(process.env.CANON_BENCH_RSS,String(process.resourceUsage().maxRSS))}catch{}})';

/** Runs `node script args…` once as a whole process: wall ms, peak RSS in MB, exit status, output. */
function runNode(useTime, script, args, { cwd = ROOT, capture = true } = {}) {
  const rssFile = join(OUT, `rss-${process.pid}.txt`);
  rmSync(rssFile, { force: true });
  const [cmd, cmdArgs] = useTime
    ? ['/usr/bin/time', ['-v', '-o', rssFile, process.execPath, script, ...args]]
    : [process.execPath, ['--import', RSS_HOOK, script, ...args]];
  const t0 = performance.now();
  const r = spawnSync(cmd, cmdArgs, {
    cwd,
    env: { ...process.env, CANON_BENCH_RSS: rssFile, NO_COLOR: '1' },
    stdio: capture ? ['ignore', 'pipe', 'pipe'] : 'ignore',
    maxBuffer: 1 << 30,
    timeout: TIMEOUT_MS,
    encoding: 'utf8',
  });
  const ms = performance.now() - t0;
  let peakMb = null;
  if (existsSync(rssFile)) {
    const text = readFileSync(rssFile, 'utf8');
    const kb = useTime ? /Maximum resident set size \(kbytes\): (\d+)/.exec(text)?.[1] : text.trim();
    if (kb) peakMb = Number(kb) / 1024;
    rmSync(rssFile, { force: true });
  }
  const failure = r.error ? String(r.error.message ?? r.error) : r.signal ? `killed by ${r.signal}` : null;
  return { ms, peakMb, status: r.status, failure, stdout: r.stdout ?? '', stderr: r.stderr ?? '' };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs up to `runs` times (once when the first run is slow); `before` prepares each run untimed. */
function measure(runs, once, before) {
  const results = [];
  for (let i = 0; i < runs; i++) {
    const args = before ? before(i) : undefined;
    const r = once(args);
    results.push(r);
    if (r.failure || r.ms > SLOW_MS) break;
  }
  const peaks = results.map((r) => r.peakMb).filter((m) => m != null);
  return { ms: median(results.map((r) => r.ms)), peakMb: peaks.length ? Math.max(...peaks) : null, runs: results.length, first: results[0] };
}

const fmt = (v, digits = 0) => (v == null || Number.isNaN(v) ? 'n/a' : v.toFixed(digits));
const fmtRatio = (a, b) => (a == null || b == null || !b ? 'n/a' : `${(a / b).toFixed(2)}×`);
const fmtPerRow = (ms, rows) => (ms == null ? 'n/a' : (ms / rows).toPrecision(3));
const firstLine = (s) => s.trim().split('\n').slice(0, 3).join(' / ').slice(0, 300);

function main() {
  const opts = parseArgs(process.argv.slice(2));
  mkdirSync(OUT, { recursive: true });
  const runDir = join(OUT, `run-${Date.now()}`);
  const useTime = process.env.CANON_BENCH_NO_TIME ? false : detectTime();
  const cliBuilt = existsSync(DIST);
  const markdownlint = existsSync(MARKDOWNLINT) ? realpathSync(MARKDOWNLINT) : null;
  let cliFailed = !cliBuilt;

  console.log(`# Canon benchmark`);
  console.log('');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} CPUs (${cpus()[0]?.model ?? 'unknown'})`);
  console.log(`peak memory: ${useTime ? '/usr/bin/time -v (maximum resident set size)' : 'preload hook, process.resourceUsage().maxRSS'}`);
  console.log(`wall time: median of ${opts.runs} runs per tool (1 run when a run takes over ${SLOW_MS / 1000} s), whole process`);
  if (!cliBuilt) console.log(`\n**dist/cli.mjs is missing: run \`npm run build\` first.** check and add are not measured.`);
  if (!markdownlint) console.log(`markdownlint-cli2: skipped (not installed)`);
  console.log('');

  // The runtime: a check of a one-row stack (median peak of the runs).
  let runtimeMb = null;
  if (cliBuilt) {
    const vault = join(runDir, 'runtime', 'vault');
    generateStack(vault, 1, { statusRows: 1 });
    const runs = [];
    for (let i = 0; i < opts.runs; i++) runs.push(runNode(useTime, CANON, ['check', '--vault', vault, '--format', 'json']).peakMb);
    const peaks = runs.filter((m) => m != null);
    runtimeMb = peaks.length ? median(peaks) : null;
    process.stderr.write(`[runtime] one-row check ${fmt(runtimeMb, 1)} MB\n`);
  }

  const results = [];
  for (const rows of opts.rows) {
    const dir = join(runDir, String(rows));
    const vault = join(dir, 'vault');
    const g0 = performance.now();
    const gen = generateStack(vault, rows);
    const genMs = performance.now() - g0;
    const res = { rows, notes: [], notesMb: gen.bytes / 2 ** 20 };
    res.notes.push(`generated ${rows} windows + ${gen.statusRows} status rows (${(gen.bytes / 2 ** 20).toFixed(1)} MB) in ${genMs.toFixed(0)} ms`);
    process.stderr.write(`[${rows}] generated; `);

    const plain = measure(opts.runs, () => runNode(useTime, PLAIN, [vault]));
    if (plain.first.status !== 0) res.notes.push(`plain read failed: ${plain.first.failure ?? firstLine(plain.first.stderr)}`);
    res.plainMs = plain.ms;
    process.stderr.write(`plain ${plain.ms.toFixed(0)} ms; `);

    if (cliBuilt && !cliFailed) {
      const check = measure(opts.runs, () => runNode(useTime, CANON, ['check', '--vault', vault, '--format', 'json']));
      const c = check.first;
      if (c.failure || (c.status !== 0 && c.status !== 1)) {
        cliFailed = true;
        res.notes.push(`check could not run (exit ${c.status ?? c.failure}): ${firstLine(c.stderr || c.stdout)}`);
      } else {
        res.checkMs = check.ms;
        res.checkPeakMb = check.peakMb;
        try {
          const report = JSON.parse(c.stdout);
          const counts = report.counts ?? {};
          res.notes.push(`check exit ${c.status}: ${counts.error ?? '?'} errors, ${counts.warning ?? '?'} warnings, ${counts.info ?? '?'} infos`);
          const errors = (report.diagnostics ?? []).filter((d) => d.severity === 'error').slice(0, 3);
          for (const d of errors) res.notes.push(`  error ${d.path}:${d.line}:${d.column} ${d.rule}: ${d.message}`);
        } catch {
          res.notes.push(`check exit ${c.status}, but its output is not JSON: ${firstLine(c.stdout)}`);
        }
      }
      process.stderr.write(`check ${fmt(res.checkMs)} ms; `);
    }

    if (cliBuilt && !cliFailed) {
      const copy = join(dir, 'copy');
      const evidence = [
        `Start=${gen.next.start}`, `End=${gen.next.end}`, 'Traffic=25', 'Missions=100', 'Fallbacks=1', 'p95 (ms)=610',
        'Events=vp.mission.failed=0, vp.mission.completed=100, vp.continuity.lost=0', 'Decision=hold', 'Notes=benchmark append',
      ].flatMap((s) => ['--set', s]);
      const fresh = () => {
        rmSync(copy, { recursive: true, force: true });
        cpSync(vault, copy, { recursive: true });
      };
      const add = measure(opts.runs, () => runNode(useTime, CANON, ['add', 'evidence', '--vault', copy, ...evidence, '--format', 'json']), fresh);
      const a = add.first;
      if (a.failure || a.status === 2 || a.status == null) {
        cliFailed = true;
        res.notes.push(`add could not run (exit ${a.status ?? a.failure}): ${firstLine(a.stderr || a.stdout)}`);
      } else if (a.status !== 0) {
        res.notes.push(`add refused the entry (exit ${a.status}): ${firstLine(a.stderr || a.stdout)}`);
        res.addMs = add.ms;
      } else {
        res.addMs = add.ms;
        const before = readFileSync(gen.evidenceLog, 'utf8').split('\n').length;
        const after = readFileSync(join(copy, gen.evidenceLog.slice(vault.length + 1)), 'utf8').split('\n');
        const appended = after.length === before + 1 && after.some((l) => l.startsWith(`| ${gen.next.id} |`));
        res.notes.push(`add exit 0: ${appended ? `${gen.next.id} appended (one line)` : `unexpected result: ${after.length - before} lines added`}`);
      }
      rmSync(copy, { recursive: true, force: true });
      process.stderr.write(`add ${fmt(res.addMs)} ms; `);
    }

    if (rows === 1000) {
      if (!markdownlint) res.markdownlint = 'skipped (not installed)';
      else {
        const lint = measure(1, () => runNode(useTime, markdownlint, ['**/*.md'], { cwd: vault, capture: false }));
        if (lint.first.failure) res.markdownlint = `failed: ${lint.first.failure}`;
        else res.markdownlintMs = lint.ms;
        process.stderr.write(`markdownlint ${fmt(res.markdownlintMs)} ms; `);
      }
    }
    process.stderr.write('\n');
    results.push(res);
  }

  console.log('| rows | notes MB | check ms | check ms/row | check peak MB | plain-read ms | check/plain | add ms | add/check | markdownlint ms | markdownlint/check |');
  console.log('| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of results) {
    const lint = r.rows === 1000 ? (r.markdownlintMs != null ? fmt(r.markdownlintMs) : r.markdownlint ?? 'n/a') : '—';
    const lintRatio = r.rows === 1000 ? fmtRatio(r.markdownlintMs, r.checkMs) : '—';
    console.log(
      `| ${r.rows} | ${fmt(r.notesMb, 1)} | ${fmt(r.checkMs)} | ${fmtPerRow(r.checkMs, r.rows)} | ${fmt(r.checkPeakMb, 1)} | ${fmt(r.plainMs)} | ${fmtRatio(r.checkMs, r.plainMs)} | ${fmt(r.addMs)} | ${fmtRatio(r.addMs, r.checkMs)} | ${lint} | ${lintRatio} |`,
    );
  }
  console.log('');
  console.log(`- runtime (\`canon check\` on a one-row stack): peak ${fmt(runtimeMb, 1)} MB`);
  for (const r of results) for (const n of r.notes) console.log(`- ${r.rows}: ${n}`);
  console.log('');

  const at = (n) => results.find((r) => r.rows === n);
  const bar = (label, ok, detail) => console.log(`${ok == null ? 'N/A ' : ok ? 'PASS' : 'FAIL'}  ${label}: ${detail}`);
  const r1 = at(1000);
  const r10 = at(10000);
  const r50 = at(50000);
  console.log('## Bars');
  if (r50?.checkMs != null && r50.plainMs) bar('check ≤ 2.5× plain read at 50k', r50.checkMs <= 2.5 * r50.plainMs, `${fmtRatio(r50.checkMs, r50.plainMs)}`);
  else bar('check ≤ 2.5× plain read at 50k', null, 'not measured');
  if (r1?.checkMs != null && r1.markdownlintMs != null) bar('check ≥ 10× faster than markdownlint-cli2 at 1k', r1.markdownlintMs >= 10 * r1.checkMs, `${fmtRatio(r1.markdownlintMs, r1.checkMs)}`);
  else bar('check ≥ 10× faster than markdownlint-cli2 at 1k', null, r1?.markdownlint ?? 'not measured');
  if (r10?.checkMs != null && r50?.checkMs != null) {
    const ratio = r50.checkMs / 50000 / (r10.checkMs / 10000);
    bar('per-row time flat (50k ms/row ≤ 1.5× 10k ms/row; 1k is start-up dominated, so 10k is the base)', ratio <= 1.5, `${ratio.toFixed(2)}×`);
  } else bar('per-row time flat (10k → 50k)', null, 'needs 10k and 50k');
  const memoryLabel = 'check peak memory at 50k ≤ 3× the notes\' size + the runtime (a one-row check)';
  if (r50?.checkPeakMb != null && runtimeMb != null) {
    const limit = 3 * r50.notesMb + runtimeMb;
    bar(memoryLabel, r50.checkPeakMb <= limit, `${fmt(r50.checkPeakMb, 1)} MB (limit 3 × ${fmt(r50.notesMb, 1)} + ${fmt(runtimeMb, 1)} = ${fmt(limit, 1)} MB)`);
  } else bar(memoryLabel, null, 'not measured');
  if (r50?.addMs != null && r50.checkMs != null) bar('add ≤ 1.5× check at 50k', r50.addMs <= 1.5 * r50.checkMs, `${fmtRatio(r50.addMs, r50.checkMs)}`);
  else bar('add ≤ 1.5× check at 50k', null, 'not measured');

  if (opts.keep) console.log(`\ngenerated vaults kept in ${runDir}`);
  else rmSync(runDir, { recursive: true, force: true });
  if (!cliBuilt) console.log('\ndist/cli.mjs is missing: run `npm run build`, then `npm run bench` again.');
  else if (cliFailed) console.log('\nThe CLI failed to run (see the notes above).');
  process.exitCode = cliFailed ? 1 : 0;
}

main();
