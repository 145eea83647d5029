/**
 * Not one row lost (README "Reliability"): the built `canon` as real processes on real files, many at
 * once, with faults injected, on hostile paths. Each case asserts what is on disk afterwards.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_KINDS, canonAsync, KINDS, parallelRound, tableRows } from '../helpers/parallel-adds';
import { canon, canonBin, copyExampleVault, tempDir } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const isRoot = process.getuid?.() === 0;
/** Files in a folder that a write may leave behind: temporary files and lock folders. */
const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.includes('.canon-') || f.endsWith('.canon.lock'));
const snapshot = (vault: string): Map<string, string> => new Map(readdirSync(vault).filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join(vault, f), 'utf8')]));

describe('parallel writers', () => {
  it('42 `canon add` at once (six kinds): every exit 0 is one row on disk with the id it reported; check stays clean', async () => {
    const vault = copyExampleVault();
    const round = await parallelRound(vault, 42, 'r1');
    expect(round.problems).toEqual([]);
    expect(round.failures).toEqual([]);
    expect(round.succeeded).toBe(42);
    expect(round.rowsFound).toBe(42);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
    expect(leftovers(vault)).toEqual([]);
    const packets = tableRows(join(vault, KINDS[3]?.note ?? ''), 'Work Packets').body.map((r) => r[0]);
    expect(packets.slice(-7)).toEqual(['P-7', 'P-8', 'P-9', 'P-10', 'P-11', 'P-12', 'P-13']);
  });

  it('10 `session start` at once open exactly one session; the others exit 1 naming it', async () => {
    const vault = copyExampleVault();
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => canonAsync(['session', 'start', '--vault', vault, '--objective', `Parallel ${i}`])));
    const opened = runs.filter((r) => r.status === 0);
    expect(opened).toHaveLength(1);
    expect(runs.filter((r) => r.status === 1)).toHaveLength(9);
    const path = opened[0]?.stdout.trim() ?? '';
    for (const r of runs.filter((x) => x.status === 1)) expect(r.stderr).toContain(`a session is already open: ${path}`);
    expect(readdirSync(join(vault, 'sessions'))).toEqual([path.slice('sessions/'.length)]);
  });

  it('waits for a held lock, breaks a stale one with a message, and gives up on a fresh one after CANON_LOCK_TIMEOUT', async () => {
    const vault = copyExampleVault();
    const lock = join(vault, `.${CONTROL}.canon.lock`);
    mkdirSync(lock);
    const held = await canonAsync(['add', 'lesson', '--vault', vault, '--set', 'Lesson=waited in vain'], { CANON_LOCK_TIMEOUT: '1' });
    expect(held.status).toBe(2);
    expect(held.stderr).toBe(`canon add: \`${CONTROL}\` is locked by another Canon command (lock \`.${CONTROL}.canon.lock\`) and stayed locked for 1 s; nothing was changed. Run the command again; a lock left by a process that stopped is broken after 15 s\n`);
    expect(readFileSync(join(vault, CONTROL), 'utf8')).not.toContain('waited in vain');

    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    const stale = await canonAsync(['add', 'lesson', '--vault', vault, '--set', 'Lesson=after a crash']);
    expect(stale.status).toBe(0);
    expect(stale.stderr).toMatch(new RegExp(`^warning: breaking a stale lock on \`${CONTROL}\`: its holder stopped refreshing it 6\\d s ago`));
    expect(readFileSync(join(vault, CONTROL), 'utf8')).toContain('| after a crash |');
    expect(existsSync(lock)).toBe(false);
  });
});

describe('session close after a partial failure', () => {
  it('the session note write fails: exit 2 naming it; the retry writes only the note; one Status Log row in all', () => {
    const vault = copyExampleVault();
    const path = canon(['session', 'start', '--vault', vault, '--objective', 'Fault drill']).stdout.trim();
    const rowsOf = (): string[] => readFileSync(join(vault, CONTROL), 'utf8').split('\n').filter((l) => l.includes(`[[${path.replace(/\.md$/, '')}]]`));
    const failed = spawnSync(process.execPath, [canonBin(), 'session', 'close', '--force', '--vault', vault], {
      encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CANON_TEST_FAULTS: 'rename:EIO:sessions/' },
    });
    expect(failed.status).toBe(2);
    expect(failed.stderr).toBe(`canon session: cannot write (rename the new text into place) \`${path}\`: the device reported an input/output error (EIO); the note is unchanged\n`);
    expect(rowsOf()).toHaveLength(1);
    expect(readFileSync(join(vault, path), 'utf8')).toContain('status: open');
    expect(leftovers(join(vault, 'sessions'))).toEqual([]);

    const retry = canon(['session', 'close', '--force', '--vault', vault]);
    expect(retry.stderr).toBe('');
    expect(retry.status).toBe(0);
    expect(retry.stdout).toMatch(/Status Log row already at 00_DraganCorp_Program_Control_Center\.md:\d+ \(written by an earlier close that stopped\); not added again/);
    expect(rowsOf()).toHaveLength(1);
    expect(readFileSync(join(vault, path), 'utf8')).toContain('status: closed');
    expect(readFileSync(join(vault, path), 'utf8').match(/^## What changed/gm)).toHaveLength(1);
  });
});

describe('hostile paths', () => {
  const outside = tempDir('canon-outside-');
  afterAll(() => rmSync(outside, { recursive: true, force: true }));

  it('a sessionsFolder that is a symlink to a folder outside the vault: refused, nothing written outside', () => {
    const vault = copyExampleVault();
    const elsewhere = tempDir('canon-outside-');
    symlinkSync(elsewhere, join(vault, 'sessions'));
    const run = canon(['session', 'start', '--vault', vault, '--objective', 'Escape']);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/^canon session: `sessions\/\d{4}-\d\d-\d\d \d{4} Escape\.md` is not written: its folder `sessions` is a symbolic link, and Canon writes only inside the vault's own folders\n$/);
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a configured folder that is a symlink is a configuration error before any command runs', () => {
    const vault = copyExampleVault();
    const elsewhere = tempDir('canon-outside-');
    symlinkSync(elsewhere, join(vault, 'stack'));
    writeFileSync(join(vault, 'canon.config.json'), JSON.stringify({ sessionsFolder: 'stack/sessions' }));
    for (const args of [['check'], ['session', 'start', '--objective', 'Escape']]) {
      const run = canon([...args, '--vault', vault]);
      expect(run.status).toBe(2);
      expect(run.stderr).toMatch(/: canon\.config\.json: sessionsFolder: `stack` \(in `stack\/sessions`\) is a symbolic link; Canon reads and writes only the vault's own folders and notes, so expected a real folder inside the vault\n$/);
    }
    expect(readdirSync(elsewhere)).toEqual([]);
  });

  it('a canonical note that is a symlink is neither read as a note nor written through', () => {
    const vault = copyExampleVault();
    const target = join(outside, 'real-lessons.md');
    writeFileSync(target, readFileSync(join(vault, CONTROL)));
    rmSync(join(vault, CONTROL));
    symlinkSync(target, join(vault, CONTROL));
    const run = canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=through a link']);
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('no control center note to add a lesson to');
    expect(readFileSync(target, 'utf8')).not.toContain('through a link');
    expect(lstatSync(join(vault, CONTROL)).isSymbolicLink()).toBe(true);
  });

  it.each([
    ['sessionsFolder', '.obsidian', 'sessionsFolder: `.obsidian` is inside `.obsidian`'],
    ['folder', '.stack', 'folder: `.stack` is inside `.stack`'],
    ['folder', 'docs/node_modules/x', 'folder: `docs/node_modules/x` is inside `node_modules`'],
  ])('config %s %s is a configuration error (exit 2), and nothing is written', (key, value, message) => {
    const vault = copyExampleVault();
    writeFileSync(join(vault, 'canon.config.json'), JSON.stringify({ [key]: value }));
    const before = snapshot(vault);
    for (const args of [['init'], ['session', 'start', '--objective', 'x'], ['check']]) {
      const run = canon([...args, '--vault', vault]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`canon.config.json:1: ${message}, a folder Canon does not scan (dot-folders such as .obsidian, .git and .trash, and node_modules), so Canon could not find what it writes there; expected a path in the vault's visible folders`);
    }
    expect(snapshot(vault)).toEqual(before);
    expect(existsSync(join(vault, value))).toBe(false);
  });

  it('a FIFO named like a note or as canon.config.json never blocks a command', () => {
    const vault = copyExampleVault();
    const mkfifo = (path: string): void => {
      expect(spawnSync('mkfifo', [path]).status).toBe(0);
    };
    mkfifo(join(vault, '06_pipe.md'));
    mkfifo(join(vault, 'sessions.md'));
    const check = canon(['check', '--vault', vault], { timeout: 15_000 });
    expect(check.status).toBe(0);
    mkfifo(join(vault, 'canon.config.json'));
    const run = canon(['check', '--vault', vault], { timeout: 15_000 });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('canon check: cannot read `canon.config.json`: it is a FIFO (named pipe), not a file Canon reads; expected a JSON file at the vault root (or none)\n');
  });

  it('canon.config.json that is a folder: exit 2 with a sentence, not an internal error', () => {
    const vault = copyExampleVault();
    mkdirSync(join(vault, 'canon.config.json'));
    const run = canon(['check', '--vault', vault]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('canon check: cannot read `canon.config.json`: it is a folder, not a file Canon reads; expected a JSON file at the vault root (or none)\n');
  });

  it('a read-only note is refused, not replaced', () => {
    const vault = copyExampleVault();
    chmodSync(join(vault, CONTROL), 0o444);
    const before = readFileSync(join(vault, CONTROL), 'utf8');
    const run = canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`canon add: \`${CONTROL}\` is not written: it is read-only; make it writable first if Canon should change it\n`);
    expect(readFileSync(join(vault, CONTROL), 'utf8')).toBe(before);
    expect(statSync(join(vault, CONTROL)).mode & 0o777).toBe(0o444);
  });

  it('a hard-linked note is refused: both names keep the same text', () => {
    const vault = copyExampleVault();
    linkSync(join(vault, CONTROL), join(outside, 'hard-link.md'));
    const run = canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=x']);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`canon add: \`${CONTROL}\` is not written: it has 2 hard links, which replacing it would break; make it a plain file first\n`);
    expect(statSync(join(vault, CONTROL)).ino).toBe(statSync(join(outside, 'hard-link.md')).ino);
  });

  it('a 0600 note stays 0600 (and keeps its owner) after an append', () => {
    const vault = copyExampleVault();
    const note = join(vault, CONTROL);
    chmodSync(note, 0o600);
    if (isRoot) chownSync(note, 65534, 65534);
    const run = canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=private']);
    expect(run.status).toBe(0);
    const stat = statSync(note);
    expect(stat.mode & 0o777).toBe(0o600);
    if (isRoot) expect([stat.uid, stat.gid]).toEqual([65534, 65534]);
    expect(readFileSync(note, 'utf8')).toContain('| private |');
  });

  it('init over a dangling symlink: refused with the reason; the link is left as it was', () => {
    const vault = tempDir('canon-init-');
    symlinkSync(join(outside, 'nowhere.md'), join(vault, CONTROL));
    const run = canon(['init', '--vault', vault]);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`canon init: \`${CONTROL}\` is not written: it is a symbolic link, not a note; Canon does not follow links out of place\n`);
    expect(existsSync(join(outside, 'nowhere.md'))).toBe(false);
  });

  it('init into a folder it may not write: a sentence with path, operation and cause, and no empty note', () => {
    const vault = tempDir('canon-init-');
    chmodSync(vault, 0o555);
    const bin = canonBin();
    // Root writes anywhere: run as `nobody` when it can read the checkout, else inject the EACCES the folder would give.
    const asNobody = isRoot && spawnSync(process.execPath, ['-e', `require('fs').accessSync(${JSON.stringify(join(import.meta.dirname, '../../dist/cli.mjs'))})`], { uid: 65534, gid: 65534 }).status === 0;
    const run = spawnSync(process.execPath, [bin, 'init', '--vault', vault], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1', ...(isRoot && !asNobody ? { CANON_TEST_FAULTS: 'create:EACCES' } : {}) },
      ...(asNobody ? { uid: 65534, gid: 65534 } : {}),
    });
    chmodSync(vault, 0o755);
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`canon init: cannot create (create a temporary file beside) \`${CONTROL}\`: permission denied (EACCES); no note was created\n`);
    expect(readdirSync(vault)).toEqual([]);
  });

  it('--vault /proc/self finishes', () => {
    const run = canon(['check', '--vault', '/proc/self'], { timeout: 20_000 });
    expect(run.status).toBe(1);
    expect(run.stdout).toContain('no note plays the control center role');
  });
});

describe('a full disk', () => {
  /** A 64 KiB tmpfs when the machine allows one (root), else null: the injected ENOSPC below covers the same path. */
  function smallDisk(): string | null {
    if (!isRoot) return null;
    const dir = tempDir('canon-full-');
    const mount = spawnSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', dir]);
    return mount.status === 0 ? dir : null;
  }

  it('init on a full disk creates no note, empty or partial, and says ENOSPC; with space again it creates all five', () => {
    const disk = smallDisk();
    const vault = disk ?? tempDir('canon-full-');
    const init = (env: Record<string, string>): ReturnType<typeof spawnSync> => spawnSync(process.execPath, [canonBin(), 'init', '--vault', vault], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', ...env } });
    try {
      if (disk) {
        try {
          writeFileSync(join(disk, 'filler'), Buffer.alloc(128 * 1024));
        } catch {
          // Full: what was written stays.
        }
      }
      const run = init(disk ? {} : { CANON_TEST_FAULTS: 'write:ENOSPC' });
      expect(run.status).toBe(2);
      expect(run.stderr).toBe('canon init: cannot create (write) `00_DraganCorp_Program_Control_Center.md`: no space left on the device (ENOSPC); no note was created\n');
      expect(readdirSync(vault).filter((f) => f !== 'filler')).toEqual([]);
      if (disk) rmSync(join(disk, 'filler'));
      expect(init({}).status).toBe(0);
      const notes = readdirSync(vault).filter((f) => f.endsWith('.md'));
      expect(notes).toHaveLength(5);
      for (const note of notes) expect(statSync(join(vault, note)).size).toBeGreaterThan(100);
    } finally {
      if (disk) spawnSync('umount', [disk]);
    }
  });

  it('an append on a full disk leaves the note as it was and no temporary file', () => {
    const vault = copyExampleVault();
    const before = snapshot(vault);
    const run = spawnSync(process.execPath, [canonBin(), 'add', 'lesson', '--vault', vault, '--set', 'Lesson=x'], {
      encoding: 'utf8', env: { ...process.env, NO_COLOR: '1', CANON_TEST_FAULTS: 'write:ENOSPC' },
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe(`canon add: cannot write (write) \`${CONTROL}\`: no space left on the device (ENOSPC); the note is unchanged\n`);
    expect(snapshot(vault)).toEqual(before);
    expect(leftovers(vault)).toEqual([]);
  });
});

describe('a row that would land where nothing reads it', () => {
  const blocks = [
    ['an unclosed code fence', '```js\nconst x = 1;\n', 'the code fence opened at line'],
    ['an unclosed HTML comment', '<!-- draft\nnot done\n', 'the HTML comment opened at line'],
  ] as const;
  it.each(ALL_KINDS.flatMap((spec) => blocks.map(([name, block, reason]) => [spec.kind, name, spec, block, reason] as const)))(
    'add %s below %s: refused (exit 2) with the reason; the note is unchanged',
    (_kind, _name, spec, block, reason) => {
      const vault = copyExampleVault();
      const file = join(vault, spec.note);
      // The section is renamed away (so Canon would create it at the end), and the block is left open at the end.
      const text = readFileSync(file, 'utf8').replace(new RegExp(`^(#+ (?:\\d+\\) )?)${spec.section}$`, 'm'), '$1Old notes');
      writeFileSync(file, `${text}\n${block}`);
      const before = readFileSync(file, 'utf8');
      const run = canon(['add', spec.kind, '--vault', vault, ...spec.fields('fenced').flatMap((f) => ['--set', f])]);
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(`was not added to ${spec.note}: the section heading \`${spec.section}\` does not read as a heading where Canon would write it: ${reason} ${before.split('\n').length - block.split('\n').length + 1} `);
      expect(readFileSync(file, 'utf8')).toBe(before);
    },
  );
});

describe('output', () => {
  it('text output shows control characters from a note instead of sending them to the terminal; JSON keeps them escaped', () => {
    const vault = copyExampleVault();
    const file = join(vault, EVIDENCE);
    writeFileSync(file, readFileSync(file, 'utf8').replace('| W-1 |', '| W-1\u001b[2J\u001b]52;c;ZXZpbA==\u0007 |'));
    const run = canon(['check', '--vault', vault]);
    expect(run.status).toBe(1);
    // eslint-disable-next-line no-control-regex -- the assertion is that no control character reaches the terminal.
    expect(run.stdout).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f]/);
    expect(run.stdout).toContain('W-1␛[2J␛]52;c;ZXZpbA==␇');
    const json = canon(['check', '--vault', vault, '--format', 'json']);
    expect(json.stdout).toContain('W-1\\u001b[2J');
  });

  it('--format json prints a JSON error object on exit 2', () => {
    const run = canon(['check', '--vault', '/nonexistent/vault', '--format', 'json']);
    expect(run.status).toBe(2);
    expect(JSON.parse(run.stdout)).toEqual({ error: { command: 'check', message: 'vault `/nonexistent/vault` cannot be opened: there is no such file or folder (ENOENT); expected --vault DIR pointing at the vault root', exitCode: 2 } });
  });

  it('rules --format json lists every rule with its default severity', () => {
    const run = canon(['rules', '--format', 'json']);
    expect(run.status).toBe(0);
    const { rules } = JSON.parse(run.stdout) as { rules: { id: string; severity: string; description: string }[] };
    expect(rules.find((r) => r.id === 'link/unresolved')).toEqual({ id: 'link/unresolved', severity: 'error', description: expect.stringContaining('link') as string });
  });

  it('a stray argument and a column set twice are errors (exit 2), and nothing is written', () => {
    const vault = copyExampleVault();
    const before = snapshot(vault);
    expect(canon(['check', 'extra', '--vault', vault]).stderr).toBe('canon check: unexpected argument `extra`; see `canon check --help`\n');
    const twice = canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=a', '--set', 'lesson=b']);
    expect(twice.status).toBe(2);
    expect(twice.stderr).toBe('canon add: --set `lesson` repeats column Lesson (already set as `Lesson`); expected each column once\n');
    expect(snapshot(vault)).toEqual(before);
  });
});
