/**
 * The top-level keys of a frontmatter block, line by line: where each stands, for the line of a
 * `canon:` claim and for splicing one key of a session note. Values are never read here (that is
 * frontmatter.ts's work); a session note is written only when these keys are the ones its YAML has.
 */
import { lineAt, type FrontmatterBlock } from './frontmatter';

/** One top-level key: its name (quotes removed), its 1-based line, and its lines (line ending included). */
export interface FrontmatterKey {
  key: string;
  line: number;
  from: number;
  /** Just past its value's last line that is not blank or a comment. */
  to: number;
}

// Linear on any line: a plain key ends at its last non-space before the colon (`[^:#]*[^\s:#]`, not a
// lazy `[^:#]*?` that retries `\s*:` over a run of spaces at every step), and the value starts after
// all the spaces (`(?!\s)`, so a value that fails `.*$` is not retried with fewer spaces). The same
// matches as `[^:#]*?\s*:(?:\s+(.*))?$`.
const TOP_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"-](?:[^:#]*[^\s:#])?|-[^\s:#](?:[^:#]*[^\s:#])?)\s*:(?:\s+(?!\s)(.*))?$/;

/** The block's top-level key lines, in order. */
export function frontmatterKeys(text: string, block: FrontmatterBlock): FrontmatterKey[] {
  const keys: FrontmatterKey[] = [];
  let current: FrontmatterKey | null = null;
  for (let from = block.yamlFrom, line = 2; from < block.closeFrom; line++) {
    const { end, next } = lineAt(text, from);
    const content = text.slice(from, end);
    const m = /^\s/.test(content) || content.startsWith('#') ? null : TOP_KEY.exec(content);
    if (m) {
      if (current) keys.push(current);
      current = { key: keyText(m[1] ?? ''), line, from, to: next };
    } else if (current) {
      const trimmed = content.trim();
      if (trimmed !== '' && !trimmed.startsWith('#')) current.to = next;
    }
    from = next;
  }
  if (current) keys.push(current);
  return keys;
}

/** A key as YAML reads it: a quoted key unquoted (JSON's escapes, which YAML's double quotes share). */
function keyText(raw: string): string {
  if (raw.startsWith("'")) return raw.slice(1, -1).replace(/''/g, "'");
  if (!raw.startsWith('"')) return raw.trim();
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value === 'string') return value;
  } catch {
    // An escape JSON lacks (`\x41`, `\e`): the key as written, which then names no key YAML read.
  }
  return raw.slice(1, -1);
}
