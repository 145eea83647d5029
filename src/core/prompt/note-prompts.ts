/**
 * The meta prompt and the short prompt as the operating-model note holds them: the first fenced code
 * block under the heading that names each (operating model §8 "Meta prompt (copy/paste for AI
 * coder)", §9 "Short meta prompt (fast mode)").
 */
import type { Heading, ParsedNote } from '../markdown/types';
import { pathOf, type StackModel } from '../stack/model';
import { sectionKey } from '../stack/sections';

/** Which of the two prompts. */
export type PromptKind = 'meta' | 'short';

/** Where a prompt's text came from: the note (path and heading line) or the preset, with why the note's could not be used. */
export type PromptSource =
  | { from: 'note'; path: string; line: number }
  | { from: 'preset'; path: null; line: null; problem: string | null };

/** A prompt found in the note: its text (line endings LF, the fences left out) and where. */
export interface NotePrompt {
  text: string;
  source: PromptSource;
}

const SHORT = /\bshort (meta )?prompt\b/;

/**
 * Whether a heading names the prompt: below the note's title (level 2 or deeper, so a title such as
 * "Operating Model and Meta Prompt" does not count), its text holding "short meta prompt" or
 * "short prompt" for the short one, "meta prompt" (and not short) for the other. Any case; a leading
 * number such as `8)` is ignored.
 */
export function namesPrompt(heading: Heading, kind: PromptKind): boolean {
  if (heading.level < 2) return false;
  const key = sectionKey(heading.text);
  return kind === 'short' ? SHORT.test(key) : key.includes('meta prompt') && !SHORT.test(key);
}

interface Fence {
  char: string;
  length: number;
  indent: number;
}

const OPEN = /^( {0,3})(`{3,}|~{3,})(.*)$/;

function openingFence(line: string): Fence | null {
  const match = OPEN.exec(line);
  const marks = match?.[2];
  if (!match || !marks) return null;
  // A backtick fence's info string cannot hold a backtick (CommonMark), else the line is inline code.
  if (marks.startsWith('`') && (match[3] ?? '').includes('`')) return null;
  return { char: marks.charAt(0), length: marks.length, indent: (match[1] ?? '').length };
}

function closes(line: string, fence: Fence): boolean {
  const match = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
  const marks = match?.[1];
  return marks !== undefined && marks.charAt(0) === fence.char && marks.length >= fence.length;
}

/** The content of the first fenced code block in lines; null when there is none. An unclosed fence runs to the end. */
export function firstFencedBlock(lines: readonly string[]): string | null {
  for (let i = 0; i < lines.length; i++) {
    const fence = openingFence(lines[i] ?? '');
    if (!fence) continue;
    const body: string[] = [];
    for (let j = i + 1; j < lines.length && !closes(lines[j] ?? '', fence); j++) {
      const line = lines[j] ?? '';
      // Content loses as many leading spaces as the opening fence had (CommonMark).
      const strip = Math.min(fence.indent, line.length - line.trimStart().length);
      body.push(line.slice(strip));
    }
    return body.join('\n').replace(/\s+$/, '');
  }
  return null;
}

/** The lines of a heading's section: after the heading, before the next heading of the same or a higher level. */
function sectionLines(note: ParsedNote, heading: Heading): string[] {
  const next = note.headings.find((h) => h.line > heading.line && h.level <= heading.level);
  const from = note.lineStarts[heading.line] ?? note.text.length;
  const to = next ? (note.lineStarts[next.line - 1] ?? note.text.length) : note.text.length;
  return note.text.slice(from, to).split(/\r?\n/);
}

/** The prompt in a parsed operating-model note, or why there is none there. */
export function promptFromNote(note: ParsedNote, path: string, kind: PromptKind): NotePrompt | { problem: string | null } {
  const heading = note.headings.find((h) => namesPrompt(h, kind));
  if (!heading) return { problem: null };
  const text = firstFencedBlock(sectionLines(note, heading));
  if (text === null || text.trim() === '') {
    const what = text === null ? 'has no fenced code block' : 'has an empty fenced code block';
    return { problem: `${path}:${heading.line}: the section "${heading.text}" ${what}; expected the prompt between \`\`\` fences` };
  }
  return { text, source: { from: 'note', path, line: heading.line } };
}

/** The operating-model note's prompt of this kind; null (with a problem, when its section is there but unusable) otherwise. */
export function findNotePrompt(model: StackModel, kind: PromptKind): NotePrompt | { problem: string | null } {
  const path = pathOf(model, 'operating-model');
  const note = path === null ? undefined : model.notes.get(path);
  if (path === null || !note) return { problem: null };
  return promptFromNote(note, path, kind);
}
