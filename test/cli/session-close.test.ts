// Issue 10, gates and close, through the built `canon` as real processes on a copy of the example
// vault: G5 refused while a trigger is in breach, G4 while a required update is open; reasons kept
// with hand ticks; `session close` refusing with every reason (nothing written), and `--force`
// writing them into the session note and the Status Log row, with the recommendation block.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault } from '../helpers/run-cli';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const TRIGGER = 'Fallback rate over rolling 20 missions';
const RUNTIME = 'Runtime behavior, routing, cancellation, recovery';
const QUERY = 'New operational query/process';
const BLOCK_START = '<!-- canon:recommendation -->';
const BLOCK_END = '<!-- /canon:recommendation -->';

/** Runs `canon` and expects the exit status given (the output in the failure message otherwise). */
function run(args: string[], status: number) {
  const result = canon(args);
  expect(result.status, `${args.join(' ')}\n${result.stdout}${result.stderr}`).toBe(status);
  return result;
}

/** Opens a session on P-4 (with the kinds of change given); returns its note's path. */
function start(vault: string, changes: string[] = []): string {
  return run(['session', 'start', '--vault', vault, '--objective', 'Canary at 25 %', '--packet', 'P-4', ...changes.flatMap((c) => ['--change', c])], 0).stdout.trim();
}

/** A window of 40 missions with 12 fallbacks (30 %): the fallback-rate trigger (> 10 % over 20 missions) is in breach. */
function addBreach(vault: string): void {
  run(['add', 'evidence', '--vault', vault, '--set', 'Start=2026-11-16 09:00', '--set', 'End=2026-11-16 17:00', '--set', 'Traffic=25%',
    '--set', 'Missions=40', '--set', 'Fallbacks=12', '--set', 'p95=630', '--set', 'Events=vp.mission.failed=0', '--set', 'Decision=rollback'], 0);
}

function read(vault: string, path: string): string {
  return readFileSync(join(vault, path), 'utf8');
}

/** Every file under the vault (lock folders included, were any left), path → bytes. */
function files(vault: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of readdirSync(vault, { recursive: true, encoding: 'utf8' })) {
    const full = join(vault, name);
    out.set(relative(vault, full), statSync(full).isDirectory() ? '(folder)' : readFileSync(full).toString('base64'));
  }
  return out;
}

interface Status {
  items: { n: number; text: string; done: boolean; by: string | null; proof: string | null; reason?: string }[];
  gates: { packet: string | null; gate: string; done: boolean; proof: string | null; reason?: string }[];
}

const statusOf = (vault: string): Status => JSON.parse(run(['session', 'status', '--vault', vault, '--format', 'json'], 0).stdout) as Status;

describe('canon session tick --gate G5 / G4', () => {
  it('refuses G5 while a trigger is in breach, naming it and what would lift the block; the note is unchanged', () => {
    const vault = copyExampleVault();
    const path = start(vault);
    addBreach(vault);
    const before = read(vault, path);
    const refused = run(['session', 'tick', '--gate', 'G5', '--reason', 'rolled back already', '--vault', vault], 1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(new RegExp(`^G5 cannot be ticked: 1 rollback trigger is in breach:\\n {2}- ${TRIGGER}: .*: breach\\n`));
    expect(refused.stderr.endsWith('It can be ticked once no trigger is in breach: newer Rollout Windows rows within each condition (`canon guardrails` shows the readings).\n')).toBe(true);
    expect(read(vault, path)).toBe(before);
    expect(statusOf(vault).gates.find((g) => g.gate === 'G5')).toEqual({ packet: 'P-4', gate: 'G5', done: false, proof: null });
    expect(run(['session', 'status', '--vault', vault], 0).stdout).toContain('\n  G5 cannot be ticked by hand: 1 rollback trigger in breach\n');
  });

  it('refuses G4 while a required update is open, listing each; ticks it once the rows are there', () => {
    const vault = copyExampleVault();
    const path = start(vault, ['runtime behavior', 'operational query']);
    const before = read(vault, path);
    const refused = run(['session', 'tick', '--gate', 'G4', '--vault', vault], 1);
    expect(refused.stderr).toBe([
      'G4 cannot be ticked: 2 required updates are open:',
      `  - "${RUNTIME}" requires \`00\` status log + \`00\` decision log (if governance changed)`,
      `  - "${QUERY}" requires \`03\` observability playbook`,
      'It can be ticked once each is done: a row added to each note it names (the vault then proves G4 by itself).',
      '',
    ].join('\n'));
    expect(read(vault, path)).toBe(before);
    run(['add', 'query', '--vault', vault, '--set', 'Name=Cancel latency', '--set', 'Query=events | where name == "vp.cancel"', '--set', 'Interpretation=p95 under 2 s', '--set', 'Recovery=Roll back'], 0);
    run(['add', 'status', '--vault', vault, '--set', 'Change=Cancel path', '--set', 'Summary=Cancellation-safe handoff', '--set', 'Gates=G1'], 0);
    expect(run(['session', 'tick', '--gate', 'G4', '--vault', vault], 0).stdout).toBe('Ticked G4 of P-4\n');
    expect(statusOf(vault).gates.find((g) => g.gate === 'G4')).toMatchObject({ done: true, proof: expect.stringMatching(/^docs synchronized: /) as unknown });
  });
});

describe('canon session tick --reason', () => {
  it('keeps the reason in the session note beside the ticks, shows it in status (text and JSON), drops it with --undo', () => {
    const vault = copyExampleVault();
    const path = start(vault);
    expect(run(['session', 'tick', '1', '--reason', 'checked in staging', '--vault', vault], 0).stdout).toBe('Ticked item 1 (Code behavior validated.), reason: checked in staging\n');
    expect(run(['session', 'tick', '--gate', 'G2', '--reason', 'no integration suite for the canary', '--vault', vault], 0).stdout).toBe('Ticked G2 of P-4, reason: no integration suite for the canary\n');
    expect(read(vault, path)).toContain([
      'ticks: ["Code behavior validated."]',
      'changes: []',
      'gates: ["P-4 G2"]',
      'reasons:',
      '  "Code behavior validated.": "checked in staging"',
      '  "P-4 G2": "no integration suite for the canary"',
      'baseline:',
    ].join('\n'));
    const status = statusOf(vault);
    expect(status.items[0]).toEqual({ n: 1, text: 'Code behavior validated.', done: true, by: 'hand', proof: null, reason: 'checked in staging' });
    expect(status.gates.find((g) => g.gate === 'G2')).toEqual({ packet: 'P-4', gate: 'G2', done: true, proof: 'ticked by hand', reason: 'no integration suite for the canary' });
    const text = run(['session', 'status', '--vault', vault], 0).stdout;
    expect(text).toContain('  ✔  1. Code behavior validated.  (by hand: checked in staging)\n');
    expect(text).toContain('G2: ticked by hand — reason: no integration suite for the canary\n');

    run(['session', 'tick', '1', '--undo', '--vault', vault], 0);
    expect(read(vault, path)).toContain('\nreasons:\n  "P-4 G2": "no integration suite for the canary"\nbaseline:\n');
    for (const args of [['--change', 'runtime behavior', '--reason', 'x'], ['2', '--undo', '--reason', 'x'], ['2', '--reason', '  ']]) {
      const bad = run(['session', 'tick', ...args, '--vault', vault], 2);
      expect(bad.stderr).toMatch(/^canon session: --reason /);
    }
  });
});

describe('canon session close with reasons left', () => {
  it('refuses without --force, one line per reason of each kind, every file byte-identical; --force writes them down', () => {
    const vault = copyExampleVault();
    const path = start(vault, ['operational query']);
    addBreach(vault);
    const link = `[[${path.replace(/\.md$/, '')}]]`;
    const before = files(vault);
    const control = read(vault, CONTROL);
    const evidence = read(vault, EVIDENCE);
    const note = read(vault, path);

    const refused = run(['session', 'close', '--vault', vault], 1);
    expect(refused.stdout).toBe('');
    const reasons = [
      'open checklist item: 1. Code behavior validated.',
      'open checklist item: 2. Relevant tests/probes run.',
      'open checklist item: 6. Commits are scoped and understandable.',
      'open checklist item: 7. Open risks and next actions are explicit.',
      `open required update: "${QUERY}" requires \`03\` observability playbook`,
      'gate not passed: G1 of P-4',
      'gate not passed: G2 of P-4',
      'gate not passed: G4 of P-4',
      'gate not passed: G5 of P-4',
      `guardrails in breach: ${TRIGGER} (recommendation: rollback)`,
    ];
    expect(refused.stderr).toBe([
      '✖ the session was not closed: 10 reasons left; nothing was written',
      ...reasons.map((r) => `  ${r}`),
      'Tick items with `canon session tick N` and gates with `canon session tick --gate G` (each may carry --reason T), add the rows the required updates name, or close anyway with --force (the reasons are then written into the session note and the Status Log row).',
      '',
    ].join('\n'));
    expect(files(vault)).toEqual(before);

    const forced = run(['session', 'close', '--force', '--changed', 'Rolled back to 20 %', '--vault', vault], 0);
    expect(forced.stderr).toBe('');
    // The block goes at the end of Current Recommendation (the example's last section), after a blank line; an older block is replaced.
    const kept = evidence.includes(BLOCK_START) ? evidence.slice(0, evidence.indexOf(BLOCK_START)).trimEnd() : evidence.trimEnd();
    const blockLine = kept.split('\n').length + 2;
    expect(forced.stdout).toBe([
      `Closed ${path}`,
      `  Status Log row added to ${CONTROL}:${control.split('\n').findIndex((l) => l.startsWith('| 2026-11-13 17:40 |')) + 2}`,
      `  recommendation block written to ${EVIDENCE}:${blockLine}`,
      `  summary written to ${path}`,
      '  closed with 10 overrides (listed under "Overridden at close" in the session note and in the Status Log row\'s Summary):',
      ...reasons.map((r) => `    ${r}`),
      '',
    ].join('\n'));

    // The control center: exactly one row more, whose Summary names the overrides.
    const closedAt = /^closed: (\d{4}-\d\d-\d\d)T(\d\d:\d\d)$/m.exec(read(vault, path));
    expect(closedAt).not.toBeNull();
    const row = `| ${closedAt?.[1] ?? ''} ${closedAt?.[2] ?? ''} | Canary at 25 % | Rolled back to 20 %. Closed with 10 overrides: items 1, 2, 6, 7 open; 1 required update open; gates not passed: G1 of P-4, G2 of P-4, G4 of P-4, G5 of P-4; guardrails in breach. | G3 | ${link} |`;
    const last = control.split('\n').find((l) => l.startsWith('| 2026-11-13 17:40 |')) ?? '';
    expect(read(vault, CONTROL)).toBe(control.replace(`${last}\n`, `${last}\n${row}\n`));

    // The session note: closed, the summary, and the overridden reasons under their own heading, last.
    const closed = read(vault, path);
    expect(closed.startsWith(note.replace('\nstatus: open\n', `\nstatus: closed\nclosed: ${closedAt?.[1] ?? ''}T${closedAt?.[2] ?? ''}\n`))).toBe(true);
    for (const heading of ['What changed', 'Verification', 'Evidence captured', 'Docs updated', 'Risks and next checks']) expect(closed).toContain(`\n## ${heading}\n`);
    expect(closed.endsWith([
      '## Overridden at close',
      '',
      'The session was closed by force despite 10 reasons:',
      '',
      ...reasons.map((r) => `- ${r}`),
      '',
    ].join('\n'))).toBe(true);

    // The evidence log: only the recommendation block added, at the end of Current Recommendation.
    const after = read(vault, EVIDENCE);
    const block = after.slice(after.indexOf(BLOCK_START));
    expect(after).toBe(`${kept}\n\n${block}`);
    expect(block.startsWith(`${BLOCK_START}\n**Guardrails: breach. Recommendation: rollback.**`)).toBe(true);
    expect(block.endsWith(`${BLOCK_END}\n`)).toBe(true);
    expect(block).toContain(`\n- ${TRIGGER}: `);

    expect(run(['check', '--vault', vault], 0).stdout).toMatch(/0 errors/);
    run(['session', 'status', '--vault', vault], 1);
  });

  it('closes as before when no reason is left, and says the block already reads so when it does', () => {
    const vault = copyExampleVault();
    run(['guardrails', '--write', '--vault', vault], 0);
    const path = start(vault);
    for (const n of ['1', '2', '3', '4', '6', '7']) run(['session', 'tick', n, '--vault', vault], 0);
    for (const gate of ['G1', 'G2', 'G3', 'G4']) run(['session', 'tick', '--gate', gate, '--reason', 'docs-only session', '--vault', vault], 0);
    const evidence = read(vault, EVIDENCE);
    const closed = run(['session', 'close', '--vault', vault], 0);
    expect(closed.stdout).toMatch(new RegExp(`\\n {2}recommendation block in ${EVIDENCE.replace(/\./g, '\\.')}:\\d+ already up to date\\n`));
    expect(closed.stdout).not.toContain('override');
    expect(read(vault, EVIDENCE)).toBe(evidence);
    expect(read(vault, path)).not.toContain('Overridden at close');
    expect(read(vault, path)).toContain('- Gates of P-4: ✔ G1 (ticked by hand: docs-only session), ✔ G2 (ticked by hand: docs-only session), ✔ G3 (ticked by hand: docs-only session), ✔ G4 (ticked by hand: docs-only session), ✔ G5 (');
  });
});
