/** What changed in the canonical tables since a session's baseline: the rows added, table by table. */
import type { ReadRow, BoundTable } from '../stack/bind-table';
import type { StackModel } from '../stack/model';
import { idColumn, type EntryKind } from '../schema/table-schema';
import { CHECKLIST_KEY, checklistStatus } from './baseline';
import type { Baseline, BaselineEntry } from './session-note';

/** A row added since the start, with the label proofs name it by (its id, date, name or first cell). */
export interface AddedRow {
  kind: EntryKind;
  /** The table's section name (`Rollout Windows`). */
  table: string;
  path: string;
  label: string;
  line: number;
  /** The row's cells by schema column name (plain text; absent columns left out). */
  fields: Record<string, string>;
  read: ReadRow;
}

/** Rows added per table kind, and whether the Checklist Status task list changed. */
export interface StackChanges {
  added: Map<EntryKind, AddedRow[]>;
  checklist: { changed: boolean; done: number; items: number; wasDone: number } | null;
}

/** The column a row is named by in proofs when its table has no id column. */
const LABEL_COLUMN: Partial<Record<EntryKind, string>> = { status: 'Date', lesson: 'Date', query: 'Name', trigger: 'Trigger' };

/** Compares the canonical tables with the baseline; a table the baseline does not know is left out. */
export function changesSince(model: StackModel, baseline: Baseline): StackChanges {
  const added = new Map<EntryKind, AddedRow[]>();
  for (const schema of model.preset.tables) {
    const entry = baseline[schema.kind];
    const bound = model.tables.get(schema.kind);
    if (!entry || !bound?.table) continue;
    const rows = addedRows(bound, entry);
    if (rows.length > 0) added.set(schema.kind, rows.map((read) => describe(bound, read)));
  }
  return { added, checklist: checklistChange(model, baseline[CHECKLIST_KEY]) };
}

function addedRows(bound: BoundTable, entry: BaselineEntry): ReadRow[] {
  const id = idColumn(bound.schema);
  if (id && entry.last === undefined) {
    const i = bound.schema.columns.indexOf(id);
    const max = entry.maxId ?? 0;
    return bound.rows.filter((r) => {
      const n = r.values[i];
      return typeof n === 'number' && n > max;
    });
  }
  if (entry.last !== undefined) {
    const texts = bound.rows.map((r) => bound.note.text.slice(r.row.from, r.row.to));
    const at = texts.lastIndexOf(entry.last);
    // The baseline's last row was edited or removed: fall back to the count.
    if (at >= 0) return bound.rows.slice(at + 1);
  }
  return bound.rows.slice(entry.rows);
}

function describe(bound: BoundTable, read: ReadRow): AddedRow {
  const id = idColumn(bound.schema);
  const name = id?.name ?? LABEL_COLUMN[bound.schema.kind];
  const i = name ? bound.schema.columns.findIndex((c) => c.name === name) : -1;
  const label = (i >= 0 ? read.cells[i]?.text : undefined) ?? read.row.cells[0]?.text ?? `line ${read.row.line}`;
  const fields: Record<string, string> = {};
  bound.schema.columns.forEach((c, k) => {
    const cell = read.cells[k];
    if (cell) fields[c.name] = cell.text;
  });
  return { kind: bound.schema.kind, table: bound.schema.section, path: bound.path, label: label.trim() || `line ${read.row.line}`, line: read.row.line, fields, read };
}

function checklistChange(model: StackModel, was: BaselineEntry | undefined): StackChanges['checklist'] {
  const now = checklistStatus(model);
  if (!was || !now) return null;
  const changed = now.rows !== was.rows || now.done !== was.done;
  return { changed, done: now.done ?? 0, items: now.rows, wasDone: was.done ?? 0 };
}
