/**
 * parseYaml and stringifyYaml. Obsidian's parseYaml is js-yaml's; the fake's is the `yaml` package's
 * parse (YAML 1.2, core schema), the parser the CLI and the tests give the core's frontmatter reader:
 * the tests are not bundled, so the fake may use it, and no hand-written subset stands in for either.
 * Like js-yaml it throws on YAML that is not valid (duplicate keys included); unlike js-yaml's
 * default schema it reads `2026-01-05` as a string, as Obsidian's properties do.
 */

import { parse } from 'yaml';
import type { Dict } from './host';

/** Parses YAML as Obsidian's `parseYaml` does (see above); throws on YAML that is not valid. */
export function parseYaml(yaml: string): unknown {
  return parse(yaml) as unknown;
}

/** What a plain scalar reads as. */
function yamlScalar(text: string): unknown {
  try {
    return parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** Writes a value as YAML (block style), quoting strings that would read back as something else. */
export function stringifyYaml(obj: unknown): string {
  return `${yamlLines(obj, 0).join('\n')}\n`;
}

function yamlLines(value: unknown, indent: number): string[] {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return [`${pad}[]`];
    return value.flatMap((item: unknown) => {
      if (isPlainObject(item) && Object.keys(item).length > 0) {
        const [first = '', ...rest] = yamlLines(item, indent + 2);
        return [`${pad}- ${first.trimStart()}`, ...rest];
      }
      return isPlainObject(item) || Array.isArray(item) ? [`${pad}-`, ...yamlLines(item, indent + 2)] : [`${pad}- ${yamlScalarText(item)}`];
    });
  }
  if (isPlainObject(value)) {
    if (Object.keys(value).length === 0) return [`${pad}{}`];
    return Object.entries(value).flatMap(([key, item]) => {
      const k = yamlScalarText(key);
      if (Array.isArray(item) && item.length > 0) return [`${pad}${k}:`, ...yamlLines(item, indent + 2)];
      if (isPlainObject(item) && Object.keys(item).length > 0) return [`${pad}${k}:`, ...yamlLines(item, indent + 2)];
      if (Array.isArray(item)) return [`${pad}${k}: []`];
      if (isPlainObject(item)) return [`${pad}${k}: {}`];
      return [`${pad}${k}: ${yamlScalarText(item)}`];
    });
  }
  return [`${pad}${yamlScalarText(value)}`];
}

export function isPlainObject(value: unknown): value is Dict {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function yamlScalarText(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const plain = /^[^\s\-?:,[\]{}#&*!|>'"%@`][^:#\n]*$/.test(text) && !/\s$/.test(text) && yamlScalar(text) === text;
  return plain ? text : JSON.stringify(text);
}
