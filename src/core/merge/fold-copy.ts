/**
 * Folding a sync service's conflict copy back into its canonical note (README "Many machines, one vault", `canon merge --copy`):
 * the copy's rows the note lacks are appended to their tables by the rules of a merge (the common
 * rows are the base; the copy's extra rows are theirs, renumbered when their ids are taken, with the
 * references among them), a folded decision's Supersedes marks the older decision `superseded` as
 * `canon add` does, and whatever else the copy holds that the note does not is listed, so that the
 * copy is removed only when nothing is left in it.
 */
import { supersedeEdits } from '../edit/row-cells';
import { pipeStyle } from '../edit/row-text';
import { applyEdits, type TextEdit } from '../edit/text-edit';
import { rowsOf } from '../markdown/table-row';
import { parseNote } from '../markdown/parse-note';
import type { ParsedNote } from '../markdown/types';
import type { LinkRef } from '../schema/cell-type';
import type { Preset } from '../schema/preset';
import { findColumn, type TableSchema } from '../schema/table-schema';
import { bindTable, columnIndex } from '../stack/bind-table';
import type { Role } from '../stack/roles';
import { splitLines } from './lines';
import { insertRows, planMerge, type TableMerge } from './merge-note';
import { lineText, tableLines, type TableLines } from './table-lines';

export interface FoldRequest {
  /** The canonical note's text and the copy's. */
  canonical: string;
  copy: string;
  role: Role;
  preset: Preset;
  /** The canonical note's path (for the rows it reports). */
  path: string;
}

/** A cell of an older row the fold changed: a decision a folded one supersedes. */
export interface FoldChange {
  line: number;
  id: string | null;
  column: string;
  from: string;
  to: string;
}

export type FoldPlan =
  | {
      ok: true;
      /** The canonical note as folded (its text unchanged when the copy adds nothing). */
      text: string;
      /** Per table: the rows folded in (`theirs`) and the ids they were given. */
      tables: TableMerge[];
      /** Where each folded row now stands in the canonical note (1-based line), its table's section and its cells' plain texts. */
      rows: { section: string; line: number; cells: string[] }[];
      changed: FoldChange[];
      /** What only the copy holds that the fold did not bring over, one sentence each. Empty: the copy can go. */
      left: string[];
    }
  | { ok: false; reason: string };

/** Plans the fold; see the module comment. */
export function planFold(request: FoldRequest): FoldPlan {
  const note = parseNote(request.canonical);
  const copy = parseNote(request.copy);
  const schemas = request.preset.tables.filter((t) => t.role === request.role);
  const left: string[] = [];
  const extras = new Map<TableSchema, { view: TableLines; lines: string[] }>();
  const edited: { schema: TableSchema; key: string; copyLine: number; noteLine: number }[] = [];
  const copyLines = splitLines(request.copy);
  for (const schema of schemas) {
    const inCopy = tableLines(copy, schema);
    if (!inCopy || inCopy.rowLines.length === 0) continue;
    const inNote = tableLines(note, schema);
    if (!inNote) {
      left.push(`the copy's ${schema.section} table has ${inCopy.rowLines.length} rows, but the note has no ${schema.section} table`);
      continue;
    }
    const noteCells = rowCells(inNote);
    const copyCells = rowCells(inCopy);
    if (headerKeyOf(inNote) !== headerKeyOf(inCopy)) {
      left.push(`the copy's ${schema.section} table has other columns than the note's (${lineText(copy, inCopy.table.header.line - 1).trim()})`);
      continue;
    }
    const rows = new Set(noteCells.map((c) => c.join('\u0000')));
    const identities = new Map(noteCells.map((c, j) => [identityOf(schema, inNote, c), j]));
    const extra: string[] = [];
    copyCells.forEach((cells, j) => {
      const key = cells.join('\u0000');
      if (rows.has(key)) return;
      const same = identities.get(identityOf(schema, inCopy, cells));
      // The same row (same id, date and text) with another Status or Notes: an edit, not a new row.
      if (same !== undefined) edited.push({ schema, key, copyLine: (inCopy.rowLines[j] as number) + 1, noteLine: (inNote.rowLines[same] as number) + 1 });
      else extra.push(copyLines[inCopy.rowLines[j] as number] ?? '');
    });
    if (extra.length > 0) extras.set(schema, { view: inNote, lines: extra });
  }

  let text = request.canonical;
  let tables: TableMerge[] = [];
  const rows: { section: string; line: number; cells: string[] }[] = [];
  const changed: FoldChange[] = [];
  if (extras.size > 0) {
    const merged = planMerge({ base: request.canonical, ours: request.canonical, theirs: withRows(request.canonical, extras), role: request.role, preset: request.preset });
    if (!merged.ok) return { ok: false, reason: merged.reason };
    tables = merged.tables.filter((t) => t.theirs > 0);
    const folded = parseNote(merged.text);
    for (const t of tables) {
      const view = tableLines(folded, schemas.find((s) => s.kind === t.kind) as TableSchema);
      if (!view) continue;
      const cells = rowCells(view);
      for (let j = view.rowLines.length - t.theirs; j < view.rowLines.length; j++) rows.push({ section: t.section, line: (view.rowLines[j] as number) + 1, cells: cells[j] ?? [] });
    }
    text = supersede(merged.text, folded, schemas, tables, request.path, changed);
  }
  left.push(...stillOnlyInCopy(parseNote(text), edited), ...otherLines(note, copy, schemas));
  return { ok: true, text, tables, rows, changed, left };
}

/** The canonical note with each table's extra rows appended after its last row. */
function withRows(text: string, extras: ReadonlyMap<TableSchema, { view: TableLines; lines: string[] }>): string {
  const lines = splitLines(text);
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const order = [...extras.values()].sort((a, b) => lastLine(b.view) - lastLine(a.view));
  for (const { view, lines: rows } of order) insertRows(lines, lastLine(view), rows, eol);
  return lines.join('');
}

function lastLine(view: TableLines): number {
  return view.rowLines.length > 0 ? (view.rowLines[view.rowLines.length - 1] as number) : view.delimiterLine;
}

/** Each row's cells as plain text, trimmed. */
function rowCells(view: TableLines): string[][] {
  const access = rowsOf(view.table);
  const out: string[][] = [];
  for (let j = 0; j < access.length; j++) {
    const cells: string[] = [];
    for (let k = 0; k < view.width; k++) cells.push((access.text(j, k) ?? '').trim());
    out.push(cells);
  }
  return out;
}

function headerKeyOf(view: TableLines): string {
  return view.table.header.cells.map((c) => c.text.trim().toLowerCase()).join('\u0000');
}

/**
 * What makes a row the same row when some of its cells were edited: every cell but a status or
 * decision word, links and optional notes (a decision superseded since, a window's Notes added to).
 */
function identityOf(schema: TableSchema, view: TableLines, cells: readonly string[]): string {
  return view.table.header.cells
    .map((h, k) => {
      const column = findColumn(schema, h.text);
      if (!column || column.type.kind === 'enum' || column.type.kind === 'links' || (column.optional && column.type.kind === 'text')) return '';
      return cells[k] ?? '';
    })
    .join('\u0000');
}

/** Marks `superseded` the decisions the folded decisions supersede, as `canon add` does. */
function supersede(text: string, note: ParsedNote, schemas: readonly TableSchema[], tables: readonly TableMerge[], path: string, changed: FoldChange[]): string {
  const schema = schemas.find((s) => s.kind === 'decision');
  const decisions = tables.find((t) => t.kind === 'decision');
  if (!schema || !decisions) return text;
  const bound = bindTable(schema, path, note, []);
  if (!bound.table) return text;
  const padded = pipeStyle(note, bound.table).padded;
  const links = columnIndex(schema, 'Supersedes');
  const edits: TextEdit[] = [];
  for (const read of bound.rows.slice(bound.rows.length - decisions.theirs)) {
    const plan = supersedeEdits(bound, read.values[links] as LinkRef[] | undefined, padded, read);
    for (const edit of plan.edits) if (!edits.some((e) => e.from === edit.from)) edits.push(edit);
    for (const c of plan.changed) if (!changed.some((x) => x.line === c.line)) changed.push({ line: c.line, id: c.id, column: c.column, from: c.from, to: c.to });
  }
  return edits.length > 0 ? applyEdits(text, edits) : text;
}

/** The copy's edited rows that the folded note still does not hold as the copy has them. */
function stillOnlyInCopy(folded: ParsedNote, edited: readonly { schema: TableSchema; key: string; copyLine: number; noteLine: number }[]): string[] {
  const keys = new Map<TableSchema, Set<string>>();
  const out: string[] = [];
  for (const e of edited) {
    let set = keys.get(e.schema);
    if (!set) {
      const view = tableLines(folded, e.schema);
      set = new Set(view ? rowCells(view).map((c) => c.join('\u0000')) : []);
      keys.set(e.schema, set);
    }
    if (!set.has(e.key)) out.push(`line ${e.copyLine} of the copy is the ${e.schema.section} row on line ${e.noteLine} of the note, changed differently; compare them and keep what is right`);
  }
  return out;
}

/** Lines outside the canonical tables' rows that the copy has and the note does not (frontmatter and text). */
function otherLines(note: ParsedNote, copy: ParsedNote, schemas: readonly TableSchema[]): string[] {
  const outside = (parsed: ParsedNote): { line: number; text: string }[] => {
    const rowLines = new Set<number>();
    for (const schema of schemas) for (const line of tableLines(parsed, schema)?.rowLines ?? []) rowLines.add(line);
    const out: { line: number; text: string }[] = [];
    for (let i = 0; i < parsed.lineStarts.length; i++) if (!rowLines.has(i)) out.push({ line: i + 1, text: lineText(parsed, i).trimEnd() });
    // A last empty line (the text ended with a line break) says nothing.
    while (out.length > 0 && out[out.length - 1]?.text === '') out.pop();
    return out;
  };
  const mine = outside(note);
  const theirs = outside(copy);
  const known = new Set(mine.map((l) => l.text));
  const first = theirs.find((l) => !known.has(l.text));
  if (!first && mine.length === theirs.length && mine.every((l, i) => l.text === theirs[i]?.text)) return [];
  const at = first ?? theirs.find((l, i) => l.text !== mine[i]?.text) ?? theirs[theirs.length - 1];
  const shown = at ? (at.text.length > 60 ? `${at.text.slice(0, 57)}…` : at.text) : '';
  return [`the copy's text outside the tables differs from the note's${at ? ` (from line ${at.line}: \`${shown}\`)` : ''}; compare them and keep what is right`];
}
