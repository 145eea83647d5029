import { spawnSync } from 'node:child_process';
import { closeSync, fstatSync, mkdtempSync, openSync, readSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  applyEdits,
  findPacket,
  outputTail,
  planVerify,
  readSessionNote,
  RUNGS,
  type RunOutcome,
  sameRung,
  seconds,
  TAIL_LINES,
  verificationCommand,
  verifyTarget,
} from '../../core';
import { COMMON_OPTIONS, parseFlags } from '../args';
import { CannotRun, openVault } from '../context';
import { describeCause } from '../fs-errors';
import { withNoteLocks } from '../note-lock';
import { paint, type Output } from '../output';
import { openSession, SESSION_LOCK, writeNote } from './session-context';

export const SESSION_VERIFY_HELP = `Usage: canon session verify --packet P-n --rung unit|integration|snapshot --result pass|fail [--command T] [--note T] [--vault DIR]
       canon session verify --packet P-n --rung unit|integration|snapshot --run [--command T] [--note T] [--vault DIR]

Records one rung of the verification ladder (operating model §4 step 4: unit/local check,
integration/probe, operational snapshot) for a packet of the open session: a line in the session
note's frontmatter (\`ladder\`) and an entry under "Verification ladder" in its body.

--result records a result you observed (--command names what you ran). --run runs the command
itself: the packet's Verification cell in Work Packets (its code span, e.g. \`npm run probe:events\`),
or --command T, with /bin/sh -c from the current folder — the command and the folder are printed
first — and records the exit status, the duration and the last ${TAIL_LINES} lines of the output (as text).
It stops the command after CANON_VERIFY_TIMEOUT seconds (default 600). Nothing else in Canon ever
runs a Verification cell: check, status and close only read the ladder.

The ladder proves gates and items: G1 of a packet once a unit or integration rung passed after its
last failure, G2 once an integration rung did; "Code behavior validated" once every session packet
has a passing rung after its last failure; "Relevant tests/probes run" once any rung is recorded.

Options:
  --packet P-n       a packet of the open session (\`canon session attach P-n\` adds one)
  --rung RUNG        unit, integration or snapshot
  --result RESULT    pass or fail, as observed
  --run              run the command and record its outcome instead
  --command TEXT     the command (with --run: run this instead of the Verification cell)
  --note TEXT        a note kept with the rung
  --vault DIR        the vault root (default: the current folder)
  -h, --help         show this help

Exit status: 0 recorded (with --run: and the command passed); 1 the command failed (recorded),
no open session, or a packet that is not the session's; 2 cannot run (bad flags, or the command
could not be started).`;

const DEFAULT_TIMEOUT_S = 600;
/** The end of the output read back for its tail: enough for 20 long lines. */
const TAIL_BYTES = 64 * 1024;

type VerifyFlags = { vault?: string; packet?: string; rung?: string; result?: string; run?: boolean; command?: string; note?: string };

/** `canon session verify`. */
export async function runSessionVerify(argv: string[], output: Output, now: () => Date): Promise<number> {
  const { values, positionals } = parseFlags(argv, {
    ...COMMON_OPTIONS, packet: { type: 'string' }, rung: { type: 'string' }, result: { type: 'string' }, run: { type: 'boolean' }, command: { type: 'string' }, note: { type: 'string' },
  }, 'session verify');
  if (values.help) {
    output.out(SESSION_VERIFY_HELP);
    return 0;
  }
  if (positionals.length > 0) throw new CannotRun(`unexpected argument \`${positionals[0] ?? ''}\`; see \`canon session verify --help\``);
  const result = checkFlags(values);
  // Checked before anything runs: the session, the packet, the rung.
  const first = openVault(values.vault);
  const open = openSession(first, output);
  if (!open) return 1;
  const target = verifyTarget(open.ref.session, values.packet ?? '', values.rung ?? '');
  if (!target.ok) {
    output.err(target.message);
    return 1;
  }
  let run: RunOutcome | undefined;
  if (values.run) {
    const row = findPacket(open.model, target.packet);
    const command = values.command ?? (row ? verificationCommand(row) : null);
    if (command === null || command.trim() === '') {
      output.err(`${target.packet} has no Verification command in ${row ? `${row.path}:${row.line}` : 'Work Packets'}; give one with --command T`);
      return 1;
    }
    run = runCommand(command, process.cwd(), output);
  }
  // The lock is taken after the run (which may take minutes), so ticks and other records are not held up.
  return withNoteLocks(first.root, [SESSION_LOCK], (m) => output.err(m), () => record(values, output, now, open.ref.path, { result, run }));
}

/** The flags' combination, checked: exactly one of --result and --run, known words. */
function checkFlags(values: VerifyFlags): 'pass' | 'fail' | undefined {
  if (values.packet === undefined) throw new CannotRun('expected --packet P-n; see `canon session verify --help`');
  if (values.rung === undefined) throw new CannotRun(`expected --rung ${RUNGS.join('|')}; see \`canon session verify --help\``);
  if (!(RUNGS as readonly string[]).includes(values.rung.trim().toLowerCase())) throw new CannotRun(`--rung \`${values.rung}\` is not a rung; expected one of ${RUNGS.join(', ')}`);
  if ((values.result === undefined) === (values.run !== true)) throw new CannotRun('expected either --result pass|fail or --run (not both); see `canon session verify --help`');
  if (values.result === undefined) return undefined;
  const result = values.result.trim().toLowerCase();
  if (result !== 'pass' && result !== 'fail') throw new CannotRun(`--result \`${values.result}\` is not a result; expected pass or fail`);
  return result;
}

function record(values: VerifyFlags, output: Output, now: () => Date, path: string, given: { result: 'pass' | 'fail' | undefined; run: RunOutcome | undefined }): number {
  const ctx = openVault(values.vault);
  const open = openSession(ctx, output);
  if (!open) return 1;
  if (open.ref.path !== path) {
    output.err(`the open session changed while the command ran (now ${open.ref.path}, was ${path}); nothing was recorded`);
    return 1;
  }
  const plan = planVerify(open.ref, {
    packet: values.packet ?? '', rung: values.rung ?? '', now: now(),
    ...(given.result ? { result: given.result } : {}), ...(given.run ? { run: given.run } : {}),
    ...(values.command !== undefined && !given.run ? { command: values.command } : {}), ...(values.note !== undefined ? { note: values.note } : {}),
  }, ctx.vault.parseYaml);
  if (!plan.ok) {
    output.err(plan.message);
    return 1;
  }
  writeNote(ctx, path, applyEdits(open.ref.text, plan.edits));
  const back = readSessionNote(ctx.vault.read(path)?.text ?? '', ctx.vault.parseYaml);
  const last = back.ok ? back.session.ladder[back.session.ladder.length - 1] : undefined;
  if (!last || !sameRung(last, plan.rung)) throw new CannotRun(`\`${path}\` was written, but the rung does not read back from its frontmatter; check the note`);
  const line = plan.rung.result === 'pass' ? paint(output, 'green', plan.message) : paint(output, 'red', plan.message);
  output.out(line);
  return given.run && plan.rung.result === 'fail' ? 1 : 0;
}

function timeoutSeconds(): number {
  const given = Number(process.env.CANON_VERIFY_TIMEOUT);
  return Number.isFinite(given) && given > 0 ? given : DEFAULT_TIMEOUT_S;
}

/**
 * Runs the command in a shell from `cwd`, stdout and stderr into one temporary file (so their lines
 * stay in order and no pipe buffer can fill up), and reads back the last lines. The command and the
 * folder are printed before it starts. Throws CannotRun when the shell cannot be started.
 */
function runCommand(command: string, cwd: string, output: Output): RunOutcome {
  const timeout = timeoutSeconds();
  output.out(`Running in ${cwd} (stops after ${seconds(timeout * 1000)}; the output's last ${TAIL_LINES} lines are shown and recorded):`);
  output.out(`  ${command}`);
  const dir = mkdtempSync(join(tmpdir(), 'canon-verify-'));
  try {
    const file = join(dir, 'output.txt');
    const fd = openSync(file, 'wx', 0o600);
    let outcome: { exit: number | null; ms: number; timedOut: boolean };
    try {
      const started = performance.now();
      const shell = process.platform === 'win32' ? { file: command, args: [] as string[], shell: true } : { file: '/bin/sh', args: ['-c', command], shell: false };
      const child = spawnSync(shell.file, shell.args, { cwd, stdio: ['ignore', fd, fd], timeout: timeout * 1000, shell: shell.shell, windowsHide: true });
      const ms = performance.now() - started;
      const code = (child.error as { code?: string } | undefined)?.code;
      if (child.error && code !== 'ETIMEDOUT') throw new CannotRun(`cannot run \`${command}\` in \`${cwd}\`: ${describeCause(child.error)}; nothing was recorded`);
      outcome = { exit: child.status, ms, timedOut: code === 'ETIMEDOUT' };
    } finally {
      closeSync(fd);
    }
    const tail = outputTail(readEnd(file));
    output.out(tail.length === 0 ? '  (no output)' : [`Output${tail.length < TAIL_LINES ? '' : ` (last ${TAIL_LINES} lines)`}:`, ...tail.map((l) => `  │ ${l}`)].join('\n'));
    return { command, cwd, ...outcome, tail };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The last TAIL_BYTES of a file as text. */
function readEnd(file: string): string {
  const fd = openSync(file, 'r');
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, TAIL_BYTES);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    return buffer.toString('utf8');
  } finally {
    closeSync(fd);
  }
}
