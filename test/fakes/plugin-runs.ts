/**
 * Every way a plugin suite runs: each build of the plugin (the TypeScript sources, the built
 * main.js: load-bundle.ts) in each mode of the fake app (`fakeAppModes`: 'instant', the fake's
 * defaults; 'faithful', `FAITHFUL` — the metadata cache lagging, a case-insensitive disk, presses that
 * activate their leaf). Spread the options into the app's, and wait with `app.idle()`:
 *
 *   describe.each(pluginRuns)('the plugin (%s)', (_name, load, options) => { …
 *     const app = loadVaultFromDir(EXAMPLE, { ...options, files }); … await app.idle(); … });
 */
import { pluginBuilds, type CanonPluginClass } from './load-bundle';
import { fakeAppModes, type FakeAppOptions } from './obsidian';

export type PluginRun = [name: string, load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>];

/** 'source, instant', 'source, faithful', 'bundle, instant', 'bundle, faithful'. */
export const pluginRuns: PluginRun[] = pluginBuilds.flatMap(([build, load]) =>
  fakeAppModes.map(([mode, options]): PluginRun => [`${build}, ${mode}`, load, options]),
);
