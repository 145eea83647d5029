import type { Heading, ParsedNote, Table } from '../markdown/types';

/** Section matching key: case-insensitive, whitespace collapsed, a leading number (`1)`, `3.`, `2.1`) ignored. */
export function sectionKey(text: string): string {
  return text
    .trim()
    .replace(/^\d+(?:\.\d+)*[.)]?\s+/, '')
    .replace(/\s+/g, ' ')
    .toLowerCase();
}

/** The first heading (any level) whose text names the section, or null. */
export function findSection(note: ParsedNote, name: string): Heading | null {
  const key = sectionKey(name);
  return note.headings.find((h) => sectionKey(h.text) === key) ?? null;
}

/** The first table after the heading and before the next heading of the same or a higher level. */
export function sectionTable(note: ParsedNote, heading: Heading): Table | null {
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const end = next ? next.line : Number.POSITIVE_INFINITY;
  return note.tables.find((t) => t.line > heading.line && t.line < end) ?? null;
}
