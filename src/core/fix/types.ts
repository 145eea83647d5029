/** What `canon fix` and the plugin's "Fix" plan: a minimal splice for one problem, and every row it changes. */
import type { RowExpectation } from '../edit/verify-append';
import type { TextEdit } from '../edit/text-edit';
import type { RuleId } from '../rules/rule-ids';

/** The fixes Canon knows, each for one rule's problem (README "Many machines, one vault"). */
export const FIX_KINDS = ['fallback-rate', 'duplicate-id', 'alias-pipe', 'superseded-status'] as const;
export type FixKind = (typeof FIX_KINDS)[number];

/** The rules whose problems may have a fix. */
export const FIXABLE_RULES: readonly RuleId[] = ['row/consistency', 'id/duplicate', 'table/malformed'];

/** One row a fix changes: its line (fixes never add or remove lines) and its text before and after. */
export interface FixChange {
  path: string;
  line: number;
  /** The row's id (`W-3`) as it reads after the fix, or null for a table without ids. */
  id: string | null;
  before: string;
  after: string;
}

/** A fix for one problem: the splices of one note, what they change, and where to find each changed row afterwards. */
export interface Fix {
  kind: FixKind;
  rule: RuleId;
  /** The note, and the line of the problem it fixes. */
  path: string;
  line: number;
  /** What is changed, as found → as written: `Fallback Rate 9.26% → 5.26% (3 / 57)`. */
  message: string;
  edits: TextEdit[];
  changes: FixChange[];
  /** Each changed row, as a write must find it afterwards. */
  expects: RowExpectation[];
}
