import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createFakeApp } from '../fakes/obsidian';
import { runBundle } from '../fakes/load-bundle';
import { REPO } from '../helpers/run-cli';

const MAIN = join(REPO, 'main.js');

describe('the built plugin bundle', () => {
  it('is a CommonJS module that requires only obsidian and exports the plugin class', async () => {
    const { exports, required } = runBundle();
    expect(new Set(required)).toEqual(new Set(['obsidian']));
    const PluginClass = exports.default as new (...args: never[]) => object;
    expect(typeof PluginClass).toBe('function');
    const app = createFakeApp();
    await expect(app.loadPlugin(PluginClass)).resolves.toBeDefined();
    await app.destroy();
  });

  it('stays under 300 KB minified', () => {
    expect(statSync(MAIN).size).toBeLessThan(300 * 1024);
  });

  it('matches the manifest: mobile-safe, canon id, no Node modules, no HTML injection', () => {
    const manifest = JSON.parse(readFileSync(join(REPO, 'manifest.json'), 'utf8')) as { id: string; isDesktopOnly: boolean };
    expect(manifest).toMatchObject({ id: 'canon', isDesktopOnly: false });
    const code = readFileSync(MAIN, 'utf8');
    expect(code).not.toMatch(/require\(["'](fs|path|child_process|node:[a-z_]+)["']\)/);
    expect(code).not.toMatch(/\.(innerHTML|outerHTML)\s*=|insertAdjacentHTML/);
  });
});
