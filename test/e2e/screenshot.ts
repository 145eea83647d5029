/**
 * Screenshots checked against committed reference images (docs/screenshots/, the ones the README
 * shows) with pixelmatch: a blank, unstyled or broken pane fails. The references are
 * written only in update mode (`CANON_UPDATE_SCREENSHOTS=1`), never by a plain run; a failed
 * comparison leaves the actual image and a diff beside each other under the system's temp folder.
 *
 * The comparison is coarse on purpose, so that Chromium builds which anti-alias or place text a
 * fraction of a pixel differently still agree: both images are averaged over 8×8 blocks, compared
 * with pixelmatch's colour threshold, and at most MAX_DIFF_RATIO of the reference's drawn blocks
 * (those that are not its background colour) may differ. Measured on the stack view: a blank pane
 * differs in 99% of them, the charts hidden in 4–8%, one problem line hidden in 8–10%, the text
 * greyed in 14–27%; the whole pane moved by 1 px in under 0.2%. The host draws with DejaVu fonts
 * (host/obsidian-app.css): a machine without them lays text out differently and fails on the size.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';

const REPO = join(import.meta.dirname, '../..');
/** Where the committed reference images live. */
export const SCREENSHOTS = join(REPO, 'docs', 'screenshots');
/** Where a failed comparison writes the actual image and the diff. */
const FAILED_SCREENSHOTS = join(tmpdir(), 'canon-screenshots');
/** The side of the square blocks both images are averaged over before they are compared. */
const BLOCK = 8;
/** pixelmatch's per-pixel colour threshold (0 to 1; its default). */
const PIXEL_THRESHOLD = 0.1;
/** The share of the reference's drawn blocks that may differ before the images are called different. */
const MAX_DIFF_RATIO = 0.02;

/** How two images differ. */
export interface ImageDiff {
  /** Whether both have the same width and height (when not, nothing else was compared). */
  sameSize: boolean;
  /** Blocks that differ beyond the threshold. */
  differing: number;
  /** Blocks of the reference that are drawn on (not its background colour, the top-left pixel's). */
  drawn: number;
  /** `differing` over `drawn`. */
  ratio: number;
  /** Full size, for a person: the differing pixels in red over a faded copy of the reference; null when the sizes differ. */
  diff: Buffer | null;
}

/** The image averaged over `block`×`block` squares (the last row and column over what is left). */
function shrink(image: PNG, block = BLOCK): PNG {
  const width = Math.ceil(image.width / block);
  const height = Math.ceil(image.height / block);
  const out = new PNG({ width, height });
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const sum = [0, 0, 0, 0];
      let n = 0;
      for (let py = y * block; py < Math.min((y + 1) * block, image.height); py++) {
        for (let px = x * block; px < Math.min((x + 1) * block, image.width); px++) {
          const i = (py * image.width + px) * 4;
          for (let c = 0; c < 4; c++) sum[c] = (sum[c] ?? 0) + (image.data[i + c] ?? 0);
          n++;
        }
      }
      for (let c = 0; c < 4; c++) out.data[(y * width + x) * 4 + c] = Math.round((sum[c] ?? 0) / n);
    }
  }
  return out;
}

/** An image of `like`'s size filled with its top-left pixel's colour. */
function background(like: PNG): PNG {
  const out = new PNG({ width: like.width, height: like.height });
  for (let i = 0; i < out.data.length; i++) out.data[i] = like.data[i % 4] ?? 0;
  return out;
}

/** Compares a PNG with a reference PNG, block by block (see the top of this file). */
export function diffImages(actualPng: Buffer, expectedPng: Buffer): ImageDiff {
  const actual = PNG.sync.read(actualPng);
  const expected = PNG.sync.read(expectedPng);
  if (actual.width !== expected.width || actual.height !== expected.height) return { sameSize: false, differing: 0, drawn: 0, ratio: 1, diff: null };
  const options = { threshold: PIXEL_THRESHOLD, includeAA: false };
  const small = shrink(actual);
  const smallExpected = shrink(expected);
  const differing = pixelmatch(small.data, smallExpected.data, undefined, small.width, small.height, options);
  const drawn = pixelmatch(smallExpected.data, background(smallExpected).data, undefined, small.width, small.height, options);
  const out = new PNG({ width: actual.width, height: actual.height });
  pixelmatch(actual.data, expected.data, out.data, actual.width, actual.height, options);
  return { sameSize: true, differing, drawn, ratio: differing / Math.max(drawn, 1), diff: PNG.sync.write(out) };
}

/** Whether two PNGs hold the same pixels (their bytes may differ: encoders vary). */
export function samePixels(a: Buffer, b: Buffer): boolean {
  const x = PNG.sync.read(a);
  const y = PNG.sync.read(b);
  return x.width === y.width && x.height === y.height && x.data.equals(y.data);
}

/** What `expectScreenshot` reads: the defaults are the real reference folder and environment (its own test replaces them). */
export interface ScreenshotOptions {
  dir?: string;
  failedDir?: string;
  update?: boolean;
  maxDiffRatio?: number;
}

function imageSize(png: Buffer): string {
  const { width, height } = PNG.sync.read(png);
  return `${width}×${height}`;
}

/**
 * Throws unless `png` matches the reference image `name` within the tolerance. In update mode
 * (`CANON_UPDATE_SCREENSHOTS=1`) it writes the reference instead, and only when a pixel changed, so
 * an unchanged rendering leaves the tree clean. Returns the reference's path.
 */
export function expectScreenshot(name: string, png: Buffer, options: ScreenshotOptions = {}): string {
  const {
    dir = SCREENSHOTS,
    failedDir = FAILED_SCREENSHOTS,
    update = process.env.CANON_UPDATE_SCREENSHOTS === '1',
    maxDiffRatio = MAX_DIFF_RATIO,
  } = options;
  const path = join(dir, name);
  const shown = relative(REPO, path);
  if (update) {
    if (!existsSync(path) || !samePixels(png, readFileSync(path))) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, png);
    }
    return path;
  }
  if (!existsSync(path)) {
    throw new Error(`${shown} does not exist: draw it with CANON_UPDATE_SCREENSHOTS=1 (e.g. \`CANON_UPDATE_SCREENSHOTS=1 npx vitest run test/e2e\`), look at it, and commit it`);
  }
  const expected = readFileSync(path);
  const result = diffImages(png, expected);
  if (result.sameSize && result.ratio <= maxDiffRatio) return path;
  const actualPath = join(failedDir, name.replace(/\.png$/, '.actual.png'));
  mkdirSync(dirname(actualPath), { recursive: true });
  writeFileSync(actualPath, png);
  if (!result.sameSize) {
    throw new Error(
      `${name} is ${imageSize(png)} but ${shown} is ${imageSize(expected)}: the pane's layout changed (or this machine lacks the DejaVu fonts). ` +
        `Actual image: ${actualPath}. If the change is meant, rewrite the reference with CANON_UPDATE_SCREENSHOTS=1 and commit it.`,
    );
  }
  const diffPath = join(failedDir, name.replace(/\.png$/, '.diff.png'));
  if (result.diff) writeFileSync(diffPath, result.diff);
  throw new Error(
    `${name} differs from ${shown} in ${result.differing} of its ${result.drawn} drawn ${BLOCK}×${BLOCK} blocks (${(result.ratio * 100).toFixed(1)}%; at most ${(maxDiffRatio * 100).toFixed(1)}% may). ` +
      `Actual image: ${actualPath}; diff: ${diffPath}. If the change is meant, rewrite the reference with CANON_UPDATE_SCREENSHOTS=1 and commit it.`,
  );
}
