/**
 * Plain text of cells and headings, as `mdast-util-to-string` gives it on remark-gfm's tree (trimmed).
 * Three paths: text with no character inline markup could change is its own plain text; text with
 * only escapes, code spans and `*`/`_` emphasis goes through inline-plain.ts; the rest is parsed in
 * ONE remark call per note: every such cell as a row of one batch table (so the table rules, such as
 * `\|` in code spans, apply as in the note), every such heading as its own block (a setext heading
 * wrapped as paragraph-source.ts explains), then the note's link and footnote definitions.
 */
import type { Root, RootContent } from 'mdast';
import { parseMarkdown, toString } from './inline-remark';
import type { Cell, Heading } from './types';
import type { ScannedHeading } from './block-scanner';
import { plainInline } from './inline-plain';
import { BATCH_FOOTNOTE } from './paragraph-source';

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether inline parsing could make the plain text of `s` differ from `s` itself. Safe without
 * parsing: `_` between two ASCII letters or digits (never emphasis), `<` with no `:`/`@` before the
 * next `>` (raw HTML keeps its text, autolinks need one), `&` with no `;` after it, `\` before a
 * character that is not ASCII punctuation, and `[`/`]` in a note without definitions unless `](`.
 * Linear: each `<` looks no further than the `>` that the previous one found.
 */
export function needsInlineParse(s: string, hasDefinitions: boolean): boolean {
  const n = s.length;
  const lastSemicolon = s.lastIndexOf(';');
  let tagEnd = -1;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 126 || (c > 0 && c < 33) || isAsciiAlnum(c)) continue;
    switch (c) {
      case 0:
      case 42:
      case 96:
      case 126:
        return true;
      case 92:
        if (i + 1 < n && isAsciiPunctuation(s.charCodeAt(i + 1))) return true;
        break;
      case 95:
        if (!(i > 0 && i + 1 < n && isAsciiAlnum(s.charCodeAt(i - 1)) && isAsciiAlnum(s.charCodeAt(i + 1)))) return true;
        break;
      case 60:
        if (i > tagEnd) {
          tagEnd = s.indexOf('>', i + 1);
          if (tagEnd < 0) tagEnd = n;
          else for (let j = i + 1; j < tagEnd; j++) if (s.charCodeAt(j) === 58 || s.charCodeAt(j) === 64) return true;
        }
        break;
      case 38:
        if (lastSemicolon > i) return true;
        break;
      case 91:
        if (hasDefinitions) return true;
        break;
      case 93:
        if (hasDefinitions || s.charCodeAt(i + 1) === 40) return true;
        break;
    }
  }
  return false;
}

/** `raw.trim()`, without allocating when there is nothing to trim. */
function trimmed(raw: string): string {
  const n = raw.length;
  if (n === 0) return raw;
  const a = raw.charCodeAt(0);
  const b = raw.charCodeAt(n - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? raw : raw.trim();
}

/** Longest cell or heading text that gets inline parsing; longer ones keep their source text. */
const MAX_INLINE = 20_000;
/** Characters of cells and headings one note may send to remark (about 3 s of micromark). */
export const BATCH_BUDGET = 200_000;

/** What is left of a note's remark budget, and whether any text was refused it (kept its source text). */
export interface InlineBudget {
  left: number;
  refused: boolean;
}

/** A fresh note budget. */
export function inlineBudget(): InlineBudget {
  return { left: BATCH_BUDGET, refused: false };
}

/** How much of the note budget a cell's raw text asks for (0 when it needs no remark). */
export function cellDemand(raw: string, hasDefinitions: boolean): number {
  return localPlain(raw, true, hasDefinitions) === null ? raw.length : 0;
}

interface HeadingJob {
  scanned: ScannedHeading;
  /** 1-based line of the job's first line in the batch document. */
  line: number;
  lines: number;
}

/**
 * Fill `text` of the pending cells (those with markup; the others already hold their raw text) and of
 * every heading; returns the headings.
 */
export function resolveInlineText(pending: Cell[], headings: ScannedHeading[], definitions: string[], budget: InlineBudget = inlineBudget()): Heading[] {
  const hasDefinitions = definitions.length > 0;
  const cells: Cell[] = [];
  // A long table repeats its cells' texts: each distinct text is resolved once (null: needs remark).
  const known = new Map<string, string | null>();
  for (const cell of pending) {
    const raw = cell.raw;
    let plain = known.get(raw);
    if (plain === undefined) {
      plain = localPlain(raw, true, hasDefinitions);
      if (known.size < KNOWN_LIMIT) known.set(raw, plain === null ? null : trimmed(plain));
    }
    if (plain === null) plain = batchOrSource(raw, budget);
    if (plain !== null) cell.text = trimmed(plain);
    else cells.push(cell);
  }
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
  if (cells.length > 0 || jobs.length > 0) parseBatch(cells, jobs, definitions);
  return headings.map((h) => h.heading);
}

/** Distinct cell texts whose plain text one note remembers. */
const KNOWN_LIMIT = 10_000;

/**
 * Plain text of `s` when it needs no remark (no markup, or only what inline-plain.ts handles, or
 * text too long for inline work: a documented divergence that keeps pathological notes fast), else null.
 */
function localPlain(s: string, inTable: boolean, hasDefinitions: boolean): string | null {
  if (!needsInlineParse(s, hasDefinitions)) return s;
  if (s.length > MAX_INLINE) return s;
  return plainInline(s, inTable, hasDefinitions);
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
function parseBatch(cells: Cell[], jobs: HeadingJob[], definitions: string[]): void {
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
      const cell = cells[i] as Cell;
      const node = rows[i + 1]?.children[0];
      cell.text = node ? toString(node).trim() : cell.raw.trim();
    }
  } else {
    for (const cell of cells) cell.text = cell.raw.trim();
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
