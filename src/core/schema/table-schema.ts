import type * as z from 'zod/mini';
import type { ColumnSchema as ColumnZod, TableSchema as TableZod } from './table-zod';

export { ENTRY_KINDS, type EntryKind } from './entry-kinds';

/** One column of a canonical table (the zod schemas are in table-zod.ts). */
export type ColumnSchema = z.infer<typeof ColumnZod>;
/** A canonical table: where it lives (role + section) and its columns. */
export type TableSchema = z.infer<typeof TableZod>;

/** Matching key for header cells: case-insensitive, whitespace collapsed (README "Design decisions"). */
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
