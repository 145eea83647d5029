/**
 * `canon merge`: git's merge driver for the canonical notes (README "Many machines, one vault"), and `--copy`, which folds a
 * sync service's conflict copy back into its canonical note.
 */
import { existsSync, readFileSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import {
  checkStack,
  CONFIG_FILE,
  type ConflictCopy,
  type Diagnostic,
  findConflictCopies,
  type FoldPlan,
  isRole,
  type MergePlan,
  missingRowReason,
  PHASE_A,
  planFold,
  planMerge,
  readClaim,
  type Renumbering,
  resolveStack,
  type Role,
  ROLE_TITLES,
  type TableMerge,
  type VaultView,
  withoutConflictCopies,
} from '../../core';
import { COMMON_OPTIONS, parseFlags, readFormat, type Format } from '../args';
import { CannotRun, openVault, type Context } from '../context';
import { fsFailure } from '../fs-errors';
import { WriteConflict } from '../fs-vault';
import { mergeContext, mergeFile, readBlobs, repoTop, type Labels } from '../git';
import { withNoteLocks } from '../note-lock';
import { json, paint, type Output } from '../output';
import { parseYaml } from '../parse-yaml';
import { checkWriteTarget, readRegular } from '../safe-paths';

export const MERGE_HELP = `Usage: canon merge BASE OURS THEIRS [PATH] [--vault DIR] [--marker-size N] [-L LABEL]…
       canon merge --copy COPY [--vault DIR] [--dry-run] [--format text|json]

As git's merge driver (\`canon git-setup\` registers it: %O %A %B %P), merges the three versions of a
canonical note and writes the result to OURS. When both sides added rows to its tables (and
otherwise changed different lines), the result holds ours' rows, then theirs' new rows; theirs' new
ids that are taken are renumbered to the next free ids, with every reference to them in theirs'
additions (a decision's Supersedes, a window's Notes, a status row's Evidence). Anything else — an
edit of the same row on both sides, a note that is not canonical — is merged exactly as git would
merge it without the driver (\`git merge-file\`), conflict markers and all.

With --copy, folds a sync service's conflict copy of a canonical note (\`note (Conflicted copy …).md\`,
\`note.sync-conflict-….md\`, \`note 2.md\` beside \`note.md\`) back into the note: its rows the note
lacks are added by the same rules, under the note's lock, and the copy is removed when nothing is
left in it that the note does not hold.

Options:
  --copy COPY        fold this conflict copy (a path in the vault)
  --dry-run          with --copy: show what would be folded, change nothing
  --vault DIR        the vault root (default: the folder holding PATH's canon.config.json or
                     .obsidian, else the current folder)
  --marker-size N    conflict marker length (git's %L)
  -L LABEL           the labels of ours, base and theirs in conflict markers, in that order
                     (default: the names git gives them in a merge or rebase)
  --format FORMAT    with --copy: text (default) or json
  -h, --help         show this help

Exit status: 0 merged (folded), 1 conflicts left in OURS (a copy not folded), 2 cannot run.`;

/** `canon merge`. */
export async function runMerge(argv: string[], output: Output): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS,
    copy: { type: 'string' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
    'marker-size': { type: 'string' },
    label: { type: 'string', short: 'L', multiple: true },
  }, 'merge');
  if (values.help) {
    output.out(MERGE_HELP);
    return 0;
  }
  const format = readFormat(values.format, 'merge');
  if (values.copy !== undefined) {
    if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`: --copy takes one conflict copy; see \`canon merge --help\``);
    return foldCopy(values.copy, values.vault, values['dry-run'] === true, format, output);
  }
  if (positionals.length < 3 || positionals.length > 4) {
    throw new CannotRun(`expected BASE OURS THEIRS [PATH] (git's %O %A %B %P), got ${positionals.length} argument${positionals.length === 1 ? '' : 's'}; see \`canon merge --help\``);
  }
  const [base, ours, theirs, path] = positionals as [string, string, string, string | undefined];
  const markerSize = readMarkerSize(values['marker-size']);
  const labels = (values.label ?? []).filter((l) => l !== '');
  return mergeDriver({ base, ours, theirs, path, vault: values.vault, markerSize, labels }, output);
}

function readMarkerSize(value: string | undefined): number | null {
  if (value === undefined || value === '%L') return null;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new CannotRun(`--marker-size \`${value}\` is not a marker length; expected a whole number such as 7`);
  return n;
}

interface DriverRequest {
  base: string;
  ours: string;
  theirs: string;
  path: string | undefined;
  vault: string | undefined;
  markerSize: number | null;
  labels: string[];
}

/** A version of the note as text: its text without a byte order mark, and whether it had one; null when it is not UTF-8 text. */
interface Version {
  text: string;
  bom: boolean;
}

/**
 * The merge driver. Whatever goes wrong in Canon's own merge, the result is git's line merge (a
 * driver that stops without writing OURS would leave ours' version standing as the merge result).
 */
function mergeDriver(request: DriverRequest, output: Output): number {
  const cwd = process.cwd();
  const read = (file: string): Buffer => {
    try {
      return readFileSync(resolve(cwd, file));
    } catch (error) {
      throw fsFailure('read', file, error);
    }
  };
  const bytes = { base: read(request.base), ours: read(request.ours), theirs: read(request.theirs) };
  const name = request.path ?? request.ours;
  let structured: { plan: Extract<MergePlan, { ok: true }>; bom: boolean } | null = null;
  try {
    structured = tryStructured(request, bytes, cwd, output);
  } catch (error) {
    // Canon's merge is a refinement of git's: when it cannot run, git's merge still can.
    output.err(`canon merge: ${name}: ${error instanceof Error ? error.message : String(error)}; merging line by line as git does`);
  }
  if (structured) {
    const { plan, bom } = structured;
    try {
      writeFileSync(resolve(cwd, request.ours), (bom ? '\uFEFF' : '') + plan.text);
    } catch (error) {
      throw fsFailure('write the merged note to', request.ours, error);
    }
    output.err(`canon merge: ${name}: ${describeMerge(plan.tables, plan.references)}`);
    return 0;
  }
  return gitMerge(request, cwd, output);
}

/** Canon's merge of a canonical note, or null when git's line merge is the one to make (and why, on stderr when it matters). */
function tryStructured(request: DriverRequest, bytes: { base: Buffer; ours: Buffer; theirs: Buffer }, cwd: string, output: Output): { plan: Extract<MergePlan, { ok: true }>; bom: boolean } | null {
  const versions = [bytes.base, bytes.ours, bytes.theirs].map(decode);
  const [base, ours, theirs] = versions;
  if (!base || !ours || !theirs || base.bom !== ours.bom || ours.bom !== theirs.bom) return null;
  const role = noteRole(request, ours.text, cwd);
  if (!role) return null;
  const first = planMerge({ base: base.text, ours: ours.text, theirs: theirs.text, role: role.role, preset: PHASE_A });
  if (!first.ok) {
    if (first.appended) output.err(`canon merge: ${request.path ?? request.ours}: ${first.reason}; merging line by line as git does`);
    return null;
  }
  if (first.foreign.length === 0) return { plan: first, bom: ours.bom };
  const external = otherNotesRenumbering(first.foreign, role, cwd);
  if (external === null) {
    output.err(`canon merge: ${request.path ?? request.ours}: theirs' new rows name ${first.foreign.map((p) => `${p}-n`).join(', ')} ids of other notes, and Canon cannot tell which commits are being merged to see whether those were renumbered; check those references`);
    return { plan: first, bom: ours.bom };
  }
  const second = planMerge({ base: base.text, ours: ours.text, theirs: theirs.text, role: role.role, preset: PHASE_A, external });
  return second.ok ? { plan: second, bom: ours.bom } : null;
}

function decode(data: Buffer): Version | null {
  if (data.includes(0)) return null;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    return null;
  }
  const bom = text.startsWith('\uFEFF');
  return { text: bom ? text.slice(1) : text, bom };
}

/** Where the note stands: its vault, its path in it, its role. */
interface NoteRole {
  role: Role;
  root: string;
  /** The vault's path from the repository's top (`` when they are one folder). */
  vaultFromTop: string;
  notes: { role: Role; path: string }[];
}

/**
 * The role of the note being merged: the role its path plays in the vault (as `canon check` would
 * resolve it, in the working tree), else the role its own frontmatter claims (a note new on both
 * sides); null for a note that is not canonical.
 */
function noteRole(request: DriverRequest, oursText: string, cwd: string): NoteRole | null {
  const path = request.path;
  const root = request.vault !== undefined ? resolve(cwd, request.vault) : vaultOf(cwd, path);
  const ctx = openVault(root, true);
  const resolved = resolveStack(withoutConflictCopies(ctx.vault.notes, ctx.config, PHASE_A), ctx.config, PHASE_A);
  const notes = resolved.docs.flatMap((d) => (d.path === null ? [] : [{ role: d.role, path: d.path }]));
  const vaultFromTop = relative(cwd, root).split(sep).join('/');
  let role: Role | null = null;
  if (path !== undefined) {
    const inVault = relative(root, resolve(cwd, path)).split(sep).join('/');
    if (!inVault.startsWith('../') && !isAbsolute(inVault)) role = notes.find((n) => n.path === inVault)?.role ?? null;
  }
  if (!role) {
    const claim = readClaim(oursText, parseYaml).canon;
    if (claim !== undefined && isRole(claim)) role = claim;
  }
  return role ? { role, root, vaultFromTop, notes } : null;
}

/** The vault a path is in: the nearest folder above it (up to `top`) with canon.config.json or .obsidian, else `top`. */
function vaultOf(top: string, path: string | undefined): string {
  if (path === undefined) return top;
  let dir = dirname(resolve(top, path));
  while (dir.startsWith(top) && dir.length > top.length) {
    if (existsSync(join(dir, CONFIG_FILE)) || existsSync(join(dir, '.obsidian'))) return dir;
    dir = dirname(dir);
  }
  return top;
}

/**
 * How merging the other canonical notes renumbers theirs' ids (what a window's Notes naming a new
 * decision needs): each note's three versions read from the commits being merged and merged by the
 * same rules. Null when Canon cannot tell which commits those are.
 */
function otherNotesRenumbering(prefixes: readonly string[], self: NoteRole, cwd: string): Renumbering | null {
  const context = mergeContext(cwd);
  if (!context?.base || repoTop(cwd) === null) return null;
  const out = new Map<string, ReadonlyMap<number, number>>();
  for (const prefix of prefixes) {
    const schema = PHASE_A.tables.find((t) => t.columns.some((c) => c.type.kind === 'id' && c.type.prefix === prefix));
    const note = schema ? self.notes.find((n) => n.role === schema.role) : undefined;
    if (!schema || !note) continue;
    const inRepo = self.vaultFromTop === '' ? note.path : `${self.vaultFromTop}/${note.path}`;
    const [base, ours, theirs] = readBlobs(cwd, [context.base, context.ours, context.theirs].map((rev) => `${rev}:${inRepo}`)).map((b) => (b ? decode(b) : null));
    if (!base || !ours || !theirs) continue;
    const plan = planMerge({ base: base.text, ours: ours.text, theirs: theirs.text, role: schema.role, preset: PHASE_A });
    const map = plan.ok ? plan.renumbering.get(prefix) : undefined;
    if (map) out.set(prefix, map);
  }
  return out;
}

/** What git would do without the driver: `git merge-file` on the three versions, its result written to OURS. */
function gitMerge(request: DriverRequest, cwd: string, output: Output): number {
  const labels = driverLabels(request.labels, cwd);
  const run = mergeFile(cwd, { ours: request.ours, base: request.base, theirs: request.theirs }, labels, request.markerSize);
  if (run.status < 0 || run.status > 127) {
    throw new CannotRun(`git merge-file could not merge \`${request.path ?? request.ours}\`: ${run.stderr || `exit status ${run.status}`}`);
  }
  try {
    writeFileSync(resolve(cwd, request.ours), run.stdout);
  } catch (error) {
    throw fsFailure('write the merged note to', request.ours, error);
  }
  if (run.status > 0) {
    output.err(`canon merge: ${request.path ?? request.ours}: ${run.status} conflict${run.status === 1 ? '' : 's'} left with markers, as git would leave ${run.status === 1 ? 'it' : 'them'}`);
    return 1;
  }
  return 0;
}

/** The conflict labels: as given, else the names git gives the sides of the merge it runs, else ours/base/theirs. */
function driverLabels(given: readonly string[], cwd: string): Labels {
  if (given.length === 3) return [given[0] ?? 'ours', given[1] ?? 'base', given[2] ?? 'theirs'];
  let context = null;
  try {
    context = mergeContext(cwd);
  } catch {
    context = null;
  }
  const fallback: Labels = context?.labels ?? ['ours', 'base', 'theirs'];
  return [given[0] ?? fallback[0], given[1] ?? fallback[1], given[2] ?? fallback[2]];
}

/** `Decision Log: kept ours' 1 new row, added theirs' 2 (D-6 → D-7, D-7 → D-8)`. */
export function describeMerge(tables: readonly TableMerge[], references: number): string {
  const parts = tables.filter((t) => t.ours + t.theirs > 0).map((t) => {
    const renumbered = t.renumbered.length > 0 ? ` (${t.renumbered.map((r) => `${r.from} → ${r.to}`).join(', ')})` : '';
    return `${t.section}: ours' ${t.ours} new row${t.ours === 1 ? '' : 's'}, then theirs' ${t.theirs}${renumbered}`;
  });
  const refs = references > 0 ? `; ${references} reference${references === 1 ? '' : 's'} renumbered` : '';
  return `merged row by row — ${parts.join('; ')}${refs}`;
}

/** `canon merge --copy COPY`. */
async function foldCopy(copyArg: string, vault: string | undefined, dryRun: boolean, format: Format, output: Output): Promise<number> {
  const ctx = openVault(vault);
  const copyPath = inVault(ctx, copyArg);
  const copy = findConflictCopies(ctx.vault.notes, ctx.config, PHASE_A).copies.find((c) => c.path === copyPath);
  if (!copy) {
    if (!ctx.vault.notes.some((n) => n.path === copyPath)) throw new CannotRun(`\`${copyArg}\` is not a note of the vault \`${ctx.root}\`; expected the path of a conflict copy, such as \`00_Control_Center (Conflicted copy Laptop 202611131129).md\``);
    throw new CannotRun(`\`${copyPath}\` is not a conflict copy of a canonical note: its name is not a canonical note's name with a sync service's conflict suffix, and its frontmatter claims no role a canonical note plays; expected a copy such as \`<note> (Conflicted copy …).md\`, \`<note>.sync-conflict-….md\` or \`<note> 2.md\``);
  }
  if (dryRun) return reportFold(copy, planOn(ctx, copy), true, format, output);
  const before = ctx.vault.bytes(copy.path);
  const result = await withNoteLocks(ctx.root, [copy.original, copy.path], (m) => output.err(m), () => {
    for (let attempt = 1; ; attempt++) {
      ctx.vault.forget(copy.original);
      ctx.vault.forget(copy.path);
      const plan = planOn(ctx, copy);
      if (!plan.ok || plan.refusal) return plan;
      if (plan.text !== plan.canonical) {
        try {
          ctx.vault.write(copy.original, plan.text);
        } catch (error) {
          if (error instanceof WriteConflict && attempt < 5) continue;
          throw error instanceof WriteConflict ? new CannotRun(error.message) : error;
        }
        const written = ctx.vault.read(copy.original)?.text ?? '';
        for (const row of plan.rows) {
          const lost = missingRowReason(written, row);
          if (lost) throw new CannotRun(`\`${copy.original}\` was written, but the folded row of ${row.section} on line ${row.line} is not where it should be: ${lost}; check the note`);
        }
      }
      if (plan.left.length === 0) removeCopy(ctx, copy, before);
      return plan;
    }
  });
  return reportFold(copy, result, false, format, output);
}

type FoldResult = (Extract<FoldPlan, { ok: true }> & { canonical: string; refusal: Diagnostic[] | null }) | Extract<FoldPlan, { ok: false }>;

/** The fold planned on the notes as they are now, with the errors it would add (refused then). */
function planOn(ctx: Context, copy: ConflictCopy): FoldResult {
  const canonical = ctx.vault.read(copy.original);
  const copied = ctx.vault.read(copy.path);
  if (!canonical || !copied) throw new CannotRun(`\`${canonical ? copy.path : copy.original}\` cannot be read; nothing was changed`);
  for (const [path, read] of [[copy.original, canonical], [copy.path, copied]] as const) {
    if (read.problem !== undefined) throw new CannotRun(`\`${path}\` is not folded: ${read.problem}`);
  }
  const plan = planFold({ canonical: canonical.text, copy: copied.text, role: copy.role, preset: PHASE_A, path: copy.original });
  if (!plan.ok) return plan;
  let refusal: Diagnostic[] | null = null;
  if (plan.text !== canonical.text) {
    const beforeCheck = checkStack(ctx.vault, ctx.config, PHASE_A);
    const patched: VaultView = { notes: ctx.vault.notes, read: (p) => (p === copy.original ? { text: plan.text } : ctx.vault.read(p)), headings: (p) => ctx.vault.headings(p), parseYaml };
    const known = new Set(beforeCheck.diagnostics.filter((d) => d.severity === 'error').map((d) => `${d.path}:${d.rule}:${d.message}`));
    const added = checkStack(patched, ctx.config, PHASE_A).diagnostics.filter((d) => d.severity === 'error' && !known.has(`${d.path}:${d.rule}:${d.message}`));
    if (added.length > 0) refusal = added;
  }
  return { ...plan, canonical: canonical.text, refusal };
}

/** Removes the copy, once it is as it was when the fold began (a sync tool writing it meanwhile keeps it). */
function removeCopy(ctx: Context, copy: ConflictCopy, before: Buffer | null): void {
  const target = checkWriteTarget(ctx.root, copy.path, 'replace');
  const now = readRegular(target.full);
  if (!now.ok || !before || !now.data.equals(before)) throw new CannotRun(`\`${copy.path}\` changed while Canon was folding it; its rows are in \`${copy.original}\`, the copy was kept: run the command again`);
  try {
    unlinkSync(target.full);
  } catch (error) {
    throw fsFailure('remove the folded copy', copy.path, error, `its rows are in \`${copy.original}\`; remove the copy by hand`);
  }
}

/** A path given on the command line as a vault path (relative to the current folder, else to the vault). */
function inVault(ctx: Context, given: string): string {
  const fromCwd = resolve(given);
  const candidates = [fromCwd, resolve(ctx.root, given)];
  for (const full of candidates) {
    const rel = relative(ctx.root, full).split(sep).join('/');
    if (rel.startsWith('../') || isAbsolute(rel)) continue;
    try {
      if (statSync(full).isFile()) return rel;
    } catch {
      continue;
    }
  }
  // Nothing there: a relative path names a vault path.
  const rel = relative(ctx.root, isAbsolute(given) ? fromCwd : resolve(ctx.root, given)).split(sep).join('/');
  if (rel.startsWith('../') || isAbsolute(rel)) throw new CannotRun(`\`${given}\` is not in the vault \`${ctx.root}\`; expected a path inside it (or pass --vault)`);
  return rel;
}

function reportFold(copy: ConflictCopy, plan: FoldResult, dryRun: boolean, format: Format, output: Output): number {
  if (!plan.ok) {
    if (format === 'json') output.out(json({ copy: copy.path, note: copy.original, folded: false, reason: plan.reason }));
    else output.err(paint(output, 'red', `✖ \`${copy.path}\` was not folded into \`${copy.original}\`: ${plan.reason}; nothing was changed`));
    return 1;
  }
  if (plan.refusal) {
    if (format === 'json') output.out(json({ copy: copy.path, note: copy.original, folded: false, errors: plan.refusal }));
    else output.err([paint(output, 'red', `✖ \`${copy.path}\` was not folded into \`${copy.original}\`: the note would have ${plan.refusal.length === 1 ? 'an error' : `${plan.refusal.length} errors`} it does not have now; nothing was changed`), ...plan.refusal.map((d) => `  ${d.path}:${d.line}:${d.column} ${d.message}  ${paint(output, 'dim', d.rule)}`)].join('\n'));
    return 1;
  }
  const removed = !dryRun && plan.left.length === 0;
  if (format === 'json') {
    output.out(json({ copy: copy.path, note: copy.original, folded: true, tables: plan.tables.map((t) => ({ section: t.section, added: t.theirs, renumbered: t.renumbered })), rows: plan.rows, changed: plan.changed, left: plan.left, removed, ...(dryRun ? { dryRun: true } : {}) }));
    return 0;
  }
  const verb = dryRun ? 'Would fold' : 'Folded';
  const added = plan.tables.reduce((n, t) => n + t.theirs, 0);
  const lines = [paint(output, 'green', `${verb} \`${copy.path}\` into the ${ROLE_TITLES[copy.role]} \`${copy.original}\`: ${added === 0 ? 'no rows it lacks' : `${added} row${added === 1 ? '' : 's'}`}`)];
  for (const t of plan.tables) lines.push(`  ${t.section}: ${t.theirs} row${t.theirs === 1 ? '' : 's'} added${t.renumbered.length > 0 ? `, renumbered ${t.renumbered.map((r) => `${r.from} → ${r.to}`).join(', ')}` : ''}`);
  for (const r of plan.rows) lines.push(`  ${copy.original}:${r.line} (${r.section})`);
  for (const c of plan.changed) lines.push(`  ${dryRun ? 'would also change' : 'also changed'} ${c.id ?? 'the row'} (${copy.original}:${c.line}) ${c.column}: ${c.from || '(empty)'} → ${c.to}`);
  if (plan.left.length > 0) {
    lines.push(`${dryRun ? 'The copy would be kept' : 'The copy was kept'}: it still holds what the note does not:`);
    for (const l of plan.left) lines.push(`  ${l}`);
  } else lines.push(dryRun ? `The copy would be removed: nothing is left in it.` : `Removed \`${copy.path}\`: nothing is left in it.`);
  if (dryRun) lines.push(paint(output, 'dim', '(dry run: nothing written)'));
  output.out(lines.join('\n'));
  return 0;
}
