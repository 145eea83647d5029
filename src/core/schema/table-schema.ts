import * as z from 'zod';
import { ROLES } from '../stack/roles';

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

/** The entry kinds of `canon add` and the plugin's forms, one per canonical table. */
export const ENTRY_KINDS = ['status', 'decision', 'lesson', 'evidence', 'packet', 'query', 'trigger'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];

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

export type ColumnSchema = z.infer<typeof ColumnSchema>;
export type TableSchema = z.infer<typeof TableSchema>;

/** Matching key for header cells: case-insensitive, whitespace collapsed (SPEC §1). */
export function headerKey(text: string): string {
  return text.trim().replace(/\s+/g, ' ').toLowerCase();
}

/** The column a header cell (or a `--set` name) names, or undefined. */
export function findColumn(schema: TableSchema, name: string): ColumnSchema | undefined {
  const key = headerKey(name);
  return schema.columns.find((c) => headerKey(c.name) === key || c.aliases.some((a) => headerKey(a) === key));
}

/** The table's id column, if it has one. */
export function idColumn(schema: TableSchema): ColumnSchema | undefined {
  return schema.columns.find((c) => c.type.kind === 'id');
}
