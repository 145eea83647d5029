// Bundles the Obsidian plugin (main.js at the repo root, as Obsidian expects) and the CLI (dist/cli.mjs).
import esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import builtins from 'node:module';

const production = process.argv[2] === 'production';

/**
 * micromark's constructs without the block constructs the inline batch disables (see
 * src/plugin/shims/micromark-constructs.ts): only micromark's own import of `./constructs.js`.
 */
const MICROMARK_LIB = join(dirname(createRequire(import.meta.url).resolve('micromark')), 'lib');
const CONSTRUCTS_SHIM = fileURLToPath(new URL('./src/plugin/shims/micromark-constructs.mjs', import.meta.url));
const slimConstructs = {
  name: 'slim-micromark-constructs',
  setup(build) {
    build.onResolve({ filter: /^\.\/constructs\.js$/ }, (args) =>
      (args.importer === join(MICROMARK_LIB, 'parse.js') ? { path: CONSTRUCTS_SHIM, namespace: 'slim-constructs' } : undefined));
    // Loaded as if it sat in micromark's lib folder, so its `./initialize/text.js` is micromark's.
    build.onLoad({ filter: /.*/, namespace: 'slim-constructs' }, () => ({
      contents: readFileSync(CONSTRUCTS_SHIM, 'utf8'), loader: 'js', resolveDir: MICROMARK_LIB,
    }));
  },
};

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
  // The oldest engines Obsidian runs the plugin in: mobile WebKit on iOS 15 (Obsidian 1.4 ran there,
  // obsidian-dataview#2057); esbuild lowers the syntax they lack. Built-ins newer than them
  // (Array.prototype.at, Object.hasOwn, structuredClone: iOS 15.4) are refused by test/plugin/bundle.test.ts.
  target: ['es2022', 'safari15', 'ios15'],
  platform: 'browser',
  logLevel: 'warning',
  sourcemap: production ? false : 'inline',
  minify: production,
  // Non-ASCII text as UTF-8, not \u escapes (Obsidian loads main.js as UTF-8).
  charset: 'utf8',
  treeShaking: true,
  outfile: 'main.js',
  metafile: true,
  // micromark's entity decoder: its browser build writes innerHTML at load time; ours uses DOMParser, lazily.
  alias: {
    'decode-named-character-reference': './src/plugin/shims/decode-named-character-reference.ts',
  },
  plugins: [slimConstructs],
};

/**
 * The CLI loads remark (src/core/markdown/inline-remark.ts) only when a note has a cell or heading that
 * needs it: the module is bundled apart as dist/remark.cjs and required on first use, so that start-up
 * does not compile a quarter of a megabyte it rarely runs.
 */
const lazyRemark = {
  name: 'lazy-remark',
  setup(build) {
    build.onResolve({ filter: /^\.\/inline-remark$/ }, (args) => (args.importer.endsWith('inline-text.ts') ? { path: 'inline-remark', namespace: 'lazy-remark' } : undefined));
    build.onLoad({ filter: /.*/, namespace: 'lazy-remark' }, () => ({
      loader: 'js',
      contents: `
        import { createRequire } from 'node:module';
        let remark;
        const load = () => (remark ??= createRequire(import.meta.url)('./remark.cjs'));
        export const parseMarkdown = (doc) => load().parseMarkdown(doc);
        export const toString = (node, options) => load().toString(node, options);
      `,
    }));
  },
};

/** What the CLI requires when remark is needed (see lazyRemark). */
const remark = {
  entryPoints: ['src/core/markdown/inline-remark.ts'],
  bundle: true,
  format: 'cjs',
  target: 'node20',
  platform: 'node',
  external: builtins.builtinModules.flatMap((m) => [m, `node:${m}`]),
  logLevel: 'warning',
  sourcemap: false,
  minify: false,
  outfile: 'dist/remark.cjs',
};

/** The CLI: one ESM file for Node, dependencies bundled in (remark apart, loaded on demand). */
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
  plugins: [lazyRemark],
  // CommonJS dependencies (proper-lockfile, graceful-fs) require Node built-ins: an ESM bundle needs a real `require`.
  banner: { js: "import { createRequire as canonCreateRequire } from 'node:module'; const require = canonCreateRequire(import.meta.url);" },
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
  await esbuild.build(remark);
  await esbuild.build(cli);
  installIntoExampleVault();
} else {
  const ctx = await esbuild.context(plugin);
  await ctx.watch();
}

/** Puts the plugin into example-vault/.obsidian/plugins/canon/, so opening example-vault in Obsidian shows it at once. */
function installIntoExampleVault() {
  const dir = 'example-vault/.obsidian/plugins/canon';
  mkdirSync(dir, { recursive: true });
  for (const file of ['main.js', 'manifest.json', 'styles.css']) copyFileSync(file, `${dir}/${file}`);
}
