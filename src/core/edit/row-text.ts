import type { ParsedNote, Table } from '../markdown/types';
import { lastRow } from '../markdown/table-row';

/** How a table writes its rows: leading and trailing pipes, a space of padding inside them. */
export interface PipeStyle {
  leading: boolean;
  trailing: boolean;
  padded: boolean;
}

/** The pipe style of a table, read from its last row (or its header). */
export function pipeStyle(note: ParsedNote, table: Table): PipeStyle {
  const row = lastRow(table) ?? table.header;
  const text = note.text.slice(row.from, row.to);
  const trimmed = text.trim();
  const trailing = trimmed.endsWith('|') && !trimmed.endsWith('\\|');
  const leading = trimmed.startsWith('|');
  const padded = leading ? /^\|[ \t]/.test(trimmed) || trimmed === '|' : /[ \t]\|/.test(trimmed);
  return { leading, trailing, padded };
}

/** The canonical style Canon writes new tables in: `| a | b |`. */
export const DEFAULT_STYLE: PipeStyle = { leading: true, trailing: true, padded: true };

/**
 * Escapes a value for a table cell (README "Reliability: not one row lost"): a `|` not already escaped becomes `\|` (a pipe after an
 * even run of backslashes is unescaped: `\\|` is an escaped backslash and a cell break), and line
 * breaks become `<br>`.
 */
export function escapeCell(value: string): string {
  return value
    .trim()
    .replace(/\r\n|\r|\n/g, '<br>')
    .replace(/(\\*)\||\\+/g, (match, slashes?: string) => (slashes === undefined ? match : slashes.length % 2 === 0 ? `${slashes}\\|` : `${slashes}|`));
}

/** One table row in the given style; cells must already be escaped. An empty cell is written `| |`, never with two spaces. */
export function formatRow(cells: readonly string[], style: PipeStyle): string {
  // Without a leading pipe an empty first cell would read as one: write the pipe then.
  const leading = style.leading || cells[0] === '' || cells.length === 1;
  const trailing = style.trailing || leading;
  const pad = style.padded ? ' ' : '';
  const last = cells.length - 1;
  const body = cells.map((cell, i) => {
    const left = i > 0 || leading ? pad : '';
    const right = i < last || trailing ? pad : '';
    return cell === '' ? (left || right) : `${left}${cell}${right}`;
  });
  return `${leading ? '|' : ''}${body.join('|')}${trailing ? '|' : ''}`;
}

/** The delimiter row for a header of n columns, in the given style. */
export function formatDelimiter(n: number, style: PipeStyle): string {
  return formatRow(Array.from({ length: n }, () => '---'), style);
}
