import type { CanonConfig } from './config/config';
import { readFrontmatter } from './markdown/frontmatter';
import { parseNote } from './markdown/parse-note';
import { consistencyRule } from './rules/consistency';
import { broadenRule } from './rules/broaden';
import { conflictCopyDiagnostics, findConflictCopies } from './rules/conflict-copy';
import { guardrailRule } from './rules/guardrails';
import { idRule } from './rules/ids';
import { linkRule } from './rules/links';
import { rowOrderRule } from './rules/row-order';
import type { Diagnostic, RuleId, Severity } from './rules/rule-ids';
import { PHASE_A, type Preset } from './schema/preset';
import { bindTableSteps } from './stack/bind-table';
import { drain, type Steps } from './steps';
import type { CheckCache } from './stack/check-cache';
import type { Rule, StackModel, VaultView } from './stack/model';
import { resolveStack, type StackDoc } from './stack/resolve';

/** The cross-row and cross-note rules, run after every table is bound. */
export const RULES: readonly Rule[] = [idRule, rowOrderRule, consistencyRule, linkRule, guardrailRule, broadenRule];

export interface CheckResult {
  model: StackModel;
  docs: StackDoc[];
  diagnostics: Diagnostic[];
  counts: Record<Severity, number>;
  /** Notes that may be read but not written (binary, invalid UTF-8), with the reason. */
  readOnly: Map<string, string>;
}

/**
 * Reads the stack: resolves roles, parses the canonical notes, binds their tables. With a `cache`
 * (a host that checks again after each edit), parses and binds are kept and redone incrementally.
 */
export function loadStack(vault: VaultView, config: CanonConfig, preset: Preset = PHASE_A, cache?: CheckCache): LoadedModel {
  return drain(loadStackSteps(vault, config, preset, cache));
}

/** The stack read once, with what reading it found. */
export interface LoadedModel {
  model: StackModel;
  diagnostics: Diagnostic[];
  readOnly: Map<string, string>;
}

/**
 * `loadStack` as work that can pause (steps.ts): with a `cache`, a note parsed or a table bound from
 * scratch pauses between slices of its cells and rows.
 */
export function* loadStackSteps(vault: VaultView, config: CanonConfig, preset: Preset = PHASE_A, cache?: CheckCache): Steps<LoadedModel> {
  // A sync service's conflict copy of a canonical note would claim its role twice: it is left out, and reported.
  const { copies, notes } = findConflictCopies(vault.notes, config, preset);
  const resolved = resolveStack(notes, config, preset);
  const diagnostics = [...resolved.diagnostics, ...conflictCopyDiagnostics(copies)];
  const model: StackModel = { config, preset, vault, docs: resolved.docs, notes: new Map(), tables: new Map() };
  if (cache) model.guardrails = cache.guardrails;
  const readOnly = new Map<string, string>();
  for (const doc of resolved.docs) {
    if (doc.path === null) continue;
    const read = vault.read(doc.path);
    if (read === undefined) {
      diagnostics.push({ path: doc.path, line: 1, column: 1, severity: 'error', rule: 'doc/unreadable', message: 'the note cannot be read; expected a readable markdown file' });
      doc.path = null;
      continue;
    }
    if (read.problem !== undefined) {
      readOnly.set(doc.path, read.problem);
      diagnostics.push({ path: doc.path, line: problemLine(read.text), column: 1, severity: 'error', rule: 'doc/unreadable', message: read.problem });
    }
    // A claim's lost frontmatter is reported by resolveStack; any other canonical note's here.
    const frontmatter = vault.notes.find((n) => n.path === doc.path)?.canonLine === undefined ? readFrontmatter(read.text, vault.parseYaml) : null;
    if (frontmatter?.ok === false) {
      diagnostics.push({ path: doc.path, line: frontmatter.problem.line, column: 1, severity: 'warning', rule: 'doc/invalid-frontmatter', message: frontmatter.problem.message });
    }
    const note = cache ? yield* cache.parseSteps(doc.path, read.text) : vault.parsed?.(doc.path, read.text) ?? parseNote(read.text);
    model.notes.set(doc.path, note);
  }
  for (const schema of preset.tables) {
    const path = resolved.docs.find((d) => d.role === schema.role)?.path;
    const note = path ? model.notes.get(path) : undefined;
    if (path && note) model.tables.set(schema.kind, cache ? yield* cache.bindSteps(schema, path, note, diagnostics) : yield* bindTableSteps(schema, path, note, diagnostics));
  }
  return { model, diagnostics, readOnly };
}

/** Validates the whole stack: every rule, severities as the config says, sorted by file and position. */
export function checkStack(vault: VaultView, config: CanonConfig, preset: Preset = PHASE_A, cache?: CheckCache): CheckResult {
  return drain(checkStackSteps(vault, config, preset, cache));
}

/** `checkStack` as work that can pause (steps.ts): between notes, slices of rows and rules. */
export function* checkStackSteps(vault: VaultView, config: CanonConfig, preset: Preset = PHASE_A, cache?: CheckCache): Steps<CheckResult> {
  const { model, diagnostics, readOnly } = yield* loadStackSteps(vault, config, preset, cache);
  for (const rule of RULES) {
    yield;
    if (rule.steps) yield* rule.steps(model, diagnostics);
    else rule.check(model, diagnostics);
  }
  const final = applySeverities(diagnostics, config.rules);
  final.sort((a, b) => a.path.localeCompare(b.path) || a.line - b.line || a.column - b.column || a.rule.localeCompare(b.rule));
  return { model, docs: model.docs, diagnostics: final, counts: countBySeverity(final), readOnly };
}

/** Applies the config's rule overrides: `off` drops a diagnostic, a severity replaces its own. */
export function applySeverities(diagnostics: Diagnostic[], rules: Partial<Record<RuleId, Severity | 'off'>>): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    const setting = rules[d.rule];
    if (setting === 'off') continue;
    out.push(setting ? { ...d, severity: setting } : d);
  }
  return out;
}

/** Error, warning and info counts. */
export function countBySeverity(diagnostics: readonly Diagnostic[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { error: 0, warning: 0, info: 0 };
  for (const d of diagnostics) counts[d.severity]++;
  return counts;
}

function problemLine(text: string): number {
  const nul = text.indexOf('\u0000');
  const bad = text.indexOf('\uFFFD');
  const at = nul < 0 ? bad : bad < 0 ? nul : Math.min(nul, bad);
  if (at < 0) return 1;
  let line = 1;
  for (let i = 0; i < at; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
