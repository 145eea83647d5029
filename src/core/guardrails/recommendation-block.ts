/**
 * The evidence log's "Current Recommendation" block, which Canon owns: the guardrails' status and
 * recommendation, each trigger's reading and the newest window, between two HTML comment markers.
 * `canon guardrails --write` and a session close rewrite only the lines between the markers (and
 * the markers), adding the block at the end of the section, or the section at the end of the note,
 * when missing. Everything else in the section is the team's own prose, never touched.
 */
import type { ParsedNote } from '../markdown/types';
import { findSection } from '../stack/sections';
import type { TextEdit } from '../edit/text-edit';
import type { GuardrailReport, WindowRow } from './types';

export const RECOMMENDATION_SECTION = 'Current Recommendation';
export const BLOCK_START = '<!-- canon:recommendation -->';
export const BLOCK_END = '<!-- /canon:recommendation -->';

/** Where the block stands in a note: its first and last line (1-based) and its source offsets (whole lines, without the last line break). */
export interface BlockPlace {
  line: number;
  endLine: number;
  from: number;
  to: number;
  text: string;
}

/** Text from a cell, safe inside the block: no `<` that could open a comment or a marker (`&lt;` renders as `<`). */
function safe(text: string): string {
  return text.replace(/</g, '&lt;');
}

function formatMinute(date: Date | undefined): string | null {
  if (!date) return null;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The newest window in one line: `W-10 (2026-11-13 09:00 to 2026-11-13 17:00, traffic 25%, decision hold)`. */
function describeWindow(window: WindowRow): string {
  const parts: string[] = [];
  const start = formatMinute(window.start);
  const end = formatMinute(window.end);
  if (start && end) parts.push(`${start} to ${end}`);
  if (window.traffic !== undefined) parts.push(`traffic ${window.traffic}%`);
  if (window.decision) parts.push(`decision ${window.decision}`);
  return parts.length > 0 ? `${safe(window.id)} (${parts.join(', ')})` : safe(window.id);
}

/**
 * The block for a guardrail report and the newest window (markers included, lines joined by `eol`).
 * It holds nothing that changes without the notes changing (no time of writing), so a block that
 * differs from this one is stale.
 */
export function renderRecommendation(report: GuardrailReport, newest: WindowRow | null, eol = '\n'): string {
  const lines = [
    BLOCK_START,
    `**Guardrails: ${report.status}. Recommendation: ${report.recommendation}.** Written by Canon from the Rollback Triggers and Rollout Windows above; \`canon guardrails --write\` rewrites it.`,
    '',
    `Newest window: ${newest ? describeWindow(newest) : 'none yet'}.`,
    '',
  ];
  if (report.triggers.length === 0) lines.push('- No rollback triggers are written (gate G5 needs them).');
  // Each message ends with the trigger's status (`…: breach`).
  for (const t of report.triggers) lines.push(`- ${safe(t.trigger || t.metric)}: ${safe(t.message)}`);
  lines.push(BLOCK_END);
  return lines.join(eol);
}

/** The block in the note's Current Recommendation section, or null when the section has none. */
export function findRecommendationBlock(note: ParsedNote): BlockPlace | null {
  const heading = findSection(note, RECOMMENDATION_SECTION);
  if (!heading) return null;
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const lastLine = next ? next.line - 1 : note.lineStarts.length;
  let start = -1;
  for (let line = heading.line + 1; line <= lastLine; line++) {
    const text = lineText(note, line).trim();
    if (start < 0 && text === BLOCK_START) start = line;
    else if (start >= 0 && text === BLOCK_END) {
      const from = note.lineStarts[start - 1] ?? 0;
      const to = lineEnd(note, line);
      return { line: start, endLine: line, from, to, text: note.text.slice(from, to) };
    }
  }
  return null;
}

function lineText(note: ParsedNote, line: number): string {
  return note.text.slice(note.lineStarts[line - 1] ?? note.text.length, lineEnd(note, line));
}

/** Offset of the end of a 1-based line, before its line break. */
function lineEnd(note: ParsedNote, line: number): number {
  const next = note.lineStarts[line];
  if (next === undefined) return note.text.length;
  return note.text.charCodeAt(next - 2) === 13 ? next - 2 : next - 1;
}

/** Whether two blocks say the same (line breaks and trailing spaces aside). */
export function sameBlock(a: string, b: string): boolean {
  const norm = (t: string): string => t.split(/\r?\n/).map((l) => l.trimEnd()).join('\n');
  return norm(a) === norm(b);
}

/**
 * The splice that puts `block` in place: over the old block; else after the last non-blank line of
 * the Current Recommendation section; else a new section at the end of the note. Null when the
 * block already reads so.
 */
export function recommendationEdit(note: ParsedNote, block: string): TextEdit | null {
  const eol = note.eol;
  const place = findRecommendationBlock(note);
  if (place) return sameBlock(place.text, block) ? null : { from: place.from, to: place.to, insert: block };
  const heading = findSection(note, RECOMMENDATION_SECTION);
  const text = note.text;
  if (!heading) {
    const ending = text.length === 0 || text.endsWith('\n') ? '' : eol;
    return { from: text.length, to: text.length, insert: `${ending}${eol}## ${RECOMMENDATION_SECTION}${eol}${eol}${block}${eol}` };
  }
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  let last = next ? next.line - 1 : note.lineStarts.length;
  while (last > heading.line && lineText(note, last).trim() === '') last--;
  const at = lineEnd(note, last);
  const atEnd = at === text.length;
  // A blank line before the block; after it, the line break that ended the last line stays (or one is added at the end of the note).
  return { from: at, to: at, insert: `${eol}${eol}${block}${atEnd ? eol : ''}` };
}
