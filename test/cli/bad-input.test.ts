import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault } from '../helpers/run-cli';

const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const CONTROL = '00_DraganCorp_Program_Control_Center.md';

/** Replaces one canonical note of a fresh example-vault copy with the given bytes. */
function vaultWith(file: string, content: string | Buffer): string {
  const vault = copyExampleVault();
  writeFileSync(join(vault, file), content);
  return vault;
}

function expectClean(run: { status: number | null; stdout: string; stderr: string }): void {
  expect([0, 1, 2]).toContain(run.status);
  expect(`${run.stdout}${run.stderr}`).not.toMatch(/\n\s+at .*\(.*:\d+:\d+\)/);
  expect(run.stderr).not.toMatch(/internal error/);
}

type Diag = { rule: string; message: string; path: string; line: number };
const diagnostics = (run: { stdout: string }): Diag[] => (JSON.parse(run.stdout) as { diagnostics: Diag[] }).diagnostics;

describe('bad input never crashes or hangs', () => {
  it('a binary file as a canonical note: doc/unreadable, and add refuses to write it', () => {
    const bytes = Buffer.concat([Buffer.from('---\ncanon: evidence-log\n---\n'), Buffer.from([0, 1, 2, 255, 254, 0, 137, 80, 78, 71])]);
    const vault = vaultWith(EVIDENCE, bytes);
    const run = canon(['check', '--vault', vault, '--format', 'json']);
    expectClean(run);
    expect(run.status).toBe(1);
    expect(diagnostics(run).find((d) => d.rule === 'doc/unreadable')?.message).toMatch(/binary/);
    const add = canon(['add', 'trigger', '--vault', vault, '--set', 'Trigger=x', '--set', 'Metric=p95', '--set', 'Condition=> 1', '--set', 'Window=3 windows', '--set', 'Owner=a', '--set', 'Response=b']);
    expectClean(add);
    expect(add.status).toBe(2);
    expect(readFileSync(join(vault, EVIDENCE)).equals(bytes)).toBe(true);
  });

  it('invalid UTF-8: reported with its line, never written', () => {
    const text = readFileSync(join(copyExampleVault(), CONTROL));
    const bytes = Buffer.concat([text, Buffer.from([0xc3, 0x28, 0x0a])]);
    const vault = vaultWith(CONTROL, bytes);
    const run = canon(['check', '--vault', vault, '--format', 'json']);
    expectClean(run);
    const d = diagnostics(run).find((x) => x.rule === 'doc/unreadable');
    expect(d?.message).toMatch(/not valid UTF-8/);
    expect(d?.line).toBeGreaterThan(1);
    expectClean(canon(['add', 'lesson', '--vault', vault, '--set', 'Lesson=x']));
    expect(readFileSync(join(vault, CONTROL)).equals(bytes)).toBe(true);
  });

  it('an empty note: its sections are reported missing', () => {
    const run = canon(['check', '--vault', vaultWith(CONTROL, ''), '--format', 'json']);
    expectClean(run);
    expect(diagnostics(run).filter((d) => d.path === CONTROL).map((d) => d.rule)).toEqual(['section/missing', 'section/missing', 'section/missing']);
  });

  it('a 5 MB line', () => {
    const run = canon(['check', '--vault', vaultWith(CONTROL, `${'x'.repeat(5 * 1024 * 1024)}\n`), '--format', 'json'], { timeout: 30_000 });
    expectClean(run);
    expect(run.status).toBe(1);
  });

  it('a table of 500 columns', () => {
    const row = (cell: (i: number) => string) => `| ${Array.from({ length: 500 }, (_, i) => cell(i)).join(' | ')} |`;
    const table = [row((i) => `C${i}`), row(() => '---'), row((i) => `v${i}`)].join('\n');
    const run = canon(['check', '--vault', vaultWith(CONTROL, `## Status Log\n\n${table}\n`), '--format', 'json'], { timeout: 30_000 });
    expectClean(run);
    expect(diagnostics(run).map((d) => d.rule)).toContain('table/missing-column');
  });

  it('10,000 nested block-quote markers', () => {
    const run = canon(['check', '--vault', vaultWith(CONTROL, `${'>'.repeat(10_000)} | a | b |\n${'>'.repeat(10_000)} | - | - |\n`), '--format', 'json'], { timeout: 30_000 });
    expectClean(run);
    expect(run.status).toBe(1);
  });

  it('a note path in the config outside the vault', () => {
    const vault = copyExampleVault();
    writeFileSync(join(vault, 'canon.config.json'), '{"notes": {"control-center": "/etc/hosts.md"}}');
    const run = canon(['check', '--vault', vault]);
    expectClean(run);
    expect(run.status).toBe(2);
    expect(run.stderr).toMatch(/notes\.control-center: `\/etc\/hosts\.md` is absolute; expected a path inside the vault/);
  });
});
