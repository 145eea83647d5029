/**
 * `canon git-setup`: registers `canon merge` as the git merge driver of the canonical notes — the
 * `.gitattributes` lines (in a block Canon owns) and the repository's `merge.canon.*` config.
 */
import { lstatSync, realpathSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { loadStack } from '../../core';
import { COMMON_OPTIONS, noPositionals, parseFlags, readFormat } from '../args';
import { createFile, replaceFile, WriteStepError } from '../atomic-file';
import { CannotRun, openVault } from '../context';
import { errorCode, fsFailure } from '../fs-errors';
import { gitVersion, localConfig, repoTop, setLocalConfig, shellQuote } from '../git';
import { json, paint, type Output } from '../output';
import { readRegular } from '../safe-paths';

export const GIT_SETUP_HELP = `Usage: canon git-setup [--vault DIR] [--dry-run] [--format text|json]

Registers \`canon merge\` as git's merge driver for the canonical notes, so that two clones that
both appended rows to a table merge without a conflict (see \`canon merge --help\`):
  - in the repository's .gitattributes, one \`<note> merge=canon\` line per canonical note, inside a
    block that begins \`${'# >>> canon git-setup'}\` and ends \`${'# <<< canon git-setup'}\` (lines
    outside it are left as they are);
  - in the repository's own git config (.git/config), merge.canon.name and merge.canon.driver: this
    node and this canon, by their full paths, quoted.
Running it again changes nothing, and says so; after renaming a canonical note, run it again.
Each clone runs it once (git config is not committed; .gitattributes is).

Options:
  --dry-run          show what would change, change nothing
  --vault DIR        the vault root (default: the current folder), inside a git working tree
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 set up (or already), 2 cannot run (not inside a git repository, no canonical notes).`;

const BEGIN = '# >>> canon git-setup: the canonical notes merge with `canon merge` (edit outside this block) >>>';
const END = '# <<< canon git-setup <<<';
const DRIVER_NAME = 'Canon: rows appended to canonical tables on both sides are kept';

/** `canon git-setup`. */
export function runGitSetup(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, 'dry-run': { type: 'boolean' }, format: { type: 'string' } }, 'git-setup');
  if (values.help) {
    output.out(GIT_SETUP_HELP);
    return 0;
  }
  noPositionals(positionals, 'git-setup');
  const format = readFormat(values.format, 'git-setup');
  const dryRun = values['dry-run'] === true;
  const ctx = openVault(values.vault, true);
  const top = repoTop(ctx.root);
  if (top === null) {
    throw new CannotRun(`\`${values.vault ?? '.'}\` is not inside a git repository; expected a vault in a git working tree (run \`git init\` there first, or pass --vault DIR)`);
  }
  const realTop = realpathSync(top);
  const realRoot = realpathSync(ctx.root);
  const notes = loadStack(ctx.vault, ctx.config).model.docs.flatMap((d) => (d.path === null ? [] : [d.path]));
  if (notes.length === 0) throw new CannotRun('the vault has no canonical notes to register; run `canon init` first');
  const fromTop = (path: string): string => relative(realTop, join(realRoot, ...path.split('/'))).split(sep).join('/');
  const attributes = notes.map((p) => `${attributePattern(fromTop(p))} merge=canon`);

  const file = join(realTop, '.gitattributes');
  const current = readAttributes(file);
  const next = withBlock(current ?? '', attributes);
  const vaultFromTop = relative(realTop, realRoot).split(sep).join('/');
  const driver = driverCommand(realTop, vaultFromTop);
  const config = [
    { key: 'merge.canon.name', want: DRIVER_NAME, now: localConfig(realTop, 'merge.canon.name') },
    { key: 'merge.canon.driver', want: driver, now: localConfig(realTop, 'merge.canon.driver') },
  ];
  const changes: string[] = [];
  if (next !== (current ?? '')) changes.push(`.gitattributes: ${current === null ? 'created with' : 'set'} ${attributes.length} line${attributes.length === 1 ? '' : 's'} in Canon's block`);
  for (const c of config) if (c.now !== c.want) changes.push(`git config ${c.key}: ${c.now === null ? 'set' : 'changed'} to ${c.want}`);

  if (!dryRun) {
    if (next !== (current ?? '')) writeAttributes(file, next, current !== null);
    for (const c of config) if (c.now !== c.want) setLocalConfig(realTop, c.key, c.want);
  }
  if (format === 'json') {
    output.out(json({ repository: realTop, attributes, driver, changed: changes, ...(dryRun ? { dryRun: true } : {}) }));
    return 0;
  }
  const lines = changes.length === 0
    ? [paint(output, 'green', `✔ already set up in ${realTop}: ${attributes.length} canonical note${attributes.length === 1 ? '' : 's'} merge with \`canon merge\`; nothing changed`)]
    : [paint(output, 'green', `${dryRun ? 'Would set up' : 'Set up'} \`canon merge\` for ${attributes.length} canonical note${attributes.length === 1 ? '' : 's'} in ${realTop}:`), ...changes.map((c) => `  ${c}`)];
  lines.push(...attributes.map((a) => `  ${paint(output, 'dim', a)}`));
  if (dryRun) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  output.out(lines.join('\n'));
  return 0;
}

/**
 * The driver git runs through `sh -c`: this node and this canon by their real paths, quoted; the vault
 * folder when it is not the repository's top (git runs a driver there); the conflict marker size;
 * and, from git 2.44 (which has %S %X %Y), the labels git gives the three versions.
 */
function driverCommand(top: string, vaultFromTop: string): string {
  const script = process.argv[1];
  if (!script) throw new CannotRun('cannot tell where the canon command is (no script path); run it as `canon git-setup`');
  let bin = script;
  try {
    bin = realpathSync(script);
  } catch {
    bin = script;
  }
  const version = gitVersion(top);
  const labels = version && (version[0] > 2 || (version[0] === 2 && version[1] >= 44)) ? ' -L %X -L %S -L %Y' : '';
  const vault = vaultFromTop === '' ? '' : ` --vault ${shellQuote(vaultFromTop)}`;
  return `${shellQuote(process.execPath)} ${shellQuote(bin)} merge${vault} --marker-size %L${labels} %O %A %B %P`;
}

/**
 * A path from the repository's top as a gitattributes pattern that matches it alone: anchored with
 * `/`, glob characters escaped with a backslash; a path with whitespace or a quote (which would end
 * the pattern) in C-style quotes, which git reads since 2.32, backslashes doubled inside them.
 */
export function attributePattern(path: string): string {
  const pattern = `/${path.replace(/[\\*?[\]]/g, (c) => `\\${c}`)}`;
  if (!/[\s"]/.test(pattern)) return pattern;
  return `"${pattern.replace(/[\\"]/g, (c) => `\\${c}`).replace(/\t/g, '\\t').replace(/\n/g, '\\n')}"`;
}

/** The file with Canon's block holding `lines`: replaced where it is, else added at the end; other lines untouched. */
export function withBlock(text: string, lines: readonly string[]): string {
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const block = [BEGIN, ...lines, END].join(eol) + eol;
  const all = text === '' ? [] : text.replace(/\n/g, '\n\u0000').split('\u0000').filter((l) => l !== '');
  const begin = all.findIndex((l) => l.trimEnd() === BEGIN);
  const end = begin < 0 ? -1 : all.findIndex((l, i) => i > begin && l.trimEnd() === END);
  if (begin >= 0 && end > begin) return [...all.slice(0, begin), block, ...all.slice(end + 1)].join('');
  if (text === '') return block;
  const lead = text.endsWith('\n') ? (text.endsWith(`${eol}${eol}`) ? '' : eol) : eol + eol;
  return text + lead + block;
}

function readAttributes(file: string): string | null {
  const read = readRegular(file);
  if (read.ok) return read.data.toString('utf8');
  if (read.code === 'ENOENT') return null;
  throw new CannotRun(`cannot read \`${file}\`: ${read.why}; expected a regular .gitattributes file (or none)`);
}

/** Writes .gitattributes all at once (a temporary file renamed over it), keeping its mode. */
function writeAttributes(file: string, text: string, exists: boolean): void {
  const data = Buffer.from(text, 'utf8');
  try {
    if (exists) replaceFile(file, data, lstatSync(file));
    else if (!createFile(file, data)) throw new CannotRun(`\`${file}\` appeared while Canon was writing it; nothing was changed, run the command again`);
  } catch (error) {
    if (error instanceof CannotRun) throw error;
    const cause = error instanceof WriteStepError ? error.cause : error;
    throw fsFailure(`write${error instanceof WriteStepError ? ` (${error.step})` : ''}`, file, cause, errorCode(cause) === null ? 'nothing was changed' : '.gitattributes is unchanged');
  }
}
