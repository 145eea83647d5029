/**
 * `canon fix` and the plugin's "Fix", host-free: for each fixable problem a minimal splice of its
 * note (README "Many machines, one vault"), every row it changes, and a check of the stack with the fixes in place — a fix that
 * would add an error is refused, not written.
 */
import { checkStackSteps, type CheckResult } from '../check-stack';
import { lineAtOffset } from '../markdown/line-index';
import type { CanonConfig } from '../config/config';
import { supersedeEdits } from '../edit/row-cells';
import { pipeStyle } from '../edit/row-text';
import { applyEdits, type TextEdit } from '../edit/text-edit';
import type { RowExpectation } from '../edit/verify-append';
import { cellSpans, Spans } from '../markdown/table-row';
import { parseNote } from '../markdown/parse-note';
import type { ParsedNote } from '../markdown/types';
import { lineText } from '../merge/table-lines';
import type { Diagnostic, RuleId } from '../rules/rule-ids';
import { PHASE_A, type Preset } from '../schema/preset';
import { idColumn } from '../schema/table-schema';
import { drain, type Steps } from '../steps';
import { type BoundTable } from '../stack/bind-table';
import type { StackModel, VaultView } from '../stack/model';
import { aliasPipes, isAliasPipe } from './fix-alias-pipe';
import { isDuplicateId, largestId, renumberSplices } from './fix-duplicate-id';
import { isRateMismatch, rateSplice } from './fix-rate';
import { FIXABLE_RULES, type Fix, type FixChange } from './types';

export { FIXABLE_RULES } from './types';
export type { Fix } from './types';

/** A fix that was planned but not kept, and why. */
export interface RefusedFix {
  fix: Fix;
  reason: string;
}

export interface FixPlan {
  /** The fixes to write, in note and line order. */
  fixes: Fix[];
  refused: RefusedFix[];
  /** Each changed note's text with its fixes applied. */
  texts: Map<string, string>;
  /** The check the fixes were planned on. */
  before: CheckResult;
}

export interface FixOptions {
  /** Only the problems of these rules (all fixable ones when empty or left out). */
  rules?: readonly RuleId[];
  preset?: Preset;
}

/** Whether Canon has a fix for a problem (the plugin shows "Fix" on it). */
export function isFixable(d: Diagnostic): boolean {
  return isRateMismatch(d) || isDuplicateId(d) || isAliasPipe(d) || supersededTarget(d) !== null;
}

/**
 * The fix for one problem of a checked stack, or null when Canon has none (or the row no longer
 * reads as the problem says). `nextId` gives the id a renumbered row takes (default: one past the
 * table's largest); the plugin applies `edits` to `path` in one transaction and checks again.
 */
export function fixFor(model: StackModel, d: Diagnostic, nextId?: (bound: BoundTable) => number): Fix | null {
  const bound = [...model.tables.values()].find((b) => b.path === d.path && b.table !== null && d.line > (b.table?.line ?? 0) && d.line <= lastLine(b));
  if (!bound) return null;
  const index = bound.rows.findIndex((r) => r.row.line === d.line);
  if (index < 0) return null;
  if (isRateMismatch(d) && bound.schema.kind === 'evidence') {
    const read = bound.rows[index];
    const splice = read ? rateSplice(bound, read) : null;
    if (!splice) return null;
    return made(bound, 'fallback-rate', d, `Fallback Rate ${splice.from} → ${splice.to} (${splice.detail})`, [splice.edit]);
  }
  if (isDuplicateId(d)) {
    const to = nextId ? nextId(bound) : largestId(bound) + 1;
    const plan = renumberSplices(bound, index, to);
    if (!plan) return null;
    const prefix = plan.from.slice(0, plan.from.lastIndexOf('-'));
    const refs = plan.references > 0 ? ` and ${plan.references} reference${plan.references === 1 ? '' : 's'} to it in the rows below` : '';
    return made(bound, 'duplicate-id', d, `${plan.from} on line ${d.line} repeats an earlier row's id; renumbered ${prefix}-${to}, the next free id${refs}`, plan.edits);
  }
  if (isAliasPipe(d)) return aliasFix(bound, d);
  const target = supersededTarget(d);
  if (target && bound.schema.kind === 'decision') {
    const style = bound.table ? pipeStyle(bound.note, bound.table) : null;
    const plan = supersedeEdits(bound, [{ kind: 'row-id', id: `D-${target.older}`, raw: `D-${target.older}` }], style?.padded ?? true);
    const change = plan.changed[0];
    if (!change) return null;
    return made(bound, 'superseded-status', d, `D-${target.older} ${change.column} ${change.from || '(empty)'} → superseded (D-${target.newer} supersedes it)`, plan.edits);
  }
  return null;
}

/** `D-4 supersedes D-2, whose Status is …`: the newer and the older decision, or null for another problem. */
function supersededTarget(d: Diagnostic): { newer: number; older: number } | null {
  if (d.rule !== 'row/consistency') return null;
  const match = /^D-(\d+) supersedes D-(\d+), whose Status is /.exec(d.message);
  return match ? { newer: Number(match[1]), older: Number(match[2]) } : null;
}

const SPANS = new Spans();

/** `[[note|alias]]` → `[[note\|alias]]` in a row that splits on it, when the row then has the header's cells. */
function aliasFix(bound: BoundTable, d: Diagnostic): Fix | null {
  const note = bound.note;
  const from = note.lineStarts[d.line - 1];
  if (from === undefined || !bound.table) return null;
  const text = lineText(note, d.line - 1);
  const pipes = aliasPipes(text);
  if (pipes.length === 0) return null;
  const fixed = pipes.reduceRight((t, at) => `${t.slice(0, at)}\\${t.slice(at)}`, text);
  const start = /^(?:[ \t]*>)*[ \t]*/.exec(fixed)?.[0].length ?? 0;
  if (cellSpans(fixed, start, fixed.length, SPANS) !== bound.table.header.cells.length) return null;
  const links = pipes.map((at) => linkAround(text, at)).filter((l, i, all) => all.indexOf(l) === i);
  const shown = links.map((l) => `${l} → ${l.replace(/(^|[^\\])\|/g, '$1\\|')}`).join(', ');
  return made(bound, 'alias-pipe', d, `${shown}: the alias pipe escaped, so the row has the header's ${bound.table.header.cells.length} cells`, pipes.map((at) => ({ from: from + at, to: from + at, insert: '\\' })));
}

function linkAround(text: string, at: number): string {
  const open = text.lastIndexOf('[[', at);
  const close = text.indexOf(']]', at);
  return text.slice(open, close + 2);
}

/** A fix with every row it changes read before and after, and where a write must find each. */
function made(bound: BoundTable, kind: Fix['kind'], d: Diagnostic, message: string, edits: TextEdit[]): Fix {
  const note = bound.note;
  const lines = [...new Set(edits.map((e) => lineOf(note, e.from)))].sort((a, b) => a - b);
  const changes: FixChange[] = [];
  const expects: RowExpectation[] = [];
  for (const line of lines) {
    const start = note.lineStarts[line - 1] ?? 0;
    const before = lineText(note, line - 1);
    const own = edits.filter((e) => e.from >= start && e.to <= start + before.length).map((e) => ({ from: e.from - start, to: e.to - start, insert: e.insert }));
    const after = applyEdits(before, own);
    const cells = rowCells(bound, after);
    changes.push({ path: bound.path, line, id: cells ? idOf(bound, cells) : null, before, after });
    if (cells) expects.push({ section: bound.schema.section, line, cells });
  }
  return { kind, rule: d.rule, path: bound.path, line: d.line, message, edits, changes, expects };
}

/** The plain texts of a row's cells as its table reads them: the row under the table's own header, parsed alone. */
function rowCells(bound: BoundTable, row: string): string[] | null {
  const table = bound.table;
  if (!table) return null;
  const text = bound.note.text;
  const mini = parseNote(`# ${bound.schema.section}\n${text.slice(table.header.from, table.header.to)}\n${text.slice(table.delimiter.from, table.delimiter.to)}\n${row.replace(/^(?:[ \t]*>)*[ \t]*/, '')}\n`);
  const cells = mini.tables[0]?.rows[0]?.cells;
  return cells ? cells.map((c) => c.text) : null;
}

function idOf(bound: BoundTable, cells: readonly string[]): string | null {
  const column = idColumn(bound.schema);
  const at = column ? bound.columnAt[bound.schema.columns.indexOf(column)] ?? -1 : -1;
  return at >= 0 ? (cells[at] ?? null) : null;
}

function lineOf(note: ParsedNote, offset: number): number {
  return lineAtOffset(note.lineStarts, offset);
}

function lastLine(bound: BoundTable): number {
  const rows = bound.rows;
  return rows.length > 0 ? (rows[rows.length - 1]?.row.line ?? 0) : 0;
}

/**
 * Plans every fix the stack's problems have (of the given rules): each a splice of its note, none
 * overlapping another (the later is left for the next run), and all checked together — when the
 * stack then has an error it did not have, each fix is checked alone and those that add one refused.
 */
export function planFixes(vault: VaultView, config: CanonConfig, options: FixOptions = {}): FixPlan {
  return drain(planFixesSteps(vault, config, options));
}

/** `planFixes` as work that can pause (the plugin's "Fix all" runs it in slices). */
export function* planFixesSteps(vault: VaultView, config: CanonConfig, options: FixOptions = {}): Steps<FixPlan> {
  const preset = options.preset ?? PHASE_A;
  const before = yield* checkStackSteps(vault, config, preset);
  const rules = options.rules && options.rules.length > 0 ? options.rules : FIXABLE_RULES;
  const next = new Map<BoundTable, number>();
  const nextId = (bound: BoundTable): number => {
    const n = next.get(bound) ?? largestId(bound) + 1;
    next.set(bound, n + 1);
    return n;
  };
  const fixes: Fix[] = [];
  const refused: RefusedFix[] = [];
  for (const d of before.diagnostics) {
    if (!rules.includes(d.rule)) continue;
    const fix = fixFor(before.model, d, nextId);
    if (!fix) continue;
    // Two problems with one fix (two decisions superseding the same one): the first fix is the fix of both.
    if (fixes.some((f) => f.path === fix.path && fix.edits.every((e) => f.edits.some((g) => g.from === e.from && g.to === e.to && g.insert === e.insert)))) continue;
    const clash = fixes.find((f) => f.path === fix.path && f.edits.some((a) => fix.edits.some((b) => a.from < b.to + (b.from === b.to ? 1 : 0) && b.from < a.to + (a.from === a.to ? 1 : 0))));
    if (clash) refused.push({ fix, reason: `it changes the same cells as the fix of line ${clash.line}; run \`canon fix\` again after this one` });
    else fixes.push(fix);
  }
  let kept = fixes;
  for (let round = 0; round < 3 && kept.length > 0; round++) {
    const added = yield* addedErrorsSteps(vault, config, preset, before, kept);
    if (added.length === 0) break;
    const next: Fix[] = [];
    for (const fix of kept) {
      const alone = kept.length === 1 ? added : yield* addedErrorsSteps(vault, config, preset, before, [fix]);
      if (alone.length === 0) next.push(fix);
      else refused.push({ fix, reason: `it would add ${alone.length === 1 ? 'an error' : `${alone.length} errors`}: ${alone.slice(0, 2).map((e) => `${e.path}:${e.line} ${e.message} (${e.rule})`).join('; ')}` });
    }
    kept = next;
  }
  return { fixes: kept, refused, texts: textsWith(vault, kept), before };
}

/** Each changed note's text with the fixes applied. */
function textsWith(vault: VaultView, fixes: readonly Fix[]): Map<string, string> {
  const byPath = new Map<string, TextEdit[]>();
  for (const fix of fixes) byPath.set(fix.path, [...(byPath.get(fix.path) ?? []), ...fix.edits]);
  const texts = new Map<string, string>();
  for (const [path, edits] of byPath) {
    const text = vault.read(path)?.text;
    if (text !== undefined) texts.set(path, applyEdits(text, edits));
  }
  return texts;
}

/** The errors the stack has with `fixes` applied that it did not have before, as work that can pause. */
export function* addedErrorsSteps(vault: VaultView, config: CanonConfig, preset: Preset, before: CheckResult, fixes: readonly Fix[]): Steps<Diagnostic[]> {
  const texts = textsWith(vault, fixes);
  const patched: VaultView = {
    notes: vault.notes,
    read: (path) => (texts.has(path) ? { text: texts.get(path) ?? '' } : vault.read(path)),
    headings: (path) => (texts.has(path) ? parseNote(texts.get(path) ?? '').headings.map((h) => h.text) : vault.headings(path)),
    parseYaml: vault.parseYaml,
  };
  const after = yield* checkStackSteps(patched, config, preset);
  const known = new Set(before.diagnostics.filter((d) => d.severity === 'error').map(key));
  return after.diagnostics.filter((d) => d.severity === 'error' && !known.has(key(d)));
}

function key(d: Diagnostic): string {
  return `${d.path}:${d.line}:${d.rule}:${d.message}`;
}
