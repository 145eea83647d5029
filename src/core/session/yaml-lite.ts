/**
 * The subset of YAML a session note's frontmatter uses, read without a YAML dependency: plain,
 * single- and double-quoted scalars, flow lists and maps (JSON is one), block lists and block maps.
 * Obsidian's property editor rewrites flow values in block style; both read the same here.
 */

/** A YAML value as the session note uses it. */
export type YamlValue = string | number | boolean | null | YamlValue[] | { [key: string]: YamlValue };

/** Parses the value of one key: the text after `key:` on its line, then its more indented lines. */
export function parseYamlValue(inline: string, lines: readonly string[]): YamlValue {
  const head = inline.trim();
  if (head.startsWith('|') || head.startsWith('>')) {
    const body = dedent(lines.filter((l) => l.trim() !== ''));
    return body.join(head.startsWith('|') ? '\n' : ' ');
  }
  // A scalar or flow collection may go on over more indented lines (folded with spaces, as YAML does).
  if (head !== '' && !head.startsWith('#')) return flowDocument([head, ...lines.map((l) => l.trim()).filter((l) => l !== '')]);
  return parseBlock(lines.filter((l) => l.trim() !== '' && !l.trim().startsWith('#')));
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function dedent(lines: readonly string[]): string[] {
  // A loop, not Math.min(...): spreading some 100k lines as arguments overflows the stack.
  let min = Infinity;
  for (const line of lines) min = Math.min(min, indentOf(line));
  return lines.map((l) => l.slice(min).trimEnd());
}

const SEQ_ITEM = /^-(?:\s|$)/;
// Linear on any line (see TOP_KEY in frontmatter-layout.ts): the key ends at its last non-space
// before the colon and the value starts after all the spaces; the same matches as
// `[^:#]*?\s*:(?:\s+(.*))?$`.
const MAP_KEY = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*'|[^\s#'"{[](?:[^:#]*[^\s:#])?)\s*:(?:\s+(?!\s)(.*))?$/;

/** A block list or map: items at the first line's indentation own the deeper lines below them. */
function parseBlock(lines: readonly string[]): YamlValue {
  const first = lines[0];
  if (first === undefined) return null;
  const base = indentOf(first);
  const groups: { head: string; rest: string[] }[] = [];
  for (const line of lines) {
    const last = groups[groups.length - 1];
    const own = indentOf(line) <= base && !(last && indentOf(line) === base && SEQ_ITEM.test(line.trim()) && !SEQ_ITEM.test(first.trim()));
    if (own || !last) groups.push({ head: line.trim(), rest: [] });
    else last.rest.push(line);
  }
  if (SEQ_ITEM.test(first.trim())) return groups.map((g) => blockItem(g.head.slice(1).trim(), g.rest));
  const map: { [key: string]: YamlValue } = {};
  for (const g of groups) {
    const m = MAP_KEY.exec(g.head);
    if (!m) continue;
    map[yamlKey(m[1] ?? '')] = parseYamlValue(m[2] ?? '', g.rest);
  }
  return map;
}

/** A list item: an inline value, a nested block, or a map starting on the dash line (`- key: value`). */
function blockItem(content: string, rest: string[]): YamlValue {
  if (content === '') return parseBlock(rest);
  if (MAP_KEY.test(content) && !/^["'{[]/.test(content)) {
    const pad = rest[0] === undefined ? 0 : indentOf(rest[0]);
    return parseBlock([' '.repeat(pad) + content, ...rest]);
  }
  return parseYamlValue(content, rest);
}

/** A mapping key as written: quotes removed from a quoted one. */
export function yamlKey(raw: string): string {
  if (!raw.startsWith('"') && !raw.startsWith("'")) return raw.trim();
  const value = new FlowReader(raw).document();
  return typeof value === 'string' ? value : raw;
}

/** Reads lines folded into one flow text; a `#` comment in a flow collection ends with its line. */
function flowDocument(lines: readonly string[]): YamlValue {
  const ends: number[] = [];
  let at = 0;
  for (const line of lines) {
    at += line.length;
    ends.push(at);
    at += 1;
  }
  return new FlowReader(lines.join(' '), ends).document();
}

/** A plain scalar's type: integers and decimals, booleans, null; anything else is a string. */
function plain(text: string): YamlValue {
  const t = text.trim();
  if (/^[-+]?\d+(\.\d+)?$/.test(t)) return Number(t);
  if (/^(true|false)$/i.test(t)) return t.toLowerCase() === 'true';
  if (t === '' || t === '~' || /^null$/i.test(t)) return null;
  return t;
}

/** Flow collections nested deeper than this read as plain text: `[[[[…` must not overflow the stack. */
const MAX_FLOW_DEPTH = 64;

const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '0': '\0', e: '\u001b', '/': '/', '\\': '\\', '"': '"', ' ': ' ', _: '\u00a0', N: '\u0085' };

/** Reads one inline value: a flow collection, a quoted scalar or a plain scalar (up to a ` #` comment). */
class FlowReader {
  private at = 0;
  private depth = 0;
  /** Offsets where the folded lines ended (ascending), and the next one to look at. */
  private lineEnd = 0;

  constructor(
    private readonly text: string,
    private readonly lineEnds: readonly number[] = [],
  ) {}

  document(): YamlValue {
    return this.value(false);
  }

  private value(inFlow: boolean): YamlValue {
    this.skipSpace();
    const c = this.text.charAt(this.at);
    if ((c === '[' || c === '{') && this.depth < MAX_FLOW_DEPTH) {
      this.depth++;
      const collection = c === '[' ? this.list() : this.map();
      this.depth--;
      return collection;
    }
    if (c === '"') return this.doubleQuoted();
    if (c === "'") return this.singleQuoted();
    return plain(this.plainText(inFlow, false));
  }

  private list(): YamlValue[] {
    const out: YamlValue[] = [];
    this.at++;
    for (;;) {
      this.skipSpace();
      const c = this.text.charAt(this.at);
      if (c === ']' || c === '') { this.at++; return out; }
      if (c === ',') { this.at++; continue; }
      if (this.skipComment()) continue;
      const from = this.at;
      const value = this.value(true);
      // A stray `}` reads as nothing: skipped, so that the loop always moves on.
      if (this.at === from) this.at++;
      else out.push(value);
    }
  }

  private map(): { [key: string]: YamlValue } {
    const out: { [key: string]: YamlValue } = {};
    this.at++;
    for (;;) {
      this.skipSpace();
      const c = this.text.charAt(this.at);
      if (c === '}' || c === '') { this.at++; return out; }
      if (c === ',') { this.at++; continue; }
      if (this.skipComment()) continue;
      // A stray `]` reads as nothing: skipped, so that the loop always moves on.
      if (c === ']') { this.at++; continue; }
      const key = c === '"' ? this.doubleQuoted() : c === "'" ? this.singleQuoted() : this.plainText(true, true);
      this.skipSpace();
      if (this.text.charAt(this.at) === ':') this.at++;
      this.skipSpace();
      const next = this.text.charAt(this.at);
      out[String(key)] = next === ',' || next === '}' ? null : this.value(true);
    }
  }

  private doubleQuoted(): string {
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text.charAt(this.at);
      if (c === '"') { this.at++; return out; }
      if (c !== '\\') { out += c; continue; }
      const e = this.text.charAt(++this.at);
      const hex = e === 'x' ? 2 : e === 'u' ? 4 : e === 'U' ? 8 : 0;
      if (hex > 0) {
        out += String.fromCodePoint(parseInt(this.text.slice(this.at + 1, this.at + 1 + hex), 16) || 0xfffd);
        this.at += hex;
      } else out += ESCAPES[e] ?? e;
    }
    return out;
  }

  private singleQuoted(): string {
    let out = '';
    for (this.at++; this.at < this.text.length; this.at++) {
      const c = this.text.charAt(this.at);
      if (c !== "'") { out += c; continue; }
      if (this.text.charAt(this.at + 1) !== "'") { this.at++; return out; }
      out += "'";
      this.at++;
    }
    return out;
  }

  private plainText(inFlow: boolean, isKey: boolean): string {
    const start = this.at;
    while (this.at < this.text.length) {
      const c = this.text.charAt(this.at);
      if (inFlow && (c === ',' || c === ']' || c === '}')) break;
      if (isKey && c === ':') break;
      if (c === '#' && /\s/.test(this.text.charAt(this.at - 1))) break;
      this.at++;
    }
    return this.text.slice(start, this.at).trim();
  }

  /** At a `#` after a space (a comment): skips to the end of its line, or of the text. */
  private skipComment(): boolean {
    if (this.text.charAt(this.at) !== '#' || !/\s/.test(this.text.charAt(this.at - 1))) return false;
    const ends = this.lineEnds;
    while (this.lineEnd < ends.length && (ends[this.lineEnd] as number) <= this.at) this.lineEnd++;
    this.at = ends[this.lineEnd] ?? this.text.length;
    return true;
  }

  private skipSpace(): void {
    while (this.at < this.text.length && /\s/.test(this.text.charAt(this.at))) this.at++;
  }
}
