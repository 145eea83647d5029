import type { Condition, Metric, WindowSpec } from '../schema/cell-type';

/** A Rollback Triggers row, read. A cell that failed its type is null (the row is then not evaluated). */
export interface TriggerRow {
  line: number;
  trigger: string;
  metric: Metric | null;
  condition: Condition | null;
  window: WindowSpec | null;
  /** Source text of the Metric / Condition cells, for messages. */
  metricText: string;
  conditionText: string;
  /** Source text of the Window cell, for messages (optional: older readers leave it out). */
  windowText?: string;
}

/** A Rollout Windows row, read. A cell that failed its type is undefined (left out of aggregation). */
export interface WindowRow {
  line: number;
  /** `W-12`, or the raw cell text when it is not a valid id. */
  id: string;
  start?: Date;
  end?: Date;
  traffic?: number;
  missions?: number;
  fallbacks?: number;
  /** Percent, 0–100. */
  fallbackRate?: number;
  p95?: number;
  /** Event counts; undefined when the Events cell failed its type; an empty map when the cell is empty. */
  events?: Map<string, number>;
  decision?: 'promote' | 'hold' | 'rollback';
}

export type TriggerStatus = 'unknown' | 'ok' | 'warn' | 'breach';
export type Recommendation = 'promote' | 'hold' | 'rollback';

export interface TriggerResult {
  trigger: string;
  /** The metric as written (`fallback rate`, `vp.mission.failed`). */
  metric: string;
  status: TriggerStatus;
  /** The aggregated value (for consecutive windows, the newest window's value); null when unknown. */
  observed: number | null;
  threshold: number;
  /** Ids of the windows evaluated, oldest first. */
  windows: string[];
  /** One sentence: what was measured against what. */
  message: string;
  line: number;
  /**
   * `<n> missions` over a rate or a count: the lowest and highest values the window totals allow, in the metric's
   * unit and rounded as `observed` (README "Command line"). Equal to `observed` when every window is taken whole; absent otherwise.
   */
  bounds?: { low: number; high: number };
  /**
   * `<n> missions` when the oldest window is taken in part (pro rata for rates and counts; whole for p95 and traffic):
   * its id, the missions taken from it and its Missions. Absent when every window is taken whole.
   */
  partial?: { window: string; taken: number; missions: number };
}

export interface GuardrailReport {
  status: TriggerStatus;
  recommendation: Recommendation;
  /** Reasons for the recommendation, one per trigger that is not ok. */
  reasons: string[];
  triggers: TriggerResult[];
}
