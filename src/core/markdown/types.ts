/** The shape of a parsed note: sections, tables, rows and cells, each with source offsets. */

/** Offsets are UTF-16 indices into the note text, `to` exclusive; lines are 1-based. */
export interface Heading {
  /** 1–6. */
  level: number;
  /** Plain text of the heading (markup stripped, escapes resolved, trimmed). */
  text: string;
  line: number;
  from: number;
  to: number;
}

export interface Cell {
  /** Source text of the cell between its pipes, trimmed; escapes and markup as written. */
  raw: string;
  /** Plain text as remark-gfm + mdast-util-to-string gives it, trimmed. */
  text: string;
  /** Offsets of `raw` in the note. */
  from: number;
  to: number;
}

export interface Row {
  line: number;
  /** Start of the line (before any container prefix such as `> ` or list indentation). */
  lineFrom: number;
  /** Start of the row's own text, after the container prefix. */
  from: number;
  /** End of the line's text, before its line ending. */
  to: number;
  cells: Cell[];
}

export type Align = 'left' | 'right' | 'center' | null;

export interface Table {
  /** Line of the header row. */
  line: number;
  /** From the header row's `lineFrom` to the last row's `to`. */
  from: number;
  to: number;
  header: Row;
  /** The delimiter (alignment) row. */
  delimiter: Row;
  align: Align[];
  /** Body rows, in order. */
  rows: Row[];
  /** The nearest heading above the table, if any. */
  heading: Heading | null;
  /** Container prefix of the table's last line (`> `, list indentation, …), repeated on an appended row. */
  prefix: string;
}

/** Where a note's frontmatter stands (its values: markdown/frontmatter.ts `readFrontmatter`). */
export interface Frontmatter {
  from: number;
  to: number;
  /** Line of the closing `---`. */
  endLine: number;
}

export interface ParsedNote {
  text: string;
  /** The note's dominant line ending. */
  eol: '\n' | '\r\n';
  /** Offset of the start of each line; `lineStarts[0] === 0`. */
  lineStarts: number[];
  frontmatter: Frontmatter | null;
  headings: Heading[];
  /** Every GFM table of the note at any depth (block quotes and list items too), in source order. */
  tables: Table[];
}
