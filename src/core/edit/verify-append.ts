/**
 * Reported means found: after a write (and before one that creates a section), the note is parsed
 * again and the new row must stand at its line as a body row of the section's table, holding the
 * cells planned. A row swallowed by an unclosed code fence or HTML comment, or read as part of some
 * other block, is not found, and the reason says where the note stops reading as markdown tables.
 */
import { parseNote } from '../markdown/parse-note';
import { rowOnLine } from '../markdown/table-row';
import type { ParsedNote } from '../markdown/types';
import { findSection, sectionTable } from '../stack/sections';

/** Where an appended row must be found and what it must hold: its cells' plain texts, in header order. */
export interface RowExpectation {
  section: string;
  line: number;
  cells: readonly string[];
}

/** Null when the note holds the row where expected; else why not, as a sentence. */
export function missingRowReason(text: string, expect: RowExpectation, parsed: ParsedNote = parseNote(text)): string | null {
  const heading = findSection(parsed, expect.section);
  const cause = (): string => {
    const block = openBlockAbove(text, parsed, expect.line);
    return block ? `: ${block}` : '';
  };
  if (!heading) return `the section heading \`${expect.section}\` does not read as a heading where Canon would write it${cause()}`;
  const table = sectionTable(parsed, heading);
  const row = table ? rowOnLine(table, expect.line) : undefined;
  if (!table || !row) return `line ${expect.line} would not read as a row of the ${expect.section} table${cause()}`;
  const cells = row.cells.map((c) => c.text);
  if (cells.length !== expect.cells.length || cells.some((c, i) => c !== expect.cells[i])) {
    return `line ${expect.line} reads as a row of ${cells.length} cells (${cells.join(' | ')}), not the ${expect.cells.length} planned (${expect.cells.join(' | ')})`;
  }
  return null;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * A hint for the message: the last code fence or HTML comment opened above `line` and not closed
 * before it, as the note's own lines show it (the parse above decides; this only names the cause).
 */
function openBlockAbove(text: string, parsed: ParsedNote, line: number): string | null {
  let fence: { marker: string; line: number } | null = null;
  let comment: number | null = null;
  const last = Math.min(line - 1, parsed.lineStarts.length);
  for (let i = 0; i < last; i++) {
    const from = parsed.lineStarts[i] ?? 0;
    const next = parsed.lineStarts[i + 1];
    const lineText = text.slice(from, next === undefined ? text.length : next).replace(/\r?\n$/, '');
    if (comment !== null) {
      if (lineText.includes('-->')) comment = null;
      continue;
    }
    const open = FENCE.exec(lineText);
    if (fence) {
      if (open && open[1]?.[0] === fence.marker[0] && (open[1]?.length ?? 0) >= fence.marker.length && lineText.trim() === open[1]) fence = null;
      continue;
    }
    if (open) fence = { marker: open[1] ?? '```', line: i + 1 };
    else {
      const at = lineText.indexOf('<!--');
      if (at >= 0 && !lineText.includes('-->', at + 4)) comment = i + 1;
    }
  }
  if (fence) return `the code fence opened at line ${fence.line} (\`${fence.marker}\`) is never closed, so everything after it is code`;
  if (comment !== null) return `the HTML comment opened at line ${comment} (\`<!--\`) is never closed, so everything after it is hidden`;
  return null;
}
