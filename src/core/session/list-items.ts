/** The first markdown list of a section (bulleted or numbered, task boxes optional), item by item. */
import type { Heading, ParsedNote } from '../markdown/types';

/** One top-level item of the list. */
export interface ListItem {
  /** The item's text as written (markup kept), task box removed, continuation lines joined by a space. */
  text: string;
  /** `[x]` → true, `[ ]` → false, no task box → null. */
  checked: boolean | null;
  line: number;
}

// `(?![ \t])`: the text starts after all the spaces, so a line whose text fails `.*$` (a lone `\r` or
// U+2028 in it) is not retried with fewer spaces, which is quadratic on a long run of them.
const MARKER = /^( {0,3})([-*+]|\d{1,9}[.)])(?:[ \t]+(?![ \t])(.*))?$/;
const TASK = /^\[([ xX])\](?:[ \t]+|$)/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/** The lines of a heading's section: after the heading, before the next heading of the same or a higher level. */
function sectionLines(note: ParsedNote, heading: Heading): { text: string; line: number }[] {
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const endLine = next ? next.line - 1 : note.lineStarts.length;
  const out: { text: string; line: number }[] = [];
  for (let line = heading.line + 1; line <= endLine; line++) {
    const from = note.lineStarts[line - 1];
    if (from === undefined) break;
    const to = note.lineStarts[line] ?? note.text.length;
    out.push({ text: note.text.slice(from, to).replace(/\r?\n$/, ''), line });
  }
  return out;
}

/** Top-level items of the first list in the section; nested lists and fenced code are skipped. */
export function sectionList(note: ParsedNote, heading: Heading): ListItem[] {
  const items: ListItem[] = [];
  // Each item's text and continuation lines, joined once at the end (joining line by line is quadratic).
  const parts: string[][] = [];
  let fence: string | null = null;
  let ordered: boolean | null = null;
  let indent = 0;
  for (const { text, line } of sectionLines(note, heading)) {
    const fenceMark = FENCE.exec(text)?.[1];
    if (fence !== null) {
      if (fenceMark && fenceMark.charAt(0) === fence.charAt(0) && fenceMark.length >= fence.length) fence = null;
      continue;
    }
    if (fenceMark && ordered === null) { fence = fenceMark; continue; }
    const m = MARKER.exec(text);
    const isOrdered = m ? /\d/.test(m[2] ?? '') : null;
    if (m && (ordered === null || (isOrdered === ordered && (m[1] ?? '').length <= indent))) {
      ordered = isOrdered;
      indent = (m[1] ?? '').length;
      const read = item(m[3] ?? '', line);
      items.push(read);
      parts.push([read.text]);
      continue;
    }
    if (ordered === null || text.trim() === '') continue;
    if (text.length - text.trimStart().length <= indent) break;
    const last = parts[parts.length - 1];
    if (last && !MARKER.test(text.trimStart())) last.push(text.trim());
  }
  items.forEach((it, i) => {
    const lines = parts[i] ?? [];
    if (lines.length > 1) it.text = lines.filter((l) => l !== '').join(' ');
  });
  return items;
}

function item(content: string, line: number): ListItem {
  const task = TASK.exec(content);
  if (!task) return { text: content.trim(), checked: null, line };
  return { text: content.slice(task[0].length).trim(), checked: task[1] !== ' ', line };
}
