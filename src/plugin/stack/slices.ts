import type { Steps } from '../../core';

/**
 * The longest the plugin works before giving the app a turn. Obsidian users feel any main-thread
 * task over 50 ms as a freeze (typing, scrolling); a slice stays well under it, with room for the
 * work between two chances to pause (core/steps.ts) and for the app's own frame.
 */
export const SLICE_MS = 15;

/**
 * Runs work in slices of about `sliceMs`, giving the event loop a turn between them (input,
 * rendering and the metadata cache's events go first). One slicer follows one job through several
 * steps (a check, then its guardrails, then drawing), so the slices add up across them.
 */
export class Slicer {
  private start = performance.now();

  constructor(private readonly sliceMs = SLICE_MS) {}

  /** Runs work that can pause to its end; work that ends within the slice resolves without pausing. */
  async run<T>(steps: Steps<T>): Promise<T> {
    for (;;) {
      const step = steps.next();
      if (step.done) return step.value;
      await this.pause();
    }
  }

  /** Gives the app a turn when this slice has run its time (before more work that cannot pause, such as drawing). */
  async pause(): Promise<void> {
    if (performance.now() - this.start < this.sliceMs) return;
    await nextTurn();
    this.start = performance.now();
  }
}

/**
 * A new task after the ones already queued: a message to ourselves, as React's scheduler yields to
 * the browser (a timer would do, but nested timers are clamped to 4 ms, a quarter of a slice).
 */
function nextTurn(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}
