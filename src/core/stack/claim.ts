/** A note's role claim: its frontmatter `canon` value, read through markdown/frontmatter.ts. */
import { findFrontmatter, readFrontmatter, type YamlParse } from '../markdown/frontmatter';
import { frontmatterKeys } from '../markdown/frontmatter-keys';
import type { NoteEntry } from './resolve';

/** What a note's text says about its role, as `NoteEntry` holds it. */
export type NoteClaim = Pick<NoteEntry, 'canon' | 'canonLine' | 'frontmatterProblem'>;

/**
 * The `canon` value of a note's frontmatter values (from the one reader, or from Obsidian's metadata
 * cache): a string as it is; any other value as its text (`canon: 1e3` claims `1000`, which names no
 * role and is reported so); undefined when there is no value.
 */
export function claimOf(frontmatter: unknown): string | undefined {
  if (typeof frontmatter !== 'object' || frontmatter === null || Array.isArray(frontmatter)) return undefined;
  if (!Object.prototype.hasOwnProperty.call(frontmatter, 'canon')) return undefined;
  const value: unknown = (frontmatter as Record<string, unknown>).canon;
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  try {
    return JSON.stringify(value) ?? typeof value;
  } catch {
    // A list or map that holds itself (`a: &x [*x]`), or a value JSON has no text for.
    return typeof value;
  }
}

/**
 * Reads a note's claim from its text: the `canon` value and the line of its key; for frontmatter that
 * cannot be read, the problem (with the key's line when a `canon:` line stands in it). YAML without
 * the word `canon` claims nothing and is not parsed: a vault scan parses only the few notes that may
 * claim (a canonical note's frontmatter is checked by loadStack).
 */
export function readClaim(text: string, parseYaml: YamlParse): NoteClaim {
  const found = findFrontmatter(text);
  if (!found || !text.slice(found.yamlFrom, found.closeFrom).includes('canon')) return {};
  const read = readFrontmatter(text, parseYaml);
  const block = read.block;
  if (!block) return {};
  const keyLine = (): number | undefined => frontmatterKeys(text, block).find((k) => k.key === 'canon')?.line;
  if (!read.ok) {
    const line = keyLine();
    return { ...(line === undefined ? {} : { canonLine: line }), frontmatterProblem: read.problem };
  }
  const canon = claimOf(read.data);
  // A key YAML reads that no line shows as such (`? canon`) is put on the first line of the YAML.
  return canon === undefined ? {} : { canon, canonLine: keyLine() ?? 2 };
}
