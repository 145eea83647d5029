/** The canonical tables as they stand when a session starts: counts and ids, never file times. */
import { nextId } from '../edit/append-entry';
import type { BoundTable } from '../stack/bind-table';
import { pathOf, type StackModel } from '../stack/model';
import { findSection } from '../stack/sections';
import { idColumn } from '../schema/table-schema';
import { sectionList } from './list-items';
import type { Baseline, BaselineEntry } from './session-note';

/** The key of the control center's Checklist Status task list in a baseline. */
export const CHECKLIST_KEY = 'checklist';

/** The control center section whose task list is part of the baseline. */
export const CHECKLIST_STATUS_SECTION = 'Checklist Status';

/** A table's baseline: its row count, and its largest id or its last row's source text. */
export function tableBaseline(bound: BoundTable | undefined): BaselineEntry {
  if (!bound?.table) return { rows: 0 };
  const rows = bound.rows.length;
  if (idColumn(bound.schema)) return { rows, maxId: nextId(bound) - 1 };
  const last = bound.rows[rows - 1]?.row;
  return last ? { rows, last: bound.note.text.slice(last.from, last.to) } : { rows };
}

/** The control center's Checklist Status task list: item count and ticked count; undefined without one. */
export function checklistStatus(model: StackModel): BaselineEntry | undefined {
  const path = pathOf(model, 'control-center');
  const note = path ? model.notes.get(path) : undefined;
  const heading = note ? findSection(note, CHECKLIST_STATUS_SECTION) : null;
  if (!note || !heading) return undefined;
  const items = sectionList(note, heading);
  return { rows: items.length, done: items.filter((i) => i.checked === true).length };
}

/** Takes the baseline of every canonical table of the preset (and the Checklist Status list). */
export function takeBaseline(model: StackModel): Baseline {
  const baseline: Baseline = {};
  for (const schema of model.preset.tables) baseline[schema.kind] = tableBaseline(model.tables.get(schema.kind));
  const checklist = checklistStatus(model);
  if (checklist) baseline[CHECKLIST_KEY] = checklist;
  return baseline;
}
