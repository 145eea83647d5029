/**
 * The merge of two versions of a canonical note that both added rows to its tables (README "Many machines, one vault"): ours'
 * rows, then theirs' new rows, theirs' new ids that collide renumbered to the next free ids, and every
 * reference to a renumbered id in theirs' additions renumbered too. Everything else in the note merges
 * line by line as git would; any overlap there, or a result that would not read as the same tables,
 * is refused, and the caller falls back to git's own merge.
 */
import { cellSpans, Spans } from '../markdown/table-row';
import { parseNote } from '../markdown/parse-note';
import type { ParsedNote } from '../markdown/types';
import type { Preset } from '../schema/preset';
import type { EntryKind, TableSchema } from '../schema/table-schema';
import type { Role } from '../stack/roles';
import { merge3 } from './diff3';
import { lineEnding, splitLines } from './lines';
import { idsIn, joinRenumberings, renumberIds, type Renumbering } from './renumber';
import { lineText, rowIds, tableLines, type TableLines } from './table-lines';

export interface MergeRequest {
  base: string;
  ours: string;
  theirs: string;
  /** The note's role: which canonical tables it holds. */
  role: Role;
  preset: Preset;
  /** How merging the other canonical notes renumbered their ids (a window's Notes naming a decision theirs added). */
  external?: Renumbering;
}

/** What merging did to one table. */
export interface TableMerge {
  kind: EntryKind;
  section: string;
  /** Rows ours added (kept in place), rows theirs added (put after them). */
  ours: number;
  theirs: number;
  /** Theirs' ids that collided, with the ids they were given (`D-6` → `D-8`). */
  renumbered: { from: string; to: string }[];
}

export type MergePlan =
  | {
      ok: true;
      text: string;
      tables: TableMerge[];
      /** Theirs' renumbered ids by prefix: what merging another note that names them needs. */
      renumbering: Renumbering;
      /** How many references in theirs' additions were renumbered (ids of this note and of others). */
      references: number;
      /** Id prefixes of other notes' tables that theirs' additions name: their renumbering may apply. */
      foreign: string[];
    }
  /** `appended`: whether either side appended rows (false: a plain line merge is all there is to do). */
  | { ok: false; appended: boolean; reason: string };

/** A side's rows appended after the base's last row of a table. */
interface Tail {
  /** 0-based line index of the first appended row in the side, and how many follow it. */
  first: number;
  count: number;
  /** The appended lines, with their endings. */
  lines: string[];
  /** The side's table (to read the appended rows' ids). */
  view: TableLines;
}

interface TableState {
  schema: TableSchema;
  base: TableLines | null;
  ours: Tail | null;
  theirs: Tail | null;
}

/** Plans the merge of ours and theirs; see the module comment. */
export function planMerge(request: MergeRequest): MergePlan {
  const { base, ours, theirs } = request;
  if ([base, ours, theirs].some(hasLoneCr)) return refuse(false, 'a version has a lone carriage return as a line break');
  const schemas = request.preset.tables.filter((t) => t.role === request.role);
  const notes = { base: parseNote(base), ours: parseNote(ours), theirs: parseNote(theirs) };
  const states: TableState[] = schemas.map((schema) => {
    const inBase = tableLines(notes.base, schema);
    const known = baseRows(inBase);
    return { schema, base: inBase, ours: tailOf(notes.base, inBase, known, notes.ours, schema), theirs: tailOf(notes.base, inBase, known, notes.theirs, schema) };
  });
  if (states.every((s) => !s.ours && !s.theirs)) return refuse(false, 'neither side appended rows to a canonical table');

  const merged = merge3(splitLines(base), withoutTails(ours, states, 'ours'), withoutTails(theirs, states, 'theirs'));
  if (!merged.ok) {
    return refuse(true, merged.tooLarge
      ? 'the two versions differ in too many lines to merge row by row'
      : `both sides changed ${describeLines(merged.baseFrom, merged.baseTo)} of the common version`);
  }
  const lines: string[] = [];
  const fromTheirs: number[] = [];
  for (const chunk of merged.chunks) {
    for (const line of chunk.lines) {
      if (chunk.origin === 'theirs') fromTheirs.push(lines.length);
      lines.push(line);
    }
  }
  const mergedNote = parseNote(lines.join(''));
  if (mergedNote.lineStarts.length !== lines.length + 1 && mergedNote.lineStarts.length !== lines.length) {
    return refuse(true, 'the merged note does not split into lines as its versions do');
  }

  const numbering = renumberTheirs(states, mergedNote);
  if (typeof numbering === 'string') return refuse(true, numbering);
  const renumbering = joinRenumberings(numbering.renumbering, request.external ?? new Map());
  let references = 0;
  const ownPrefixes = new Set(states.flatMap((s) => (s.base?.prefix ? [s.base.prefix] : [])));
  const foreign = new Set<string>();
  // An id the common version already names is not one theirs added: its note's merge cannot have renumbered it.
  let known: Set<string> | null = null;
  const rewrite = (line: string): string => {
    for (const id of idsIn(line)) {
      if (ownPrefixes.has(id.prefix) || !isIdPrefix(request.preset, id.prefix)) continue;
      known ??= new Set(idsIn(base).map((k) => `${k.prefix}-${k.n}`));
      if (!known.has(`${id.prefix}-${id.n}`)) foreign.add(id.prefix);
    }
    const out = renumberIds(line, renumbering);
    references += out.count;
    return out.text;
  };
  for (const at of fromTheirs) lines[at] = rewrite(lines[at] as string);

  // Tails go in from the last table up, so that the line indexes of the tables above stay as they are.
  const placed = numbering.placed.sort((a, b) => b.after - a.after);
  for (const { state, after } of placed) {
    const assigned = numbering.assigned.get(state);
    const theirsLines = (state.theirs?.lines ?? []).map((line, k) => rewriteRow(line, state.theirs?.view.idAt ?? -1, state.base?.prefix ?? null, assigned?.[k] ?? null, rewrite));
    insertRows(lines, after, [...(state.ours?.lines ?? []), ...theirsLines], mergedNote.eol);
  }
  const text = lines.join('');
  const problem = resultProblem(text, states, notes, numbering.expected);
  if (problem) return refuse(true, problem);
  return { ok: true, text, tables: numbering.tables, renumbering: numbering.renumbering, references: Math.max(0, references), foreign: [...foreign].sort() };
}

function refuse(appended: boolean, reason: string): MergePlan {
  return { ok: false, appended, reason };
}

function hasLoneCr(text: string): boolean {
  for (let at = text.indexOf('\r'); at >= 0; at = text.indexOf('\r', at + 1)) if (text.charCodeAt(at + 1) !== 10) return true;
  return false;
}

function isIdPrefix(preset: Preset, prefix: string): boolean {
  return preset.tables.some((t) => t.columns.some((c) => c.type.kind === 'id' && c.type.prefix === prefix));
}

function describeLines(from: number, to: number): string {
  if (to <= from) return `the place after line ${from}`;
  return to - from === 1 ? `line ${from + 1}` : `lines ${from + 1}–${to}`;
}

/**
 * The rows a side appended to a table: those after the base's last row, when there are more rows
 * than the base had, none of them is one of the base's rows, and the header is the base's. Rows
 * inserted higher up, or a table reshaped, are not a tail: they merge (or conflict) line by line.
 */
function tailOf(baseNote: ParsedNote, base: TableLines | null, known: () => Set<string>, note: ParsedNote, schema: TableSchema): Tail | null {
  if (!base) return null;
  const side = tableLines(note, schema);
  if (!side) return null;
  const n = base.rowLines.length;
  const m = side.rowLines.length;
  if (m <= n || headerText(note, side) !== headerText(baseNote, base)) return null;
  for (let k = n; k < m; k++) if (known().has(side.rowText(k))) return null;
  const first = side.rowLines[n] as number;
  const from = note.lineStarts[first] ?? note.text.length;
  const end = note.lineStarts[first + (m - n)];
  return { first, count: m - n, lines: splitLines(note.text.slice(from, end === undefined ? note.text.length : end)), view: side };
}

/** The base table's rows' texts, made when first asked for (and once for both sides). */
function baseRows(base: TableLines | null): () => Set<string> {
  let set: Set<string> | null = null;
  return () => {
    if (!set) {
      set = new Set<string>();
      for (let k = 0; k < (base?.rowLines.length ?? 0); k++) set.add(base?.rowText(k) ?? '');
    }
    return set;
  };
}

function headerText(note: ParsedNote, view: TableLines): string {
  return `${lineText(note, view.table.header.line - 1).trim()}\n${lineText(note, view.delimiterLine).trim()}`;
}

/** A side's lines without its tails; a tail that ended the file without a line break takes the one before it too. */
function withoutTails(text: string, states: readonly TableState[], side: 'ours' | 'theirs'): string[] {
  const lines = splitLines(text);
  const tails = states.flatMap((s) => (s[side] ? [s[side]] : [])).sort((a, b) => b.first - a.first);
  for (const tail of tails) {
    const last = lines[tail.first + tail.count - 1] ?? '';
    lines.splice(tail.first, tail.count);
    const before = lines[tail.first - 1];
    if (lineEnding(last) === '' && before !== undefined && tail.first === lines.length) lines[tail.first - 1] = before.slice(0, before.length - lineEnding(before).length);
  }
  return lines;
}

interface Numbering {
  renumbering: Map<string, Map<number, number>>;
  tables: TableMerge[];
  /** Where each table's tails go: after this 0-based line of the merged lines. */
  placed: { state: TableState; after: number }[];
  /** For each table, the id each of theirs' appended rows is given (null: its own). */
  assigned: Map<TableState, (number | null)[]>;
  /** For each table with ids, every row's id as the merged table must read (NaN for a row without one). */
  expected: Map<TableState, number[]>;
}

/**
 * Theirs' appended ids, against every id the merged table and ours' appended rows hold: an id that is
 * not above all of them is given the next free one, so ids stay unique and increasing down the table.
 */
function renumberTheirs(states: readonly TableState[], merged: ParsedNote): Numbering | string {
  const out: Numbering = { renumbering: new Map(), tables: [], placed: [], assigned: new Map(), expected: new Map() };
  for (const state of states) {
    if (!state.ours && !state.theirs) continue;
    const view = tableLines(merged, state.schema);
    if (!view) return `the ${state.schema.section} table does not read as a table once the other lines are merged`;
    const after = view.rowLines.length > 0 ? (view.rowLines[view.rowLines.length - 1] as number) : view.delimiterLine;
    out.placed.push({ state, after });
    const report: TableMerge = { kind: state.schema.kind, section: state.schema.section, ours: state.ours?.count ?? 0, theirs: state.theirs?.count ?? 0, renumbered: [] };
    out.tables.push(report);
    const prefix = view.prefix;
    if (prefix === null) continue;
    let max = 0;
    const used = new Set<number>();
    const take = (n: number): void => {
      used.add(n);
      if (n > max) max = n;
    };
    const expected = rowIds(view);
    out.expected.set(state, expected);
    for (const n of expected) if (!Number.isNaN(n)) take(n);
    if (state.ours) {
      for (const n of appendedIds(state.ours)) {
        expected.push(n);
        if (!Number.isNaN(n)) take(n);
      }
    }
    if (!state.theirs) continue;
    const map = new Map<number, number>();
    const assigned: (number | null)[] = [];
    out.assigned.set(state, assigned);
    for (const n of appendedIds(state.theirs)) {
      if (Number.isNaN(n) || (n > max && !used.has(n))) {
        if (!Number.isNaN(n)) take(n);
        expected.push(n);
        assigned.push(null);
        continue;
      }
      const to = max + 1;
      // A reference names the first of theirs' rows with that id (a doubled id in theirs is theirs' own problem).
      if (!map.has(n)) map.set(n, to);
      report.renumbered.push({ from: `${prefix}-${n}`, to: `${prefix}-${to}` });
      expected.push(to);
      assigned.push(to);
      take(to);
    }
    if (map.size > 0) out.renumbering.set(prefix, map);
  }
  return out;
}

/** The ids of a tail's rows, in order (NaN for a row whose id cell does not read). */
function appendedIds(tail: Tail): number[] {
  return rowIds(tail.view, tail.view.rowLines.length - tail.count);
}

/**
 * One of theirs' appended rows as merged: its id cell given its new id (when it has one), and the
 * references in its other cells renumbered (`rewrite`). The id cell is spliced by position, so a row
 * renumbered D-6 → D-7 is not renumbered again by a D-7 → D-8 of the row after it.
 */
function rewriteRow(line: string, idAt: number, prefix: string | null, to: number | null, rewrite: (text: string) => string): string {
  if (to === null || prefix === null || idAt < 0) return rewrite(line);
  const body = line.slice(0, line.length - lineEnding(line).length);
  const n = cellSpans(body, containerPrefix(body), body.length, SPANS);
  if (idAt >= n) return rewrite(line);
  const from = SPANS.data[2 * idAt] as number;
  const end = SPANS.data[2 * idAt + 1] as number;
  const cell = body.slice(from, end).replace(new RegExp(`\\b${prefix}-\\d+\\b`), `${prefix}-${to}`);
  return rewrite(body.slice(0, from)) + cell + rewrite(line.slice(end));
}

/** Puts rows after line `after` of `lines` (a note's lines with their endings); a last line without a line break gets one, and the rows end the file as it did. */
export function insertRows(lines: string[], after: number, rows: readonly string[], eol: string): void {
  if (rows.length === 0) return;
  const last = lines[after] ?? '';
  const atEnd = lineEnding(last) === '' && after === lines.length - 1;
  const body = rows.map((row, i) => {
    const own = lineEnding(row);
    if (atEnd && i === rows.length - 1) return row.slice(0, row.length - own.length);
    return own === '' ? row + eol : row;
  });
  if (atEnd) lines[after] = last + eol;
  lines.splice(after + 1, 0, ...body);
}

const SPANS = new Spans();

/** Where a row's own text starts: after a container's prefix (`> `, a list item's indentation). */
function containerPrefix(line: string): number {
  return /^(?:[ \t]*>)*[ \t]*/.exec(line)?.[0].length ?? 0;
}

/**
 * Why the merged note does not read as the same tables, or null: every table of ours is still found,
 * each holds the rows merged and appended, every appended row has the header's cells, and every row
 * holds the id planned for it (so none is doubled that was not doubled before).
 */
function resultProblem(text: string, states: readonly TableState[], notes: { ours: ParsedNote }, expected: ReadonlyMap<TableState, number[]>): string | null {
  const result = parseNote(text);
  for (const state of states) {
    const inOurs = tableLines(notes.ours, state.schema);
    const view = tableLines(result, state.schema);
    if (inOurs && !view) return `the ${state.schema.section} table would not read as a table after the merge`;
    if (!view || (!state.ours && !state.theirs)) continue;
    const appended = (state.ours?.count ?? 0) + (state.theirs?.count ?? 0);
    const rows = view.rowLines.length;
    for (let j = rows - appended; j < rows; j++) {
      const line = view.rowLines[j];
      if (line === undefined || j < 0) return `the ${state.schema.section} table would lose rows in the merge`;
      const body = lineText(result, line);
      if (cellSpans(body, containerPrefix(body), body.length, SPANS) !== view.width) return `row ${j + 1} of ${state.schema.section} would not have the header's ${view.width} cells after the merge`;
    }
    const ids = expected.get(state);
    if (ids) {
      const got = rowIds(view);
      const same = got.length === ids.length && got.every((n, j) => n === ids[j] || (Number.isNaN(n) && Number.isNaN(ids[j] as number)));
      if (!same) return `the ${state.schema.section} table would not hold the ids planned for its rows after the merge`;
    }
  }
  return null;
}
