/**
 * parseYaml and stringifyYaml: the simple YAML subset notes' frontmatter uses.
 */

import type { Dict } from './host';

// ──────────────────────────────────── YAML (the simple subset) ────────────────────────────────────

interface YamlLine {
  indent: number;
  text: string;
  no: number;
}

/** Parses the YAML notes use: maps, nested maps, block and flow lists, quoted and plain scalars, `|`/`>` blocks. */
export function parseYaml(yaml: string): unknown {
  const raw = yaml.split(/\r\n|\n|\r/);
  const lines: YamlLine[] = [];
  raw.forEach((line, i) => {
    if (/^\s*(#.*)?$/.test(line)) return;
    if (/^\t/.test(line)) throw new Error(`YAML line ${i + 1}: tabs are not allowed for indentation`);
    lines.push({ indent: line.length - line.trimStart().length, text: line.trim(), no: i });
  });
  if (lines.length === 0) return null;
  const first = lines[0];
  const [value, next] = parseYamlBlock(lines, raw, 0, first ? first.indent : 0);
  const rest = lines[next];
  if (rest) throw new Error(`YAML line ${rest.no + 1}: unexpected indentation`);
  return value;
}

const YAML_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"[\]{},][^:#]*?|[^\s:#'"[\]{},])\s*:(?:\s+(.*))?$/;

function isYamlSeqItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

function parseYamlBlock(lines: YamlLine[], raw: string[], start: number, indent: number): [unknown, number] {
  const first = lines[start];
  if (!first) return [null, start];
  if (isYamlSeqItem(first.text)) return parseYamlSeq(lines, raw, start, indent);
  return parseYamlMap(lines, raw, start, indent);
}

function parseYamlMap(lines: YamlLine[], raw: string[], start: number, indent: number): [Dict, number] {
  const out: Dict = {};
  let i = start;
  for (let line = lines[i]; line && line.indent === indent && !isYamlSeqItem(line.text); line = lines[i]) {
    const m = YAML_KEY.exec(line.text);
    if (!m) throw new Error(`YAML line ${line.no + 1}: expected "key: value", found "${line.text}"`);
    const key = String(yamlScalar(m[1] ?? ''));
    const rest = stripYamlComment(m[2] ?? '');
    i++;
    const next = lines[i];
    if (/^[|>][+-]?$/.test(rest)) {
      [out[key], i] = yamlBlockScalar(lines, raw, i, indent, rest);
    } else if (rest !== '') {
      out[key] = yamlFlowOrScalar(rest);
    } else if (next && (next.indent > indent || (next.indent === indent && isYamlSeqItem(next.text)))) {
      [out[key], i] = parseYamlBlock(lines, raw, i, next.indent);
    } else {
      out[key] = null;
    }
  }
  return [out, i];
}

function parseYamlSeq(lines: YamlLine[], raw: string[], start: number, indent: number): [unknown[], number] {
  const out: unknown[] = [];
  let i = start;
  for (let line = lines[i]; line && line.indent === indent && isYamlSeqItem(line.text); line = lines[i]) {
    const rest = line.text.slice(1).trim();
    if (rest === '') {
      i++;
      const next = lines[i];
      if (next && next.indent > indent) [out[out.length], i] = parseYamlBlock(lines, raw, i, next.indent);
      else out.push(null);
    } else if (YAML_KEY.test(rest) && !/^["'[{]/.test(rest)) {
      // "- key: value" opens a map whose keys line up with `key`.
      const itemIndent = indent + (line.text.length - rest.length);
      const sub = [{ indent: itemIndent, text: rest, no: line.no }, ...lines.slice(i + 1)];
      const [map, used] = parseYamlMap(sub, raw, 0, itemIndent);
      out.push(map);
      i += used;
    } else {
      out.push(yamlFlowOrScalar(stripYamlComment(rest)));
      i++;
    }
  }
  return [out, i];
}

function yamlBlockScalar(lines: YamlLine[], raw: string[], i: number, indent: number, style: string): [string, number] {
  const first = lines[i];
  if (!first || first.indent <= indent) return ['', i];
  let j = i;
  while (lines[j] && (lines[j]?.indent ?? 0) > indent) j++;
  const from = first.no;
  const to = (lines[j - 1]?.no ?? from) + 1;
  const body = raw.slice(from, to).map((l) => l.slice(first.indent));
  const text = style.startsWith('|') ? body.join('\n') : body.join(' ');
  return [style.endsWith('-') ? text : `${text}\n`, j];
}

function stripYamlComment(text: string): string {
  if (/^["']/.test(text)) return text;
  const i = text.search(/\s#/);
  return (i >= 0 ? text.slice(0, i) : text).trim();
}

function yamlFlowOrScalar(text: string): unknown {
  if (text.startsWith('[') && text.endsWith(']')) return splitYamlFlow(text.slice(1, -1)).map(yamlFlowOrScalar);
  if (text.startsWith('{') && text.endsWith('}')) {
    const out: Dict = {};
    for (const part of splitYamlFlow(text.slice(1, -1))) {
      const m = /^([^:]+?)\s*:\s*(.*)$/.exec(part);
      if (!m) throw new Error(`YAML: expected "key: value" in "${text}"`);
      out[String(yamlScalar(m[1] ?? ''))] = yamlFlowOrScalar(m[2] ?? '');
    }
    return out;
  }
  return yamlScalar(text);
}

function splitYamlFlow(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | null = null;
  let current = '';
  for (const ch of text) {
    if (quote) {
      if (ch === quote) quote = null;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
    } else if (ch === '[' || ch === '{') {
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
    } else if (ch === ',' && depth === 0) {
      parts.push(current.trim());
      current = '';
      continue;
    }
    current += ch;
  }
  if (current.trim() !== '') parts.push(current.trim());
  return parts;
}

function yamlScalar(text: string): unknown {
  const t = text.trim();
  if (t.startsWith('"')) {
    if (!t.endsWith('"') || t.length < 2) throw new Error(`YAML: unterminated string ${t}`);
    return JSON.parse(t) as string;
  }
  if (t.startsWith("'")) {
    if (!t.endsWith("'") || t.length < 2) throw new Error(`YAML: unterminated string ${t}`);
    return t.slice(1, -1).replace(/''/g, "'");
  }
  if (t === '' || t === '~' || /^null$/i.test(t)) return null;
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t)) return Number(t);
  return t;
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
