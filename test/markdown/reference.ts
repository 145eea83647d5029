/** The reference reading of a note: remark-parse + remark-gfm, reduced to what parseNote must match. */
import { unified } from 'unified';
import remarkParse from 'remark-parse';
import remarkGfm from 'remark-gfm';
import { toString } from 'mdast-util-to-string';
import type { Nodes } from 'mdast';
import type { ParsedNote } from '../../src/core/markdown/types';

export interface ShapeRow {
  line: number;
  cells: string[];
}

export interface ShapeTable {
  line: number;
  header: string[];
  rows: ShapeRow[];
}

export interface ShapeHeading {
  level: number;
  text: string;
  line: number;
}

export interface Shape {
  tables: ShapeTable[];
  headings: ShapeHeading[];
}

const processor = unified().use(remarkParse).use(remarkGfm);

/** Blank out the frontmatter lines (keeping line numbers), as remark has no frontmatter. */
export function blankFrontmatter(text: string, note: ParsedNote): string {
  const fm = note.frontmatter;
  if (!fm) return text;
  return text.slice(fm.from, fm.to).replace(/[^\r\n]/g, '') + text.slice(fm.to);
}

/** Tables and headings of `text` as remark reads them, at any depth, in source order. */
export function referenceShape(text: string): Shape {
  const tree = processor.parse(text);
  const shape: Shape = { tables: [], headings: [] };
  // Iterative walk: notes with thousands of nested quotes must not overflow the stack.
  const stack: Nodes[] = [tree];
  while (stack.length > 0) {
    const node = stack.pop() as Nodes;
    if (node.type === 'table') {
      const rows = node.children.map((row) => ({
        line: row.position?.start.line ?? 0,
        cells: row.children.map((cell) => toString(cell).trim()),
      }));
      shape.tables.push({ line: node.position?.start.line ?? 0, header: rows[0]?.cells ?? [], rows: rows.slice(1) });
      continue;
    }
    if (node.type === 'heading') {
      shape.headings.push({ level: node.depth, text: toString(node).trim(), line: node.position?.start.line ?? 0 });
    }
    if ('children' in node) for (let i = node.children.length - 1; i >= 0; i--) stack.push(node.children[i] as Nodes);
  }
  return shape;
}

/** The same shape from Canon's scanner. */
export function scannerShape(note: ParsedNote): Shape {
  return {
    tables: note.tables.map((t) => ({
      line: t.line,
      header: t.header.cells.map((c) => c.text),
      rows: t.rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => c.text) })),
    })),
    headings: note.headings.map((h) => ({ level: h.level, text: h.text, line: h.line })),
  };
}
