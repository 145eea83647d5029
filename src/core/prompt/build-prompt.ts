/**
 * The coder prompt `canon prompt` prints and the plugin copies (README "Command line"): the operating-model note's
 * meta prompt or short prompt (the preset's text when the note has none), with the objective, the
 * vault's note names and the program's name filled in, then what Canon knows of the open session.
 */
import { pathOf, type StackModel } from '../stack/model';
import type { Role } from '../stack/roles';
import { renderShortMetaPrompt } from '../stack/short-prompt';
import { OBJECTIVE_PLACEHOLDER, PHASE_A_FILE_NAMES, PHASE_A_PROGRAM, renderMetaPrompt } from '../stack/templates';
import { findNotePrompt, type PromptKind, type PromptSource } from './note-prompts';
import { programName, type ProgramName } from './program-name';
import { promptContext, renderContext, type PromptContext, type PromptSession } from './prompt-context';

/** What the prompt is built from besides the stack. */
export interface PromptRequest {
  /** The short prompt (fast mode) instead of the meta prompt. */
  short?: boolean;
  /** The objective to fill in; absent or blank: the open session's. */
  objective?: string;
  /** The open session, read by the caller; null or absent: no context block. */
  session?: PromptSession | null;
  /** The names the prompt gives each role's note; absent: the notes' vault paths. */
  notes?: Partial<Record<Role, string>>;
}

/** The prompt and what it was made of (`canon prompt --format json`). */
export interface BuiltPrompt {
  text: string;
  kind: PromptKind;
  source: PromptSource;
  program: ProgramName;
  objective: string | null;
  /** The open session's context appended to the text; null when no session is open. */
  session: PromptContext | null;
}

/** What the preset's text leaves to fill in, and what each becomes. */
interface Fill {
  objective: string | null;
  program: string;
  notes: Partial<Record<Role, string>>;
}

const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A prompt text with the preset's stand-ins replaced, in one pass (so a filled-in name is never
 * replaced again): `[INSERT CURRENT OBJECTIVE]` by the objective, the preset's file names by the
 * vault's notes, the word `DraganCorp` by the program's name. Without the placeholder, the objective
 * is put first as `Objective: …`. Whatever else the team wrote stays as written.
 */
export function fillPrompt(text: string, fill: Fill): string {
  const swaps = new Map<string, string>();
  if (fill.objective !== null) swaps.set(OBJECTIVE_PLACEHOLDER, fill.objective);
  for (const [role, name] of Object.entries(PHASE_A_FILE_NAMES) as [Role, string][]) {
    const own = fill.notes[role];
    if (own !== undefined && own !== name) swaps.set(name, own);
  }
  const alternatives = [...swaps.keys()].sort((a, b) => b.length - a.length).map(escape);
  if (fill.program !== PHASE_A_PROGRAM) alternatives.push(`\\b${escape(PHASE_A_PROGRAM)}\\b`);
  const filled = alternatives.length === 0 ? text : text.replace(new RegExp(alternatives.join('|'), 'g'), (found) => swaps.get(found) ?? fill.program);
  const placed = fill.objective === null || text.includes(OBJECTIVE_PLACEHOLDER);
  return placed ? filled : `Objective: ${fill.objective}\n\n${filled}`;
}

/** The vault's note path for each role that has a note. */
function notePaths(model: StackModel): Partial<Record<Role, string>> {
  const notes: Partial<Record<Role, string>> = {};
  for (const doc of model.docs) if (doc.path !== null) notes[doc.role] = doc.path;
  return notes;
}

/** The prompt of the kind asked for, on the stack as it stands; host-free (no vault read beyond the model). */
export function buildPrompt(model: StackModel, request: PromptRequest = {}): BuiltPrompt {
  const kind: PromptKind = request.short === true ? 'short' : 'meta';
  const program = programName(model);
  const session = request.session ?? null;
  const objective = request.objective?.trim() || session?.objective.trim() || null;
  const notes = request.notes ?? notePaths(model);
  const found = findNotePrompt(model, kind);
  let head: string;
  let source: PromptSource;
  if ('text' in found) {
    head = fillPrompt(found.text, { objective, program: program.name, notes });
    source = found.source;
  } else {
    const filled = { program: program.name, ...(objective === null ? {} : { objective }) };
    head = kind === 'short' ? renderShortMetaPrompt(filled) : renderMetaPrompt({ ...filled, notes });
    source = { from: 'preset', path: null, line: null, problem: found.problem };
  }
  const context = session === null ? null : promptContext(model, session);
  const text = context === null ? head : `${head}\n\n${renderContext(context, pathOf(model, 'implementation-plan'))}`;
  return { text, kind, source, program, objective, session: context };
}
