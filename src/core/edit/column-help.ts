/**
 * What a column takes, for `canon add --help` and the plugin's entry forms: its type in a few
 * words, its enum values, an example value that the column's type accepts, and what Canon fills
 * in when it is left empty.
 */
import type { CellType } from '../schema/cell-type';
import type { ColumnSchema, EntryKind, TableSchema } from '../schema/table-schema';

export interface ColumnHelp {
  name: string;
  optional: boolean;
  /** `datetime (yyyy-MM-dd HH:mm)`, `enum`, `condition (comparator, number, unit)`. */
  type: string;
  /** The enum's values, else null. */
  values: readonly string[] | null;
  /** A value the column accepts, as a user would write it. */
  example: string;
  /** What an empty cell becomes on an add (`the next id`, `now`, `planned`), else null. */
  filled: string | null;
}

/**
 * Enum cells a new entry gets when left empty (README "Command line"): a new packet is `planned`, a new decision
 * `proposed` — what a row is before anyone has worked on it or agreed to it.
 */
export const ENUM_DEFAULTS: Readonly<Partial<Record<EntryKind, Readonly<Record<string, string>>>>> = {
  packet: { Status: 'planned' },
  decision: { Status: 'proposed' },
};

/** Examples from the example vault, by entry kind and column. */
const EXAMPLES: Readonly<Partial<Record<EntryKind, Readonly<Record<string, string>>>>> = {
  status: { Change: 'Cancellation-safe handoff', Summary: 'Handoff cancels cleanly; unit tests green', Gates: 'G1, G2', Evidence: 'P-4, W-11' },
  decision: { ID: 'D-6', Date: '2026-11-16', Decision: 'Promote to 50 % traffic', Rationale: 'Every trigger ok over W-9 to W-11', Owner: 'Dragan', Status: 'accepted', Supersedes: 'D-4' },
  lesson: { Lesson: 'A cold cache after a deploy pushes p95 up for one window', Action: 'Warm the cache on deploy (P-3)' },
  packet: { Packet: 'P-7', Goal: 'Cancellation-safe handoff', Files: 'src/vp/handoff.ts', Verification: 'npm test -- handoff', 'Expected Evidence': 'No handoff_timeout failures over three windows', Status: 'in-progress' },
  query: { Name: 'Failed missions', Query: '`events | where name == "vp.mission.failed"`', Interpretation: 'One failure is an anomaly to explain', Recovery: 'Roll back to 5 %; attach the traces to a packet' },
  trigger: { Trigger: 'Fallback rate over rolling 20 missions', Metric: 'fallback rate', Condition: '> 10%', Window: '20 missions', Owner: 'Mara (VP on-call)', Response: 'Roll traffic back one step', Cadence: 'Every window, read at its end' },
  evidence: { Window: 'W-11', Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '180', Fallbacks: '6', 'Fallback Rate': '3.33%', 'p95 (ms)': '630', Events: 'vp.mission.failed=0, vp.mission.completed=180', Decision: 'hold', Notes: 'Holding for a week (D-5)' },
};

/** The help of one column of a table. */
export function columnHelp(schema: TableSchema, column: ColumnSchema): ColumnHelp {
  const type = column.type;
  return {
    name: column.name,
    optional: column.optional,
    type: typeLabel(type),
    values: type.kind === 'enum' ? type.values : null,
    example: columnExample(schema, column),
    filled: filledWith(schema, column),
  };
}

/** A value the column takes, as a user would write it (the forms' placeholders: no more of the help than this). */
export function columnExample(schema: TableSchema, column: ColumnSchema): string {
  return EXAMPLES[schema.kind]?.[column.name] ?? exampleOf(column.type);
}

/** A type in a few words. */
export function typeLabel(type: CellType): string {
  switch (type.kind) {
    case 'text': return 'text';
    case 'datetime': return 'datetime (yyyy-MM-dd HH:mm)';
    case 'date': return 'date (yyyy-MM-dd)';
    case 'percent': return 'percent (0 to 100, % optional)';
    case 'integer': return type.min === undefined ? 'whole number' : `whole number ≥ ${type.min}`;
    case 'number': return type.min === undefined ? 'number' : `number ≥ ${type.min}`;
    case 'id': return `id (${type.prefix}-<n>)`;
    case 'enum': return `one of ${type.values.join(' | ')}`;
    case 'gates': return 'gates (G1…G5, or none)';
    case 'links': return 'links (wiki links or row ids)';
    case 'events': return 'event counts (name=count, …)';
    case 'metric': return 'metric (a Rollout Windows column or an event name)';
    case 'condition': return 'condition (comparator, number, unit)';
    case 'window': return 'window (n missions, n windows, n consecutive windows)';
  }
}

function exampleOf(type: CellType): string {
  switch (type.kind) {
    case 'text': return 'text';
    case 'datetime': return '2026-11-16 09:00';
    case 'date': return '2026-11-16';
    case 'percent': return '25%';
    case 'integer': return '180';
    case 'number': return '630';
    case 'id': return `${type.prefix}-12`;
    case 'enum': return type.values[0] ?? '';
    case 'gates': return 'G1, G2';
    case 'links': return 'W-11, [[Handoff timeout postmortem]]';
    case 'events': return 'vp.mission.failed=2, vp.mission.completed=118';
    case 'metric': return 'fallback rate';
    case 'condition': return '> 10%';
    case 'window': return '20 missions';
  }
}

/** What an add fills in when the column is left empty (see `fillDefaults` in append-entry.ts). */
function filledWith(schema: TableSchema, column: ColumnSchema): string | null {
  if (column.type.kind === 'id') return 'the next id';
  const firstDate = schema.columns.find((c) => c.type.kind === 'date' || c.type.kind === 'datetime');
  if (firstDate === column) return column.type.kind === 'date' ? 'today' : 'now';
  if (schema.kind === 'evidence' && column.name === 'Fallback Rate') return 'Fallbacks / Missions';
  return ENUM_DEFAULTS[schema.kind]?.[column.name] ?? null;
}
