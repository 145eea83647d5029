/**
 * Refuses a stale build: the tests that run `dist/cli.mjs` (through bin/canon.mjs) or load `main.js`
 * must test what `npm run build` makes of the sources as they are now, not an older bundle that still
 * passes. A build is stale when it is missing or older than any file it is built from.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const REPO = join(import.meta.dirname, '../..');

/** One output of `npm run build` and what it is built from (folders are walked), relative to the repository. */
export interface BuildOutput {
  output: string;
  inputs: readonly string[];
}

/** The CLI bundle (bin/canon.mjs runs it). */
export const CLI_BUILD: BuildOutput = { output: 'dist/cli.mjs', inputs: ['src/core', 'src/cli', 'package.json', 'esbuild.config.mjs'] };
/** The plugin bundle. */
export const PLUGIN_BUILD: BuildOutput = { output: 'main.js', inputs: ['src/core', 'src/plugin', 'package.json', 'esbuild.config.mjs'] };

/** The most recently modified file under `path` (itself, when a file), or null when there is none. */
function newestFile(path: string): { path: string; mtimeMs: number } | null {
  if (!existsSync(path)) return null;
  const stat = statSync(path);
  if (!stat.isDirectory()) return { path, mtimeMs: stat.mtimeMs };
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const entry of readdirSync(path)) {
    const found = newestFile(join(path, entry));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  return newest;
}

const clock = (ms: number): string => new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');

/** Why `build` is stale (missing, or older than a named input), or null when it is fresh. */
export function staleBuild(build: BuildOutput, root = REPO): string | null {
  const output = join(root, build.output);
  if (!existsSync(output)) return `${build.output} does not exist: run \`npm run build\``;
  const built = statSync(output).mtimeMs;
  let newest: { path: string; mtimeMs: number } | null = null;
  for (const input of build.inputs) {
    const found = newestFile(join(root, input));
    if (found && (!newest || found.mtimeMs > newest.mtimeMs)) newest = found;
  }
  if (!newest || newest.mtimeMs <= built) return null;
  const changed = newest.path.slice(root.length + 1).replaceAll('\\', '/');
  return `${build.output} is older than ${changed} (built ${clock(built)}, changed ${clock(newest.mtimeMs)}): run \`npm run build\``;
}

/** Throws with the reason when `build` is stale (see `staleBuild`). */
export function requireFreshBuild(build: BuildOutput, root = REPO): void {
  const reason = staleBuild(build, root);
  if (reason) throw new Error(reason);
}
