import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canonAsync } from '../helpers/parallel-adds';
import { canon, canonBin, copyExampleVault, tempDir } from '../helpers/run-cli';
import { changedLines } from '../helpers/note-text';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

/** Every note of a vault, byte for byte, by name. */
function notes(vault: string): Map<string, Buffer> {
  return new Map(readdirSync(vault, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.md')).map((f) => [f, readFileSync(join(vault, f))]));
}

interface Changed {
  path: string;
  line: number;
  id: string | null;
  column: string;
  from: string;
  to: string;
}

describe('canon edit', () => {
  it('writes one cell, lists it, and the stack still checks clean', () => {
    const vault = copyExampleVault();
    const before = readFileSync(join(vault, PLAN), 'utf8');
    const run = canon(['edit', 'P-4', '--vault', vault, '--set', 'Status=done']);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Changed 1 cell in 1 row of ${PLAN}:\n  P-4 (${PLAN}:45) Status: in-progress → done\n`);
    expect(changedLines(before, readFileSync(join(vault, PLAN), 'utf8'))).toEqual([[45,
      '| P-4 | Cancellation-safe handoff (the timeout behind the W-3 failure). | `src/vp/handoff.ts` | `npm test -- handoff` | No `vp.mission.failed` with reason `handoff_timeout` over three windows. | done |']]);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
  });

  it('prints {"path", "changed": [{"path", "line", "id", "column", "from", "to"}]} with --format json, the superseded decision included', () => {
    const vault = copyExampleVault();
    const run = canon(['edit', 'd-5', '--vault', vault, '--format', 'json', '--set', 'status=accepted', '--set', 'Supersedes=D-3']);
    expect(run.status).toBe(0);
    const out = JSON.parse(run.stdout) as { path: string; changed: Changed[] };
    expect(Object.keys(out)).toEqual(['path', 'changed']);
    expect(out.path).toBe(CONTROL);
    expect(out.changed).toEqual([
      { path: CONTROL, line: 55, id: 'D-5', column: 'Status', from: 'proposed', to: 'accepted' },
      { path: CONTROL, line: 55, id: 'D-5', column: 'Supersedes', from: '', to: 'D-3' },
      { path: CONTROL, line: 53, id: 'D-3', column: 'Status', from: 'accepted', to: 'superseded' },
    ]);
    const text = readFileSync(join(vault, CONTROL), 'utf8').split('\n');
    expect(text[52]).toMatch(/\| Mara \| superseded \| \|$/);
    expect(text[54]).toMatch(/\| Dragan \| accepted \| D-3 \|$/);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
  });

  it('with --dry-run shows the changes and writes nothing', () => {
    const vault = copyExampleVault();
    const before = notes(vault);
    const run = canon(['edit', 'W-5', '--vault', vault, '--dry-run', '--set', 'Missions=70']);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`Would change 2 cells in 1 row of ${LOG}:\n  W-5 (${LOG}:39) Missions: 66 → 70\n  W-5 (${LOG}:39) Fallback Rate: 1.52% → 1.43%\n(dry run: nothing written)\n`);
    expect(notes(vault)).toEqual(before);
    const json = JSON.parse(canon(['edit', 'W-5', '--vault', vault, '--dry-run', '--format', 'json', '--set', 'Missions=70']).stdout) as { dryRun: boolean; changed: Changed[] };
    expect(json.dryRun).toBe(true);
    expect(json.changed).toHaveLength(2);
    expect(notes(vault)).toEqual(before);
  });

  it('exits 1 on an edit that adds an error, listing each by column, and leaves every note byte-identical', () => {
    const vault = copyExampleVault();
    const before = notes(vault);
    const run = canon(['edit', 'W-5', '--vault', vault, '--set', 'Decision=maybe', '--set', 'Fallbacks=99']);
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^✖ W-5 was not changed \\(2 problems\\); ${LOG} is unchanged\n`));
    const lines = run.stderr.split('\n');
    expect(lines[1]).toMatch(/^ {2}Fallbacks 99 exceed Missions 66; expected Fallbacks ≤ Missions {2}row\/consistency$/);
    expect(lines[2]).toMatch(/^ {2}Decision: `maybe` is not a listed value; expected one of promote, hold, rollback {2}cell\/type$/);
    expect(notes(vault)).toEqual(before);

    const json = canon(['edit', 'P-4', '--vault', vault, '--format', 'json', '--set', 'Packet=P-9', '--set', 'Colour=blue']);
    expect(json.status).toBe(1);
    const out = JSON.parse(json.stdout) as { path: string; errors: { column: string; rule: string; message: string; path: string; line: number }[] };
    expect(out.path).toBe(PLAN);
    expect(out.errors.map((e) => [e.column, e.rule, e.line])).toEqual([['Packet', 'entry/id-column', 45], ['Colour', 'entry/unknown-column', 45]]);
    expect(out.errors[0]?.message).toMatch(/Packet cannot be changed/);
    expect(canon(['edit', 'W-42', '--vault', vault, '--set', 'Notes=x']).stderr).toMatch(/no row W-42 in Rollout Windows .*W-1 to W-10/);
    expect(notes(vault)).toEqual(before);
  });

  it('exits 2 when it cannot run: no id, an id no table has, no --set, a --set without a column', () => {
    const vault = copyExampleVault();
    for (const [args, message] of [
      [['edit'], /expected a row id/],
      [['edit', 'Q-1', '--set', 'a=b'], /`Q-1` is not a row id Canon edits; expected D-n \(Decision Log\), P-n \(Work Packets\), W-n \(Rollout Windows\)/],
      [['edit', 'P-4'], /nothing to change/],
      [['edit', 'P-4', '--set', 'Status'], /--set `Status` has no column/],
      [['edit', 'P-4', 'P-5', '--set', 'Status=done'], /unexpected argument `P-5`/],
    ] as const) {
      const run = canon([...args, '--vault', vault]);
      expect(run.status, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(message);
    }
  });

  it('says so, and writes nothing, when the row already holds the values', () => {
    const vault = copyExampleVault();
    const before = notes(vault);
    const run = canon(['edit', 'W-10', '--vault', vault, '--set', 'Decision=hold']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/W-10 \(04_.*:44\) already holds these values; nothing to change/);
    expect(notes(vault)).toEqual(before);
  });

  it('applies every edit when 10 processes edit different cells of one note at once', async () => {
    const vault = copyExampleVault();
    const before = readFileSync(join(vault, LOG), 'utf8');
    const runs = await Promise.all(Array.from({ length: 10 }, (_, i) => canonAsync(['edit', `W-${i + 1}`, '--vault', vault, '--format', 'json', '--set', `Notes=parallel edit ${i + 1} | piped`])));
    for (const run of runs) expect(run.stderr).toBe('');
    expect(runs.map((r) => r.status)).toEqual(Array.from({ length: 10 }, () => 0));
    const after = readFileSync(join(vault, LOG), 'utf8');
    const changed = changedLines(before, after);
    expect(changed.map(([line]) => line)).toEqual([35, 36, 37, 38, 39, 40, 41, 42, 43, 44]);
    changed.forEach(([, text], i) => expect(text).toMatch(new RegExp(`^\\| W-${i + 1} \\|.* \\| parallel edit ${i + 1} \\\\\\| piped \\|$`)));
    // Each process reported the line it changed, and that line holds its value.
    for (const run of runs) {
      const out = JSON.parse(run.stdout) as { changed: Changed[] };
      const [change] = out.changed;
      expect(after.split('\n')[(change?.line ?? 0) - 1]).toContain(change?.to ?? '?');
    }
    expect(canon(['check', '--vault', vault]).status).toBe(0);
  });

  it('edits a CRLF note and keeps its line endings', () => {
    const vault = copyExampleVault();
    const path = join(vault, PLAN);
    writeFileSync(path, readFileSync(path, 'utf8').replace(/\n/g, '\r\n'));
    const before = readFileSync(path, 'utf8');
    expect(canon(['edit', 'P-5', '--vault', vault, '--set', 'Status=in-progress']).status).toBe(0);
    expect(readFileSync(path, 'utf8')).toBe(before.replace('| Cancel-to-stop under 2 s in 20 of 20 probe runs. | planned |', '| Cancel-to-stop under 2 s in 20 of 20 probe runs. | in-progress |'));
  });

  it('has help', () => {
    const run = canon(['edit', '--help']);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Usage: canon edit ID --set Column=value/);
    expect(canon(['--help']).stdout).toMatch(/\n {2}edit ID {6}change cells of the row with id ID/);
  });
});

describe('canon add reports the rows it changed', () => {
  it('names the superseded decision in text and in JSON', () => {
    const vault = copyExampleVault();
    const text = canon(['add', 'decision', '--vault', vault, '--set', 'Decision=Phase B', '--set', 'Rationale=A week at 25 %', '--set', 'Owner=Dragan', '--set', 'Supersedes=D-5']);
    expect(text.status).toBe(0);
    expect(text.stdout).toContain(`\n  Status: proposed\n  Supersedes: D-5\nAlso changed D-5 (${CONTROL}:55) Status: proposed → superseded\n`);
    const json = canon(['add', 'decision', '--vault', vault, '--format', 'json', '--set', 'Decision=Phase C', '--set', 'Rationale=r', '--set', 'Owner=o', '--set', 'Supersedes=D-6']);
    const out = JSON.parse(json.stdout) as { line: number; changed: Changed[]; row: Record<string, string> };
    expect(out.row).toMatchObject({ ID: 'D-7', Status: 'proposed' });
    expect(out.changed).toEqual([{ path: CONTROL, line: 56, id: 'D-6', column: 'Status', from: 'proposed', to: 'superseded' }]);
    expect(readFileSync(join(vault, CONTROL), 'utf8').split('\n')[55]).toMatch(/^\| D-6 \|.*\| superseded \| D-5 \|$/);
    expect(canon(['check', '--vault', vault]).status).toBe(0);
  });

  it('reports no changed rows for an entry that changes none', () => {
    const vault = copyExampleVault();
    const out = JSON.parse(canon(['add', 'lesson', '--vault', vault, '--format', 'json', '--set', 'Lesson=l']).stdout) as { changed: unknown[] };
    expect(out.changed).toEqual([]);
  });
});

describe('defaults and help for new users', () => {
  it('gives a new packet the Status planned and a new decision proposed when left out', () => {
    const vault = copyExampleVault();
    const packet = JSON.parse(canon(['add', 'packet', '--vault', vault, '--format', 'json', '--set', 'Goal=g', '--set', 'Verification=npm test', '--set', 'Expected Evidence=green']).stdout) as { row: Record<string, string> };
    expect(packet.row).toMatchObject({ Packet: 'P-7', Status: 'planned' });
    const decision = JSON.parse(canon(['add', 'decision', '--vault', vault, '--format', 'json', '--set', 'Decision=d', '--set', 'Rationale=r', '--set', 'Owner=o']).stdout) as { row: Record<string, string> };
    expect(decision.row).toMatchObject({ ID: 'D-6', Status: 'proposed' });
    expect(readFileSync(join(vault, PLAN), 'utf8')).toContain('| P-7 | g | | npm test | green | planned |\n');
  });

  it('add --help lists each column with its type, enum values and an example', () => {
    const help = canon(['add', '--help']).stdout;
    const line = (name: string): string => help.split('\n').find((l) => l.trimStart().startsWith(`${name} `)) ?? `no ${name}`;
    expect(help).toMatch(/\n {2}trigger → Rollback Triggers \(evidence log\)\n/);
    expect(line('Condition')).toMatch(/condition .*; e\.g\. > 10%$/);
    expect(help).toMatch(/\n {4}Window {14}window \(n missions, n windows, n consecutive windows\); e\.g\. 20 missions\n/);
    expect(line('Metric')).toMatch(/metric .*; e\.g\. fallback rate$/);
    expect(line('Start')).toMatch(/datetime \(yyyy-MM-dd HH:mm\); e\.g\. 2026-11-16 09:00/);
    expect(line('Decision?') === 'no Decision?').toBe(true);
    expect(help).toMatch(/Status {14}one of proposed \| accepted \| superseded \| rejected; e\.g\. accepted \(default: proposed\)/);
    expect(help).toMatch(/Status {14}one of planned \| in-progress \| done \| blocked; e\.g\. in-progress \(default: planned\)/);
    expect(help).toMatch(/Window {14}id \(W-<n>\); e\.g\. W-11 \(default: the next id\)/);
    expect(help).toMatch(/Fallback Rate {7}percent .*; e\.g\. 3\.33% \(default: Fallbacks \/ Missions\)/);
    expect(help).toMatch(/Supersedes\? {9}links/);
    // Every column of every kind has its line.
    expect(help.split('\n').filter((l) => /^ {4}\S/.test(l))).toHaveLength(5 + 7 + 3 + 6 + 4 + 7 + 11);
  });

  it('init ends with the next three commands, the vault filled in (quoted for the shell), and they run as printed', () => {
    const vault = join(tempDir(), "team's vault");
    mkdirSync(vault);
    const run = canon(['init', '--vault', vault]);
    expect(run.status).toBe(0);
    const quoted = `'${vault.replace(/'/g, "'\\''")}'`;
    const next = run.stdout.split('\nNext:\n')[1]?.trimEnd().split('\n').map((l) => l.trim()) ?? [];
    expect(next).toEqual([
      `canon check --vault ${quoted}`,
      `canon add trigger --vault ${quoted} --set 'Trigger=Fallback rate over rolling 20 missions' --set 'Metric=fallback rate' --set 'Condition=> 10%' --set 'Window=20 missions' --set 'Owner=Mara (VP on-call)' --set 'Response=Roll traffic back one step' --set 'Cadence=Every window, read at its end'`,
      `canon session start --vault ${quoted} --objective 'First packet: what this session changes'`,
    ]);
    // Run by a shell as printed: the check finds the missing trigger, the add writes it, the stack is then clean.
    const shell = (command: string): number | null => spawnSync('sh', ['-c', command.replace(/^canon /, `"${process.execPath}" "${canonBin()}" `)], { encoding: 'utf8', env: { ...process.env, NO_COLOR: '1' } }).status;
    expect(shell(next[0] ?? '')).toBe(1);
    expect(shell(next[1] ?? '')).toBe(0);
    expect(shell(next[0] ?? '')).toBe(0);
    // A plain path is written bare; without --vault, the current folder.
    const plain = tempDir();
    expect(canon(['init', '--vault', plain]).stdout).toContain(`\n  canon check --vault ${plain}\n`);
    expect(canon(['init'], { cwd: plain }).stdout).toContain('\n  canon check --vault .\n');
  });
});
