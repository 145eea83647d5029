/** Every rule id Canon reports; stable, documented in the README. */
export const RULE_IDS = [
  'config/invalid',
  'doc/missing',
  'doc/duplicate-role',
  'doc/unknown-role',
  'doc/invalid-frontmatter',
  'doc/unreadable',
  'doc/conflict-copy',
  'section/missing',
  'table/missing',
  'table/missing-column',
  'table/unknown-column',
  'table/duplicate-column',
  'table/malformed',
  'cell/type',
  'cell/required',
  'id/duplicate',
  'id/order',
  'row/order',
  'row/consistency',
  'link/unresolved',
  'guardrail/no-triggers',
  'guardrail/promote-in-breach',
  'guardrail/hold-in-breach',
  'guardrail/broaden-unguarded',
  'guardrail/stale-recommendation',
] as const;

export type RuleId = (typeof RULE_IDS)[number];

/** The families of rule ids (the part before the slash), which the config's `liveChecks` list names. */
export const RULE_FAMILIES = ['doc', 'section', 'table', 'cell', 'id', 'row', 'link', 'guardrail'] as const;
export type RuleFamily = (typeof RULE_FAMILIES)[number];

/** Whether a diagnostic belongs to one of the given rule families. */
export function inFamilies(rule: RuleId, families: readonly RuleFamily[]): boolean {
  return families.some((f) => rule.startsWith(`${f}/`));
}

export type Severity = 'error' | 'warning' | 'info';

/** A problem found in the stack. Lines and columns are 1-based; `path` is relative to the vault. */
export interface Diagnostic {
  path: string;
  line: number;
  column: number;
  severity: Severity;
  rule: RuleId;
  message: string;
}

/** The severity each rule reports with unless the config overrides it. */
export const DEFAULT_SEVERITY: Record<RuleId, Severity> = {
  'config/invalid': 'error',
  'doc/missing': 'error',
  'doc/duplicate-role': 'error',
  'doc/unknown-role': 'warning',
  'doc/invalid-frontmatter': 'warning',
  'doc/unreadable': 'error',
  'doc/conflict-copy': 'warning',
  'section/missing': 'error',
  'table/missing': 'error',
  'table/missing-column': 'error',
  'table/unknown-column': 'warning',
  'table/duplicate-column': 'error',
  'table/malformed': 'error',
  'cell/type': 'error',
  'cell/required': 'error',
  'id/duplicate': 'error',
  'id/order': 'error',
  'row/order': 'error',
  'row/consistency': 'error',
  'link/unresolved': 'error',
  'guardrail/no-triggers': 'error',
  'guardrail/promote-in-breach': 'error',
  'guardrail/hold-in-breach': 'warning',
  'guardrail/broaden-unguarded': 'warning',
  'guardrail/stale-recommendation': 'info',
};

/** One line per rule, for `--help` and the README. */
export const RULE_DESCRIPTIONS: Record<RuleId, string> = {
  'config/invalid': 'canon.config.json is not valid (reported by the CLI with exit 2)',
  'doc/missing': 'a required role has no note (a missing operating model is a warning)',
  'doc/duplicate-role': 'two notes claim one role',
  'doc/unknown-role': 'a note\'s frontmatter `canon:` names no known role',
  'doc/invalid-frontmatter': 'a canonical note\'s frontmatter, or one with a `canon:` line, is not valid YAML',
  'doc/unreadable': 'a canonical note is binary or not valid UTF-8',
  'doc/conflict-copy': 'a sync service\'s conflict copy of a canonical note (fold it with `canon merge --copy`)',
  'section/missing': 'a canonical note lacks a section its role requires',
  'table/missing': 'a required section has no table',
  'table/missing-column': 'a required column is absent from the header',
  'table/unknown-column': 'a header cell names no column of the schema',
  'table/duplicate-column': 'two header cells name the same column',
  'table/malformed': 'a row\'s cell count differs from the header\'s',
  'cell/type': 'a cell does not parse as its column\'s type',
  'cell/required': 'a required cell is empty',
  'id/duplicate': 'a row id appears twice in its table',
  'id/order': 'row ids do not increase down the table',
  'row/order': 'rows are out of date order, or rollout windows overlap',
  'row/consistency': 'a row contradicts itself or another row (End < Start, Fallbacks > Missions, rate mismatch, supersedes)',
  'link/unresolved': 'a link names no note, heading or row id',
  'guardrail/no-triggers': 'the evidence log has no rollback triggers (G5)',
  'guardrail/promote-in-breach': 'a window was promoted while a rollback trigger was in breach',
  'guardrail/hold-in-breach': 'a window was held while a rollback trigger was in breach, and its Notes name no decision saying why',
  'guardrail/broaden-unguarded': 'a window raised Traffic without every trigger having an Owner, Response and Cadence, or without a decision (D-n) for it',
  'guardrail/stale-recommendation': 'the Current Recommendation block Canon writes no longer reads as the guardrails do',
};

/** Where Canon's source and docs live (package.json's `repository`; test/release/repository.test.ts keeps the two the same). */
export const CANON_REPOSITORY = 'https://github.com/canon-contributors/canon';

/** The page that documents a rule, in the repository: `docs/rules/<family>/<name>.md`. */
export function ruleDocPath(rule: RuleId): string {
  return `docs/rules/${rule}.md`;
}

/** The rule's page on the web: what every diagnostic names (JSON `docs`, SARIF `helpUri`, the text footer, the plugin's link). */
export function ruleDocUrl(rule: RuleId, repository = CANON_REPOSITORY): string {
  return `${repository}/blob/main/${ruleDocPath(rule)}`;
}
