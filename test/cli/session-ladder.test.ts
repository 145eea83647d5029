// Issue 11 through the built `canon` bin, as a user runs it: attach, verify (--result and --run:
// exit status, duration, output tail, timeout), list, the scope lock, the >6 packets warning, a start
// refused for a packet not in Work Packets, `status` with no session open, and `close --done`.
import { existsSync, readdirSync, readFileSync, realpathSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { canon, copyExampleVault, tempDir, type CliRun } from '../helpers/run-cli';

const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const WINDOW = ['--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00', '--set', 'Traffic=25%', '--set', 'Missions=180', '--set', 'Fallbacks=6', '--set', 'p95=630', '--set', 'Decision=hold'];

function run(args: string[], status: number, cwd?: string): CliRun {
  const result = canon(args, cwd === undefined ? {} : { cwd });
  if (result.status !== status) throw new Error(`canon ${args.join(' ')} exited ${String(result.status)}, expected ${status}\n${result.stdout}\n${result.stderr}`);
  return result;
}

const read = (vault: string, path: string): string => readFileSync(join(vault, path), 'utf8');

/** P-4's Verification cell set by hand (as a user edits the plan). */
function setVerification(vault: string, cell: string): void {
  const text = read(vault, PLAN);
  const next = text.replace('| `npm test -- handoff` |', `| ${cell} |`);
  expect(next).not.toBe(text);
  writeFileSync(join(vault, PLAN), next);
}

interface Rung { packet: string; rung: string; result: string; at: string; by: string; command?: string; exit?: number | null; ms?: number; timedOut?: boolean; note?: string }
interface Status {
  session: { path: string; packets: string[]; inScope?: string[]; outOfScope?: string[] };
  items: { n: number; done: boolean; by: string | null; proof: string | null }[];
  gates: { packet: string | null; gate: string; done: boolean; proof: string | null }[];
  ladder?: Rung[];
}

function statusOf(vault: string): Status {
  return JSON.parse(run(['session', 'status', '--vault', vault, '--format', 'json'], 0).stdout) as Status;
}

afterEach(() => {
  delete process.env.CANON_VERIFY_TIMEOUT;
});

describe('canon session attach and start', () => {
  it('refuses to start with a packet not in Work Packets (naming it and what to do), then attaches it once added', () => {
    const vault = copyExampleVault();
    const refused = run(['session', 'start', '--vault', vault, '--objective', 'Cancel path', '--packet', 'P-4', '--packet', 'P-7'], 1);
    expect(refused.stderr).toBe(`P-7 is not in the Work Packets table of ${PLAN}; add it first (\`canon add packet --set Goal=… --set Verification=… --set "Expected Evidence=…"\`) and start again, or start without it and attach it once added (\`canon session attach P-7\`)\n`);
    expect(existsSync(join(vault, 'sessions'))).toBe(false);

    const path = run(['session', 'start', '--vault', vault, '--objective', 'Cancel path', '--packet', 'P-4'], 0).stdout.trim();
    const before = read(vault, path);
    expect(run(['session', 'attach', 'P-7', '--vault', vault], 1).stderr).toMatch(/^P-7 is not in the Work Packets table of .*; add it first \(`canon add packet .*`\), then attach it \(`canon session attach P-7`\)\n$/);
    expect(read(vault, path)).toBe(before);
    run(['add', 'packet', '--vault', vault, '--set', 'Goal=Cancel in 2 s', '--set', 'Verification=`npm run probe:cancel`', '--set', 'Expected Evidence=20 of 20'], 0);
    const attached = run(['session', 'attach', 'P-7', 'p-4', '--vault', vault], 0);
    expect(attached.stdout).toBe(`Attached P-7 to ${path}; its packets: P-4, P-7\nP-4 was already in the session\n`);
    // Only the packets line changed: the baseline is still the start's.
    expect(read(vault, path)).toBe(before.replace('packets: ["P-4"]', 'packets: ["P-4", "P-7"]'));
    expect(statusOf(vault).gates.filter((g) => g.gate === 'G1').map((g) => g.packet)).toEqual(['P-4', 'P-7']);
    expect(run(['session', 'attach', '--vault', vault], 2).stderr).toMatch(/^canon session: expected the packets to attach/);
  });

  it('keeps the scope lock and shows it in status (text and JSON); warns above 6 packets and starts all the same', () => {
    const vault = copyExampleVault();
    run(['add', 'packet', '--vault', vault, '--set', 'Goal=Seventh', '--set', 'Verification=`true`', '--set', 'Expected Evidence=green'], 0);
    const packets = ['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'P-7'].flatMap((p) => ['--packet', p]);
    const start = run(['session', 'start', '--vault', vault, '--objective', 'Big one', ...packets, '--in-scope', 'handoff timeout', '--in-scope', 'cancel path', '--out-of-scope', 'cache warm-up'], 0);
    expect(start.stderr).toBe('warning: 7 packets in one session; the operating model plans 2–6 small packets a session (§4 step 2, "Plan in work packets"): consider splitting it\n');
    const path = start.stdout.trim();
    expect(read(vault, path)).toContain('\ninScope: ["handoff timeout", "cancel path"]\noutOfScope: ["cache warm-up"]\nstatus: open\n');
    expect(statusOf(vault).session).toMatchObject({ inScope: ['handoff timeout', 'cancel path'], outOfScope: ['cache warm-up'] });
    const text = run(['session', 'status', '--vault', vault], 0).stdout;
    expect(text).toContain('\n  in scope      handoff timeout; cancel path\n  out of scope  cache warm-up\n');
  });
});

describe('canon session verify', () => {
  it('records a rung given by hand (--result), with its command and note; refuses a packet that is not the session\'s', () => {
    const vault = copyExampleVault();
    const path = run(['session', 'start', '--vault', vault, '--objective', 'Handoff', '--packet', 'P-4'], 0).stdout.trim();
    const out = run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'integration', '--result', 'pass', '--command', 'npm run probe:handoff', '--note', 'staging'], 0);
    expect(out.stdout).toBe(`Recorded P-4 integration: pass in ${path}\n`);
    const [rung] = statusOf(vault).ladder ?? [];
    expect(rung).toEqual({ packet: 'P-4', rung: 'integration', result: 'pass', at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d$/) as unknown, by: 'hand', command: 'npm run probe:handoff', note: 'staging' });
    const gates = statusOf(vault).gates;
    expect(gates.filter((g) => g.gate === 'G1' || g.gate === 'G2').map((g) => [g.gate, g.done])).toEqual([['G1', true], ['G2', true]]);
    expect(read(vault, path)).toMatch(/\n## Verification ladder\n\n- \d{4}-\d\d-\d\d \d\d:\d\d · P-4 · integration · \*\*pass\*\* · result given by hand for `npm run probe:handoff` · staging\n$/);

    const other = run(['session', 'verify', '--vault', vault, '--packet', 'P-5', '--rung', 'unit', '--result', 'pass'], 1);
    expect(other.stderr).toBe("P-5 is not a packet of this session; the session's packets are P-4 (add it with `canon session attach P-5`)\n");
    for (const args of [['--packet', 'P-4', '--rung', 'e2e', '--result', 'pass'], ['--packet', 'P-4', '--rung', 'unit'], ['--packet', 'P-4', '--rung', 'unit', '--result', 'pass', '--run'], ['--packet', 'P-4', '--rung', 'unit', '--result', 'green'], ['--rung', 'unit', '--result', 'pass']]) {
      expect(run(['session', 'verify', '--vault', vault, ...args], 2).stderr).toMatch(/^canon session: /);
    }
    expect(statusOf(vault).ladder).toHaveLength(1);
  });

  it('--run: prints the command and folder first, records a failing then a passing run (exit status, duration, output tail); the gates follow', () => {
    const vault = copyExampleVault();
    const cwd = tempDir('canon-cwd-');
    const folder = realpathSync(cwd);
    const path = run(['session', 'start', '--vault', vault, '--objective', 'Handoff', '--packet', 'P-4'], 0).stdout.trim();
    const failing = 'for i in $(seq 1 25); do echo "line $i"; done; echo "boom" >&2; exit 3';
    const failed = run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'unit', '--run', '--command', failing], 1, cwd);
    expect(failed.stdout.split('\n').slice(0, 2)).toEqual([`Running in ${folder} (stops after 10 min 00 s; the output's last 20 lines are shown and recorded):`, `  ${failing}`]);
    expect(failed.stdout).toContain('  │ line 7\n');
    expect(failed.stdout).not.toContain('  │ line 6\n');
    expect(failed.stdout).toMatch(new RegExp(`\\nRecorded P-4 unit: fail \\(exit 3 in \\d+\\.\\d s\\) in ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n$`));
    let status = statusOf(vault);
    expect(status.ladder?.[0]).toMatchObject({ packet: 'P-4', rung: 'unit', result: 'fail', by: 'run', command: failing, exit: 3 });
    expect(status.ladder?.[0]?.ms).toEqual(expect.any(Number));
    expect(status.gates.find((g) => g.gate === 'G1')?.done).toBe(false);
    expect(status.items[1]).toMatchObject({ done: true, by: 'vault', proof: 'verification ladder: 1 rung recorded (P-4 unit fail)' });
    const note = read(vault, path);
    expect(note).toContain(`· P-4 · unit · **fail** · ran \`${failing}\` in \`${folder}\`: exit 3 after `);
    expect(note).toContain(['  Last 20 lines of output:', '', '  ```text', ...Array.from({ length: 19 }, (_, i) => `  line ${i + 7}`), '  boom', '  ```'].join('\n'));

    // The default command: the packet's Verification cell (its code span), here made to pass.
    setVerification(vault, '`echo probe ok`');
    const passed = run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'unit', '--run', '--note', 'after the fix'], 0, cwd);
    expect(passed.stdout).toMatch(/^Running in .*\n {2}echo probe ok\nOutput:\n {2}│ probe ok\nRecorded P-4 unit: pass \(exit 0 in \d+\.\d s\)/);
    status = statusOf(vault);
    expect(status.ladder?.[1]).toMatchObject({ result: 'pass', by: 'run', command: 'echo probe ok', exit: 0, note: 'after the fix' });
    expect(status.gates.find((g) => g.gate === 'G1')).toMatchObject({ done: true, proof: expect.stringMatching(/^verification ladder: unit passed .* \(echo probe ok\), after the last failure$/) as unknown });
    expect(status.items[0]).toMatchObject({ done: true, by: 'vault' });
    expect(read(vault, path)).toMatch(/· P-4 · unit · \*\*pass\*\* · ran `echo probe ok` in `.*`: exit 0 after \d+\.\d s · after the fix\n\n {2}Output \(1 line\):\n\n {2}```text\n {2}probe ok\n {2}```\n$/);
  });

  it('--run: a command stopped by CANON_VERIFY_TIMEOUT is recorded as failed (timed out); a packet without a command is refused', () => {
    const vault = copyExampleVault();
    run(['session', 'start', '--vault', vault, '--objective', 'Handoff', '--packet', 'P-4'], 0);
    process.env.CANON_VERIFY_TIMEOUT = '1';
    const slow = run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'integration', '--run', '--command', 'echo started; sleep 5'], 1, tempDir());
    expect(slow.stdout).toMatch(/Recorded P-4 integration: fail \(timed out in 1\.\d s\)/);
    expect(statusOf(vault).ladder?.[0]).toMatchObject({ result: 'fail', exit: null, timedOut: true });
    delete process.env.CANON_VERIFY_TIMEOUT;
    // An empty --command is refused, nothing runs.
    expect(run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'unit', '--run', '--command', ' '], 1).stderr).toMatch(/^P-4 has no Verification command in .*; give one with --command T\n$/);
  });
});

describe('canon session list and status without a session', () => {
  it('lists sessions newest first (text and JSON); status says how to list and shows the last closed one', () => {
    const vault = copyExampleVault();
    expect(run(['session', 'list', '--vault', vault], 0).stdout).toBe('No sessions yet; start one with `canon session start --objective TEXT`.\n');
    expect(JSON.parse(run(['session', 'list', '--vault', vault, '--format', 'json'], 0).stdout)).toEqual({ sessions: [] });
    const first = run(['session', 'start', '--vault', vault, '--objective', 'First', '--packet', 'P-4'], 0).stdout.trim();
    run(['session', 'close', '--vault', vault, '--force'], 0);
    const none = run(['session', 'status', '--vault', vault], 1);
    expect(none.stderr).toMatch(new RegExp(`^no open session; start one with \`canon session start --objective TEXT\`\\nList the sessions, open and closed, with \`canon session list\`\\.\\nThe last closed session:\\n {2}closed \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d → \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d {2}First\\n {9}${first.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} · packets P-4\\n$`));
    const second = run(['session', 'start', '--vault', vault, '--objective', 'Second'], 0).stdout.trim();
    const list = JSON.parse(run(['session', 'list', '--vault', vault, '--format', 'json'], 0).stdout) as { sessions: { path: string; objective: string; started: string; closed: string | null; status: string; packets: string[] }[] };
    expect(list.sessions.map((s) => [s.path, s.objective, s.status, s.packets, s.closed === null])).toEqual([
      ...(second > first ? [[second, 'Second', 'open', [], true], [first, 'First', 'closed', ['P-4'], false]] : [[first, 'First', 'closed', ['P-4'], false], [second, 'Second', 'open', [], true]]),
    ]);
    expect(Object.keys(list.sessions[0] ?? {})).toEqual(['path', 'objective', 'started', 'closed', 'status', 'packets']);
    const text = run(['session', 'list', '--vault', vault], 0).stdout;
    expect(text).toMatch(/^2 sessions, newest first:\n/);
    expect(text).toContain(`${second} · packets (none)`);
    expect(readdirSync(join(vault, 'sessions'))).toHaveLength(2);
  });
});

describe('canon session close --done', () => {
  it('refuses while a gate of the packet is open; once every gate passed, sets its Status to done (one cell) and reports the row', () => {
    const vault = copyExampleVault();
    const path = run(['session', 'start', '--vault', vault, '--objective', 'Handoff', '--packet', 'P-4'], 0).stdout.trim();
    const plan = read(vault, PLAN);
    const refused = run(['session', 'close', '--vault', vault, '--done', 'P-4'], 1);
    expect(refused.stderr).toContain('  packet to set done with gates not passed: P-4 (G1, G2, G3, G4 not passed)\n');
    expect(read(vault, PLAN)).toBe(plan);
    expect(run(['session', 'close', '--vault', vault, '--done', 'P-5', '--force'], 1).stderr).toMatch(/--done P-5: not a packet of this session/);

    // The ladder proves G1, G2 and items 1, 2; a window proves G3 and items 3, 4; the close's own row proves G4 and item 5.
    run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'unit', '--result', 'pass'], 0);
    run(['session', 'verify', '--vault', vault, '--packet', 'P-4', '--rung', 'integration', '--run', '--command', 'true'], 0, tempDir());
    run(['add', 'evidence', '--vault', vault, ...WINDOW], 0);
    for (const n of ['6', '7']) run(['session', 'tick', n, '--vault', vault], 0);
    const closed = run(['session', 'close', '--vault', vault, '--done', 'P-4'], 0);
    expect(closed.stdout).toContain(`\n  P-4 set to done in ${PLAN}:45 (Status was in-progress)\n`);
    expect(closed.stdout).not.toContain('override');
    expect(read(vault, PLAN)).toBe(plan.replace(/(\| P-4 \|.*\| )in-progress( \|)/, '$1done$2'));
    const note = read(vault, path);
    expect(note).toContain(`\n- P-4 set to done in [[${PLAN.replace(/\.md$/, '')}]] (line 45, was in-progress)\n`);
    expect(note).toMatch(/\n- Verification ladder of P-4:\n {2}- ✔ unit pass .* — \(result given by hand\)\n {2}- ✔ integration pass .* — `true` exit 0 in \d+\.\d s\n/);
    expect(run(['check', '--vault', vault], 0).status).toBe(0);
  });
});
