/**
 * The metadata cache lags in the app: parsed in a worker after each write, still filling when the
 * layout is ready (see MetadataCache in test/fakes/obsidian/metadata-cache.ts for what is modelled
 * and from where). These tests run the plugin against the fake's `metadataLag` (with the rest of
 * FAITHFUL) and hold it to a full check of the files as they end up: the one the CLI does (core
 * `checkStack` over FsVault).
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FsVault } from '../../src/cli/fs-vault';
import { checkStack, CONFIG_FILE, defaultConfig, parseConfig, ROLES, type CheckResult } from '../../src/core';
import { pluginBuilds, type CanonPluginClass } from '../fakes/load-bundle';
import { createFakeApp, debounce, FAITHFUL, fakeAppModes, loadVaultFromDir, readVaultDir, TFile, type App, type MetadataLag } from '../fakes/obsidian';
import { EXAMPLE_VAULT, tempDir } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const MODEL = '05_Phase_A_Execution_Operating_Model.md';
const POSTMORTEM = 'notes/Handoff timeout postmortem.md';
const EXAMPLE = readVaultDir(EXAMPLE_VAULT);
/** The example vault, its control center linking a heading of a note that is not canonical (its headings come from the cache). */
const WITH_HEADING_LINK: Record<string, string> = {
  ...EXAMPLE,
  [CONTROL]: text(EXAMPLE, CONTROL).replace('[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem#Why the rollout held\\|postmortem]]'),
};

let app: App | null = null;

beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
});

afterEach(async () => {
  vi.useRealTimers();
  await app?.destroy();
  app = null;
});

function text(files: Record<string, string>, path: string): string {
  const t = files[path];
  if (t === undefined) throw new Error(`no ${path}`);
  return t;
}

/** The vault's files now, by path (the config included). */
function filesOf(a: App): Record<string, string> {
  const out: Record<string, string> = {};
  for (const file of a.vault.getFiles()) out[file.path] = a.vault._peek(file.path) ?? '';
  const config = a.vault._peek(CONFIG_FILE);
  if (config !== null) out[CONFIG_FILE] = config;
  return out;
}

/** A full check of `files` as the CLI does it: written to a folder, read by FsVault, every rule. */
function fullCheck(files: Record<string, string>): CheckResult {
  const dir = tempDir('canon-lag-');
  try {
    for (const [path, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), content);
    }
    const parsed = files[CONFIG_FILE] === undefined ? null : parseConfig(text(files, CONFIG_FILE), CONFIG_FILE);
    if (parsed && !parsed.ok) throw new Error('the test config is broken');
    return checkStack(new FsVault(dir), parsed ? parsed.config : defaultConfig());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** What the stack view shows of a check: each role's note and how it was found, and the problems. */
function shown(result: CheckResult | null | undefined) {
  return {
    docs: (result?.docs ?? []).map((d) => ({ role: d.role, path: d.path, via: d.via })),
    diagnostics: result?.diagnostics ?? [],
  };
}

/** Lets time pass (fake timers) until the cache has settled and no check is waiting or running. */
async function settleAll(a: App): Promise<void> {
  for (let round = 0; round < 100; round++) {
    await vi.advanceTimersByTimeAsync(250);
    await a.settle();
    if (a.metadataCache.idle && a.liveListeners().pendingDebounces === 0) return;
  }
  throw new Error('the app did not settle');
}

/** The example vault (with `files` added or replaced) in an app whose metadata cache lags; the plugin loaded, the layout ready. */
async function start(load: () => Promise<CanonPluginClass>, files: Record<string, string>, lag: MetadataLag) {
  // The faithful settings (a case-insensitive disk…), with this test's lag.
  app = loadVaultFromDir(EXAMPLE_VAULT, { ...FAITHFUL, files, metadataLag: lag });
  const plugin = await app.loadPlugin(await load());
  await app.layoutReady();
  return { a: app, plugin };
}

async function edit(a: App, path: string, change: (t: string) => string): Promise<void> {
  const file = a.vault.getFileByPath(path);
  if (!(file instanceof TFile)) throw new Error(`no ${path}`);
  await a.vault.process(file, change);
}

describe.each(pluginBuilds)('the plugin with a lagging metadata cache (%s)', (_name, load) => {
  it('opens a vault while the cache fills: once it settles, every role is found and the problems are a full check\'s', async () => {
    const { a, plugin } = await start(load, WITH_HEADING_LINK, { minMs: 20, maxMs: 400, seed: 7 });
    // The layout is ready and the first check ran, but no note's metadata has arrived yet.
    expect(a.metadataCache.pendingCount).toBe(Object.keys(EXAMPLE).filter((p) => p.endsWith('.md')).length);
    await a.settle();
    expect(plugin.controller.snapshot().result).not.toBeNull();
    await settleAll(a);
    const expected = fullCheck(filesOf(a));
    expect(expected.docs.every((d) => d.path !== null && d.via === 'frontmatter')).toBe(true);
    expect(expected.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(expected));
    await a.commands.run('canon:open-stack-view');
    const links = Array.from(a.workspace.containerEl.querySelectorAll('.canon-note-link')).map((l) => l.getAttribute('title'));
    expect(links).toEqual(expected.docs.map((d) => d.path));
    expect(a.workspace.containerEl.querySelectorAll('.canon-create-missing')).toHaveLength(0);
    expect(a.statusBarEl.textContent).toBe('Canon: no problems');
  });

  it('after a git pull while closed, drops a role claim the stale cache still held', async () => {
    const draft = 'notes/Draft log.md';
    const files = { ...EXAMPLE, [draft]: '---\ntitle: draft\n---\n# Draft\n' };
    // Before the pull the draft claimed the evidence log's role; the cache kept that.
    const previous = { ...files, [draft]: '---\ntitle: draft\ncanon: evidence-log\n---\n# Draft\n' };
    const { a, plugin } = await start(load, files, { minMs: 50, maxMs: 300, seed: 3, previous });
    await a.settle();
    // The first check believed the stale claim.
    expect(plugin.controller.snapshot().result?.diagnostics.some((d) => d.rule === 'doc/duplicate-role')).toBe(true);
    await settleAll(a);
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(fullCheck(filesOf(a))));
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);
  });

  it('follows a note whose canon: role changes while its metadata lags behind the check', async () => {
    // Checks after 100 ms; the metadata takes 300–600 ms: the first re-check sees the text but the old claim.
    const files = { ...EXAMPLE, [CONFIG_FILE]: '{ "debounceMs": 100 }\n' };
    const { a, plugin } = await start(load, files, { minMs: 300, maxMs: 600, seed: 11 });
    await settleAll(a);
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);
    await edit(a, MODEL, (t) => t.replace('canon: operating-model', 'canon: evidence-log'));
    await settleAll(a);
    const claimed = fullCheck(filesOf(a));
    expect(claimed.diagnostics.filter((d) => d.rule === 'doc/duplicate-role').map((d) => d.path)).toEqual([LOG, MODEL]);
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(claimed));
    await edit(a, MODEL, (t) => t.replace('canon: evidence-log', 'canon: operating-model'));
    await settleAll(a);
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(fullCheck(filesOf(a))));
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);
  });

  it('completes the first check as the cache fills even with live checks off', async () => {
    const files = { ...WITH_HEADING_LINK, [CONFIG_FILE]: '{ "liveChecks": false }\n' };
    const { a, plugin } = await start(load, files, { minMs: 20, maxMs: 400, seed: 9 });
    await settleAll(a);
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(fullCheck(filesOf(a))));
  });

  it('re-checks when a note whose heading a link names changes after the check', async () => {
    const { a, plugin } = await start(load, WITH_HEADING_LINK, { minMs: 20, maxMs: 200, seed: 5 });
    await settleAll(a);
    expect(plugin.controller.snapshot().result?.diagnostics.filter((d) => d.rule === 'link/unresolved')).toEqual([]);
    await edit(a, POSTMORTEM, (t) => t.replace('## Why the rollout held', '## Why we held'));
    await settleAll(a);
    const expected = fullCheck(filesOf(a));
    expect(expected.diagnostics.map((d) => d.rule)).toContain('link/unresolved');
    expect(shown(plugin.controller.snapshot().result)).toEqual(shown(expected));
  });
});

/** One edit of a canonical note, as the property test draws it. */
type Edit =
  | { kind: 'append'; gap: number }
  | { kind: 'break'; note: number; row: number; gap: number }
  | { kind: 'role'; note: number; role: string | null; gap: number };

const CANONICAL = Object.keys(EXAMPLE).filter((p) => /^0\d_.*\.md$/.test(p)).sort();

function applyEdit(t: string, e: Edit): string {
  if (e.kind === 'append') {
    // A copy of the last Rollout Windows row with the next id (whatever it breaks, the check must say so).
    const lines = t.split('\n');
    const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\| W-\d+ \|/.test(l));
    const last = rows.at(-1);
    if (!last) return `${t}\n| W-1 | appended |\n`;
    const next = Math.max(...rows.map(([l]) => Number(/W-(\d+)/.exec(l)?.[1] ?? 0))) + 1;
    lines.splice(last[1] + 1, 0, last[0].replace(/^\| W-\d+ \|/, `| W-${next} |`));
    return lines.join('\n');
  }
  if (e.kind === 'break') {
    const lines = t.split('\n');
    const rows = lines.map((l, i) => [l, i] as const).filter(([l]) => /^\|/.test(l) && !/^\|[\s:|-]+\|?$/.test(l));
    const row = rows[e.row % Math.max(1, rows.length)];
    if (!row) return t;
    const cells = row[0].split('|');
    if (cells.length > 3) cells[2] = ' ?? broken ?? ';
    lines[row[1]] = cells.join('|');
    return lines.join('\n');
  }
  const claim = /^canon:.*$/m;
  if (e.role === null) return t.replace(/^canon:.*\n/m, '');
  return claim.test(t) ? t.replace(claim, `canon: ${e.role}`) : t.replace(/^---\n/, `---\ncanon: ${e.role}\n`);
}

const editArb: fc.Arbitrary<Edit> = fc.oneof(
  fc.record({ kind: fc.constant('append' as const), gap: fc.integer({ min: 0, max: 700 }) }),
  fc.record({ kind: fc.constant('break' as const), note: fc.nat(CANONICAL.length - 1), row: fc.nat(60), gap: fc.integer({ min: 0, max: 700 }) }),
  fc.record({
    kind: fc.constant('role' as const),
    note: fc.nat(CANONICAL.length - 1),
    role: fc.oneof(fc.constantFrom(...ROLES), fc.constant('no-such-role'), fc.constant(null)),
    gap: fc.integer({ min: 0, max: 700 }),
  }),
);

describe.each(pluginBuilds)('the plugin with a lagging metadata cache, property (%s)', (_name, load) => {
  it('ends, whatever the delays and edits, with the diagnostics of a full check of the final files', async () => {
    const PluginClass = await load();
    await fc.assert(
      fc.asyncProperty(
        fc.record({
          seed: fc.nat(),
          minMs: fc.integer({ min: 0, max: 300 }),
          spread: fc.integer({ min: 0, max: 900 }),
          debounceMs: fc.constantFrom(0, 100, 500),
          warmCache: fc.boolean(),
        }),
        fc.array(editArb, { minLength: 1, maxLength: 6 }),
        async (lag, edits) => {
          vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
          const files = { ...WITH_HEADING_LINK, [CONFIG_FILE]: `{ "debounceMs": ${lag.debounceMs} }\n` };
          const a = createFakeApp({
            ...FAITHFUL,
            vaultName: 'example-vault',
            files,
            metadataLag: { minMs: lag.minMs, maxMs: lag.minMs + lag.spread, seed: lag.seed, ...(lag.warmCache ? { previous: files } : {}) },
          });
          app = a;
          try {
            const plugin = await a.loadPlugin(PluginClass);
            await a.layoutReady();
            for (const e of edits) {
              await vi.advanceTimersByTimeAsync(e.gap);
              const path = e.kind === 'append' ? LOG : (CANONICAL[e.note] ?? LOG);
              await edit(a, path, (t) => applyEdit(t, e));
            }
            await settleAll(a);
            expect(shown(plugin.controller.snapshot().result)).toEqual(shown(fullCheck(filesOf(a))));
          } finally {
            vi.useRealTimers();
            await a.destroy();
            app = null;
          }
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('the fake metadata cache with metadataLag', () => {
  it('fills after the writes, per file, with changed as each arrives and resolved once after the last', async () => {
    const a = createFakeApp({ files: { 'a.md': '# A', 'b.md': '# B' }, metadataLag: { minMs: 10, maxMs: 100, seed: 1 } });
    app = a;
    const events: string[] = [];
    a.metadataCache.on('changed', (file) => events.push(`changed ${file.path}`));
    a.metadataCache.on('resolved', () => events.push('resolved'));
    let atLayout: unknown = 'not run';
    a.workspace.onLayoutReady(() => {
      atLayout = a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!);
    });
    await a.layoutReady();
    expect(atLayout).toBeNull();
    expect(a.metadataCache.pendingCount).toBe(2);
    await vi.advanceTimersByTimeAsync(101);
    expect(events.sort()).toEqual(['changed a.md', 'changed b.md', 'resolved']);
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('A');
    // A write: the previous metadata until the new arrives, then changed and resolved.
    events.length = 0;
    await a.vault.modify(a.vault.getFileByPath('a.md')!, '# A2');
    await a.settle();
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('A');
    expect(a.metadataCache.idle).toBe(false);
    await vi.advanceTimersByTimeAsync(101);
    expect(events).toEqual(['changed a.md', 'resolved']);
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('A2');
    expect(a.metadataCache.idle).toBe(true);
  });

  it('draws the same delays from the same seed, and flushLagging delivers them in the order they were due', async () => {
    const order = async (seed: number): Promise<string[]> => {
      const a = createFakeApp({ files: { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c', 'd.md': 'd' }, metadataLag: { minMs: 0, maxMs: 1000, seed } });
      const seen: string[] = [];
      a.metadataCache.on('changed', (file) => seen.push(file.path));
      await a.layoutReady();
      expect(a.metadataCache.flushLagging()).toBe(4);
      await a.destroy();
      return seen;
    };
    const first = await order(42);
    expect(await order(42)).toEqual(first);
    const orders = new Set<string>();
    for (let seed = 0; seed < 8; seed++) orders.add((await order(seed)).join());
    expect(orders.size).toBeGreaterThan(1);
  });

  it('serves the previous metadata of unchanged notes at start and indexes the changed ones after the layout', async () => {
    const a = createFakeApp({
      files: { 'same.md': '# Same', 'pulled.md': '# New' },
      metadataLag: { minMs: 5, maxMs: 5, previous: { 'same.md': '# Same', 'pulled.md': '# Old' } },
    });
    app = a;
    const changed: string[] = [];
    a.metadataCache.on('changed', (file) => changed.push(file.path));
    const heading = (path: string) => a.metadataCache.getFileCache(a.vault.getFileByPath(path)!)?.headings?.[0]?.heading;
    expect([heading('same.md'), heading('pulled.md')]).toEqual(['Same', 'Old']);
    await a.layoutReady();
    await vi.advanceTimersByTimeAsync(10);
    expect(changed).toEqual(['pulled.md']);
    expect(heading('pulled.md')).toBe('New');
  });

  it('is off by default: the cache is full at start and follows a write a microtask later', async () => {
    const a = createFakeApp({ files: { 'a.md': '# A' } });
    app = a;
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('A');
    await a.vault.modify(a.vault.getFileByPath('a.md')!, '# B');
    await a.settle();
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('B');
    expect(a.metadataCache.idle).toBe(true);
  });

  it('is on in FAITHFUL, with a case-insensitive disk and presses that activate their leaf; the instant mode is the defaults', () => {
    expect(FAITHFUL).toMatchObject({ caseInsensitiveDisk: true, activateLeafOnClick: true });
    expect(FAITHFUL.metadataLag?.maxMs).toBeGreaterThan(FAITHFUL.metadataLag?.minMs ?? Infinity);
    expect(fakeAppModes).toEqual([['instant', {}], ['faithful', FAITHFUL]]);
  });
});

describe('app.idle()', () => {
  const files = { 'a.md': '# A', 'b.md': '# B', 'c.md': '# C' };

  it('waits, in real time, for every lagging parse and the late resolved', async () => {
    vi.useRealTimers();
    // Delays well above what the layout-ready work takes, even on a loaded machine.
    const a = createFakeApp({ files, metadataLag: { minMs: 150, maxMs: 250, seed: 2 } });
    app = a;
    const events: string[] = [];
    a.metadataCache.on('changed', (file) => events.push(file.path));
    a.metadataCache.on('resolved', () => events.push('resolved'));
    await a.layoutReady();
    expect(a.metadataCache.pendingCount).toBe(3);
    await a.idle();
    expect(a.metadataCache.idle).toBe(true);
    expect(events.slice(0, 3).sort()).toEqual(['a.md', 'b.md', 'c.md']);
    expect(events.at(-1)).toBe('resolved');
  });

  it('under fake timers, lets time pass through `advance`, or else delivers the lagging parses at once', async () => {
    const a = createFakeApp({ files, metadataLag: { minMs: 100, maxMs: 300, seed: 4 } });
    app = a;
    await a.layoutReady();
    const start = Date.now();
    await a.idle({ advance: (ms) => vi.advanceTimersByTimeAsync(ms) });
    expect(a.metadataCache.idle).toBe(true);
    expect(Date.now() - start).toBeGreaterThanOrEqual(100);
    await a.vault.modify(a.vault.getFileByPath('a.md')!, '# A2');
    const before = Date.now();
    await a.idle();
    expect(a.metadataCache.idle).toBe(true);
    expect(Date.now()).toBe(before);
    expect(a.metadataCache.getFileCache(a.vault.getFileByPath('a.md')!)?.headings?.[0]?.heading).toBe('A2');
  });

  it('runs the debounced calls of plugins, not the editors\' autosave', async () => {
    const a = createFakeApp({ files });
    app = a;
    await a.layoutReady();
    let ran = 0;
    debounce(() => ran++, 1000)();
    const view = await a.openInEditor('a.md');
    view.editor.replaceRange('typed ', { line: 0, ch: 0 });
    await a.idle();
    expect(ran).toBe(1);
    expect(a.vault._peek('a.md')).toBe('# A');
    await a.flushEditors();
    expect(a.vault._peek('a.md')).toBe('typed # A');
  });
});
