/**
 * `parseNote`: Canon's markdown scanner. Finds headings and GFM tables at any depth (block quotes,
 * list items, footnote definitions) with source offsets, in one pass over the lines, and gives each
 * cell and heading the plain text remark-parse + remark-gfm + mdast-util-to-string give it.
 *
 * Why not remark for everything: micromark's table extension costs ~0.4 ms a row and gigabytes on a
 * 50k-row table. The block scanner (block-scanner.ts) mirrors micromark's document/flow split
 * closely enough to find the same tables, rows, cells and headings; only cells and headings whose
 * text inline markup could change go through remark, in batches (inline-text.ts).
 * The differential tests in test/markdown hold it to remark on fixtures and generated notes.
 *
 * Memory and time on long tables: a table's body rows are kept as offsets (table-row.ts), their
 * cells split from the text only when asked for, and the inline reading of cells is deferred:
 * cells are classified in document order only as far as some cell's plain text is asked for (a
 * 50k-row log whose Notes the validator never reads as text is never classified past its triggers).
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
import type { Heading, ParsedNote } from './types';
import type { BodyRows, ScannedTable } from './table-row';
import { indexLines } from './line-index';
import { findFrontmatter } from './frontmatter';
import { BlockScanner } from './block-scanner';
import { inlineBudget, type InlineBudget } from './cell-plain';
import { LazyInline, resolveHeadings } from './inline-text';
import type { Steps } from '../steps';

/** Characters of note text whose cells are classified (and, with inline markup, read by remark) between two pauses. */
const CHARS_PER_STEP = 4096;

/**
 * Parse a note once: line index, frontmatter, headings and tables with rows, cells and offsets. The
 * inline reading of table cells is deferred until a cell's plain text is asked for (see `LazyInline`).
 */
export function parseNote(text: string): ParsedNote {
  return parse(text).note;
}

/** A parse with what re-parsing part of the note needs (incremental-parse.ts): its definitions and remark budget. */
export interface TrackedParse {
  note: ParsedNote;
  /** Link reference and footnote definitions, as the inline batch gets them. */
  definitions: string[];
  budget: InlineBudget;
}

/** `parseNote`, keeping the definitions and the remark budget it used (every cell read, so the budget is final). */
export function parseNoteTracked(text: string): TrackedParse {
  const parsed = parse(text);
  parsed.lazy.upTo(Number.POSITIVE_INFINITY);
  return { note: parsed.note, definitions: parsed.definitions, budget: parsed.budget };
}

/**
 * `parseNoteTracked` as work that can pause: after the block scan, cells are classified a few
 * kilobytes of note text at a time (remark reads the cells with inline markup; see `LazyInline`).
 */
export function* parseNoteTrackedSteps(text: string): Steps<TrackedParse> {
  const parsed = parse(text);
  for (let offset = CHARS_PER_STEP; offset < text.length; offset += CHARS_PER_STEP) {
    yield;
    parsed.lazy.upTo(offset);
  }
  parsed.lazy.upTo(Number.POSITIVE_INFINITY);
  return { note: parsed.note, definitions: parsed.definitions, budget: parsed.budget };
}

function parse(text: string): TrackedParse & { lazy: LazyInline } {
  const { starts, ends, eol } = indexLines(text);
  const block = findFrontmatter(text);
  const frontmatter = block ? { from: 0, to: block.to, endLine: block.endLine } : null;
  // micromark skips a byte order mark at the very start.
  let first = 0;
  let firstFrom = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (frontmatter) {
    first = frontmatter.endLine;
    firstFrom = starts[first] ?? text.length;
  }
  const scan = new BlockScanner(text, starts, ends).scan(first, firstFrom);
  const budget = inlineBudget();
  const source = scan.source;
  source.defs = scan.definitions.length > 0;
  const lazy = new LazyInline(text, scan.tables, scan.definitions, budget, source);
  source.pending = scan.tables.length > 0 ? lazy : null;
  const headings = resolveHeadings(scan.headings, scan.definitions, budget, () => lazy.upTo(Number.POSITIVE_INFINITY));
  finishTables(text, scan.tables, headings);
  const note: ParsedNote = { text, eol, lineStarts: starts, frontmatter, headings, tables: scan.tables };
  return { note, definitions: scan.definitions, budget, lazy };
}

/** Extent, container prefix and section heading of each table. */
function finishTables(text: string, tables: ScannedTable[], headings: Heading[]): void {
  let h = -1;
  for (const table of tables) {
    while (h + 1 < headings.length && (headings[h + 1] as Heading).line < table.line) h++;
    table.heading = headings[h] ?? null;
    const body = table.body as BodyRows;
    body.trim();
    const n = body.length;
    const lineFrom = n > 0 ? body.lineFrom(n - 1) : table.delimiter.lineFrom;
    const from = n > 0 ? body.from(n - 1) : table.delimiter.from;
    table.to = n > 0 ? body.to(n - 1) : table.delimiter.to;
    table.prefix = text.slice(lineFrom, from);
  }
}
