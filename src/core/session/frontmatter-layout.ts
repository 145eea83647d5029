/** Where each top-level key of a note's frontmatter stands, so one key can be rewritten alone. */
import type { TextEdit } from '../edit/text-edit';
import { parseYamlValue, yamlKey, type YamlValue } from './yaml-lite';

/** One top-level key: the lines from its own to its value's last line (line ending included). */
export interface FrontmatterKey {
  key: string;
  from: number;
  to: number;
  value: YamlValue;
}

/** The frontmatter of a note, key by key; null when the note has none. */
export interface FrontmatterLayout {
  /** Offset of the closing fence line (where a new key goes). */
  closeFrom: number;
  /** Offset just after the closing fence line (where the body starts). */
  bodyFrom: number;
  eol: '\n' | '\r\n';
  keys: FrontmatterKey[];
}

interface Line { from: number; to: number; next: number; text: string }

function splitLines(text: string): Line[] {
  const lines: Line[] = [];
  let from = 0;
  while (from < text.length) {
    const nl = text.indexOf('\n', from);
    const next = nl < 0 ? text.length : nl + 1;
    const to = nl < 0 ? text.length : nl > from && text.charAt(nl - 1) === '\r' ? nl - 1 : nl;
    lines.push({ from, to, next, text: text.slice(from, to) });
    from = next;
  }
  return lines;
}

// Linear on any line: a plain key ends at its last non-space before the colon (`[^:#]*[^\s:#]`, not a
// lazy `[^:#]*?` that retries `\s*:` over a run of spaces at every step), and the value starts after
// all the spaces (`(?!\s)`, so a value that fails `.*$` is not retried with fewer spaces). The same
// matches as `[^:#]*?\s*:(?:\s+(.*))?$`.
const TOP_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"-](?:[^:#]*[^\s:#])?|-[^\s:#](?:[^:#]*[^\s:#])?)\s*:(?:\s+(?!\s)(.*))?$/;

/** Reads the frontmatter's top-level keys with their offsets and values (see yaml-lite for the subset). */
export function frontmatterLayout(text: string): FrontmatterLayout | null {
  const lines = splitLines(text);
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (lines[0]?.text.slice(start).trimEnd() !== '---') return null;
  const close = lines.findIndex((l, i) => i > 0 && /^(---|\.\.\.)\s*$/.test(l.text));
  const fence = lines[close];
  if (close < 0 || !fence) return null;
  const eol = text.charAt((lines[0]?.to ?? 0)) === '\r' ? '\r\n' : '\n';
  const keys: FrontmatterKey[] = [];
  let current: { key: string; from: number; next: number; inline: string; body: Line[] } | null = null;
  const finish = (): void => {
    if (!current) return;
    const last = [...current.body].reverse().find((l) => l.text.trim() !== '' && !l.text.trim().startsWith('#'));
    const to = last ? last.next : current.next;
    const value = parseYamlValue(current.inline, current.body.map((l) => l.text));
    keys.push({ key: current.key, from: current.from, to, value });
  };
  for (const line of lines.slice(1, close)) {
    const m = /^\s/.test(line.text) || line.text.startsWith('#') ? null : TOP_KEY.exec(line.text);
    if (m) {
      finish();
      current = { key: yamlKey(m[1] ?? ''), from: line.from, next: line.next, inline: m[2] ?? '', body: [] };
    } else current?.body.push(line);
  }
  finish();
  return { closeFrom: fence.from, bodyFrom: fence.next, eol, keys };
}


/** The edit that sets one top-level key to a value already written as YAML (it may span lines, `\n`-joined). */
export function setFrontmatterKey(layout: FrontmatterLayout, key: string, yaml: string): TextEdit {
  const text = `${key}:${yaml.startsWith('\n') ? '' : ' '}${yaml.split('\n').join(layout.eol)}${layout.eol}`;
  const found = layout.keys.find((k) => k.key === key);
  if (found) return { from: found.from, to: found.to, insert: text };
  return { from: layout.closeFrom, to: layout.closeFrom, insert: text };
}
