/**
 * parseNote on an evidence log whose Rollout Windows table has 1k / 10k / 50k rows of 11 columns
 * (~150 bytes a row, 7.5 MB at 50k). Prints ms (best of a few runs), ms per 1k rows, and the
 * heap the parsed note keeps. Run: npx tsx bench/parse-bench.ts  (the heap figure needs
 * NODE_OPTIONS=--expose-gc).
 */
import { parseNote } from '../src/core/markdown/parse-note';

const NOTES = ['steady', 'cache warm-up tuned', 'hold: *p95 by stage* above 800', 'see [[03 Playbook#Queries\\|queries]]', '', 'retry `handoff` tuned', 'W-3 superseded', 'R&D review'];

function pad(n: number): string {
  return String(n).padStart(2, '0');
}

function minute(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}

/** An evidence log note with `rows` Rollout Windows rows (deterministic). */
export function evidenceLog(rows: number): string {
  const lines = [
    '---',
    'canon: evidence-log',
    '---',
    '# Phase A — Controlled Rollout Evidence Log',
    '',
    '## Rollout Windows',
    '',
    '| Window | Start | End | Traffic | Missions | Fallbacks | Fallback Rate | p95 (ms) | Events | Decision | Notes |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
  ];
  let seed = 42;
  const rand = (): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < rows; i++) {
    const start = Date.UTC(2014, 0, 1) + i * 3_600_000;
    const missions = 50 + Math.floor(rand() * 150);
    const fallbacks = Math.floor(rand() * 8);
    const failed = Math.floor(rand() * 3);
    const rate = ((100 * fallbacks) / missions).toFixed(2);
    lines.push(
      `| W-${i + 1} | ${minute(start)} | ${minute(start + 3_000_000)} | ${5 + (i % 20) * 5}% | ${missions} | ${fallbacks} | ${rate}% | ${400 + Math.floor(rand() * 500)} | vp.mission.failed=${failed}, vp.mission.completed=${missions - failed} | ${rand() < 0.9 ? 'promote' : 'hold'} | ${NOTES[i % NOTES.length]} |`,
    );
  }
  return lines.join('\n') + '\n';
}

const gc = (globalThis as { gc?: () => void }).gc;

function heapUsed(): number {
  gc?.();
  return process.memoryUsage().heapUsed;
}

function run(rows: number): void {
  const text = evidenceLog(rows);
  parseNote(evidenceLog(200)); // warm up
  let best = Infinity;
  let kept: unknown = null;
  for (let i = 0; i < (rows > 20_000 ? 3 : 7); i++) {
    kept = null;
    const before = heapUsed();
    const t0 = performance.now();
    kept = parseNote(text);
    const ms = performance.now() - t0;
    best = Math.min(best, ms);
    if (i === 0) {
      const kept = gc ? `${((heapUsed() - before) / 1024 / 1024).toFixed(1)} MB` : 'n/a (needs --expose-gc)';
      process.stdout.write(`${String(rows).padStart(6)} rows  ${(text.length / 1024 / 1024).toFixed(2)} MB  heap kept ${kept}`);
    }
  }
  const note = kept as ReturnType<typeof parseNote>;
  const table = note.tables[0];
  console.log(`  best ${best.toFixed(1)} ms  ${((best / rows) * 1000).toFixed(2)} ms/1k rows  (${table?.rows.length ?? 0} rows read)`);
}

if (/parse-bench\.[cm]?[jt]s$/.test(process.argv[1] ?? "")) for (const rows of [1_000, 10_000, 50_000]) run(rows);
