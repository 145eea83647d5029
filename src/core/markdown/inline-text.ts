/**
 * Plain text of cells and headings, as `mdast-util-to-string` gives it on remark-gfm's tree (trimmed).
 * Three paths: text with no character inline markup could change is its own plain text; text with
 * only escapes, code spans and `*`/`_` emphasis goes through inline-plain.ts (a cell's plain text is
 * worked out when first asked for); the rest is parsed by remark in batches: every such cell as a
 * row of one batch table (so the table rules, such as `\|` in code spans, apply as in the note),
 * every such heading as its own block (a setext heading wrapped as paragraph-source.ts explains),
 * then the note's link and footnote definitions. Cells and headings take the note's remark budget in
 * document order, cells first (`LazyInline` keeps that order when it classifies cells lazily).
 */
import type { Root, RootContent } from 'mdast';
import { parseMarkdown, toString } from './inline-remark';
import type { Heading } from './types';
import type { ScannedHeading } from './block-scanner';
import { type BodyRows, cellFlag, cellSpans, type Pending, type RowSource, type ScannedTable, Spans, TableRow } from './table-row';
import { type InlineBudget, localPlain, needsRemarkCell, trimmed } from './cell-plain';
import { BATCH_FOOTNOTE } from './paragraph-source';


interface HeadingJob {
  scanned: ScannedHeading;
  /** 1-based line of the job's first line in the batch document. */
  line: number;
  lines: number;
}

/** A cell that goes to remark: its source, and where its plain text goes. */
interface CellJob {
  raw: string;
  /** A scanned row and cell index, or a table's body rows, row and cell index. */
  row: TableRow | BodyRows;
  j: number;
  k: number;
}

function settle(job: CellJob, text: string): void {
  if (job.row instanceof TableRow) job.row.settle(job.k, text);
  else job.row.settle(job.j, job.k, text);
}

/**
 * The cells of the row `text[from, to)` with markup: each left to be read when asked for (no remark
 * needed), sent to `jobs` for the remark batch while the budget lasts, or else given its source text.
 */
function classifyRow(text: string, from: number, to: number, spans: Spans, hasDefinitions: boolean, budget: InlineBudget, jobs: CellJob[], row: TableRow | BodyRows, j: number): void {
  const n = cellSpans(text, from, to, spans);
  for (let k = 0; k < n; k++) {
    const a = spans.data[2 * k] as number;
    const b = spans.data[2 * k + 1] as number;
    if (!cellFlag(text, a, b) || !needsRemarkCell(text, a, b, hasDefinitions)) continue;
    const job: CellJob = { raw: text.slice(a, b), row, j, k };
    if (job.raw.length > budget.left) {
      budget.refused = true;
      settle(job, trimmed(job.raw));
    } else {
      budget.left -= job.raw.length;
      jobs.push(job);
    }
  }
}

/** Settle the cells of `rows` (content rows of `text`, in order) that need remark. */
export function settleRows(text: string, rows: readonly TableRow[], definitions: string[], budget: InlineBudget): void {
  const jobs: CellJob[] = [];
  const spans = new Spans();
  for (const row of rows) classifyRow(text, row.from, row.to, spans, definitions.length > 0, budget, jobs, row, 0);
  if (jobs.length > 0) parseBatch(jobs, [], definitions);
}

/**
 * The inline reading of a parse's table cells, done in document order and only as far as asked:
 * a cell that may need remark is classified (and batched) when the plain text of a cell at or after
 * it is first read. Every cell the validator never reads as text (a Notes cell) stays unread. The
 * budget is taken in the same order as when all cells are read at once, so texts are the same.
 */
export class LazyInline implements Pending {
  /** Next table to classify, and its next row (-1: the header). */
  declare private t: number;
  declare private j: number;
  declare private readonly spans: Spans;
  declare private readonly text: string;
  declare private readonly tables: readonly ScannedTable[];
  declare private readonly definitions: string[];
  declare private readonly budget: InlineBudget;
  declare private readonly source: RowSource;

  constructor(text: string, tables: readonly ScannedTable[], definitions: string[], budget: InlineBudget, source: RowSource) {
    this.text = text;
    this.tables = tables;
    this.definitions = definitions;
    this.budget = budget;
    this.source = source;
    this.t = 0;
    this.j = -1;
    this.spans = new Spans();
  }

  upTo(offset: number): void {
    const { text, tables, spans, budget } = this;
    const defs = this.definitions.length > 0;
    const jobs: CellJob[] = [];
    while (this.t < tables.length) {
      const table = tables[this.t] as ScannedTable;
      const header = table.header as TableRow;
      if (this.j < 0) {
        if (header.from > offset) break;
        classifyRow(text, header.from, header.to, spans, defs, budget, jobs, header, 0);
        this.j = 0;
      }
      const body = table.body as BodyRows;
      for (; this.j < body.length && body.from(this.j) <= offset; this.j++) classifyRow(text, body.from(this.j), body.to(this.j), spans, defs, budget, jobs, body, this.j);
      if (this.j < body.length) break;
      this.t++;
      this.j = -1;
    }
    if (this.t >= tables.length) this.source.pending = null;
    if (jobs.length > 0) parseBatch(jobs, [], this.definitions);
  }
}

/**
 * Give every heading its plain text. Cells take the note's remark budget before headings: when a
 * heading needs remark, `cellsFirst` settles every cell first.
 */
export function resolveHeadings(headings: ScannedHeading[], definitions: string[], budget: InlineBudget, cellsFirst: () => void): Heading[] {
  const hasDefinitions = definitions.length > 0;
  if (headings.some((h) => h.plain === null || localPlain(h.plain, false, hasDefinitions) === null)) cellsFirst();
  const jobs: HeadingJob[] = [];
  for (const h of headings) {
    const plain = h.plain === null ? null : plainText(h.plain, false, hasDefinitions, budget);
    if (plain !== null) h.heading.text = trimmed(plain);
    else if (h.source.length <= budget.left) {
      budget.left -= h.source.length;
      jobs.push({ scanned: h, line: 0, lines: 0 });
    } else {
      budget.refused = true;
      h.heading.text = h.source.trim();
    }
  }
  if (jobs.length > 0) parseBatch([], jobs, definitions);
  return headings.map((h) => h.heading);
}

/** Text that needs remark: null (it joins the batch) while the note's budget lasts, else its own source. */
function batchOrSource(s: string, budget: InlineBudget): string | null {
  if (s.length > budget.left) {
    budget.refused = true;
    return s;
  }
  budget.left -= s.length;
  return null;
}

/**
 * Plain text of `s` when it needs no remark (no markup, or only what inline-plain.ts handles), else
 * null, taking its length from the batch budget. Text too long for inline work (or past the budget)
 * is its own plain text: a documented divergence that keeps pathological notes fast.
 */
function plainText(s: string, inTable: boolean, hasDefinitions: boolean, budget: InlineBudget): string | null {
  return localPlain(s, inTable, hasDefinitions) ?? batchOrSource(s, budget);
}

/** Build the batch document, parse it once, and read each cell's and heading's text back from it. */
function parseBatch(cells: CellJob[], jobs: HeadingJob[], definitions: string[]): void {
  const parts: string[] = [];
  let line = 1;
  if (cells.length > 0) {
    parts.push('| c |\n| - |');
    for (const cell of cells) parts.push(`| ${cell.raw} |`);
    parts.push('');
    line += cells.length + 3;
  }
  for (const job of jobs) {
    job.line = line;
    job.lines = job.scanned.source.split(/\r\n?|\n/).length;
    parts.push(job.scanned.source, '');
    line += job.lines + 1;
  }
  for (const d of definitions) parts.push(d, '');
  let tree: Root;
  try {
    tree = parseMarkdown(parts.join('\n'));
  } catch {
    // remark should not throw on any text; if it ever does, the source text stands in.
    tree = { type: 'root', children: [] };
  }
  let index = 0;
  const first = tree.children[0];
  if (cells.length > 0 && first?.type === 'table') {
    index = 1;
    const rows = first.children;
    for (let i = 0; i < cells.length; i++) {
      const cell = cells[i] as CellJob;
      const node = rows[i + 1]?.children[0];
      settle(cell, node ? toString(node).trim() : cell.raw.trim());
    }
  } else {
    for (const cell of cells) settle(cell, cell.raw.trim());
  }
  matchHeadings(tree.children, index, jobs);
}

/** Find each heading job's heading among the batch's top-level nodes (they come in order). */
function matchHeadings(nodes: RootContent[], start: number, jobs: HeadingJob[]): void {
  let index = start;
  for (const job of jobs) {
    const last = job.line + job.lines - 1;
    let found: RootContent | undefined;
    for (; index < nodes.length; index++) {
      const node = nodes[index] as RootContent;
      const line = node.position?.start.line ?? 0;
      if (line > last) break;
      // Setext headings are sent inside a footnote definition (see wrapParagraph).
      const inner = node.type === 'footnoteDefinition' ? node.children.find((child) => child.type === 'heading') : node;
      if (line >= job.line && inner?.type === 'heading') {
        found = inner;
        index++;
        break;
      }
    }
    // The batch reads each heading as the note does; if it somehow did not, keep the source text.
    const heading = job.scanned.heading;
    heading.text = found ? toString(found).trim() : (job.scanned.plain ?? job.scanned.source.replace(BATCH_FOOTNOTE, '')).trim();
  }
}
