// What the plugin costs inside Obsidian's API (the fake in test/fakes, running the built main.js):
// onload on a 5,000-note vault, the first full check after layout ready (example vault; 50k-row
// evidence log), and a re-check after one keystroke in a 10k-row evidence log. A report, not a test.
//
// Usage: npm run build && npx tsx bench/plugin.ts [--runs 20]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBundle } from '../test/fakes/load-bundle';
import { createFakeApp, loadVaultFromDir, type App } from '../test/fakes/obsidian';
import { generateStack } from './generate.mjs';

const ROOT = join(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 20;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function stackFiles(rows: number): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'canon-plugin-bench-'));
  generateStack(dir, rows);
  const files: Record<string, string> = {};
  for (const name of readdirSync(dir)) if (name.endsWith('.md')) files[name] = readFileSync(join(dir, name), 'utf8');
  rmSync(dir, { recursive: true, force: true });
  return files;
}

type Plugin = Awaited<ReturnType<App['loadPlugin']>> & { controller: { validateNow(): Promise<void>; snapshot(): { result: { counts: { error: number } } | null } } };

async function loaded(app: App): Promise<Plugin> {
  return (await app.loadPlugin(await loadBundle())) as Plugin;
}

async function onloadOn5000Notes(): Promise<number> {
  const files: Record<string, string> = {};
  for (let i = 0; i < 5000; i++) files[`notes/${Math.floor(i / 100)}/note ${i}.md`] = `# Note ${i}\n\nSee [[note ${(i + 1) % 5000}]].\n`;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const app = createFakeApp({ files: { ...files, ...stackFiles(10) } });
    const Plugin = await loadBundle();
    const t0 = performance.now();
    await app.loadPlugin(Plugin);
    samples.push(performance.now() - t0);
    await app.destroy();
  }
  return median(samples);
}

async function firstCheck(files: Record<string, string> | null): Promise<number> {
  const samples: number[] = [];
  for (let i = 0; i < Math.max(3, Math.floor(RUNS / 4)); i++) {
    const app = files ? createFakeApp({ files }) : loadVaultFromDir(join(ROOT, 'example-vault'));
    const plugin = await loaded(app);
    await app.layoutReady();
    // layoutReady starts the first check; time a fresh one as the first one is (nothing cached).
    await app.destroy();
    const fresh = files ? createFakeApp({ files }) : loadVaultFromDir(join(ROOT, 'example-vault'));
    const p = await loaded(fresh);
    await fresh.settle();
    const t0 = performance.now();
    await p.controller.validateNow();
    samples.push(performance.now() - t0);
    if (p.controller.snapshot().result === null) throw new Error('no result');
    void plugin;
    await fresh.destroy();
  }
  return median(samples);
}

async function keystroke(rows: number): Promise<number> {
  const files = stackFiles(rows);
  const log = Object.keys(files).find((p) => p.startsWith('04'))!;
  const app = createFakeApp({ files });
  const plugin = await loaded(app);
  await app.layoutReady();
  await app.settle();
  await plugin.controller.validateNow();
  const file = app.vault.getFileByPath(log)!;
  const samples: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    // One character typed into the Notes cell of a row in the middle of the table.
    await app.vault.process(file, (t) => {
      const at = t.indexOf(' |\n', Math.floor(t.length / 2));
      return `${t.slice(0, at)}${i % 2 ? '' : 'x'}${t.slice(at)}`;
    });
    await app.settle();
    const t0 = performance.now();
    await plugin.controller.validateNow();
    samples.push(performance.now() - t0);
  }
  await app.destroy();
  return median(samples);
}

const rows: [string, string, number, string][] = [];
rows.push(['onload, 5,000-note vault', 'under 5 ms', await onloadOn5000Notes(), 'ms']);
rows.push(['first full check, example vault', 'under 100 ms', await firstCheck(null), 'ms']);
rows.push(['first full check, 50k-row evidence log', 'under 1 s', await firstCheck(stackFiles(50_000)), 'ms']);
rows.push(['re-check after one keystroke, 10k-row log', 'under 50 ms', await keystroke(10_000), 'ms']);
console.log('| plugin (built main.js in the fake obsidian) | bar | median |');
console.log('| --- | --- | ---: |');
for (const [name, bar, ms] of rows) console.log(`| ${name} | ${bar} | ${ms.toFixed(1)} ms |`);
