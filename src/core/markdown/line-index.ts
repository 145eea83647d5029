/** Line starts and ends of a note; `\r\n`, `\n` and a lone `\r` each end a line, as in CommonMark. */

export interface LineIndex {
  /** Offset of the first character of each line. */
  starts: number[];
  /** Offset just past each line's text, before its line ending. */
  ends: number[];
  /** `\r\n` when the first line break is CRLF, else `\n`. */
  eol: '\n' | '\r\n';
}

/** Index the lines of `text` in one pass (`indexOf` does the scanning when there is no `\r`). */
export function indexLines(text: string): LineIndex {
  const starts: number[] = [0];
  const ends: number[] = [];
  const n = text.length;
  const firstCr = text.indexOf('\r');
  if (firstCr < 0) {
    // Counted first, so that each array is made once at its size (a 50k-line note grows no arrays).
    let lines = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lines++;
    const lineStarts = new Array<number>(lines);
    const lineEnds = new Array<number>(lines);
    lineStarts[0] = 0;
    let k = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) {
      lineEnds[k++] = i;
      lineStarts[k] = i + 1;
    }
    lineEnds[k] = n;
    return { starts: lineStarts, ends: lineEnds, eol: '\n' };
  }
  const firstLf = text.indexOf('\n');
  // The first break is CRLF when the first `\r` comes before any `\n` and is followed by one.
  const eol = (firstLf < 0 || firstCr < firstLf) && firstLf === firstCr + 1 ? '\r\n' : '\n';
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      ends.push(i);
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      starts.push(i + 1);
    }
  }
  ends.push(n);
  return { starts, ends, eol };
}

/** The 1-based line holding `offset`, given each line's start offset (ascending). */
export function lineAtOffset(lineStarts: readonly number[], offset: number): number {
  let lo = 0;
  let hi = lineStarts.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((lineStarts[mid] ?? 0) <= offset) lo = mid;
    else hi = mid - 1;
  }
  return lo + 1;
}
