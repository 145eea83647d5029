import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  resolve: {
    // Tests run the plugin against the behavioural fake; tsc still checks it against the real `obsidian` types.
    alias: [{ find: /^obsidian$/, replacement: fileURLToPath(new URL('./test/fakes/obsidian.ts', import.meta.url)) }],
  },
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    // expect.poll is used by the end-to-end tests (test/e2e), whose browser shares the CPU with the other test files.
    expect: { poll: { timeout: 10_000 } },
    // Off unless asked for: `npm run coverage` (not part of `npm test`; instrumented code runs slower).
    coverage: {
      provider: 'v8',
      include: ['src/**'],
      // The shims stand in for parts of micromark in the plugin bundle only; no test loads them from source.
      exclude: ['src/plugin/shims/**'],
      reporter: ['text-summary', 'text', 'html', 'json-summary'],
      reportsDirectory: 'coverage',
      // The numbers are still worth reading when an unrelated test failed (the run's status still says it failed).
      reportOnFailure: true,
    },
  },
});
