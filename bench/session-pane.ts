// What the session pane costs on the example vault, run on the built main.js inside the fake
// `obsidian` (test/fakes): opening the pane, re-evaluating it after a session-note change (the
// metadata cache's `changed` event: frontmatter parse, review on the snapshot's model, redraw), and
// what it adds to a stack snapshot (the same review and redraw, measured as the difference of a full
// check with the pane open and closed). A report, not a test.
//
// Usage: npm run build && npx tsx bench/session-pane.ts [--runs 200]
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadBundle } from '../test/fakes/load-bundle';
import { click, computeFileCache, loadVaultFromDir, typeInto, type App, type TFile } from '../test/fakes/obsidian';

const ROOT = join(import.meta.dirname, '..');
const runsArg = process.argv.indexOf('--runs');
const RUNS = runsArg > 0 ? Number(process.argv[runsArg + 1]) : 200;

interface Stats { median: number; p95: number; max: number }

function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (q: number): number => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
  return { median: at(0.5), p95: at(0.95), max: sorted[sorted.length - 1] ?? Number.NaN };
}

function show(name: string, s: Stats): void {
  console.log(`${name.padEnd(52)} median ${s.median.toFixed(2).padStart(7)} ms   p95 ${s.p95.toFixed(2).padStart(7)} ms   max ${s.max.toFixed(2).padStart(7)} ms`);
}

async function timeAsync(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

function paneLeaves(app: App): ReturnType<App['workspace']['getLeavesOfType']> {
  return app.workspace.getLeavesOfType('canon-session');
}

async function main(): Promise<void> {
  const app = loadVaultFromDir(join(ROOT, 'example-vault'));
  const plugin = await app.loadPlugin(await loadBundle());
  await app.layoutReady();

  // A session, started as a user does.
  await app.commands.run('canon:start-session');
  const modal = app.openModals().at(-1);
  const objective = modal?.contentEl.querySelector<HTMLInputElement>('#canon-start-objective');
  const start = Array.from(modal?.contentEl.querySelectorAll('button') ?? []).find((b) => b.textContent === 'Start session');
  if (!objective || !start) throw new Error('the start form did not open');
  typeInto(objective, 'Bench the session pane');
  click(start);
  await app.settle();
  const file = app.vault.getMarkdownFiles().find((f) => f.path.startsWith('sessions/')) as TFile | undefined;
  if (!file) throw new Error('no session note');
  const noteText = app.vault._peek(file.path) ?? '';

  // Open: a new leaf showing the pane (onOpen: state, review, first drawing).
  for (const leaf of paneLeaves(app)) leaf.detach();
  const open: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const leaf = app.workspace.getRightLeaf(false);
    if (!leaf) throw new Error('no right leaf');
    open.push(await timeAsync(() => leaf.setViewState({ type: 'canon-session', active: true })));
    if (i < RUNS - 1) leaf.detach();
  }
  const subscribers = (paneLeaves(app)[0]?.view as unknown as { session: { listeners: Set<unknown> } } | undefined)?.session.listeners.size;
  if (subscribers !== 1) throw new Error(`${subscribers ?? 0} panes listen to the session; expected 1 (closed panes must unsubscribe)`);
  const items = paneLeaves(app)[0]?.view.containerEl.querySelectorAll('.canon-session-item').length ?? 0;

  // A session-note change: the metadata cache hands the new text over; the pane re-reviews and redraws.
  // The review (state()) is timed apart from the whole, so the drawing is the difference.
  const view = paneLeaves(app)[0]?.view as unknown as { session: { state(): unknown } } | undefined;
  if (!view) throw new Error('the pane is not open');
  const session = view.session;
  const state = session.state.bind(session);
  let reviewMs = 0;
  session.state = () => {
    const t0 = performance.now();
    const s = state();
    reviewMs += performance.now() - t0;
    return s;
  };
  const change: number[] = [];
  const review: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const text = noteText.replace('ticks: []', i % 2 === 0 ? 'ticks: ["Code behavior validated."]' : 'ticks: []');
    const cache = computeFileCache(text);
    reviewMs = 0;
    const t0 = performance.now();
    app.metadataCache.trigger('changed', file, text, cache);
    change.push(performance.now() - t0);
    review.push(reviewMs);
  }
  session.state = state;
  const ticked = paneLeaves(app)[0]?.view.containerEl.querySelector<HTMLInputElement>('[data-canon-key="item:1"]')?.checked;

  // A stack snapshot: a full check with the pane open, against the same check with it closed.
  const index = (plugin as unknown as { controller: { index: { refresh(): Promise<unknown>; invalidate(path: string): void } } }).controller.index;
  const refresh = async (): Promise<number> => {
    index.invalidate('04_Phase_A_Controlled_Rollout_Evidence_Log.md');
    return timeAsync(() => index.refresh());
  };
  const withPane: number[] = [];
  for (let i = 0; i < RUNS; i++) withPane.push(await refresh());
  for (const leaf of paneLeaves(app)) leaf.detach();
  const withoutPane: number[] = [];
  for (let i = 0; i < RUNS; i++) withoutPane.push(await refresh());

  console.log(`Session pane on example-vault/ (${items} checklist items), built main.js in the fake obsidian, ${RUNS} runs each, node ${process.version}`);
  show('open the pane (new leaf: review + first drawing)', stats(open));
  show('session-note change (parse + review + redraw)', stats(change));
  show('  of which parse + review (no DOM)', stats(review));
  show('stack check + snapshot, pane open', stats(withPane));
  show('stack check + snapshot, pane closed', stats(withoutPane));
  const added = stats(withPane).median - stats(withoutPane).median;
  console.log(`${'pane cost per snapshot (difference of medians)'.padEnd(52)} ${added.toFixed(2).padStart(7)} ms`);
  if (ticked === undefined) throw new Error('the pane did not redraw');
  await app.destroy();
}

await main();
