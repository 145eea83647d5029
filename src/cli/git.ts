/**
 * Running git for `canon merge` and `canon git-setup`: the repository a folder is in, its config,
 * `git merge-file` (the line merge git itself would make), the labels git gives the sides of a merge,
 * and the versions of other notes in the commits being merged.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import { CannotRun } from './cannot-run';

export interface GitRun {
  status: number;
  stdout: Buffer;
  stderr: string;
}

/** Runs git with `args` in `cwd`; git that cannot be started is a CannotRun. */
export function git(args: readonly string[], cwd: string, input?: string | Buffer): GitRun {
  const run = spawnSync('git', args, { cwd, input, maxBuffer: 1 << 30, env: process.env });
  if (run.error) {
    const code = (run.error as { code?: string }).code;
    throw new CannotRun(code === 'ENOENT' ? 'git is not installed or not on PATH; expected the `git` command' : `cannot run git ${args[0] ?? ''}: ${run.error.message}`);
  }
  return { status: run.status ?? 128, stdout: run.stdout, stderr: run.stderr.toString('utf8').trim() };
}

/** The top folder of the git working tree `dir` is in, or null when it is in none. */
export function repoTop(dir: string): string | null {
  const run = git(['rev-parse', '--show-toplevel'], dir);
  const top = run.stdout.toString('utf8').trim();
  return run.status === 0 && top !== '' ? top : null;
}

/** git's version as [major, minor], or null. */
export function gitVersion(cwd: string): [number, number] | null {
  const match = /git version (\d+)\.(\d+)/.exec(git(['--version'], cwd).stdout.toString('utf8'));
  return match ? [Number(match[1]), Number(match[2])] : null;
}

/** A key of the repository's own config (`--local`), or null when unset. */
export function localConfig(cwd: string, key: string): string | null {
  const run = git(['config', '--local', '--get', key], cwd);
  return run.status === 0 ? run.stdout.toString('utf8').replace(/\n$/, '') : null;
}

/** Sets a key of the repository's own config. */
export function setLocalConfig(cwd: string, key: string, value: string): void {
  const run = git(['config', '--local', key, value], cwd);
  if (run.status !== 0) throw new CannotRun(`cannot set ${key} in the repository's git config: ${run.stderr || `git config exited with ${run.status}`}`);
}

/** The labels of a merge's three sides, in `git merge-file`'s order: ours, base, theirs. */
export type Labels = [string, string, string];

/**
 * `git merge-file -p` on the three files, run in `cwd` (inside the repository, so that it reads
 * `merge.conflictStyle` as git's own merge does): the merged text and git's exit status (the number
 * of conflicts, or negative on error).
 */
export function mergeFile(cwd: string, files: { ours: string; base: string; theirs: string }, labels: Labels, markerSize: number | null): GitRun {
  const args = ['merge-file', '-p', ...(markerSize === null ? [] : [`--marker-size=${markerSize}`]), '-L', labels[0], '-L', labels[1], '-L', labels[2], files.ours, files.base, files.theirs];
  return git(args, cwd);
}

/** The commits of the merge a driver runs in, and the labels git gives its sides. */
export interface MergeContext {
  ours: string;
  theirs: string;
  /** The merge base, or null when there are several (git merges them first). */
  base: string | null;
  labels: Labels;
}

/**
 * Which merge git is running, from what it leaves for a driver: `git merge` (and `git pull`) sets
 * `GITHEAD_<commit>=<name>` for the commit being merged (merge-recursive's "better names"); a rebase
 * keeps the commit it is picking as the last line of `rebase-merge/done`. Null in any other case
 * (a cherry-pick, `canon merge` run by hand).
 */
export function mergeContext(cwd: string, env: NodeJS.ProcessEnv = process.env): MergeContext | null {
  const heads = Object.entries(env).filter(([key]) => /^GITHEAD_[0-9a-f]{40,64}$/.test(key));
  const short = (rev: string): string => git(['rev-parse', '--short', rev], cwd).stdout.toString('utf8').trim() || rev.slice(0, 7);
  if (heads.length === 1) {
    const [key, name] = heads[0] as [string, string | undefined];
    const theirs = key.slice('GITHEAD_'.length);
    const bases = git(['merge-base', '--all', 'HEAD', theirs], cwd).stdout.toString('utf8').split('\n').filter((l) => l.trim() !== '');
    const base = bases.length === 1 ? (bases[0] as string).trim() : null;
    return { ours: 'HEAD', theirs, base, labels: ['HEAD', base ? short(base) : 'merged common ancestors', name ?? short(theirs)] };
  }
  const donePath = git(['rev-parse', '--git-path', 'rebase-merge/done'], cwd).stdout.toString('utf8').trim();
  const done = donePath === '' ? '' : isAbsolute(donePath) ? donePath : join(cwd, donePath);
  if (done !== '' && existsSync(done)) {
    const last = readFileSync(done, 'utf8').trim().split('\n').pop() ?? '';
    const match = /^(?:p|pick|r|reword|e|edit|s|squash|f|fixup)\s+([0-9a-f]{4,64})\s*(.*)$/.exec(last.trim());
    if (match?.[1]) {
      const theirs = git(['rev-parse', match[1]], cwd).stdout.toString('utf8').trim();
      if (theirs !== '') {
        const subject = git(['log', '-1', '--format=%s', theirs], cwd).stdout.toString('utf8').trim();
        const name = `${short(theirs)} (${subject})`;
        return { ours: 'HEAD', theirs, base: `${theirs}^`, labels: ['HEAD', `parent of ${name}`, name] };
      }
    }
  }
  return null;
}

/** The contents of `<commit>:<path>` for each spec (null where there is none), read with one `git cat-file --batch`. */
export function readBlobs(cwd: string, specs: readonly string[]): (Buffer | null)[] {
  if (specs.length === 0) return [];
  const run = git(['cat-file', '--batch'], cwd, specs.map((s) => `${s}\n`).join(''));
  const out = run.stdout;
  const blobs: (Buffer | null)[] = [];
  let at = 0;
  for (let k = 0; k < specs.length; k++) {
    const eol = out.indexOf(10, at);
    if (eol < 0) {
      blobs.push(null);
      continue;
    }
    const header = out.subarray(at, eol).toString('utf8');
    const match = /^[0-9a-f]+ (\w+) (\d+)$/.exec(header);
    if (!match) {
      blobs.push(null);
      at = eol + 1;
      continue;
    }
    const size = Number(match[2]);
    blobs.push(match[1] === 'blob' ? out.subarray(eol + 1, eol + 1 + size) : null);
    at = eol + 1 + size + 1;
  }
  return blobs;
}

/** A word for a POSIX shell (git runs a merge driver through `sh -c`): single-quoted, quotes inside escaped. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}
