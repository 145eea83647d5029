// Bundles the Obsidian plugin (main.js at the repo root, as Obsidian expects) and the CLI (dist/cli.mjs).
import esbuild from 'esbuild';
import builtins from 'node:module';

const production = process.argv[2] === 'production';

/** The plugin: CommonJS, everything Obsidian provides left external, no Node built-ins allowed. */
const plugin = {
  entryPoints: ['src/plugin/main.ts'],
  bundle: true,
  external: [
    'obsidian',
    'electron',
    '@codemirror/autocomplete',
    '@codemirror/collab',
    '@codemirror/commands',
    '@codemirror/language',
    '@codemirror/lint',
    '@codemirror/search',
    '@codemirror/state',
    '@codemirror/view',
    '@lezer/common',
    '@lezer/highlight',
    '@lezer/lr',
  ],
  format: 'cjs',
  target: 'es2021',
  platform: 'browser',
  logLevel: 'warning',
  sourcemap: production ? false : 'inline',
  minify: production,
  treeShaking: true,
  outfile: 'main.js',
  metafile: true,
};

/** The CLI: one ESM file for Node, dependencies bundled in so that start-up reads one file. */
const cli = {
  entryPoints: ['src/cli/main.ts'],
  bundle: true,
  format: 'esm',
  target: 'node20',
  platform: 'node',
  external: builtins.builtinModules.flatMap((m) => [m, `node:${m}`]),
  logLevel: 'warning',
  sourcemap: false,
  minify: false,
  outfile: 'dist/cli.mjs',
};

if (production) {
  const result = await esbuild.build(plugin);
  const nodeImports = Object.values(result.metafile.outputs)
    .flatMap((o) => o.imports)
    .filter((i) => builtins.builtinModules.includes(i.path.replace(/^node:/, '')));
  if (nodeImports.length > 0) {
    console.error(`main.js imports Node built-ins (mobile would break): ${nodeImports.map((i) => i.path).join(', ')}`);
    process.exit(1);
  }
  await esbuild.build(cli);
} else {
  const ctx = await esbuild.context(plugin);
  await ctx.watch();
}
