import { existsSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { parseNote } from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat } from '../args';
import { CannotRun } from '../context';
import { describeCause } from '../fs-errors';
import { readRegular } from '../safe-paths';
import { json, paint, type Output } from '../output';

export const TABLES_HELP = `Usage: canon tables NOTE [--vault DIR] [--format text|json]

Shows how Canon reads every table of one note — at any depth, in block quotes and list items
too — with each row's line and cells as plain text (escapes resolved, markup stripped), to
explain a diagnostic. NOTE is a path inside the vault (or relative to the current folder).

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0, or 2 when the note cannot be read.`;

/** `canon tables NOTE`. */
export function runTables(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'tables');
  if (values.help) {
    output.out(TABLES_HELP);
    return 0;
  }
  const format = readFormat(values.format, 'tables');
  const [target, ...extra] = positionals;
  if (target === undefined || extra.length > 0) throw new CannotRun('expected exactly one NOTE; see `canon tables --help`');
  const root = resolve(values.vault ?? '.');
  const inVault = resolve(root, target);
  const full = existsSync(inVault) ? inVault : resolve(target);
  const path = relative(root, full).split('\\').join('/');
  if (!existsSync(full)) throw new CannotRun(`note \`${target}\` not found in the vault \`${values.vault ?? '.'}\``);
  const read = readRegular(full);
  if (!read.ok) throw new CannotRun(`note \`${target}\` cannot be read: ${read.code ? describeCause(Object.assign(new Error(read.why), { code: read.code })) : read.why}; expected a markdown file`);
  const note = parseNote(read.data.toString('utf8').replace(/^\uFEFF/, ''));
  const tables = note.tables.map((t) => ({
    section: t.heading?.text ?? null,
    line: t.line,
    header: t.header.cells.map((c) => c.text),
    rows: t.rows.map((r) => ({ line: r.line, cells: r.cells.map((c) => c.text) })),
  }));
  if (format === 'json') {
    output.out(json({ path, tables }));
    return 0;
  }
  const lines: string[] = [paint(output, 'bold', `${path}: ${tables.length} table${tables.length === 1 ? '' : 's'}`)];
  for (const t of tables) {
    lines.push('', `line ${t.line}${t.section === null ? '' : ` (section "${t.section}")`}: ${t.header.length} columns, ${t.rows.length} rows`);
    lines.push(`  ${String(t.line).padStart(5)}  ${t.header.join(' │ ')}`);
    for (const r of t.rows) {
      const flag = r.cells.length === t.header.length ? '' : paint(output, 'yellow', `  ← ${r.cells.length} cells, header has ${t.header.length}`);
      lines.push(`  ${String(r.line).padStart(5)}  ${r.cells.join(' │ ')}${flag}`);
    }
  }
  output.out(lines.join('\n'));
  return 0;
}
