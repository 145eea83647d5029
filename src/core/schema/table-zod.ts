// The zod schemas of a table schema: what the preset's tables are checked against (in the tests,
// test/core/preset.test.ts) and where the TableSchema and ColumnSchema types come from. Kept apart
// from table-schema.ts so that a command does not build them at start-up.
import * as z from 'zod/mini';
import { ROLES } from '../stack/roles';
import { ENTRY_KINDS } from './entry-kinds';

const CellTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('text') }),
  z.object({ kind: z.literal('datetime') }),
  z.object({ kind: z.literal('date') }),
  z.object({ kind: z.literal('percent') }),
  z.object({ kind: z.literal('integer'), min: z.optional(z.number()) }),
  z.object({ kind: z.literal('number'), min: z.optional(z.number()) }),
  z.object({ kind: z.literal('id'), prefix: z.string().check(z.regex(/^[A-Z]+$/)) }),
  z.object({ kind: z.literal('enum'), values: z.readonly(z.array(z.string()).check(z.minLength(1))) }),
  z.object({ kind: z.literal('gates') }),
  z.object({ kind: z.literal('links') }),
  z.object({ kind: z.literal('events') }),
  z.object({ kind: z.literal('metric') }),
  z.object({ kind: z.literal('condition') }),
  z.object({ kind: z.literal('window') }),
]);

/** One column of a canonical table. */
export const ColumnSchema = z.object({
  name: z.string().check(z.minLength(1)),
  aliases: z._default(z.array(z.string()), []),
  type: CellTypeSchema,
  optional: z._default(z.boolean(), false),
});

/** A canonical table: where it lives (role + section) and its columns. */
export const TableSchema = z.object({
  kind: z.enum(ENTRY_KINDS),
  role: z.enum(ROLES),
  section: z.string().check(z.minLength(1)),
  /** What a form or message calls one row ("status entry"). */
  entryName: z.string().check(z.minLength(1)),
  columns: z.array(ColumnSchema).check(z.minLength(1)),
  /** A column whose values must not decrease down the table. */
  orderedBy: z.optional(z.string()),
});
