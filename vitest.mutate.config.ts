// The tests `npm run mutate` (stryker.config.mjs) runs against each mutant of src/core: the
// in-process ones. Left out: test/e2e, test/plugin and test/cli (a browser, the built bundle, child
// processes: they never load the instrumented core). The tests that hold code to a time budget are
// skipped by the setup file (instrumented code is slower by design).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: [
      'test/core/**/*.test.ts',
      'test/guardrails/**/*.test.ts',
      'test/markdown/**/*.test.ts',
      'test/schema/**/*.test.ts',
      'test/docs/rule-docs.test.ts',
    ],
    setupFiles: ['test/helpers/skip-timed-tests.ts'],
    testTimeout: 30_000,
  },
});
