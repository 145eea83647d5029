/** The trigger matrix: the operating model's "If you change… / You must update…" table, else the preset's. */
import type { ParsedNote, Table } from '../markdown/types';
import { pathOf, type StackModel } from '../stack/model';
import { PHASE_A_TRIGGER_MATRIX, type TriggerMatrixRow } from '../stack/templates';

/** The matrix and where it came from. */
export interface MatrixSource {
  rows: TriggerMatrixRow[];
  source: 'note' | 'preset';
  path: string | null;
  line: number | null;
}

/** A header names the matrix when its first cell speaks of a change and its second of an update. */
function isMatrix(table: Table): boolean {
  const [first, second] = table.header.cells.map((c) => c.text.toLowerCase());
  return first !== undefined && second !== undefined && first.includes('change') && second.includes('update');
}

/** Cell source as written (backticks kept, as the preset writes them), with escaped pipes resolved. */
function cellSource(raw: string): string {
  return raw.replace(/\\\|/g, '|').trim();
}

/** The first table of the note whose header matches, as rows; null when there is none or it is empty. */
export function matrixFromNote(note: ParsedNote): { rows: TriggerMatrixRow[]; line: number } | null {
  const table = note.tables.find(isMatrix);
  if (!table) return null;
  const rows = table.rows
    .map((r) => ({ change: cellSource(r.cells[0]?.raw ?? ''), update: cellSource(r.cells[1]?.raw ?? '') }))
    .filter((r) => r.change !== '' && r.update !== '');
  return rows.length > 0 ? { rows, line: table.line } : null;
}

/** The operating model's trigger matrix; the preset's when that note or its table is absent. */
export function readTriggerMatrix(model: StackModel): MatrixSource {
  const path = pathOf(model, 'operating-model');
  const note = path ? model.notes.get(path) : undefined;
  const found = note ? matrixFromNote(note) : null;
  if (path && found) return { rows: found.rows, source: 'note', path, line: found.line };
  return { rows: PHASE_A_TRIGGER_MATRIX.map((r) => ({ ...r })), source: 'preset', path: null, line: null };
}
