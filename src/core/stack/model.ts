import type { CanonConfig } from '../config/config';
import type { YamlParse } from '../markdown/frontmatter';
import type { ParsedNote } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import type { Preset } from '../schema/preset';
import type { EntryKind } from '../schema/table-schema';
import type { GuardrailMemo } from '../guardrails/guardrail-memo';
import type { BoundTable } from './bind-table';
import type { NoteEntry, StackDoc } from './resolve';
import type { Role } from './roles';
import type { Steps } from '../steps';

/** What the core needs from a vault; the CLI builds it from the file system, the plugin from Obsidian. */
export interface VaultView {
  /** Every markdown note of the vault, with its frontmatter `canon` value. */
  notes: readonly NoteEntry[];
  /**
   * The text of a note (called for the canonical notes); undefined when it cannot be read at all.
   * `problem` says why the text is not trustworthy (binary, invalid UTF-8): it is checked, never written.
   */
  read(path: string): { text: string; problem?: string } | undefined;
  /** The headings' plain texts of any note, for `[[note#heading]]` links; undefined when unknown. */
  headings(path: string): readonly string[] | undefined;
  /** A parse of a note's text kept from an earlier check, if the host keeps one (the plugin does). */
  parsed?(path: string, text: string): ParsedNote | undefined;
  /**
   * The host's YAML parser, for frontmatter the plain reader declines (markdown/frontmatter.ts): the
   * `yaml` package in the CLI and the tests, Obsidian's `parseYaml` in the plugin.
   */
  parseYaml: YamlParse;
}

/** The stack read once: which note plays which role, the parsed notes, the bound tables. */
export interface StackModel {
  config: CanonConfig;
  preset: Preset;
  vault: VaultView;
  docs: StackDoc[];
  /** Parsed canonical notes by path. */
  notes: Map<string, ParsedNote>;
  /** The canonical tables whose note exists, by entry kind. */
  tables: Map<EntryKind, BoundTable>;
  /** Guardrail reads and evaluations kept from the last check (a `CheckCache`'s), if the host keeps them. */
  guardrails?: GuardrailMemo;
}

/** The note path playing a role, or null. */
export function pathOf(model: StackModel, role: Role): string | null {
  return model.docs.find((d) => d.role === role)?.path ?? null;
}

/** A rule: a stable id set and a check over the whole model. */
export interface Rule {
  ids: readonly Diagnostic['rule'][];
  check(model: StackModel, out: Diagnostic[]): void;
  /** `check` as work that can pause, for a rule whose work grows with the rows (see steps.ts). */
  steps?(model: StackModel, out: Diagnostic[]): Steps<void>;
}
