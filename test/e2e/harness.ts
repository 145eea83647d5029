/**
 * The end-to-end harness: bundles the host page's script (host/host.ts, with the `obsidian` fake)
 * for the browser, serves it with the BUILT main.js, styles.css and the example vault on a random
 * localhost port, and drives Chromium headless with playwright-core. Which Chromium: `findChromium`
 * (CANON_CHROMIUM, else the system's Chromium or Chrome, else the one the @sparticuz/chromium
 * development dependency ships). No test tool downloads a browser.
 */
import { execFile } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import lockfile from 'proper-lockfile';
import { build, type Plugin as EsbuildPlugin } from 'esbuild';
import { afterAll, afterEach, beforeAll, expect } from 'vitest';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { readVaultDir } from '../fakes/obsidian';
import { PLUGIN_BUILD, requireFreshBuild } from '../helpers/fresh-build';
import type { BootOptions, CanonTestApi } from './host/api';

export const REPO = join(import.meta.dirname, '../..');
export const EXAMPLE_VAULT = join(REPO, 'example-vault');
const HOST_DIR = join(import.meta.dirname, 'host');
/** The page's clock: 2026-11-24 14:05 in UTC, after every row of the example vault (as in the plugin tests). */
export const NOW = new Date('2026-11-24T14:05:00Z');

/** Flags for a headless run on a machine without network (no background connections, no sandbox as root). */
export const CHROMIUM_ARGS = [
  '--headless=new', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--font-render-hinting=none',
];

/** Where Linux distributions and Google's packages install Chromium or Chrome, in the order they are tried. */
export const SYSTEM_CHROMIUMS = ['/usr/bin/chromium', '/usr/bin/google-chrome-stable', '/usr/bin/google-chrome', '/usr/bin/chromium-browser', '/snap/bin/chromium'];
/** The same programs by name, looked up on PATH after those paths. */
const SYSTEM_CHROMIUM_NAMES = ['chromium', 'google-chrome-stable', 'google-chrome', 'chromium-browser'];

/** A Chromium found for the tests, and which step of the lookup found it. */
export interface FoundChromium {
  path: string;
  source: 'CANON_CHROMIUM' | 'system' | 'npm';
}

/** What the lookup reads; the defaults are the real environment, file system and npm package (tests replace them). */
export interface ChromiumLookup {
  env?: NodeJS.ProcessEnv;
  isExecutable?: (path: string) => boolean;
  npmChromium?: () => Promise<string | null>;
}

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Finds the Chromium the end-to-end tests drive: `CANON_CHROMIUM` when set (and then only it), else
 * the system's Chromium or Chrome (SYSTEM_CHROMIUMS, then the same names on PATH; skipped when
 * `CANON_CHROMIUM_SYSTEM=0`, which the lookup's own test uses), else the Chromium of the
 * `@sparticuz/chromium` development dependency, unpacked once (see `unpackNpmChromium`). Fails
 * with what to do when there is none: the suite must not pass by skipping.
 */
export async function findChromium({ env = process.env, isExecutable = isExecutableFile, npmChromium = unpackNpmChromium }: ChromiumLookup = {}): Promise<FoundChromium> {
  const configured = env.CANON_CHROMIUM;
  if (configured) {
    if (isExecutable(configured)) return { path: configured, source: 'CANON_CHROMIUM' };
    throw new Error(`CANON_CHROMIUM is \`${configured}\`, which is not an executable file: point it at a Chromium or Chrome binary, or unset it to use the system's or the npm one.`);
  }
  if (env.CANON_CHROMIUM_SYSTEM !== '0') {
    const onPath = (env.PATH ?? '').split(delimiter).filter(Boolean).flatMap((dir) => SYSTEM_CHROMIUM_NAMES.map((name) => join(dir, name)));
    const system = [...SYSTEM_CHROMIUMS, ...onPath].find((path) => isExecutable(path));
    if (system) return { path: system, source: 'system' };
  }
  const npm = await npmChromium();
  if (npm) return { path: npm, source: 'npm' };
  throw new Error(
    'No Chromium for the end-to-end tests: CANON_CHROMIUM is unset, ' +
      `${env.CANON_CHROMIUM_SYSTEM === '0' ? 'the system lookup is off (CANON_CHROMIUM_SYSTEM=0)' : `none of ${SYSTEM_CHROMIUMS.join(', ')} (or those names on PATH) exists`}, ` +
      'and the @sparticuz/chromium development dependency is not installed (run `npm install`). ' +
      'Or install one: `sudo apt-get install -y --no-install-recommends chromium`.',
  );
}

const execFileAsync = promisify(execFile);

/**
 * The Chromium that the @sparticuz/chromium development dependency ships brotli-compressed, unpacked
 * into node_modules/.cache/canon-chromium/<version>/ on first use (about 5 s; ~220 MB) and reused
 * after. The package unpacks into `os.tmpdir()`, so a child process does it with TMPDIR pointing at
 * a fresh staging folder, which is then renamed into place: test files starting at once never see a
 * half-written binary, and a run killed midway leaves only a staging folder; a lock beside the cache
 * makes the others wait for the first. It needs the system's libnss3 (Debian/Ubuntu `libnss3`).
 * Null when the package is not installed.
 */
export async function unpackNpmChromium(): Promise<string | null> {
  const manifest = join(REPO, 'node_modules/@sparticuz/chromium/package.json');
  if (!existsSync(manifest)) return null;
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  const cache = join(REPO, 'node_modules/.cache/canon-chromium');
  const dir = join(cache, version);
  const binary = join(dir, 'chromium');
  if (existsSync(binary)) return binary;
  mkdirSync(cache, { recursive: true });
  // One test file unpacks while the others wait (on a machine with many cores they start together).
  const release = await lockfile.lock(cache, { retries: { retries: 120, minTimeout: 500, maxTimeout: 500 }, stale: 60_000 });
  if (existsSync(binary)) {
    await release();
    return binary;
  }
  const staging = mkdtempSync(join(cache, `.unpack-${version}-`));
  try {
    const script = "const { default: c } = await import('@sparticuz/chromium'); process.stdout.write(await c.executablePath());";
    const { stdout } = await execFileAsync(process.execPath, ['--input-type=module', '-e', script], { cwd: REPO, env: { ...process.env, TMPDIR: staging } });
    if (stdout !== join(staging, 'chromium')) throw new Error(`@sparticuz/chromium unpacked Chromium to \`${stdout}\`, not into ${staging}`);
    try {
      renameSync(staging, dir);
    } catch (error) {
      // Another test file unpacked it first: theirs is complete (renamed whole), ours is dropped.
      if (!existsSync(binary)) throw error;
    }
  } finally {
    rmSync(staging, { recursive: true, force: true });
    await release();
  }
  return binary;
}

let found: Promise<FoundChromium> | undefined;

/** The lookup, once per test file's process. */
function chromiumForTests(): Promise<FoundChromium> {
  found ??= findChromium();
  return found;
}

const MAIN = join(REPO, 'main.js');

/** The fake imports happy-dom and Node's fs and path for Node; in the page they are stand-ins that throw (host/node-stubs.ts). */
const nodeStubs: EsbuildPlugin = {
  name: 'node-stubs',
  setup(b) {
    b.onResolve({ filter: /^(happy-dom|node:fs|node:path)$/ }, () => ({ path: join(HOST_DIR, 'node-stubs.ts') }));
  },
};

async function bundleHost(): Promise<string> {
  const result = await build({
    entryPoints: [join(HOST_DIR, 'host.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    sourcemap: 'inline',
    logLevel: 'silent',
    plugins: [nodeStubs],
  });
  const out = result.outputFiles[0];
  if (!out) throw new Error('esbuild produced no host bundle');
  return out.text;
}

/** JSON in a page's `<script type="application/json">`: no `<` left to end the block early. */
function jsonBlock(id: string, value: unknown): string {
  return `<script type="application/json" id="${id}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}

/** The host page: Obsidian's stand-in styles, Canon's styles.css, the example vault and the manifest as JSON, the host script. */
function hostPage(): string {
  const manifest = JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8')) as unknown;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Canon end-to-end host</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/obsidian-app.css">
<link rel="stylesheet" href="/styles.css">
${jsonBlock('canon-vault', readVaultDir(EXAMPLE_VAULT))}
${jsonBlock('canon-manifest', manifest)}
<script type="module" src="/host.js"></script>
</head>
<body></body>
</html>
`;
}

/** The files the server answers with, by URL path. */
function routes(hostScript: string): Map<string, { type: string; body: () => string }> {
  const js = 'text/javascript; charset=utf-8';
  return new Map([
    ['/', { type: 'text/html; charset=utf-8', body: hostPage }],
    ['/host.js', { type: js, body: () => hostScript }],
    // Obsidian runs main.js as a CommonJS function; the wrapper hands that function to the host.
    ['/plugin/main.js', { type: js, body: () => `window.canonPluginFactory = function (exports, require, module) {\n${readFileSync(MAIN, 'utf8')}\n};\n` }],
    ['/styles.css', { type: 'text/css; charset=utf-8', body: () => readFileSync(join(REPO, 'styles.css'), 'utf8') }],
    ['/obsidian-app.css', { type: 'text/css; charset=utf-8', body: () => readFileSync(join(HOST_DIR, 'obsidian-app.css'), 'utf8') }],
  ]);
}

function serve(hostScript: string): Promise<{ server: Server; url: string }> {
  const table = routes(hostScript);
  const server = createServer((request, response) => {
    const route = table.get(new URL(request.url ?? '/', 'http://localhost').pathname);
    if (!route) {
      response.writeHead(404).end();
      return;
    }
    try {
      const body = route.body();
      response.writeHead(200, { 'content-type': route.type, 'cache-control': 'no-store' }).end(body);
    } catch (error) {
      response.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` }));
  });
}

/** A page with the app booted, and what went wrong in it (page errors, console errors, dialogs). */
export interface HostPage {
  page: Page;
  context: BrowserContext;
  /** What main.js asked `require` for while it loaded. */
  required: string[];
  /** Uncaught errors and console errors of the page. */
  pageErrors: string[];
  /** Messages of every alert/confirm/prompt the page opened (each dismissed). */
  dialogs: string[];
  /** Calls `window.canonTest[name](...args)` in the page. */
  call<K extends keyof CanonTestApi>(name: K, ...args: Parameters<CanonTestApi[K]>): Promise<Awaited<ReturnType<CanonTestApi[K]>>>;
}

export interface OpenOptions extends BootOptions {
  viewport?: { width: number; height: number };
}

/** The server and the browser of one test file. */
export interface Host {
  url: string;
  browser: Browser;
  /** A new page (its own context) with the example vault, the plugin and its panes loaded. */
  open(options?: OpenOptions): Promise<HostPage>;
  /** Closes the pages opened so far. */
  closePages(): Promise<void>;
  close(): Promise<void>;
}

/** Starts the server and Chromium; fails with the reason when either cannot run. */
export async function startHost(): Promise<Host> {
  const chromiumPath = (await chromiumForTests()).path;
  // The suite tests what `npm run build` made of the sources as they are now.
  requireFreshBuild(PLUGIN_BUILD);
  const hostScript = await bundleHost();
  const { server, url } = await serve(hostScript);
  let browser: Browser;
  try {
    browser = await chromium.launch({ executablePath: chromiumPath, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
  } catch (error) {
    server.close();
    throw new Error(`Chromium at ${chromiumPath} did not start: ${String(error)}`);
  }
  const contexts: BrowserContext[] = [];
  const closePages = async (): Promise<void> => {
    for (const context of contexts.splice(0)) await context.close();
  };
  return {
    url,
    browser,
    async open(options = {}) {
      const { viewport = { width: 1280, height: 900 }, ...boot } = options;
      const context = await browser.newContext({ viewport, deviceScaleFactor: 1, timezoneId: 'UTC', locale: 'en-US', reducedMotion: 'reduce' });
      contexts.push(context);
      const page = await context.newPage();
      const pageErrors: string[] = [];
      const dialogs: string[] = [];
      page.on('pageerror', (error) => pageErrors.push(error.message));
      page.on('console', (message) => {
        if (message.type() === 'error') pageErrors.push(message.text());
      });
      page.on('dialog', (dialog) => {
        dialogs.push(dialog.message());
        void dialog.dismiss();
      });
      await page.clock.setFixedTime(NOW);
      await page.goto(url);
      await page.waitForFunction(() => 'canonTest' in window);
      const call = (async (name: keyof CanonTestApi, ...args: unknown[]) =>
        page.evaluate(([n, a]) => (window.canonTest[n] as (...x: unknown[]) => unknown)(...a), [name, args] as const)) as HostPage['call'];
      const { required } = await call('boot', boot);
      return { page, context, required, pageErrors, dialogs, call };
    },
    closePages,
    async close() {
      await closePages();
      await browser.close();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Writes every markdown note of the page's vault (as it is now) into a new temporary folder, for the CLI to check. */
export async function exportVault(hp: HostPage): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'canon-e2e-vault-'));
  for (const path of await hp.call('notes')) {
    const text = await hp.call('read', path);
    if (text === null) continue;
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

/** How the focused element is named: its label's text, else its aria-label, else its own text. */
export function focusedName(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return '(body)';
    const labelled = el as HTMLInputElement;
    const label = labelled.labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
    return `${el.tagName.toLowerCase()}: ${label.trim()}`;
  });
}

/**
 * One host per test file: started before the tests, closed after them; each test's page is checked
 * afterwards for plugin errors, page errors and dialogs (a dialog means a script ran).
 */
export function useHost(): { open(options?: OpenOptions): Promise<HostPage> } {
  let host: Host | undefined;
  let current: HostPage | null = null;
  beforeAll(async () => {
    host = await startHost();
  }, 60_000);
  afterEach(async () => {
    if (current) {
      expect(await current.call('errors')).toEqual([]);
      expect(current.pageErrors).toEqual([]);
      expect(current.dialogs).toEqual([]);
    }
    current = null;
    await host?.closePages();
  });
  afterAll(async () => {
    await host?.close();
  });
  return {
    async open(options: OpenOptions = {}): Promise<HostPage> {
      if (!host) throw new Error('the host did not start');
      current = await host.open(options);
      return current;
    },
  };
}
