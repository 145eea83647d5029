// Set up by vitest.mutate.config.ts only: under `npm run mutate` the code runs instrumented (every
// mutant behind a switch, every statement counted), several times slower by design, so the tests
// that hold it to a time budget are skipped there; `npm test` runs them as always.
import { beforeEach } from 'vitest';

/** The tests, by name, that assert how long the code takes. */
const TIMED: ReadonlySet<string> = new Set([
  'stays fast on 50k promoted windows',
  'finds unescaped pipes inside links only, each bracket looked at once',
  'keeps the last 20 lines as text: escape sequences and other controls dropped, a \\r rewrite kept as its last state',
  'reads a 5 MB single line quickly',
  'stays linear on deep and repetitive nesting',
]);

/** The suites of test/core/linear-time.test.ts that time the parsers on megabytes of input. */
const TIMED_SUITE = /\btakes? linear time$/;

beforeEach((context) => {
  let suite = context.task.suite;
  let timed = TIMED.has(context.task.name);
  while (suite && !timed) {
    timed = TIMED_SUITE.test(suite.name);
    suite = suite.suite;
  }
  if (timed) context.skip('times the code, and instrumented code is slower by design');
});
