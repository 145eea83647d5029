// The screenshot comparison (screenshot.ts) without a browser, on the committed stack-view image:
// what it lets through (its own pixels, a whole-pane shift of a pixel) and what it refuses (a blank
// pane, a pane missing its lower part, another size, a missing reference), and that references are
// written only in update mode, and only when a pixel changed.
import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PNG } from 'pngjs';
import { describe, expect, it } from 'vitest';
import { diffImages, expectScreenshot, samePixels, SCREENSHOTS } from './screenshot';

const NAME = 'stack-view-light.png';
const REFERENCE = readFileSync(join(SCREENSHOTS, NAME));

/** The reference with `edit` applied to its decoded pixels, encoded again. */
function edited(edit: (image: PNG) => void): Buffer {
  const image = PNG.sync.read(REFERENCE);
  edit(image);
  return PNG.sync.write(image);
}

/** Paints rows from `top` (a share of the height) down with the top-left pixel's colour. */
const blankFrom = (top: number) => (image: PNG): void => {
  for (let i = Math.floor(image.height * top) * image.width * 4; i < image.data.length; i++) image.data[i] = image.data[i % 4] ?? 0;
};

/** A folder holding a copy of the reference, and one for failures. */
function folders(): { dir: string; failedDir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'canon-shots-'));
  writeFileSync(join(dir, NAME), REFERENCE);
  return { dir, failedDir: mkdtempSync(join(tmpdir(), 'canon-shots-failed-')) };
}

describe('expectScreenshot', () => {
  it('accepts the reference itself, and the same pixels encoded again', () => {
    const { dir, failedDir } = folders();
    const reencoded = edited(() => undefined);
    expect(samePixels(reencoded, REFERENCE)).toBe(true);
    expect(expectScreenshot(NAME, REFERENCE, { dir, failedDir, update: false })).toBe(join(dir, NAME));
    expect(expectScreenshot(NAME, reencoded, { dir, failedDir, update: false })).toBe(join(dir, NAME));
    expect(readdirSync(failedDir)).toEqual([]);
  });

  it('accepts the whole pane drawn a pixel to the right (text placed differently by another Chromium)', () => {
    const { dir, failedDir } = folders();
    const shifted = edited((image) => {
      const copy = Buffer.from(image.data);
      for (let y = 0; y < image.height; y++) copy.copy(image.data, (y * image.width + 1) * 4, y * image.width * 4, ((y + 1) * image.width - 1) * 4);
    });
    expect(samePixels(shifted, REFERENCE)).toBe(false);
    expect(diffImages(shifted, REFERENCE).ratio).toBeLessThan(0.02);
    expect(() => expectScreenshot(NAME, shifted, { dir, failedDir, update: false })).not.toThrow();
  });

  it('refuses a blank pane of the same size, and leaves the actual image and a diff', () => {
    const { dir, failedDir } = folders();
    const blank = edited(blankFrom(0));
    expect(diffImages(blank, REFERENCE).ratio).toBeGreaterThan(0.99);
    expect(() => expectScreenshot(NAME, blank, { dir, failedDir, update: false })).toThrow(
      /^stack-view-light\.png differs from .*stack-view-light\.png in \d+ of its \d+ drawn 8×8 blocks \(100\.0%; at most 2\.0% may\)\. Actual image: .*; diff: .*CANON_UPDATE_SCREENSHOTS=1/,
    );
    expect(readdirSync(failedDir).sort()).toEqual(['stack-view-light.actual.png', 'stack-view-light.diff.png']);
    expect(samePixels(readFileSync(join(failedDir, 'stack-view-light.actual.png')), blank)).toBe(true);
    // The reference is left as it was.
    expect(readFileSync(join(dir, NAME)).equals(REFERENCE)).toBe(true);
  });

  it('refuses a pane whose last tenth (the problems and buttons) is not drawn', () => {
    const { dir, failedDir } = folders();
    expect(() => expectScreenshot(NAME, edited(blankFrom(0.9)), { dir, failedDir, update: false })).toThrow(/differs from/);
  });

  it('refuses another size, naming both', () => {
    const { dir, failedDir } = folders();
    const { width, height } = PNG.sync.read(REFERENCE);
    const short = PNG.sync.write(new PNG({ width, height: height - 8 }));
    expect(() => expectScreenshot(NAME, short, { dir, failedDir, update: false })).toThrow(
      `stack-view-light.png is ${width}×${height - 8} but`,
    );
    expect(readdirSync(failedDir)).toEqual(['stack-view-light.actual.png']);
  });

  it('refuses a missing reference, and writes none outside update mode', () => {
    const { failedDir } = folders();
    const empty = mkdtempSync(join(tmpdir(), 'canon-shots-none-'));
    expect(() => expectScreenshot(NAME, REFERENCE, { dir: empty, failedDir, update: false })).toThrow(
      /stack-view-light\.png does not exist: draw it with CANON_UPDATE_SCREENSHOTS=1/,
    );
    expect(readdirSync(empty)).toEqual([]);
  });

  it('in update mode writes a missing or changed reference, and leaves one with the same pixels untouched', () => {
    const empty = mkdtempSync(join(tmpdir(), 'canon-shots-none-'));
    expectScreenshot(NAME, REFERENCE, { dir: empty, update: true });
    expect(readFileSync(join(empty, NAME)).equals(REFERENCE)).toBe(true);

    const { dir } = folders();
    const before = statSync(join(dir, NAME)).mtimeMs;
    const reencoded = edited(() => undefined);
    expect(reencoded.equals(REFERENCE)).toBe(false);
    expectScreenshot(NAME, reencoded, { dir, update: true });
    expect(readFileSync(join(dir, NAME)).equals(REFERENCE)).toBe(true);
    expect(statSync(join(dir, NAME)).mtimeMs).toBe(before);

    const blank = edited(blankFrom(0));
    expectScreenshot(NAME, blank, { dir, update: true });
    expect(readFileSync(join(dir, NAME)).equals(blank)).toBe(true);
  });

  it('is in update mode only when CANON_UPDATE_SCREENSHOTS=1', () => {
    const { failedDir } = folders();
    const empty = mkdtempSync(join(tmpdir(), 'canon-shots-none-'));
    const saved = process.env.CANON_UPDATE_SCREENSHOTS;
    try {
      process.env.CANON_UPDATE_SCREENSHOTS = 'true';
      expect(() => expectScreenshot(NAME, REFERENCE, { dir: empty, failedDir })).toThrow(/does not exist/);
      process.env.CANON_UPDATE_SCREENSHOTS = '1';
      expectScreenshot(NAME, REFERENCE, { dir: empty, failedDir });
      expect(readdirSync(empty)).toEqual([NAME]);
    } finally {
      if (saved === undefined) delete process.env.CANON_UPDATE_SCREENSHOTS;
      else process.env.CANON_UPDATE_SCREENSHOTS = saved;
    }
  });
});
