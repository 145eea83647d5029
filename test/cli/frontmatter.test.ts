/**
 * The built `canon` reads frontmatter with the core's one reader and `yaml` (src/cli/parse-yaml.ts):
 * a claim with a comment, quotes, CRLF and a BOM, a frontmatter longer than the head the vault scan
 * reads, `1e3`, YAML that does not parse, and a session note whose objective is a `|` block.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { canon, copyExampleVault } from '../helpers/run-cli';

const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

interface Report {
  docs: { role: string; path: string | null }[];
  diagnostics: { path: string; line: number; column: number; severity: string; rule: string; message: string }[];
}

function check(vault: string): { status: number | null; report: Report } {
  const run = canon(['check', '--vault', vault, '--format', 'json']);
  expect(run.stderr).toBe('');
  return { status: run.status, report: JSON.parse(run.stdout) as Report };
}

/** The evidence log moved to a name with no prefix (its role then comes from `canon:` alone), its claim line replaced. */
function logWithClaim(claim: string, name = 'Rollout log.md'): string {
  const vault = copyExampleVault();
  const text = readFileSync(join(vault, EV), 'utf8');
  renameSync(join(vault, EV), join(vault, name));
  writeFileSync(join(vault, name), text.replace('canon: evidence-log\n', `${claim}\n`));
  return vault;
}

const docDiagnostics = (report: Report) => report.diagnostics.filter((d) => d.rule.startsWith('doc/')).map(({ path, line, rule, message }) => ({ path, line, rule, message }));
const logPath = (report: Report) => report.docs.find((d) => d.role === 'evidence-log')?.path;

describe('canon check reads `canon:` as YAML does', () => {
  it('`canon: evidence-log # the real log` claims the evidence log (no doc/unknown-role)', () => {
    const { report } = check(logWithClaim('canon: evidence-log # the real log'));
    expect(logPath(report)).toBe('Rollout log.md');
    expect(docDiagnostics(report)).toEqual([]);
  });

  it('quoted, with CRLF line endings and a byte order mark', () => {
    const vault = logWithClaim("canon: 'evidence-log' # quoted");
    const path = join(vault, 'Rollout log.md');
    writeFileSync(path, `\uFEFF${readFileSync(path, 'utf8').replace(/\n/g, '\r\n')}`);
    const { report } = check(vault);
    expect(logPath(report)).toBe('Rollout log.md');
    expect(docDiagnostics(report)).toEqual([]);
  });

  it('past the head the vault scan reads (a frontmatter of 6 KB), with the line of the key in a duplicate claim', () => {
    const vault = copyExampleVault();
    const long = `---\nnotes: |\n${'  a line of notes, kept as written\n'.repeat(180)}\n  after a blank line\ncanon: evidence-log\n---\n# Other log\n`;
    writeFileSync(join(vault, 'notes/Other log.md'), long);
    const { report } = check(vault);
    expect(docDiagnostics(report).filter((d) => d.rule === 'doc/duplicate-role').map((d) => [d.path, d.line])).toEqual([[EV, 2], ['notes/Other log.md', 185]]);
  });

  it('`canon: 1e3` is the number 1000, which names no role', () => {
    const { report } = check(logWithClaim('canon: 1e3', EV));
    expect(docDiagnostics(report)).toEqual([{
      path: EV, line: 2, rule: 'doc/unknown-role',
      message: 'frontmatter `canon: 1000` names no role; expected one of control-center, implementation-plan, observability-playbook, evidence-log, operating-model',
    }]);
  });

  it('frontmatter that is not YAML: doc/invalid-frontmatter naming the file and the line; no crash', () => {
    const vault = logWithClaim('canon: evidence-log\ntitle: Rollout: phase A');
    const { status, report } = check(vault);
    expect(status).toBe(1);
    expect(docDiagnostics(report)).toEqual([
      { path: '04_*.md', line: 1, rule: 'doc/missing', message: 'no note plays the evidence log role; expected `04_*.md` or a note with `canon: evidence-log` in its frontmatter' },
      { path: 'Rollout log.md', line: 3, rule: 'doc/invalid-frontmatter', message: 'its `canon:` claim is not read: the frontmatter is not valid YAML (Nested mappings are not allowed in compact mappings); expected YAML that Obsidian can read' },
    ]);
    const text = canon(['check', '--vault', vault]);
    expect(text.stdout).toContain('Rollout log.md\n  3:1');
  });
});

describe('canon session reads the session note through the same reader', () => {
  it('an objective rewritten as a `|` block keeps its blank lines', () => {
    const vault = copyExampleVault();
    const start = canon(['session', 'start', '--vault', vault, '--objective', 'Canary at 25 %', '--packet', 'P-4']);
    expect(start.status).toBe(0);
    const path = join(vault, start.stdout.trim());
    writeFileSync(path, readFileSync(path, 'utf8').replace(/^objective: .*$/m, 'objective: |\n  Canary at 25 %.\n\n  Then hold. # not a comment in a block'));
    const status = canon(['session', 'status', '--vault', vault, '--format', 'json']);
    expect(status.stderr).toBe('');
    expect((JSON.parse(status.stdout) as { session: { objective: string } }).session.objective).toBe('Canary at 25 %.\n\nThen hold. # not a comment in a block\n');
  });
});
