/**
 * The plain subset of YAML, read without a parser: top-level `key: value` lines, whose keys are plain
 * words and whose values are plain, single-quoted or double-quoted scalars on one line, with comments
 * and blank lines between. Within it, `yaml` (YAML 1.2, core schema) and js-yaml (Obsidian's parser)
 * read the same values; test/core/frontmatter.property.test.ts holds this reader to `yaml`.
 *
 * Outside it the reader declines (null: "needs a full parser") rather than guess: indentation, block
 * and flow collections, block scalars, anchors, aliases, tags, directives, values over several lines,
 * escapes, duplicate keys, keys of over 1,000 characters, and plain values whose type the schemas may
 * read differently (`1e3`, `0x1F`, `1_000`, `.5`, `yes`, `2026-01-05`).
 */

/** A value the plain reader gives. */
export type PlainValue = string | number | boolean | null;

/** A plain key: words of letters, digits, `_` and `-`, single spaces between (not a YAML null or boolean word). */
const KEY = /^[A-Za-z_][\w-]*(?: [\w-]+)*$/;
const KEY_WORDS = new Set(['null', 'true', 'false', 'yes', 'no', 'on', 'off', 'y', 'n']);
const MAX_KEY = 1000;
/** Decimal numbers both schemas read alike (and exactly, at 15 digits). */
const NUMBER = /^(?:0|-?[1-9]\d{0,14})(?:\.\d{1,15})?$/;
/** YAML 1.1 booleans: strings in YAML 1.2, so a parser may read them either way. */
const WORDS_1_1 = /^(?:y|Y|yes|Yes|YES|n|N|no|No|NO|on|On|ON|off|Off|OFF)$/;
/** After a closing quote: spaces, then a comment or nothing. */
const TAIL = /^(?: +#.*| *)$/;

/** The frontmatter's top-level keys and values, or null when the YAML is not in the plain subset. */
export function readPlainYaml(source: string): Record<string, PlainValue> | null {
  if (hasUnsafe(source)) return null;
  const out: Record<string, PlainValue> = {};
  for (let from = 0; from < source.length;) {
    const nl = source.indexOf('\n', from);
    const end = nl < 0 ? source.length : nl;
    const line = source.slice(from, source.charCodeAt(end - 1) === 13 ? end - 1 : end);
    from = end + 1;
    if (/^ *(?:#.*)?$/.test(line)) continue;
    const colon = line.indexOf(':');
    // YAML allows an implicit key of at most 1024 characters.
    if (colon <= 0 || colon > MAX_KEY) return null;
    const key = line.slice(0, colon);
    if (!KEY.test(key) || KEY_WORDS.has(key.toLowerCase()) || key === '__proto__') return null;
    if (Object.prototype.hasOwnProperty.call(out, key)) return null;
    const rest = line.slice(colon + 1);
    if (rest !== '' && !rest.startsWith(' ')) return null;
    const value = plainValue(rest.replace(/^ +/, ''));
    if (value === undefined) return null;
    out[key] = value;
  }
  return out;
}

/** One value, without the spaces before it; undefined when it is outside the subset. */
function plainValue(text: string): PlainValue | undefined {
  if (text === '' || text.startsWith('#')) return null;
  const head = text.charAt(0);
  if (head === '"' || head === "'") return quoted(text);
  if ('[]{}&*!|>%@`,?:\t'.includes(head)) return undefined;
  if (head === '-' && (text.length === 1 || text.charAt(1) === ' ')) return undefined;
  const hash = text.indexOf(' #');
  let end = hash < 0 ? text.length : hash;
  // A loop, not / +$/: that regex retries at every space of a long run inside the value (quadratic).
  while (end > 0 && text.charCodeAt(end - 1) === 32) end--;
  const value = text.slice(0, end);
  // A tab, a `: ` or a final `:` would make the line something else (or a parser's error).
  if (value.includes('\t') || value.includes(': ') || value.endsWith(':')) return undefined;
  if (/^[-+.\d]/.test(value)) return NUMBER.test(value) ? Number(value) : undefined;
  if (value === '~' || value === 'null' || value === 'Null' || value === 'NULL') return null;
  if (value === 'true' || value === 'True' || value === 'TRUE') return true;
  if (value === 'false' || value === 'False' || value === 'FALSE') return false;
  if (WORDS_1_1.test(value)) return undefined;
  return value;
}

/** A quoted scalar that closes on its line (no escapes), then nothing but a comment. */
function quoted(text: string): string | undefined {
  const quote = text.charAt(0);
  let inner = '';
  for (let from = 1; ;) {
    const close = text.indexOf(quote, from);
    if (close < 0) return undefined;
    inner += text.slice(from, close);
    // In single quotes `''` is one quote; double quotes would need their escapes read.
    if (quote === "'" && text.charAt(close + 1) === "'") {
      inner += "'";
      from = close + 2;
      continue;
    }
    if (quote === '"' && inner.includes('\\')) return undefined;
    return TAIL.test(text.slice(close + 1)) ? inner : undefined;
  }
}

/** Whether the text holds a character YAML forbids or reads differently (controls, NEL, line separators, BOM), or a CR that ends no CRLF. */
function hasUnsafe(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 9 || c === 10) continue;
    if (c === 13 ? text.charCodeAt(i + 1) !== 10 : c < 32 || (c >= 0x7f && c <= 0x9f) || c === 0x2028 || c === 0x2029 || c === 0xfeff) return true;
  }
  return false;
}
