/**
 * Loads Canon's plugin class two ways, so one suite can run against both: from the TypeScript
 * sources (vitest aliases `obsidian` to the fake) and from the built `main.js`, run the way
 * Obsidian runs it — CommonJS, with `require('obsidian')` answered by the fake and nothing else.
 *
 *   describe.each(pluginBuilds)('%s', (_name, load) => { … const app = createFakeApp(…);
 *     const plugin = await app.loadPlugin(await load()); … });
 */
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { compileFunction } from 'node:vm';
import type CanonPlugin from '../../src/plugin/main';
import { PLUGIN_BUILD, requireFreshBuild } from '../helpers/fresh-build';
import * as obsidian from './obsidian';

const REPO = join(import.meta.dirname, '../..');
const MAIN = join(REPO, 'main.js');

export type CanonPluginClass = typeof CanonPlugin;

/** The plugin class from the TypeScript sources. */
export async function loadSource(): Promise<CanonPluginClass> {
  obsidian.installDom();
  const module = await import('../../src/plugin/main');
  return module.default;
}

/** What a bundle's evaluation asked for. */
export interface BundleRun {
  exports: Record<string, unknown>;
  /** Every id passed to `require`, in order. */
  required: string[];
}

let cached: { mtimeMs: number; run: BundleRun } | null = null;

/**
 * Evaluates main.js as Obsidian does: a CommonJS module whose `require` answers 'obsidian' (with
 * the fake) and throws for anything else. It runs in this realm (as a plugin shares Obsidian's),
 * after `installDom()`, so `window`, `activeDocument`, timers and the DOM helpers are the fake's;
 * Node's `process`, `Buffer`, `global` and `setImmediate` are hidden, as on mobile.
 * Throws when main.js is missing or older than what it is built from (helpers/fresh-build.ts) unless `allowStale`.
 */
export function runBundle(options: { path?: string; allowStale?: boolean } = {}): BundleRun {
  const path = options.path ?? MAIN;
  if (!options.allowStale && path === MAIN) requireFreshBuild(PLUGIN_BUILD);
  let mtimeMs: number;
  try {
    mtimeMs = statSync(path).mtimeMs;
  } catch {
    throw new Error(`${path} does not exist: run \`npm run build\` first`);
  }
  if (cached && cached.mtimeMs === mtimeMs && path === MAIN) return cached.run;
  obsidian.installDom();
  const required: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const requireFromObsidian = (id: string): unknown => {
    required.push(id);
    if (id === 'obsidian') return obsidian;
    throw new Error(`main.js requires "${id}": a plugin gets only "obsidian" here (Node built-ins do not exist on mobile)`);
  };
  const hidden = ['process', 'Buffer', 'global', 'setImmediate', 'clearImmediate'];
  const factory = compileFunction(readFileSync(path, 'utf8'), ['exports', 'require', 'module', '__filename', '__dirname', ...hidden], {
    filename: path,
  }) as (...args: unknown[]) => unknown;
  factory(module.exports, requireFromObsidian, module, path, dirname(path), ...hidden.map(() => undefined));
  const run = { exports: module.exports, required };
  if (path === MAIN) cached = { mtimeMs, run };
  return run;
}

/** The plugin class from the built main.js (its default export). */
export function loadBundle(options: { path?: string; allowStale?: boolean } = {}): Promise<CanonPluginClass> {
  const { exports } = runBundle(options);
  const PluginClass = exports.default;
  if (typeof PluginClass !== 'function') throw new Error('main.js has no default export class');
  return Promise.resolve(PluginClass as CanonPluginClass);
}

/** Both builds, for `describe.each(pluginBuilds)('%s', (name, load) => …)`. */
export const pluginBuilds: Array<[name: 'source' | 'bundle', load: () => Promise<CanonPluginClass>]> = [
  ['source', loadSource],
  ['bundle', () => loadBundle()],
];
