/** A column-aware cursor over one line of the note, the way micromark counts columns (tabs to stops of 4). */

export const SPACE = 32;
export const TAB = 9;

export function isSpaceOrTab(code: number): boolean {
  return code === SPACE || code === TAB;
}

export interface CursorState {
  pos: number;
  col: number;
  vcol: number;
}

/**
 * Position inside a line: `pos` is the offset of the current character, `col` the absolute column
 * reached, `vcol` how many columns of the tab at `pos` were already consumed (a container marker
 * may eat part of a tab, as CommonMark's "partially consumed tab").
 */
export class LineCursor {
  pos = 0;
  col = 0;
  vcol = 0;
  /** End of the line's text (before its line ending). */
  end = 0;
  /** Offset of the line's last character that is not a space or tab (`from - 1` when blank). */
  private last = -1;
  /** Where a thematic-break scan of this line last failed, and for which marker. */
  private breakMarker = 0;
  private breakFail = -1;

  constructor(readonly text: string) {}

  /** Move to the start of a line whose text (without its line ending) spans `from`..`to`. */
  reset(from: number, to: number): void {
    this.pos = from;
    this.end = to;
    this.col = 0;
    this.vcol = 0;
    this.breakMarker = 0;
    let last = to - 1;
    while (last >= from && isSpaceOrTab(this.text.charCodeAt(last))) last--;
    this.last = last;
  }

  /** The position, to go back to when an attempt fails (`restore`). */
  save(): CursorState {
    return { pos: this.pos, col: this.col, vcol: this.vcol };
  }

  restore(state: CursorState): void {
    this.pos = state.pos;
    this.col = state.col;
    this.vcol = state.vcol;
  }

  /** The character at the cursor, -1 at the end of the line. */
  code(): number {
    return this.pos < this.end ? this.text.charCodeAt(this.pos) : -1;
  }

  /** Whether the cursor is on a space or (part of) a tab. */
  atSpace(): boolean {
    return this.pos < this.end && isSpaceOrTab(this.text.charCodeAt(this.pos));
  }

  /** Consume one column of whitespace (a whole space, or one column of a tab). */
  consumeColumn(): void {
    if (this.text.charCodeAt(this.pos) === TAB) {
      const width = 4 - ((this.col - this.vcol) % 4);
      this.col++;
      this.vcol++;
      if (this.vcol >= width) {
        this.pos++;
        this.vcol = 0;
      }
    } else {
      this.pos++;
      this.col++;
    }
  }

  /** Columns left of a tab the cursor is inside of (0 when it is not). */
  tabColumnsLeft(): number {
    return this.vcol === 0 ? 0 : 4 - ((this.col - this.vcol) % 4) - this.vcol;
  }

  /** Consume up to `max` columns of whitespace; returns how many were consumed. */
  consumeSpace(max: number): number {
    let n = 0;
    while (n < max && this.atSpace()) {
      this.consumeColumn();
      n++;
    }
    return n;
  }

  /** Whether the rest of the line is blank (constant time: nested containers ask it once each). */
  restBlank(): boolean {
    return this.pos > this.last;
  }

  /**
   * Whether a thematic break (three or more of the marker at the cursor, spaces between) runs from
   * the cursor to the end of the line. Remembers where a scan failed, so that a line of many list
   * markers (`- - - … x`) is not rescanned from each one.
   */
  thematicBreakAhead(): boolean {
    const marker = this.code();
    if (marker === this.breakMarker && this.pos <= this.breakFail) return false;
    let count = 0;
    for (let i = this.pos; i < this.end; i++) {
      const c = this.text.charCodeAt(i);
      if (c === marker) count++;
      else if (c !== SPACE && c !== TAB) {
        this.breakMarker = marker;
        this.breakFail = i;
        return false;
      }
    }
    return count >= 3;
  }

  /** Whether at least `n` columns of whitespace lie ahead; looks no further than that. */
  indentAtLeast(n: number): boolean {
    let cols = 0;
    let col = this.col;
    let vcol = this.vcol;
    for (let i = this.pos; i < this.end && cols < n; i++) {
      const c = this.text.charCodeAt(i);
      if (c === SPACE) {
        cols++;
        col++;
      } else if (c === TAB) {
        const w = 4 - ((col - vcol) % 4) - vcol;
        cols += w;
        col += w;
        vcol = 0;
      } else {
        break;
      }
    }
    return cols >= n;
  }

  /** Skip all whitespace (a line prefix), returning the columns skipped. */
  skipSpace(): number {
    return this.consumeSpace(Number.MAX_SAFE_INTEGER);
  }
}
