/**
 * The one frontmatter reader of Canon: the core, the CLI, the plugin and the tests read a note's
 * `canon:` claim and a session note's frontmatter through this module, and nothing else reads YAML.
 *
 * The block is found as Obsidian and remark-frontmatter find it: `---` alone on the first line (after
 * a byte order mark; trailing spaces or tabs allowed), closed by the next line that is `---` alone;
 * lines end with LF, CRLF or CR. Its YAML is read
 * - by the plain reader (plain-yaml.ts) when it is plain top-level `key: value` lines: it reads them
 *   as the `yaml` package does (differential property tests hold it to that) and declines the rest;
 * - else by the YAML parser the host injects (`YamlParse`): the `yaml` package in the CLI and the tests
 *   (bundled into dist/cli.mjs, src/cli/parse-yaml.ts), Obsidian's own `parseYaml` in the plugin, so
 *   that main.js carries no YAML library. The parser reaches the core on `VaultView.parseYaml`, the
 *   interface that already brings it the notes; whoever reads a note's text for the core passes it on
 *   (`readClaim`, `readSessionNote`, `planVerify`). The plugin takes the claims of notes it does not
 *   read from Obsidian's metadata cache — Obsidian's parse of the same block — through `claimOf`.
 *
 * YAML that does not parse reads as a problem with its line in the note, never as guessed values
 * (`doc/invalid-frontmatter`: for a claim, resolveStack; for any other canonical note, loadStack).
 * Canon writes frontmatter by splicing lines (session/frontmatter-layout.ts), never by serialising it.
 */
import { readPlainYaml } from './plain-yaml';

/** A YAML parser: returns the document's value, throws on YAML that is not valid. */
export type YamlParse = (source: string) => unknown;

/**
 * Frontmatter handed to the full parser is at most this long: a parser's work on broken YAML is not
 * linear enough beyond. A session note's frontmatter holds its baseline (the last row of each table,
 * as written), which a vault with very long cells takes past 32 KB: the bound leaves room for that.
 */
export const MAX_PARSED_YAML = 256 * 1024;

/**
 * YAML nested deeper than this (by `nestingBound`) is not handed to the parser: parsers recurse, and
 * V8 ends the whole process (not a catchable error) when a regular expression is first compiled near
 * the stack's limit.
 */
export const MAX_NESTING = 100;

/** Where the frontmatter block stands in a note. */
export interface FrontmatterBlock {
  /** Offset of the line after the opening fence: the first character of the YAML. */
  yamlFrom: number;
  /** Offset of the closing fence line (just past the YAML; where a new key goes). */
  closeFrom: number;
  /** Offset just past the closing `---` line's text (before its line break). */
  to: number;
  /** Offset just past the closing fence line's break (where the body starts). */
  bodyFrom: number;
  /** 1-based line of the closing fence (the YAML starts on line 2). */
  endLine: number;
  /** The opening fence's line ending. */
  eol: '\n' | '\r\n';
}

/** The end of the line starting at `from` (before its break) and the start of the next line. */
export function lineAt(text: string, from: number): { end: number; next: number } {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10) return { end: i, next: i + 1 };
    if (c === 13) return { end: i, next: text.charCodeAt(i + 1) === 10 ? i + 2 : i + 1 };
  }
  return { end: text.length, next: text.length };
}

/** Whether `text[from, to)` is `---` followed by nothing but spaces and tabs. */
function isFence(text: string, from: number, to: number): boolean {
  if (to - from < 3 || !text.startsWith('---', from)) return false;
  for (let i = from + 3; i < to; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9) return false;
  }
  return true;
}

/** The note's frontmatter block, or null when it has none (no `---` first line, or never closed). */
export function findFrontmatter(text: string): FrontmatterBlock | null {
  const start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const first = lineAt(text, start);
  if (!isFence(text, start, first.end) || first.next === first.end) return null;
  const eol = text.startsWith('\r\n', first.end) ? '\r\n' : '\n';
  let from = first.next;
  for (let line = 2; ; line++) {
    const { end, next } = lineAt(text, from);
    if (isFence(text, from, end)) return { yamlFrom: first.next, closeFrom: from, to: end, bodyFrom: next, endLine: line, eol };
    if (next === end) return null;
    from = next;
  }
}

/** Frontmatter that cannot be read: the 1-based line in the note, and why. */
export interface FrontmatterProblem {
  line: number;
  message: string;
}

/** A note's frontmatter values: its top-level keys (none when it has no frontmatter), or the problem reading them. */
export type FrontmatterRead =
  | { ok: true; block: FrontmatterBlock | null; data: Record<string, unknown> }
  | { ok: false; block: FrontmatterBlock; problem: FrontmatterProblem };

/** Reads a note's frontmatter: the plain reader first, the injected parser for anything else. */
export function readFrontmatter(text: string, parseYaml: YamlParse): FrontmatterRead {
  const block = findFrontmatter(text);
  if (!block) return { ok: true, block: null, data: {} };
  const source = text.slice(block.yamlFrom, block.closeFrom);
  const plain = readPlainYaml(source);
  if (plain) return { ok: true, block, data: plain };
  if (source.length > MAX_PARSED_YAML) {
    const kb = Math.ceil(source.length / 1024);
    return { ok: false, block, problem: { line: 2, message: `the frontmatter is ${kb} KB of YAML; expected at most ${MAX_PARSED_YAML / 1024} KB` } };
  }
  if (nestingBound(source) > MAX_NESTING) {
    return { ok: false, block, problem: { line: 2, message: `the frontmatter nests deeper than ${MAX_NESTING} levels; expected YAML that Obsidian can read` } };
  }
  let value: unknown;
  try {
    value = parseYaml(source);
  } catch (error) {
    const found = yamlError(error, source);
    const line = Math.min(Math.max(2, 1 + (found.line ?? 1)), block.endLine);
    return { ok: false, block, problem: { line, message: `the frontmatter is not valid YAML (${found.reason}); expected YAML that Obsidian can read` } };
  }
  if (value === null || value === undefined) return { ok: true, block, data: {} };
  if (!isMapping(value)) {
    return { ok: false, block, problem: { line: 2, message: `the frontmatter is ${Array.isArray(value) ? 'a YAML list' : 'a lone YAML value'}; expected \`key: value\` lines` } };
  }
  return { ok: true, block, data: value };
}

function isMapping(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * The line (1-based in the YAML) and the reason of a parser's error, whichever parser threw it:
 * `yaml` gives `linePos` (with pretty errors) or the offset `pos`, js-yaml (Obsidian's) `mark.line`
 * (0-based) and `reason`.
 */
function yamlError(error: unknown, source: string): { line?: number; reason: string } {
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    linePos?: { line?: unknown }[]; pos?: unknown[]; mark?: { line?: unknown }; reason?: unknown; message?: unknown;
  };
  const message = typeof e.reason === 'string' ? e.reason : typeof e.message === 'string' ? e.message : String(error);
  const reason = (message.split('\n', 1)[0] ?? '').replace(/ at line \d+, column \d+:?$/, '').replace(/ \(\d+:\d+\)$/, '').trim().slice(0, 200);
  const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
  const pos = numeric(e.pos?.[0]);
  const mark = numeric(e.mark?.line);
  const line = numeric(e.linePos?.[0]?.line) ?? (mark === undefined ? undefined : mark + 1) ?? (pos === undefined ? undefined : lineOfOffset(source, pos));
  return { ...(line === undefined ? {} : { line }), reason: reason || 'a YAML error' };
}

function lineOfOffset(text: string, offset: number): number {
  let line = 1;
  for (let at = lineAt(text, 0).next; at <= offset && at < text.length; at = lineAt(text, at).next) line++;
  return line;
}

/**
 * An upper bound of how deep the YAML nests, in one pass: the indentation levels open, the flow
 * brackets open, and the `- `, `? ` and `: ` indicators on the line (quotes are not skipped: a bracket
 * in a string counts, which only makes the bound higher).
 */
function nestingBound(source: string): number {
  const indents: number[] = [];
  let flow = 0;
  let max = 0;
  for (let from = 0; from < source.length;) {
    const { end, next } = lineAt(source, from);
    let at = from;
    while (at < end && (source.charCodeAt(at) === 32 || source.charCodeAt(at) === 9)) at++;
    if (at < end) {
      while (indents.length > 0 && (indents[indents.length - 1] ?? 0) >= at - from) indents.pop();
      indents.push(at - from);
      let inline = 0;
      for (let i = at; i < end; i++) {
        const c = source.charCodeAt(i);
        const after = i + 1 === end ? 32 : source.charCodeAt(i + 1);
        if (c === 91 || c === 123) flow++;
        else if ((c === 93 || c === 125) && flow > 0) flow--;
        else if ((c === 45 || c === 63 || c === 58) && (after === 32 || after === 9)) inline++;
        max = Math.max(max, indents.length + flow + inline);
      }
    }
    from = next;
  }
  return max;
}
