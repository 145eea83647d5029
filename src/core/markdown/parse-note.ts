/**
 * `parseNote`: Canon's markdown scanner. Finds headings and GFM tables at any depth (block quotes,
 * list items, footnote definitions) with source offsets, in one pass over the lines, and gives each
 * cell and heading the plain text remark-parse + remark-gfm + mdast-util-to-string give it.
 *
 * Why not remark for everything: micromark's table extension costs ~0.4 ms a row and gigabytes on a
 * 50k-row table. The block scanner (block-scanner.ts) mirrors micromark's document/flow split
 * closely enough to find the same tables, rows, cells and headings; only cells and headings whose
 * text inline markup could change go through remark, in one batch per note (inline-text.ts).
 * The differential tests in test/markdown hold it to remark on fixtures and generated notes.
 *
 * What the scanner follows from micromark, beyond CommonMark's prose (each checked against remark):
 * a table may interrupt a paragraph and wins over a setext underline; right after a table row a
 * line is a body row unless it is blank, lazy, indented code or another flow construct (a lone
 * lazy line ends the table and cannot head a new one); micromark's "interrupt" state decides which
 * list items may start (after a paragraph, indented code or a table head: no empty item, ordered
 * only from 1); indented code on a lazy line ends on that line; a table head or kind-7 HTML that
 * interrupts a lazy paragraph line stays inside the containers; a footnote definition directly
 * inside another continues on the outer one's indentation; a paragraph of only link reference
 * definitions is no setext heading (the underline starts afresh).
 *
 * Known divergences from remark, on purpose (none occurs in the generated notes):
 * - A cell or heading whose text is longer than 20,000 characters, or that would take remark past
 *   200,000 characters of inline work in one note, keeps its source text (trimmed) as plain text:
 *   micromark is too slow (and its emphasis resolution quadratic) on such pathological text.
 * - If remark's batch parse ever throws (it never has), cells and headings keep their source text.
 */
import type { Heading, ParsedNote, Table } from './types';
import { indexLines } from './line-index';
import { readFrontmatter } from './frontmatter';
import { BlockScanner } from './block-scanner';
import { inlineBudget, resolveInlineText, type InlineBudget } from './inline-text';

/** Parse a note once: line index, frontmatter, headings and tables with rows, cells and offsets. */
export function parseNote(text: string): ParsedNote {
  return parseNoteTracked(text).note;
}

/** A parse with what re-parsing part of the note needs (incremental-parse.ts): its definitions and remark budget. */
export interface TrackedParse {
  note: ParsedNote;
  /** Link reference and footnote definitions, as the inline batch gets them. */
  definitions: string[];
  budget: InlineBudget;
}

/** `parseNote`, keeping the definitions and the remark budget it used. */
export function parseNoteTracked(text: string): TrackedParse {
  const { starts, ends, eol } = indexLines(text);
  const frontmatter = readFrontmatter(text, starts, ends);
  // micromark skips a byte order mark at the very start.
  let first = 0;
  let firstFrom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (frontmatter) {
    first = frontmatter.endLine;
    firstFrom = starts[first] ?? text.length;
  }
  const scan = new BlockScanner(text, starts, ends).scan(first, firstFrom);
  const budget = inlineBudget();
  const headings = resolveInlineText(scan.pending, scan.headings, scan.definitions, budget);
  finishTables(text, scan.tables, headings);
  const note: ParsedNote = { text, eol, lineStarts: starts, frontmatter, headings, tables: scan.tables };
  return { note, definitions: scan.definitions, budget };
}

/** Extent, container prefix and section heading of each table. */
function finishTables(text: string, tables: Table[], headings: Heading[]): void {
  let h = -1;
  for (const table of tables) {
    while (h + 1 < headings.length && (headings[h + 1] as Heading).line < table.line) h++;
    table.heading = headings[h] ?? null;
    const last = table.rows[table.rows.length - 1] ?? table.delimiter;
    table.to = last.to;
    table.prefix = text.slice(last.lineFrom, last.from);
  }
}
