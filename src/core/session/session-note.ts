/** The session note's frontmatter (README "Command line"): what it holds, how it is read and how its values are written. */
import * as z from 'zod/mini';
import { readFrontmatter, type YamlParse } from '../markdown/frontmatter';
import { frontmatterLayout, type FrontmatterLayout } from './frontmatter-layout';
import { ZOD_ENGLISH } from '../schema/zod-english';

/** The frontmatter `canon:` value of a session note. */
export const SESSION_CANON = 'session';

const text = z.pipe(z.transform((v: unknown) => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : v)), z.string());
/** A list written as a single scalar (`packets: P-4`) reads as a one-item list; an empty value as none. */
const list = z.pipe(z.transform((v: unknown) => (v === null || v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v])), z.array(text));

/**
 * What Canon needs to tell later what changed in one canonical table since the session started:
 * the row count, the largest row id (tables with ids), the last row's source text (tables without).
 * For the control center's Checklist Status task list: the item count and the ticked count.
 */
export const BaselineEntrySchema = z.object({
  rows: z.number().check(z.int(), z.minimum(0)),
  maxId: z.optional(z.number().check(z.int(), z.minimum(0))),
  last: z.optional(z.string()),
  done: z.optional(z.number().check(z.int(), z.minimum(0))),
});

/** The rungs of the verification ladder (operating model §4 step 4), in the order they are run. */
export const RUNGS = ['unit', 'integration', 'snapshot'] as const;
export type RungKind = (typeof RUNGS)[number];

/**
 * One rung recorded for a packet (`canon session verify`): its result and when; for a rung Canon ran
 * (`by: run`), the command's exit status (null when a signal ended it), duration and whether the
 * timeout stopped it; a result given by hand (`by: hand`) may name the command that was run.
 */
export const RungSchema = z.object({
  packet: text,
  rung: z.enum(RUNGS),
  result: z.enum(['pass', 'fail']),
  at: text,
  by: z.optional(z.enum(['run', 'hand'])),
  command: z.optional(text),
  exit: z.optional(z.nullable(z.number().check(z.int()))),
  ms: z.optional(z.number().check(z.minimum(0))),
  timedOut: z.optional(z.boolean()),
  note: z.optional(text),
});

export const SessionFrontmatterSchema = z.object({
  canon: z.literal(SESSION_CANON),
  started: text,
  objective: text,
  packets: list,
  /** The scope lock (operating model §4 step 1): what the session will and will not touch. Absent in older notes: none. */
  inScope: list,
  outOfScope: list,
  status: z.enum(['open', 'closed']),
  closed: z.optional(text),
  /** Checklist items ticked by hand, by their text (a renumbered checklist keeps its ticks). */
  ticks: list,
  /** Trigger-matrix rows (their "If you change…" text) the operator marked as changed this session. */
  changes: list,
  /** Gates ticked by hand: `P-4 G1`, or `G1` for a session without packets. */
  gates: list,
  /**
   * Why a hand tick was made (`tick --reason T`), by the tick's value in `ticks` or `gates` (an item's
   * text, `P-4 G2`). Absent in notes written before reasons were kept: none.
   */
  reasons: z.pipe(z.transform((v: unknown) => v ?? {}), z.record(z.string(), text)),
  baseline: z.pipe(z.transform((v: unknown) => v ?? {}), z.record(z.string(), BaselineEntrySchema)),
  /** The verification ladder, oldest rung first (`canon session verify`). Absent in older notes: none recorded. */
  ladder: z.pipe(z.transform((v: unknown) => (v === null || v === undefined ? [] : Array.isArray(v) ? (v as unknown[]) : [v])), z.array(RungSchema)),
});

export type BaselineEntry = z.infer<typeof BaselineEntrySchema>;
export type Rung = z.infer<typeof RungSchema>;
/** Per table kind (and `checklist`), the baseline taken at start. */
export type Baseline = Record<string, BaselineEntry>;
export type SessionNote = z.infer<typeof SessionFrontmatterSchema>;

export type SessionRead =
  | { ok: true; session: SessionNote; layout: FrontmatterLayout; data: Record<string, unknown> }
  | { ok: false; problem: string };

/**
 * Reads a session note's frontmatter with the one reader (markdown/frontmatter.ts), `parseYaml` for
 * what the plain reader declines; `problem` names the key (or the line) and what was expected. The
 * keys found line by line, where Canon splices its writes, must be the keys the YAML holds.
 */
export function readSessionNote(noteText: string, parseYaml: YamlParse): SessionRead {
  const read = readFrontmatter(noteText, parseYaml);
  if (!read.block) return { ok: false, problem: 'the note has no frontmatter; expected `canon: session` between `---` lines' };
  if (!read.ok) return { ok: false, problem: `frontmatter line ${read.problem.line}: ${read.problem.message}` };
  const layout = frontmatterLayout(noteText, read.block);
  const odd = layout ? unlinedKey(layout, read.data) : null;
  if (!layout || odd !== null) {
    return { ok: false, problem: `frontmatter key \`${(odd ?? '').slice(0, 60)}\` is not where Canon can rewrite it; expected each top-level key on a \`key: value\` line of its own` };
  }
  const parsed = SessionFrontmatterSchema.safeParse(read.data, ZOD_ENGLISH);
  if (parsed.success) return { ok: true, session: parsed.data, layout, data: read.data };
  const issue = parsed.error.issues[0];
  const key = issue?.path.map(String).join('.') || '(frontmatter)';
  return { ok: false, problem: `frontmatter ${key}: ${issue?.message ?? 'invalid'}; expected a session note written by \`canon session start\`` };
}

/** A key the YAML holds that no line shows (`? key`), or a line's key the YAML does not hold; null when they agree. */
function unlinedKey(layout: FrontmatterLayout, data: Record<string, unknown>): string | null {
  const lined = new Set(layout.keys.map((k) => k.key));
  const held = Object.keys(data);
  const unlined = held.find((k) => !lined.has(k));
  if (unlined !== undefined) return unlined;
  const heldSet = new Set(held);
  return layout.keys.find((k) => !heldSet.has(k.key))?.key ?? null;
}

/** A YAML string scalar: JSON's double-quoted form, which YAML reads the same. */
export function yamlString(value: string): string {
  return JSON.stringify(value);
}

/** A YAML flow list of strings. */
export function yamlList(values: readonly string[]): string {
  return `[${values.map(yamlString).join(', ')}]`;
}

/** The reasons as a block map, one tick a line (key and reason as JSON strings); `{}` when there is none. */
export function yamlReasons(reasons: Readonly<Record<string, string>>): string {
  const lines = Object.entries(reasons).map(([tick, reason]) => `  ${yamlString(tick)}: ${yamlString(reason)}`);
  return lines.length === 0 ? '{}' : `\n${lines.join('\n')}`;
}

/** The baseline as a block map, one table a line (each a JSON object, which YAML reads as a flow map). */
export function yamlBaseline(baseline: Baseline): string {
  const lines = Object.entries(baseline).map(([kind, entry]) => `  ${kind}: ${JSON.stringify(entry)}`);
  return lines.length === 0 ? '{}' : `\n${lines.join('\n')}`;
}
