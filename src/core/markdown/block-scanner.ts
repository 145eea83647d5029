/**
 * A line-oriented CommonMark + GFM block scanner shaped like micromark's document/flow split:
 * containers (quotes, list items, footnote definitions) are matched per line, then the rest of the
 * line goes to the "flow" (paragraphs, headings, code, HTML, tables). It records headings, tables
 * with their rows and cells, and the paragraphs that may hold link reference definitions.
 */
import type { Align, Heading } from './types';
import { LineCursor } from './line-cursor';
import { type Container, type StackMatch, isThematicBreak, matchStack, startContainer } from './containers';
import { type Paragraph, contentLines, wrapParagraph } from './paragraph-source';
import { htmlBlockCloses, htmlBlockStart } from './html-block';
import { type BodyRows, delimiterAlign, headCellCount, RowSource, ScannedTable, TableRow } from './table-row';
import { definitionLines } from './definitions';
import { atxContent, fenceOpening, isFenceClose, isSetextUnderline } from './leaf-blocks';

const NONE = 0;
const PARAGRAPH = 1;
const CODE_INDENTED = 2;
const FENCED = 3;
const HTML = 4;

/** Outcomes of a line in an open paragraph. */
const CONSUMED = 0;
const ENDED = 1;
const INSIDE = 2;
const NOT = 3;

/** A heading as scanned; its text is resolved later (fast path or the inline batch). */
export interface ScannedHeading {
  heading: Heading;
  /** What the inline parser gets: the ATX line from its `#`, or the setext paragraph wrapped with its underline. */
  source: string;
  /** The heading's one-line content, for the fast paths; null for a setext heading of several lines. */
  plain: string | null;
}

export interface ScanResult {
  headings: ScannedHeading[];
  tables: ScannedTable[];
  /** What the content rows read their cells from (its `defs` is set once the definitions are known). */
  source: RowSource;
  /** Link reference definitions (wrapped for the inline parser) and footnote definition labels (`[^x]:`). */
  definitions: string[];
}

export class BlockScanner {
  private readonly cur: LineCursor;
  private readonly ahead: LineCursor;
  private readonly stack: Container[] = [];
  private readonly match: StackMatch = { continued: 0, sibling: false };
  private readonly aheadMatch: StackMatch = { continued: 0, sibling: false };
  private leaf = NONE;
  private tableTail = false;
  private para: Paragraph | null = null;
  private readonly fence = { marker: 0, size: 0 };
  private readonly html = { kind: 0 };
  private table: ScannedTable | null = null;
  private pending = false;
  private readonly out: ScanResult;
  /** Delimiter rows keep their source text. */
  private readonly rawSource: RowSource;

  constructor(
    private readonly text: string,
    private readonly starts: number[],
    private readonly ends: number[],
  ) {
    this.cur = new LineCursor(text);
    this.ahead = new LineCursor(text);
    this.out = { headings: [], tables: [], definitions: [], source: new RowSource(text, true) };
    this.rawSource = new RowSource(text, false);
  }

  /** Scan lines `first`… to the end; `firstFrom` is where line `first` starts (after a BOM). */
  scan(first: number, firstFrom: number): ScanResult {
    for (let k = first; k < this.starts.length; k++) {
      this.line(k, k === first ? firstFrom : (this.starts[k] ?? 0));
    }
    this.closeFlow();
    return this.out;
  }

  private line(k: number, from: number): void {
    // The next body row of a top-level table (most lines of a long table): a line starting with `|`
    // opens no container and no other block here, so it is a row, as `fresh` would find.
    if (this.tableTail && this.leaf === NONE && !this.pending && this.stack.length === 0 && this.text.charCodeAt(from) === 124) {
      this.bodyRow(k, from);
      return;
    }
    const cur = this.cur;
    const stack = this.stack;
    cur.reset(from, this.ends[k] ?? from);
    const match = this.match;
    matchStack(cur, stack, false, match);
    let continued = match.continued;
    const sibling = match.sibling;
    if (sibling) {
      this.closeFlow();
      stack.length = continued;
    }
    if (this.pending) {
      this.pending = false;
      if (!sibling && continued === stack.length) {
        this.delimiterRow(k);
        return;
      }
      this.table = null;
      this.tableTail = false;
    }
    let interrupt = false;
    if (!sibling && continued === stack.length) {
      if (this.leaf === FENCED) return this.fencedLine();
      if (this.leaf === HTML) return this.htmlLine();
      interrupt = this.leaf === PARAGRAPH || this.leaf === CODE_INDENTED;
    }
    let opened = false;
    for (let c = startContainer(cur, interrupt); c; c = startContainer(cur, interrupt)) {
      if (!opened) {
        opened = true;
        this.closeFlow();
        stack.length = continued;
      }
      stack.push(c);
      continued++;
      if (c.label) this.out.definitions.push(c.label);
    }
    this.flow(k, continued < stack.length, continued);
  }

  private flow(k: number, lazy: boolean, continued: number): void {
    const cur = this.cur;
    let exit = lazy;
    if (this.leaf === PARAGRAPH) {
      const r = this.paragraphLine(k, lazy);
      if (r === CONSUMED) return;
      exit = lazy && r === ENDED;
    } else if (this.leaf === CODE_INDENTED) {
      if (!lazy && (cur.restBlank() || cur.indentAtLeast(4))) return;
      this.leaf = NONE;
    } else {
      this.leaf = NONE;
    }
    // Nothing spans into a lazy line now: the unmatched containers end before it.
    if (exit) this.stack.length = continued;
    this.fresh(k, lazy);
  }

  /**
   * A line in an open paragraph: CONSUMED, or the paragraph ENDED before it, or it was interrupted
   * by a construct micromark only confirms on the next line (a table head, or HTML of kind 7 on a
   * lazy line), so that the line stays INSIDE the containers even when lazy.
   */
  private paragraphLine(k: number, lazy: boolean): number {
    const cur = this.cur;
    const para = this.para as Paragraph;
    if (cur.restBlank()) {
      this.endParagraph();
      return ENDED;
    }
    const saved = cur.save();
    const partial = cur.tabColumnsLeft();
    if (partial > 0) (para.partialTabs ??= new Map()).set(para.starts.length, partial);
    if (cur.indentAtLeast(4)) {
      para.starts.push(saved.pos);
      return CONSUMED;
    }
    cur.skipSpace();
    const p = cur.pos;
    const c = cur.code();
    if ((c === 61 || c === 45) && !lazy && isSetextUnderline(this.text, p, cur.end)) {
      if (this.setextHeading(k, c === 61 ? 1 : 2)) return CONSUMED;
      cur.restore(saved);
      return ENDED;
    }
    const how = this.interrupts(c, p, lazy);
    if (how === NOT) {
      if (!this.tableHead(k, p)) {
        // A delimiter-shaped line may follow a head that could not start a table here (right after
        // a table, or lazily): at top level it would.
        const odd = (lazy && isSetextUnderline(this.text, p, cur.end)) || delimiterAlign(this.text, p, cur.end);
        para.starts.push(odd ? -saved.pos - 1 : saved.pos);
        return CONSUMED;
      }
    }
    this.endParagraph();
    cur.restore(saved);
    return how === NOT || how === INSIDE ? INSIDE : ENDED;
  }

  /** Whether a flow construct other than a table or setext underline interrupts the paragraph: NOT, ENDED or INSIDE. */
  private interrupts(c: number, p: number, lazy: boolean): number {
    const { text, end } = this.cur;
    switch (c) {
      case 35:
        return atxContent(text, p, end) ? ENDED : NOT;
      case 42:
      case 45:
      case 95:
        return isThematicBreak(text, p, end) ? ENDED : NOT;
      case 60: {
        const open = htmlBlockStart(text, p, end, true, lazy);
        return open ? (open.kind === 7 ? INSIDE : ENDED) : NOT;
      }
      case 96:
      case 126:
        return fenceOpening(text, p, end) > 0 ? ENDED : NOT;
      default:
        return NOT;
    }
  }

  /** A line that starts no open construct: blank, code, heading, break, HTML, fence, table row or paragraph. */
  private fresh(k: number, lazy: boolean): void {
    const cur = this.cur;
    const { text } = this;
    if (cur.restBlank()) {
      this.tableTail = false;
      return;
    }
    if (cur.indentAtLeast(4)) {
      // micromark's indented code checks the laziness of its own line: on a lazy line it ends there.
      this.leaf = lazy ? NONE : CODE_INDENTED;
      this.tableTail = false;
      return;
    }
    cur.skipSpace();
    const p = cur.pos;
    const end = cur.end;
    switch (cur.code()) {
      case 35: {
        const content = atxContent(text, p, end);
        if (content) return this.atxHeading(k, p, content);
        break;
      }
      case 42:
      case 45:
      case 95:
        if (isThematicBreak(text, p, end)) {
          this.tableTail = false;
          return;
        }
        break;
      case 60: {
        const open = htmlBlockStart(text, p, end, false, lazy);
        if (open) {
          this.leaf = htmlBlockCloses(open.kind, text, open.pos, end, open.state) ? NONE : HTML;
          this.html.kind = open.kind;
          this.tableTail = false;
          return;
        }
        break;
      }
      case 96:
      case 126: {
        const size = fenceOpening(text, p, end);
        if (size > 0) {
          this.leaf = FENCED;
          this.fence.marker = text.charCodeAt(p);
          this.fence.size = size;
          this.tableTail = false;
          return;
        }
        break;
      }
    }
    if (this.tableTail) {
      // Right after a table row the table construct only tries another row, never a new head.
      if (!lazy) {
        this.bodyRow(k, p);
        return;
      }
    } else {
      const align = this.tableHead(k, p);
      if (align) return this.startTable(k, p, align);
    }
    this.tableTail = false;
    this.leaf = PARAGRAPH;
    this.para = { line: k, starts: [p] };
  }

  /** A line inside a fenced code block: only its closing fence matters. */
  private fencedLine(): void {
    const cur = this.cur;
    const saved = cur.save();
    cur.consumeSpace(3);
    if (!cur.atSpace() && isFenceClose(this.text, cur.pos, cur.end, this.fence.marker, this.fence.size)) {
      this.leaf = NONE;
      return;
    }
    cur.restore(saved);
  }

  /** A line inside an HTML block: kinds 1–5 end on a line holding their end, 6 and 7 before a blank line. */
  private htmlLine(): void {
    const cur = this.cur;
    const kind = this.html.kind;
    if (kind >= 6) {
      if (cur.restBlank()) this.leaf = NONE;
      return;
    }
    if (htmlBlockCloses(kind, this.text, cur.pos, cur.end, 0)) this.leaf = NONE;
  }

  /** Head row at line `k` (from `p`) whose next line is a matching delimiter row: its alignments. */
  private tableHead(k: number, p: number): Align[] | null {
    const size = headCellCount(this.text, p, this.cur.end);
    if (size < 1 || k + 1 >= this.starts.length) return null;
    const ahead = this.ahead;
    ahead.reset(this.starts[k + 1] ?? 0, this.ends[k + 1] ?? 0);
    matchStack(ahead, this.stack, true, this.aheadMatch);
    if (this.aheadMatch.continued < this.stack.length) return null;
    // The head is in progress, so a new container on the next line would interrupt it.
    if (startContainer(ahead, true) || ahead.indentAtLeast(4)) return null;
    ahead.skipSpace();
    const align = delimiterAlign(this.text, ahead.pos, ahead.end);
    return align && align.length === size ? align : null;
  }

  private startTable(k: number, p: number, align: Align[]): void {
    const header = this.row(k, p);
    this.table = new ScannedTable(k + 1, header.lineFrom, header.to, header, header, align, this.out.source, null, this.starts);
    this.pending = true;
    this.tableTail = true;
    this.leaf = NONE;
  }

  private delimiterRow(k: number): void {
    const table = this.table as ScannedTable;
    this.cur.skipSpace();
    table.delimiter = this.row(k, this.cur.pos, false);
    this.out.tables.push(table);
    this.tableTail = true;
    this.leaf = NONE;
  }

  private row(k: number, p: number, content = true): TableRow {
    return new TableRow(k + 1, this.starts[k] ?? 0, p, this.ends[k] ?? p, content ? this.out.source : this.rawSource);
  }

  /** A body row at line `k` (from `p`): four numbers in its table's body, no object, no split. */
  private bodyRow(k: number, p: number): void {
    ((this.table as ScannedTable).body as BodyRows).push(k + 1, p, this.ends[k] ?? p);
  }

  private atxHeading(k: number, p: number, content: [number, number, number]): void {
    const [level, from, to] = content;
    const end = this.ends[k] ?? to;
    const heading: Heading = { level, text: '', line: k + 1, from: p, to: end };
    const raw = this.text.slice(from, to);
    this.out.headings.push({ heading, source: this.text.slice(p, end), plain: raw });
    this.tableTail = false;
  }

  /** Turn the open paragraph into a setext heading; false when it held only definitions (no heading). */
  private setextHeading(k: number, level: number): boolean {
    const para = this.para as Paragraph;
    const lines = contentLines(this.text, this.ends, para);
    const defs = this.endParagraph(lines);
    if (defs >= lines.length) return false;
    // remark starts the heading where the paragraph's content starts, definitions included.
    const first = para.starts[0] as number;
    const heading: Heading = { level, text: '', line: para.line + 1, from: first, to: this.ends[k] ?? first };
    // Several lines (soft breaks) always go through the inline parser, with their own line endings.
    const plain = lines.length === 1 ? (lines[0] as string) : null;
    const source = this.wrap(para, lines) + '\n    ' + (level === 1 ? '=' : '-');
    this.out.headings.push({ heading, source, plain });
    this.tableTail = false;
    return true;
  }

  /**
   * Close the open paragraph, keeping its leading link reference definitions for the inline parser;
   * returns how many lines they take.
   */
  private endParagraph(lines?: string[]): number {
    const para = this.para;
    this.para = null;
    this.leaf = NONE;
    if (!para || this.text.charCodeAt(para.starts[0] ?? 0) !== 91) return 0;
    const content = lines ?? contentLines(this.text, this.ends, para);
    const defs = definitionLines(content.join('\n'));
    if (defs > 0) this.out.definitions.push(this.wrap(para, content.slice(0, defs)));
    return defs;
  }

  private wrap(para: Paragraph, lines: string[]): string {
    return wrapParagraph(this.text, this.starts, this.ends, para, lines);
  }

  private closeFlow(): void {
    if (this.leaf === PARAGRAPH) this.endParagraph();
    this.leaf = NONE;
    this.tableTail = false;
  }
}

