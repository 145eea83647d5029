/** The session close checklist: the operating model's own, else the preset's seven items. */
import type { ParsedNote } from '../markdown/types';
import { pathOf, type StackModel } from '../stack/model';
import { sectionKey } from '../stack/sections';
import { PHASE_A_SESSION_CHECKLIST } from '../stack/templates';
import { sectionList } from './list-items';

/** Where the checklist came from: the note (path, heading line) or the preset. */
export interface ChecklistSource {
  items: string[];
  source: 'note' | 'preset';
  path: string | null;
  line: number | null;
}

/** The heading text that marks the checklist section (contained in the heading, any case). */
export const CHECKLIST_HEADING = 'session close checklist';

/** The items of the first list under a heading containing "session close checklist", from the note given. */
export function checklistFromNote(note: ParsedNote): { items: string[]; line: number } | null {
  const heading = note.headings.find((h) => sectionKey(h.text).includes(CHECKLIST_HEADING));
  if (!heading) return null;
  const items = sectionList(note, heading).map((i) => i.text).filter((t) => t !== '');
  return items.length > 0 ? { items, line: heading.line } : null;
}

/** The operating model note's checklist; the preset's when that note, its section or its list is absent. */
export function readChecklist(model: StackModel): ChecklistSource {
  const path = pathOf(model, 'operating-model');
  const note = path ? model.notes.get(path) : undefined;
  const found = note ? checklistFromNote(note) : null;
  if (path && found) return { items: found.items, source: 'note', path, line: found.line };
  return { items: [...PHASE_A_SESSION_CHECKLIST], source: 'preset', path: null, line: null };
}
