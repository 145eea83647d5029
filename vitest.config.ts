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
  },
});
