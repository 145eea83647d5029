import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { REPO } from '../helpers/run-cli';

const MAIN = join(REPO, 'main.js');

/** Loads the built main.js the way Obsidian does: CommonJS, `require('obsidian')` answered by the host. */
function loadBundle(): { default?: unknown } & Record<string, unknown> {
  class Plugin {
    loaded = false;
    constructor(readonly app: unknown, readonly manifest: unknown) {}
  }
  const required: string[] = [];
  const module = { exports: {} as Record<string, unknown> };
  const require = (id: string): unknown => {
    required.push(id);
    if (id === 'obsidian') return { Plugin };
    throw new Error(`main.js requires \`${id}\`, which Obsidian does not provide`);
  };
  runInNewContext(readFileSync(MAIN, 'utf8'), { module, exports: module.exports, require, console });
  expect(required.every((id) => id === 'obsidian')).toBe(true);
  return module.exports;
}

describe('the built plugin bundle', () => {
  it('is a CommonJS module exporting the plugin class, and loads', async () => {
    const exports = loadBundle();
    const PluginClass = exports.default as new (app: unknown, manifest: unknown) => { onload(): Promise<void> };
    expect(typeof PluginClass).toBe('function');
    const plugin = new PluginClass({}, { id: 'canon' });
    await expect(plugin.onload()).resolves.toBeUndefined();
  });

  it('stays under 300 KB minified', () => {
    expect(statSync(MAIN).size).toBeLessThan(300 * 1024);
  });

  it('matches the manifest: mobile-safe, canon id', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8')) as { id: string; isDesktopOnly: boolean };
    expect(manifest).toMatchObject({ id: 'canon', isDesktopOnly: false });
    expect(readFileSync(MAIN, 'utf8')).not.toMatch(/require\(["'](fs|path|child_process|node:[a-z_]+)["']\)/);
  });
});
