import type { CellType } from './cell-type';
import type { ColumnSchema, EntryKind, TableSchema } from './table-schema';

const text = { kind: 'text' } as const;
const optionalText = { type: text, optional: true };

/** A table as written below: column defaults (`aliases`, `optional`) left out. */
type TableSource = Omit<TableSchema, 'columns'> & { columns: (Pick<ColumnSchema, 'name' | 'type'> & Partial<ColumnSchema>)[] };

/**
 * A table with its defaults filled in, exactly as `TableSchema.parse` gives it (key order, frozen enum
 * values) — test/core/preset.test.ts holds the preset to the zod schema, which is not built at start-up.
 */
function withDefaults({ columns, orderedBy, ...table }: TableSource): TableSchema {
  const out: TableSchema = {
    ...table,
    columns: columns.map(({ name, aliases = [], type, optional = false }) => ({ name, aliases: [...aliases], type: cellType(type), optional })),
  };
  if (orderedBy !== undefined) out.orderedBy = orderedBy;
  return out;
}

function cellType(type: CellType): CellType {
  switch (type.kind) {
    case 'enum': return { kind: 'enum', values: Object.freeze([...type.values]) };
    case 'integer': case 'number': return type.min === undefined ? { kind: type.kind } : { kind: type.kind, min: type.min };
    case 'id': return { kind: 'id', prefix: type.prefix };
    default: return { kind: type.kind };
  }
}

/** The `phase-a` preset's tables (README "Design decisions"), as data (checked against the zod schema by the tests). */
const PHASE_A_TABLES: TableSchema[] = ([
  {
    kind: 'status', role: 'control-center', section: 'Status Log', entryName: 'status entry', orderedBy: 'Date',
    columns: [
      { name: 'Date', type: { kind: 'datetime' } },
      { name: 'Change', type: text },
      { name: 'Summary', type: text },
      { name: 'Gates', type: { kind: 'gates' } },
      { name: 'Evidence', type: { kind: 'links' }, optional: true },
    ],
  },
  {
    kind: 'decision', role: 'control-center', section: 'Decision Log', entryName: 'decision',
    columns: [
      { name: 'ID', type: { kind: 'id', prefix: 'D' } },
      { name: 'Date', type: { kind: 'date' } },
      { name: 'Decision', type: text },
      { name: 'Rationale', type: text },
      { name: 'Owner', type: text },
      { name: 'Status', type: { kind: 'enum', values: ['proposed', 'accepted', 'superseded', 'rejected'] } },
      { name: 'Supersedes', type: { kind: 'links' }, optional: true },
    ],
  },
  {
    kind: 'lesson', role: 'control-center', section: 'Lessons Learned', entryName: 'lesson',
    columns: [
      { name: 'Date', type: { kind: 'date' } },
      { name: 'Lesson', type: text },
      { name: 'Action', ...optionalText },
    ],
  },
  {
    kind: 'packet', role: 'implementation-plan', section: 'Work Packets', entryName: 'work packet',
    columns: [
      { name: 'Packet', type: { kind: 'id', prefix: 'P' } },
      { name: 'Goal', type: text },
      { name: 'Files', ...optionalText },
      { name: 'Verification', type: text },
      { name: 'Expected Evidence', type: text },
      { name: 'Status', type: { kind: 'enum', values: ['planned', 'in-progress', 'done', 'blocked'] } },
    ],
  },
  {
    kind: 'query', role: 'observability-playbook', section: 'Queries', entryName: 'playbook query',
    columns: [
      { name: 'Name', type: text },
      { name: 'Query', type: text },
      { name: 'Interpretation', type: text },
      { name: 'Recovery', type: text },
    ],
  },
  {
    kind: 'trigger', role: 'evidence-log', section: 'Rollback Triggers', entryName: 'rollback trigger',
    columns: [
      { name: 'Trigger', type: text },
      { name: 'Metric', type: { kind: 'metric' } },
      { name: 'Condition', type: { kind: 'condition' } },
      { name: 'Window', type: { kind: 'window' } },
      { name: 'Owner', type: text },
      { name: 'Response', type: text },
      // How often the metric is observed (seed §7 "broaden with guardrails"): needed when a window broadens traffic.
      { name: 'Cadence', ...optionalText },
    ],
  },
  {
    kind: 'evidence', role: 'evidence-log', section: 'Rollout Windows', entryName: 'evidence window',
    columns: [
      { name: 'Window', type: { kind: 'id', prefix: 'W' } },
      { name: 'Start', type: { kind: 'datetime' } },
      { name: 'End', type: { kind: 'datetime' } },
      { name: 'Traffic', type: { kind: 'percent' } },
      { name: 'Missions', type: { kind: 'integer', min: 0 } },
      { name: 'Fallbacks', type: { kind: 'integer', min: 0 } },
      { name: 'Fallback Rate', type: { kind: 'percent' } },
      { name: 'p95 (ms)', aliases: ['p95', 'p95 latency'], type: { kind: 'number', min: 0 } },
      { name: 'Events', type: { kind: 'events' }, optional: true },
      { name: 'Decision', type: { kind: 'enum', values: ['promote', 'hold', 'rollback'] } },
      { name: 'Notes', ...optionalText },
    ],
  },
] satisfies TableSource[]).map(withDefaults);

/** A preset: the stack's file-name prefixes and its tables. */
export interface Preset {
  name: 'phase-a';
  prefixes: Record<string, string>;
  tables: readonly TableSchema[];
}

export const PHASE_A: Preset = {
  name: 'phase-a',
  prefixes: {
    'control-center': '00',
    'implementation-plan': '02',
    'observability-playbook': '03',
    'evidence-log': '04',
    'operating-model': '05',
  },
  tables: PHASE_A_TABLES,
};

/** The table schema for an entry kind. */
export function tableFor(preset: Preset, kind: EntryKind): TableSchema {
  const schema = preset.tables.find((t) => t.kind === kind);
  if (!schema) throw new Error(`preset ${preset.name} has no ${kind} table`);
  return schema;
}
