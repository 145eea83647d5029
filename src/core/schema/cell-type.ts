/** The cell types of README "Design decisions", as data: a table schema gives each column one of these. */
export type CellType =
  | { kind: 'text' }
  | { kind: 'datetime' }
  | { kind: 'date' }
  | { kind: 'percent' }
  | { kind: 'integer'; min?: number }
  | { kind: 'number'; min?: number }
  | { kind: 'id'; prefix: string }
  | { kind: 'enum'; values: readonly string[] }
  | { kind: 'gates' }
  | { kind: 'links' }
  | { kind: 'events' }
  | { kind: 'metric' }
  | { kind: 'condition' }
  | { kind: 'window' };

export type Gate = 'G1' | 'G2' | 'G3' | 'G4' | 'G5';

/** A link written in a `links` cell: a wiki link or a bare row id. */
export type LinkRef =
  | { kind: 'wiki'; target: string; heading: string | null; alias: string | null; raw: string }
  | { kind: 'row-id'; id: string; raw: string };

/**
 * What a metric names: a numeric column of Rollout Windows, an event name, or a word for a family
 * of events (`continuity regressions`: every `….continuity.lost` event, as the seed's promote
 * criterion "no continuity regressions" names it).
 */
export type Metric =
  | { kind: 'column'; column: 'fallback rate' | 'p95' | 'missions' | 'fallbacks' | 'traffic'; label: string }
  | { kind: 'event'; name: string; label: string }
  | { kind: 'family'; name: string; suffix: string; label: string };

export type Comparator = '>' | '>=' | '<' | '<=' | '=';

export interface Condition {
  comparator: Comparator;
  value: number;
  /** `%`, `ms`, `s` or null when no unit was written. */
  unit: '%' | 'ms' | 's' | null;
}

export type WindowSpec =
  | { kind: 'missions'; n: number }
  | { kind: 'windows'; n: number }
  | { kind: 'consecutive'; n: number };

/** The value a cell of each type reads as. */
export interface CellValues {
  text: string;
  datetime: Date;
  date: Date;
  percent: number;
  integer: number;
  number: number;
  id: number;
  enum: string;
  gates: Gate[];
  links: LinkRef[];
  events: Map<string, number>;
  metric: Metric;
  condition: Condition;
  window: WindowSpec;
}

/** A cell read against its type: the value, or what was expected (one sentence, remark-lint style). */
export type CellResult<T> = { ok: true; value: T } | { ok: false; message: string };
