// Mutation testing of src/core (`npm run mutate`; not part of `npm test` or CI). Each mutant is run
// against the in-process tests of vitest.mutate.config.ts that cover it. One folder at a time:
//   npm run mutate -- --mutate 'src/core/rules/**/*.ts'
// Reports: reports/mutation/mutation.html and .json; reports/stryker-incremental.json lets a re-run
// test only the mutants whose code or tests changed (`--force` tests them all again).
/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  vitest: { configFile: 'vitest.mutate.config.ts' },
  mutate: ['src/core/**/*.ts', '!src/core/index.ts'],
  coverageAnalysis: 'perTest',
  // Mutants that only run while a module loads (constants, tables of regexes) would each need every
  // test file; the tests that pin those values (e.g. RATE_TOLERANCE) are written by hand instead.
  ignoreStatic: true,
  incremental: true,
  // The machine running it is usually shared: two workers at most.
  concurrency: 2,
  timeoutMS: 10_000,
  dryRunTimeoutMinutes: 20,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  clearTextReporter: { allowEmojis: false, logTests: false },
  thresholds: { high: 90, low: 85, break: null },
  // Not copied into the sandbox: what the mutated tests never read. dist/ stays: the rule pages of
  // the `doc/` and `config/` rules run through the built CLI.
  ignorePatterns: ['bench', 'coverage', 'reports', 'test/e2e', 'test/plugin', 'test/cli', 'example-vault/.obsidian/plugins', 'main.js'],
  tempDirName: '.stryker-tmp',
};
