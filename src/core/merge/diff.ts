/**
 * A line diff (Myers' O(ND) algorithm, after the common head and tail are set aside, as git's xdiff
 * does): which ranges of `a` were replaced by which ranges of `b`. Lines compare with their endings.
 */

/** `a[aFrom, aTo)` became `b[bFrom, bTo)`; an insertion has aFrom === aTo, a deletion bFrom === bTo. */
export interface Hunk {
  aFrom: number;
  aTo: number;
  bFrom: number;
  bTo: number;
}

/**
 * The hunks that turn `a` into `b`, in order, never touching one another; null when the two differ
 * in more than `maxEdits` lines (the caller falls back to git's own merge rather than wait).
 */
export function diffLines(a: readonly string[], b: readonly string[], maxEdits = 4000): Hunk[] | null {
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ids = intern(a, b, head, tail);
  const script = myers(ids.a, ids.b, maxEdits);
  if (!script) return null;
  return hunksOf(script, ids.a.length, ids.b.length, head);
}

/** The middle parts of a and b as numbers (equal lines, equal numbers): comparing numbers is cheaper than strings. */
function intern(a: readonly string[], b: readonly string[], head: number, tail: number): { a: Int32Array; b: Int32Array } {
  const codes = new Map<string, number>();
  const code = (line: string): number => {
    let n = codes.get(line);
    if (n === undefined) {
      n = codes.size;
      codes.set(line, n);
    }
    return n;
  };
  const out = (lines: readonly string[]): Int32Array => {
    const n = lines.length - head - tail;
    const arr = new Int32Array(Math.max(0, n));
    for (let i = 0; i < n; i++) arr[i] = code(lines[head + i] as string);
    return arr;
  };
  return { a: out(a), b: out(b) };
}

/** Which lines of a are kept (matched to a line of b), as pairs in order; null past `maxEdits`. */
function myers(a: Int32Array, b: Int32Array, maxEdits: number): Int32Array[] | null {
  const n = a.length;
  const m = b.length;
  const max = n + m;
  if (max === 0) return [new Int32Array(0), new Int32Array(0)];
  const offset = max + 1;
  const v = new Int32Array(2 * max + 3);
  const trace: Int32Array[] = [];
  let found = -1;
  for (let d = 0; d <= Math.min(max, maxEdits); d++) {
    trace.push(v.slice(offset - d - 1, offset + d + 2));
    for (let k = -d; k <= d; k += 2) {
      let x = k === -d || (k !== d && (v[offset + k - 1] as number) < (v[offset + k + 1] as number)) ? (v[offset + k + 1] as number) : (v[offset + k - 1] as number) + 1;
      let y = x - k;
      while (x < n && y < m && a[x] === b[y]) {
        x++;
        y++;
      }
      v[offset + k] = x;
      if (x >= n && y >= m) {
        found = d;
        break;
      }
    }
    if (found >= 0) break;
  }
  if (found < 0) return null;
  return backtrack(trace, a, b, found);
}

/** Walks the trace back from (n, m): the matched pairs, as two arrays of equal length. */
function backtrack(trace: Int32Array[], a: Int32Array, b: Int32Array, dEnd: number): Int32Array[] {
  let x = a.length;
  let y = b.length;
  const keptA: number[] = [];
  const keptB: number[] = [];
  for (let d = dEnd; d > 0; d--) {
    const saved = trace[d] as Int32Array;
    // saved holds v[-d-1 .. d+1] as it was before step d.
    const at = (k: number): number => saved[k + d + 1] as number;
    const k = x - y;
    const prevK = k === -d || (k !== d && at(k - 1) < at(k + 1)) ? k + 1 : k - 1;
    const prevX = at(prevK);
    const prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      x--;
      y--;
      keptA.push(x);
      keptB.push(y);
    }
    x = prevX;
    y = prevY;
  }
  while (x > 0 && y > 0) {
    x--;
    y--;
    keptA.push(x);
    keptB.push(y);
  }
  return [Int32Array.from(keptA.reverse()), Int32Array.from(keptB.reverse())];
}

/** The hunks between matched pairs (middle parts of n and m lines), shifted by the common head. */
function hunksOf(script: Int32Array[], n: number, m: number, head: number): Hunk[] {
  const [keptA, keptB] = script as [Int32Array, Int32Array];
  const hunks: Hunk[] = [];
  let pa = 0;
  let pb = 0;
  for (let i = 0; i <= keptA.length; i++) {
    const ka = i < keptA.length ? (keptA[i] as number) : n;
    const kb = i < keptB.length ? (keptB[i] as number) : m;
    if (ka > pa || kb > pb) hunks.push({ aFrom: head + pa, aTo: head + ka, bFrom: head + pb, bTo: head + kb });
    pa = ka + 1;
    pb = kb + 1;
  }
  return hunks;
}
