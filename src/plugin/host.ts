import type { App } from 'obsidian';
import type { CheckResult, EntryKind, GuardrailReport, TriggerRow, WindowRow } from '../core';

/** What the plugin knows about the stack at one moment; views render it and never compute it. */
export interface StackSnapshot {
  /** Null before the first check (layout not ready yet) or when the config is broken. */
  result: CheckResult | null;
  /** Why canon.config.json could not be used ("canon.config.json line 3: …"), else null. */
  configProblem: string | null;
  /** The evidence log's guardrails; null when there is no evidence log. */
  guardrails: GuardrailReport | null;
  /** Rollout Windows and Rollback Triggers as read, for the chart. */
  windows: WindowRow[];
  triggers: TriggerRow[];
  /** When the snapshot was taken. */
  checkedAt: Date;
}

/** What views, modals and commands may ask of the plugin (keeps them free of the plugin class). */
export interface CanonHost {
  readonly app: App;
  /** The latest snapshot. */
  snapshot(): StackSnapshot;
  /** Calls back on every new snapshot; returns the unsubscribe function. */
  onSnapshot(callback: (snapshot: StackSnapshot) => void): () => void;
  /** Opens a note (in the main area), at a 1-based line when given. */
  openNote(path: string, line?: number): Promise<void>;
  /** Creates the canonical notes the vault lacks, from the preset's templates. */
  createMissingNotes(): Promise<void>;
  /** Opens the entry form of a table. */
  openEntryForm(kind: EntryKind): void;
  /** Runs a full check now. */
  validateNow(): Promise<void>;
}
