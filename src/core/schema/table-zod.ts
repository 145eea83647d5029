// The zod schemas of a table schema: what the preset's tables are checked against (in the tests,
// test/core/preset.test.ts) and where the TableSchema and ColumnSchema types come from. Kept apart
// from table-schema.ts so that a command does not build them at start-up.
import * as z from 'zod';
import { ROLES } from '../stack/roles';
import { ENTRY_KINDS } from './table-schema';

const CellTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text') }),
  z.object({ kind: z.literal('datetime') }),
  z.object({ kind: z.literal('date') }),
  z.object({ kind: z.literal('percent') }),
  z.object({ kind: z.literal('integer'), min: z.number().optional() }),
  z.object({ kind: z.literal('number'), min: z.number().optional() }),
  z.object({ kind: z.literal('id'), prefix: z.string().regex(/^[A-Z]+$/) }),
  z.object({ kind: z.literal('enum'), values: z.array(z.string()).min(1).readonly() }),
  z.object({ kind: z.literal('gates') }),
  z.object({ kind: z.literal('links') }),
  z.object({ kind: z.literal('events') }),
  z.object({ kind: z.literal('metric') }),
  z.object({ kind: z.literal('condition') }),
  z.object({ kind: z.literal('window') }),
]);

/** One column of a canonical table. */
export const ColumnSchema = z.object({
  name: z.string().min(1),
  aliases: z.array(z.string()).default([]),
  type: CellTypeSchema,
  optional: z.boolean().default(false),
});

/** A canonical table: where it lives (role + section) and its columns. */
export const TableSchema = z.object({
  kind: z.enum(ENTRY_KINDS),
  role: z.enum(ROLES),
  section: z.string().min(1),
  /** What a form or message calls one row ("status entry"). */
  entryName: z.string().min(1),
  columns: z.array(ColumnSchema).min(1),
  /** A column whose values must not decrease down the table. */
  orderedBy: z.string().optional(),
});
