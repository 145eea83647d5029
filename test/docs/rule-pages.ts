// Reads the rule pages of docs/rules (one per rule id) and runs their examples: each
// ```canon-example passes|fails``` block is a list of edits to a copy of example-vault/, and the
// ```canon-expect``` block after it is what `canon check --format json` reports for the page's rule.
// The format is described in docs/rules/README.md ("Examples").
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { CONFIG_FILE, defaultConfig, parseConfig } from '../../src/core/config/config';
import { check } from '../helpers/memory-vault';
import { canon, EXAMPLE_VAULT, REPO, tempDir } from '../helpers/run-cli';

export const RULES_DIR = join(REPO, 'docs/rules');

/** One change an example makes to the example vault. */
export type Edit =
  | { kind: 'replace'; path: string; find: string; with: string }
  | { kind: 'delete-line'; path: string; find: string }
  | { kind: 'content'; path: string; text: string }
  | { kind: 'delete'; path: string }
  | { kind: 'rename'; path: string; to: string }
  | { kind: 'copy'; path: string; to: string }
  | { kind: 'append-bytes'; path: string; bytes: Buffer };

export interface Example {
  outcome: 'passes' | 'fails';
  /** 1-based line of the example's opening fence in the page. */
  line: number;
  edits: Edit[];
  /** The parsed ```canon-expect``` block: a diagnostics array, or the CLI's `{ "error": … }` object. */
  expect: unknown;
}

export interface RulePage {
  /** Path relative to docs/rules, with `/`. */
  file: string;
  /** The rule id the page's place names (`guardrail/hold-in-breach.md` → `guardrail/hold-in-breach`). */
  rule: string;
  /** The `# …` title. */
  title: string;
  /** What the page's `**Default severity:**` line says. */
  severity: string | null;
  examples: Example[];
  /** The ```json canon.config.json``` blocks, as written. */
  configs: string[];
  text: string;
}

interface Fence {
  info: string;
  body: string;
  line: number;
}

/** The fenced code blocks of a markdown page (``` fences, not nested), with their info strings. */
export function fences(text: string): Fence[] {
  const lines = text.split('\n');
  const out: Fence[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^(`{3,})\s*(.*)$/.exec(lines[i] ?? '');
    if (!open) continue;
    const marker = open[1] ?? '```';
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !(lines[j] ?? '').startsWith(marker)) body.push(lines[j++] ?? '');
    if (j >= lines.length) throw new Error(`unclosed code fence at line ${i + 1}`);
    out.push({ info: (open[2] ?? '').trim(), body: body.join('\n'), line: i + 1 });
    i = j;
  }
  return out;
}

/**
 * Parses the body of a ```canon-example``` block. Lines are `key: value`; lines indented by two
 * spaces continue the value of the key above (joined with line breaks), for text of several lines.
 * Keys: `note: PATH` (the file the following edits change), `replace: TEXT` + `with: TEXT` (TEXT
 * must occur exactly once; `with:` may be empty), `delete-line: TEXT` (removes the one line holding
 * TEXT), `content:` (the whole file, created when missing), `rename: NEWPATH` and `copy: NEWPATH`
 * (later keys change the file at NEWPATH), `delete: PATH`,
 * `append-bytes: HEX` (raw bytes at the end of the file: for the CLI-only examples).
 */
export function parseExample(body: string, where: string): Edit[] {
  const entries: { key: string; value: string; lines: string[] }[] = [];
  let blanks = 0;
  for (const raw of body.split('\n')) {
    const last = entries[entries.length - 1];
    if (raw.startsWith('  ') && last) {
      // An empty line between two indented lines belongs to the value.
      if (last.lines.length > 0) for (; blanks > 0; blanks--) last.lines.push('');
      last.lines.push(raw.slice(2));
      blanks = 0;
      continue;
    }
    if (raw.trim() === '') {
      blanks++;
      continue;
    }
    blanks = 0;
    if (raw.startsWith('#')) continue;
    const m = /^([a-z-]+):(?: (.*))?$/.exec(raw);
    if (!m) throw new Error(`${where}: cannot read example line \`${raw}\`; expected \`key: value\``);
    entries.push({ key: m[1] ?? '', value: m[2] ?? '', lines: [] });
  }
  for (const entry of entries) {
    if (entry.lines.length === 0) continue;
    if (entry.value !== '') throw new Error(`${where}: \`${entry.key}: ${entry.value}\` has indented lines after it; expected the value either on the key's line or on the indented lines`);
    entry.value = entry.lines.join('\n');
  }
  const edits: Edit[] = [];
  let path: string | null = null;
  const need = (key: string): string => {
    if (path === null) throw new Error(`${where}: \`${key}:\` before any \`note:\``);
    return path;
  };
  for (let i = 0; i < entries.length; i++) {
    const { key, value } = entries[i] ?? { key: '', value: '' };
    switch (key) {
      case 'note': path = value.trim(); break;
      case 'replace': {
        const next = entries[i + 1];
        if (next?.key !== 'with') throw new Error(`${where}: \`replace:\` without the \`with:\` after it`);
        edits.push({ kind: 'replace', path: need(key), find: value, with: next.value });
        i++;
        break;
      }
      case 'delete-line': edits.push({ kind: 'delete-line', path: need(key), find: value }); break;
      case 'content': edits.push({ kind: 'content', path: need(key), text: value === '' ? '' : `${value}\n` }); break;
      case 'delete': edits.push({ kind: 'delete', path: value.trim() }); break;
      case 'rename': edits.push({ kind: 'rename', path: need(key), to: value.trim() }); path = value.trim(); break;
      case 'copy': edits.push({ kind: 'copy', path: need(key), to: value.trim() }); path = value.trim(); break;
      case 'append-bytes': edits.push({ kind: 'append-bytes', path: need(key), bytes: Buffer.from(value.replace(/\s+/g, ''), 'hex') }); break;
      default: throw new Error(`${where}: unknown key \`${key}:\``);
    }
  }
  return edits;
}

/** Every page under docs/rules except the index, parsed. */
export function readPages(): RulePage[] {
  const pages: RulePage[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith('.md') && full !== join(RULES_DIR, 'README.md')) pages.push(readPage(full));
    }
  };
  walk(RULES_DIR);
  return pages.sort((a, b) => a.file.localeCompare(b.file));
}

export function readPage(full: string): RulePage {
  const file = relative(RULES_DIR, full).split(sep).join('/');
  const text = readFileSync(full, 'utf8');
  const examples: Example[] = [];
  const configs: string[] = [];
  let open: { outcome: 'passes' | 'fails'; line: number; edits: Edit[] } | null = null;
  for (const fence of fences(text)) {
    const where = `${file}:${fence.line}`;
    const example = /^canon-example\s+(passes|fails)$/.exec(fence.info);
    if (example) {
      if (open) throw new Error(`${where}: the example at line ${open.line} has no canon-expect block`);
      open = { outcome: example[1] as 'passes' | 'fails', line: fence.line, edits: parseExample(fence.body, where) };
    } else if (fence.info === 'canon-expect') {
      if (!open) throw new Error(`${where}: canon-expect with no canon-example before it`);
      examples.push({ ...open, expect: JSON.parse(fence.body) as unknown });
      open = null;
    } else if (/^json\s+canon\.config\.json$/.test(fence.info)) {
      configs.push(fence.body);
    } else if (fence.info.startsWith('canon-')) {
      throw new Error(`${where}: unknown block \`${fence.info}\``);
    }
  }
  if (open) throw new Error(`${file}:${open.line}: example without a canon-expect block`);
  return {
    file,
    rule: file.replace(/\.md$/, ''),
    title: /^# (.*)$/m.exec(text)?.[1]?.trim() ?? '',
    severity: /^\*\*Default severity:\*\*\s*`?(\w+)`?/m.exec(text)?.[1] ?? null,
    examples,
    configs,
    text,
  };
}

/** Every file of the example vault (not `.obsidian`), by vault path, as bytes. */
export function exampleVaultFiles(): Map<string, Buffer> {
  const files = new Map<string, Buffer>();
  const walk = (dir: string, prefix: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
      else files.set(`${prefix}${entry.name}`, readFileSync(join(dir, entry.name)));
    }
  };
  walk(EXAMPLE_VAULT, '');
  return files;
}

function occurrences(text: string, find: string): number {
  let count = 0;
  for (let i = text.indexOf(find); i >= 0; i = text.indexOf(find, i + 1)) count++;
  return count;
}

/** Applies an example's edits to a copy of the vault; an edit that no longer applies throws (the example vault changed). */
export function applyExample(base: Map<string, Buffer>, edits: readonly Edit[], where: string): Map<string, Buffer> {
  const files = new Map(base);
  const text = (path: string): string => {
    const bytes = files.get(path);
    if (!bytes) throw new Error(`${where}: no file \`${path}\` in the example vault`);
    return bytes.toString('utf8');
  };
  for (const edit of edits) {
    switch (edit.kind) {
      case 'replace': {
        const before = text(edit.path);
        const n = occurrences(before, edit.find);
        if (n !== 1) throw new Error(`${where}: \`${edit.find}\` occurs ${n} times in ${edit.path}; expected exactly once`);
        files.set(edit.path, Buffer.from(before.replace(edit.find, () => edit.with), 'utf8'));
        break;
      }
      case 'delete-line': {
        const lines = text(edit.path).split('\n');
        const hits = lines.filter((l) => l.includes(edit.find)).length;
        if (hits !== 1) throw new Error(`${where}: \`${edit.find}\` is on ${hits} lines of ${edit.path}; expected exactly one`);
        files.set(edit.path, Buffer.from(lines.filter((l) => !l.includes(edit.find)).join('\n'), 'utf8'));
        break;
      }
      case 'content': files.set(edit.path, Buffer.from(edit.text, 'utf8')); break;
      case 'delete':
        if (!files.delete(edit.path)) throw new Error(`${where}: no file \`${edit.path}\` to delete`);
        break;
      case 'rename':
      case 'copy': {
        const bytes = files.get(edit.path);
        if (!bytes) throw new Error(`${where}: no file \`${edit.path}\` to ${edit.kind}`);
        if (files.has(edit.to)) throw new Error(`${where}: \`${edit.to}\` exists already`);
        if (edit.kind === 'rename') files.delete(edit.path);
        files.set(edit.to, bytes);
        break;
      }
      case 'append-bytes': {
        const before = files.get(edit.path);
        if (!before) throw new Error(`${where}: no file \`${edit.path}\` in the example vault`);
        files.set(edit.path, Buffer.concat([before, edit.bytes]));
        break;
      }
    }
  }
  return files;
}

/** A diagnostic as `canon check --format json` writes it. */
export interface JsonDiagnostic {
  path: string;
  line: number;
  column: number;
  severity: string;
  rule: string;
  message: string;
}

/** Checks the files in memory (test/helpers/memory-vault.ts) with the config their `canon.config.json` gives. */
export function checkInMemory(files: Map<string, Buffer>): JsonDiagnostic[] {
  const notes: Record<string, string> = {};
  for (const [path, bytes] of files) if (path.endsWith('.md')) notes[path] = bytes.toString('utf8');
  const configText = files.get(CONFIG_FILE);
  let config = defaultConfig();
  if (configText) {
    const parsed = parseConfig(configText.toString('utf8'));
    if (!parsed.ok) throw new Error(`canon.config.json is invalid (${parsed.problems.map((p) => p.message).join('; ')}): run this example with the CLI`);
    config = parsed.config;
  }
  return check(notes, config).diagnostics.map(({ path, line, column, severity, rule, message }) => ({ path, line, column, severity, rule, message }));
}

/** Writes the files to a fresh folder and runs the built CLI's `check --format json` on it. */
export function checkWithCli(files: Map<string, Buffer>): { status: number | null; json: unknown; stderr: string } {
  const dir = tempDir('canon-rule-doc-');
  try {
    for (const [path, bytes] of files) {
      mkdirSync(dirname(join(dir, path)), { recursive: true });
      writeFileSync(join(dir, path), bytes);
    }
    const run = canon(['check', '--vault', dir, '--format', 'json']);
    let json: unknown = null;
    try {
      json = JSON.parse(run.stdout) as unknown;
    } catch {
      throw new Error(`canon check did not write JSON (exit ${String(run.status)}): ${run.stdout}${run.stderr}`);
    }
    return { status: run.status, json, stderr: run.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * Whether a page's examples run through the built CLI rather than in memory: `config/invalid` and
 * `doc/unreadable` exist only when a vault is read from disk, and the other `doc/` rules depend on
 * how the CLI finds notes and their frontmatter (the line of a `canon:` key).
 */
export function runsOnCli(rule: string): boolean {
  return rule.startsWith('config/') || rule.startsWith('doc/');
}
