import { lightFormat } from 'date-fns';
import * as z from 'zod/mini';
import { ROLES } from '../stack/roles';
import { RULE_FAMILIES, RULE_IDS } from '../rules/rule-ids';
import { parseDatetime } from '../schema/parse-datetime';
import { ZOD_ENGLISH } from '../schema/zod-english';

/** Where the config lives, relative to the vault root. */
export const CONFIG_FILE = 'canon.config.json';

const RuleSetting = z.enum(['off', 'info', 'warning', 'error']);

/** `canon.config.json`, every key optional (README "Design decisions"). Unknown keys are errors: a typo must not pass silently. */
export const ConfigSchema = z.strictObject({
  preset: z._default(z.literal('phase-a'), 'phase-a'),
  folder: z._default(z.string(), ''),
  notes: z._default(z.partialRecord(z.enum(ROLES), z.string().check(z.minLength(1))), {}),
  dateFormat: z._default(z.string().check(z.minLength(1)), 'yyyy-MM-dd HH:mm'),
  rules: z._default(z.partialRecord(z.enum(RULE_IDS), RuleSetting), {}),
  sessionsFolder: z._default(z.string(), 'sessions'),
  debounceMs: z._default(z.number().check(z.int(), z.minimum(0), z.maximum(10_000)), 500),
  /** true: every rule runs on each change; false: none (validate by hand); a list: only those rule families. */
  liveChecks: z._default(z.union([z.boolean(), z.array(z.enum(RULE_FAMILIES))]), true),
  /** The program's name in the coder prompts; absent: the control center's title. */
  program: z.optional(z.string()),
});

export type CanonConfig = z.infer<typeof ConfigSchema>;
export type RuleSetting = z.infer<typeof RuleSetting>;

/** A configuration problem: the key (dotted path) and what was expected. */
export interface ConfigProblem {
  file: string;
  line: number;
  key: string;
  message: string;
}

export type ConfigResult = { ok: true; config: CanonConfig } | { ok: false; problems: ConfigProblem[] };

/** The config used when the vault has no `canon.config.json`. */
export function defaultConfig(): CanonConfig {
  // What `ConfigSchema.parse({})` gives (test/core/default-config.test.ts), without a zod parse at start-up.
  return {
    preset: 'phase-a', folder: '', notes: {}, dateFormat: 'yyyy-MM-dd HH:mm', rules: {}, sessionsFolder: 'sessions', debounceMs: 500, liveChecks: true,
  };
}

/** Reads `canon.config.json` text; every problem names the key and what was expected. */
export function parseConfig(text: string, file = CONFIG_FILE): ConfigResult {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const detail = error instanceof Error ? error.message : String(error);
    return { ok: false, problems: [{ file, line: jsonErrorLine(text, detail), key: '(file)', message: `invalid JSON: ${detail}` }] };
  }
  const parsed = ConfigSchema.safeParse(json, ZOD_ENGLISH);
  if (!parsed.success) {
    return { ok: false, problems: parsed.error.issues.map((issue) => describeIssue(issue, text, file)) };
  }
  const problems = pathProblems(parsed.data, text, file);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, config: parsed.data };
}

function describeIssue(issue: z.core.$ZodIssue, text: string, file: string): ConfigProblem {
  const key = issue.path.map(String).join('.') || '(root)';
  // Not `path.at(-1)`: Array.prototype.at is missing on iOS before 15.4, where the plugin runs too.
  const last = issue.path.length > 0 ? String(issue.path[issue.path.length - 1]) : '';
  let message: string;
  if (issue.code === 'unrecognized_keys') {
    const where = key === '(root)' ? '' : ` in ${key}`;
    message = `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `\`${k}\``).join(', ')}${where}; expected one of ${expectedKeys(issue.path)}`;
    return { file, line: keyLine(text, issue.keys[0] ?? ''), key: issue.keys[0] ?? key, message };
  }
  if (issue.code === 'invalid_key') {
    const what = issue.path[0] === 'rules' ? 'a rule id' : 'a role';
    const expected = issue.path[0] === 'rules' ? 'the rule ids listed in the README' : ROLES.join(', ');
    message = `${key}: \`${last}\` is not ${what}; expected one of ${expected}`;
  } else if (issue.path[0] === 'rules' && issue.path.length === 2 && issue.code === 'invalid_value') {
    message = `${key}: expected one of off, info, warning, error`;
  } else {
    message = `${key}: ${issue.message}`;
  }
  return { file, line: keyLine(text, last), key, message };
}

function expectedKeys(path: PropertyKey[]): string {
  if (path.length === 0) return Object.keys(ConfigSchema.shape).join(', ');
  if (path[0] === 'notes') return ROLES.join(', ');
  if (path[0] === 'rules') return 'the rule ids listed in the README';
  return 'the documented keys';
}

/** Paths in `folder`, `sessionsFolder` and `notes` must stay inside the vault. */
function pathProblems(config: CanonConfig, text: string, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const check = (key: string, value: string, leaf: string, isNote = false): void => {
    const why = vaultPathProblem(value);
    const hidden = why ? null : hiddenPathProblem(isNote ? value : `${value}/`);
    if (why) problems.push({ file, line: keyLine(text, leaf), key, message: `${key}: \`${value}\` ${why}; expected a path inside the vault` });
    else if (hidden) problems.push({ file, line: keyLine(text, leaf), key, message: `${key}: \`${value}\` ${hidden}, so Canon could not find what it writes there; expected a path in the vault's visible folders` });
  };
  const dateProblem = dateFormatProblem(config.dateFormat);
  if (dateProblem) problems.push({ file, line: keyLine(text, 'dateFormat'), key: 'dateFormat', message: `dateFormat: ${dateProblem}` });
  const program = config.program === undefined ? null : programProblem(config.program);
  if (program) problems.push({ file, line: keyLine(text, 'program'), key: 'program', message: `program: ${program}` });
  check('folder', config.folder, 'folder');
  check('sessionsFolder', config.sessionsFolder, 'sessionsFolder');
  for (const [role, path] of Object.entries(config.notes)) {
    check(`notes.${role}`, path, role, true);
    if (!/\.md$/i.test(path)) {
      problems.push({ file, line: keyLine(text, role), key: `notes.${role}`, message: `notes.${role}: \`${path}\` is not a markdown note; expected a path ending in .md` });
    }
  }
  return problems;
}

/** Why a program name cannot stand in the prompts' first line, or null. */
function programProblem(name: string): string | null {
  if (name.trim() === '') return "the name is empty; expected the program's name (such as `DraganCorp`), or no `program` key for the control center's title";
  return /[\r\n]/.test(name) ? `\`${name.replace(/\r?\n/g, '\\n')}\` holds a line break; expected the program's name on one line` : null;
}

/**
 * Why a date format cannot stamp entries, or null: it must be a date-fns `lightFormat` pattern
 * (yyyy MM dd HH mm ss SSS, quoted text) whose output Canon reads back as a datetime.
 */
export function dateFormatProblem(pattern: string): string | null {
  let sample: string;
  try {
    sample = lightFormat(new Date(2026, 10, 24, 14, 5, 0), pattern);
  } catch (error) {
    return `\`${pattern}\` is not a date format (${error instanceof Error ? error.message : String(error)}); expected tokens like yyyy-MM-dd HH:mm`;
  }
  return parseDatetime(sample).ok ? null : `\`${pattern}\` writes \`${sample}\`, which is not a datetime Canon reads; expected a pattern like yyyy-MM-dd HH:mm`;
}

/** Why a vault-relative path is unsafe, or null when it is fine. */
export function vaultPathProblem(path: string): string | null {
  if (path === '') return null;
  if (/^([a-zA-Z]:)?[\\/]/.test(path) || path.startsWith('~')) return 'is absolute';
  let depth = 0;
  for (const part of path.split(/[\\/]+/)) {
    if (part === '..') depth--;
    else if (part !== '.' && part !== '') depth++;
    if (depth < 0) return 'leaves the vault';
  }
  return null;
}

/** Whether the vault scan skips a folder of this name: every dot-folder (Obsidian's own, git's, the trash) and node_modules. */
export function isSkippedFolder(name: string): boolean {
  return (name.startsWith('.') && name !== '.' && name !== '..') || name === 'node_modules';
}

/**
 * Why a vault-relative path (a note, or a folder when it ends in `/`) lies where Canon never looks,
 * or null: a note written there could not be found again.
 */
export function hiddenPathProblem(path: string): string | null {
  const parts = path.split(/[\\/]/);
  const name = parts.pop() ?? '';
  const hidden = parts.find(isSkippedFolder);
  if (hidden !== undefined) return `is inside \`${hidden}\`, a folder Canon does not scan (dot-folders such as .obsidian, .git and .trash, and node_modules)`;
  if (name.startsWith('.')) return 'is a hidden file (its name starts with a dot), which Canon does not scan';
  return null;
}

/** Normalises a vault-relative path: forward slashes, no `./`, no trailing slash. */
export function normalizeVaultPath(path: string): string {
  const out: string[] = [];
  for (const part of path.split(/[\\/]+/)) {
    if (part === '..') out.pop();
    else if (part !== '.' && part !== '') out.push(part);
  }
  return out.join('/');
}

function keyLine(text: string, key: string): number {
  if (key === '') return 1;
  const at = text.indexOf(`"${key}"`);
  return at < 0 ? 1 : lineOf(text, at);
}

function jsonErrorLine(text: string, detail: string): number {
  const position = /position (\d+)/.exec(detail);
  if (position?.[1]) return lineOf(text, Number(position[1]));
  const line = /line (\d+)/.exec(detail);
  return line?.[1] ? Number(line[1]) : 1;
}

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
