/**
 * The source of an open paragraph, kept line by line so that a setext heading or link reference
 * definitions in it can be handed to the inline parser as a top-level parse reads the same text.
 */

export interface Paragraph {
  /** 0-based line of the paragraph's first line. */
  line: number;
  /**
   * Offset where each line's text starts: after containers and indentation on the first line, after
   * containers only on the others (inline HTML and code spans see that indentation). `-(offset + 1)`
   * marks a line that a top-level paragraph might not take as plain continuation text (a lazy setext
   * underline, a delimiter row): it stays lazy when handed to the inline parser (see `wrapParagraph`).
   */
  starts: number[];
  /**
   * Lines (by index) that start inside a tab a container marker took part of, with the columns of it
   * left: micromark reads those as spaces.
   */
  partialTabs?: Map<number, number>;
}

/** The footnote definition that carries a paragraph to the inline parser (see `wrapParagraph`). */
export const BATCH_FOOTNOTE = '[^canon-inline-batch]:';

/** Escape a list item marker opening `line`, keeping its text. */
function escapeListStart(line: string): string {
  if (/^[-+*](?:[ \t]|$)/.test(line)) return '\\' + line;
  const ordered = /^\d{1,9}(?=[.)](?:[ \t]|$))/.exec(line);
  if (!ordered) return line;
  const n = ordered[0].length;
  return line.slice(0, n) + '\\' + line.slice(n);
}

/** A paragraph's lines without their containers. */
export function contentLines(text: string, ends: number[], para: Paragraph): string[] {
  const lines: string[] = [];
  for (let i = 0; i < para.starts.length; i++) {
    const start = para.starts[i] as number;
    const from = start >= 0 ? start : -start - 1;
    const partial = para.partialTabs?.get(i);
    const line = partial ? ' '.repeat(partial) + text.slice(from + 1, ends[para.line + i]) : text.slice(from, ends[para.line + i]);
    lines.push(line);
  }
  return lines;
}

/**
 * The first `lines` of `para` as a top-level parse reads the same paragraph text: in a footnote
 * definition (which takes exactly 4 columns from each following line, so tab stops and indentation
 * stay as they were in the note), the marked lines left lazy (a lazy line is neither a setext
 * underline nor a delimiter row, as they were not in the note), and a first line that would open a
 * list item escaped (in the note it could not interrupt what came before). Line endings are kept.
 */
export function wrapParagraph(text: string, starts: number[], ends: number[], para: Paragraph, lines: string[]): string {
  let source = BATCH_FOOTNOTE + ' ' + escapeListStart(lines[0] as string);
  for (let i = 1; i < lines.length; i++) {
    const k = para.line + i - 1;
    const eol = text.slice(ends[k], starts[k + 1]);
    source += eol + ((para.starts[i] as number) >= 0 ? '    ' : '') + lines[i];
  }
  return source;
}
