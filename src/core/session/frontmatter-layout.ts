/**
 * Where each top-level key of a note's frontmatter stands, so that one key can be rewritten alone
 * (the values are read by markdown/frontmatter.ts; this is only where to splice).
 */
import type { TextEdit } from '../edit/text-edit';
import { findFrontmatter, type FrontmatterBlock } from '../markdown/frontmatter';
import { frontmatterKeys, type FrontmatterKey } from '../markdown/frontmatter-keys';

export type { FrontmatterKey } from '../markdown/frontmatter-keys';

/** The frontmatter of a note, key by key; null when the note has none. */
export interface FrontmatterLayout {
  /** Offset of the closing fence line (where a new key goes). */
  closeFrom: number;
  /** Offset just after the closing fence line (where the body starts). */
  bodyFrom: number;
  eol: '\n' | '\r\n';
  keys: FrontmatterKey[];
}

/** The frontmatter's top-level keys with their lines (of the block found, else of the note's own). */
export function frontmatterLayout(text: string, block: FrontmatterBlock | null = findFrontmatter(text)): FrontmatterLayout | null {
  if (!block) return null;
  return { closeFrom: block.closeFrom, bodyFrom: block.bodyFrom, eol: block.eol, keys: frontmatterKeys(text, block) };
}

/** The edit that sets one top-level key to a value already written as YAML (it may span lines, `\n`-joined). */
export function setFrontmatterKey(layout: FrontmatterLayout, key: string, yaml: string): TextEdit {
  const text = `${key}:${yaml.startsWith('\n') ? '' : ' '}${yaml.split('\n').join(layout.eol)}${layout.eol}`;
  const found = layout.keys.find((k) => k.key === key);
  if (found) return { from: found.from, to: found.to, insert: text };
  return { from: layout.closeFrom, to: layout.closeFrom, insert: text };
}
