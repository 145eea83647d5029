/**
 * The long-task drill, shared by test/e2e/long-tasks.test.ts (which asserts) and bench/long-tasks.ts
 * (which reports): open a vault whose evidence log has 10,000 rows with markup in the cells (links
 * with escaped alias pipes, inline code holding escaped pipes, emphasis: bench/generate.mjs), then
 * type in it: in a Notes cell (the table is re-read row by row) and in the prose above the tables
 * (the note is read afresh). A PerformanceObserver in the page sees every task over 50 ms; of each,
 * only the plugin's share counts: the fake's own work inside a task (its metadata parser, its editor,
 * its vault: `fakeWorkLog`) is not the plugin's, nor is collecting the garbage of the fake's copies
 * of a 2.4 MB note, so while typing Chromium's sampling profiler tells the plugin's time apart.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateStack } from '../../bench/generate.mjs';
import type { Host, HostPage } from './harness';

export const DRILL_ROWS = 10_000;

/** A generated stack (bench/generate.mjs) as vault files. */
export function generatedStack(rows: number): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'canon-e2e-long-'));
  try {
    generateStack(dir, rows);
    const files: Record<string, string> = {};
    for (const name of readdirSync(dir)) if (name.endsWith('.md')) files[name] = readFileSync(join(dir, name), 'utf8');
    return files;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The plugin's part of each long task since task `from` (the fake's own work taken out), longest first. */
async function pluginTasks(hp: HostPage, from: number): Promise<number[]> {
  const tasks = (await hp.call('longTaskEntries')).slice(from);
  return tasks.map((t) => Math.round(t.duration - t.fake)).sort((a, b) => b - a);
}

/** A V8 CPU profile as Chromium's DevTools protocol returns it (the parts read here). */
interface CpuProfile {
  nodes: Array<{ id: number; callFrame: { url: string; functionName: string }; children?: number[] }>;
  startTime: number;
  samples: number[];
  timeDeltas: number[];
}

/**
 * Runs `work` under Chromium's sampling profiler and gives, for each long task it caused, the time
 * the samples spent with main.js on the stack (the plugin and what it called), longest first. A
 * long task's own duration also holds the fake's work and garbage collection of the fake's copies
 * of a 2.4 MB note; the samples tell the plugin's share apart.
 */
async function profiledTasks(hp: HostPage, work: () => Promise<void>): Promise<number[]> {
  const from = (await hp.call('longTaskEntries')).length;
  const cdp = await hp.page.context().newCDPSession(hp.page);
  await cdp.send('Profiler.enable');
  await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
  await cdp.send('Profiler.start');
  // The profile's clock has another origin than the page's: a marker function runs at a known page
  // time, and its first sample ties the two clocks together.
  // Source text, not a function: a bundler's helpers (tsx's `__name`) must not reach the page.
  const markAt = await hp.page.evaluate<number>(`(() => {
    const at = performance.now();
    (function canonProfileMark() {
      const end = performance.now() + 10;
      while (performance.now() < end);
    })();
    return at;
  })()`);
  await work();
  const { profile } = (await cdp.send('Profiler.stop')) as unknown as { profile: CpuProfile };
  await cdp.detach();
  const tasks = (await hp.call('longTaskEntries')).slice(from);
  const parent = new Map<number, number>();
  const plugin = new Map<number, boolean>();
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const inPlugin = (id: number): boolean => {
    const known = plugin.get(id);
    if (known !== undefined) return known;
    const node = byId.get(id);
    const up = parent.get(id);
    const yes = (node?.callFrame.url.endsWith('/plugin/main.js') ?? false) || (up !== undefined && inPlugin(up));
    plugin.set(id, yes);
    return yes;
  };
  // Sample times in µs from the profile's start; the first sample in the marker is at `markAt`.
  const times: number[] = [];
  let at = 0;
  for (let i = 0; i < profile.samples.length; i++) times.push((at += profile.timeDeltas[i] ?? 0));
  const inMark = (id: number | undefined): boolean => id !== undefined && (byId.get(id)?.callFrame.functionName === 'canonProfileMark' || inMark(parent.get(id)));
  const markSample = profile.samples.findIndex((id) => inMark(id));
  if (markSample < 0) throw new Error('the profiler took no sample of the clock marker');
  const offset = markAt - (times[markSample] ?? 0) / 1000;
  const share = tasks.map(() => 0);
  for (let i = 0; i < profile.samples.length; i++) {
    const ms = offset + (times[i] ?? 0) / 1000;
    const dt = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    if (!inPlugin(profile.samples[i] ?? -1)) continue;
    const k = tasks.findIndex((t) => ms >= t.start && ms <= t.start + t.duration);
    if (k >= 0) share[k] = (share[k] ?? 0) + dt;
  }
  return share.map((ms) => Math.round(ms)).sort((a, b) => b - a);
}

export interface DrillResult {
  hp: HostPage;
  log: string;
  /**
   * The plugin's share of each long task (ms, longest first) while opening (the task less the fake's
   * own work), typing in a cell and typing in prose (the profiler's samples in main.js).
   */
  open: number[];
  cell: number[];
  prose: number[];
  /** The 0-based lines typed in. */
  row: number;
  proseLine: number;
}

/** Runs the drill on a page of `open` (the harness's host or the test suite's). */
export async function longTaskDrill(open: Host['open'], rows = DRILL_ROWS): Promise<DrillResult> {
  const files = generatedStack(rows);
  const log = Object.keys(files).find((p) => p.startsWith('04_')) ?? '';
  const lines = (files[log] ?? '').split('\n');
  const hp = await open({ files, open: null });
  const atOpen = await pluginTasks(hp, 0);
  const row = lines.findIndex((l, i) => i > lines.length / 2 && l.startsWith('| W-'));
  await hp.call('open', log, row);
  const cell = await profiledTasks(hp, () => hp.call('type', ' checked', { line: row, ch: (lines[row] ?? '').length - 2 }));
  const proseLine = lines.findIndex((l) => l.startsWith('Every rollout window'));
  const prose = await profiledTasks(hp, () => hp.call('type', ' Reviewed.', { line: proseLine, ch: (lines[proseLine] ?? '').length }));
  return { hp, log, open: atOpen, cell, prose, row, proseLine };
}
