/**
 * Work that can pause. A long computation (the first check of a large stack) is written as a
 * generator that yields between slices of its work; a host that must stay responsive (the plugin:
 * Obsidian users feel any task over 50 ms as a freeze) resumes it from the event loop, giving the
 * app a turn between slices, and everyone else runs it to the end at once with `drain`.
 * A yield is only a chance to pause: the work between two yields must be short on its own.
 */
export type Steps<T> = Generator<void, T, void>;

/** Rows read between two chances to pause (a few milliseconds of binding or guardrail work). */
export const ROWS_PER_STEP = 128;

/** Runs work that can pause to the end, without pausing. */
export function drain<T>(steps: Steps<T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}
