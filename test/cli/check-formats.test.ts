import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import Ajv from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import type { Log } from 'sarif';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, RULE_DESCRIPTIONS, RULE_IDS, type Diagnostic } from '../../src/core/rules/rule-ids';
import { escapeData, escapeProperty, formatGithub } from '../../src/cli/formats/github';
import { formatJunit } from '../../src/cli/formats/junit';
import { reportPath } from '../../src/cli/formats/report-path';
import { formatSarif } from '../../src/cli/formats/sarif';
import { repositoryUrl, ruleHelpUri } from '../../src/cli/formats/tool';
import { canon, EXAMPLE_VAULT, REPO, tempDir } from '../helpers/run-cli';

const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const NOTES = [
  '00_DraganCorp_Program_Control_Center.md',
  '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md',
  '03_Phase_A_CODER_VP_Observability_Playbook.md',
  EVIDENCE,
  '05_Phase_A_Execution_Operating_Model.md',
];
const VERSION = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;

/**
 * The SARIF 2.1.0 schema as Microsoft's SARIF SDK ships it (@microsoft/jest-sarif, MIT): schemastore's
 * `sarif-2.1.0-rtm.5.json`, the schema of the OASIS 2.1.0 standard written as JSON Schema draft-04.
 */
const SARIF_SCHEMA = JSON.parse(readFileSync(join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'), 'utf8')) as object;

/**
 * A validator for that schema: formats (uri, uri-reference, date-time) checked. The schema's own
 * flaws are tolerated, not our output's: `required` names a property it does not define
 * (strictRequired), and one language-tag pattern is invalid with the `u` flag (unicodeRegExp).
 */
function sarifValidator(): (log: unknown) => string[] {
  const ajv = new Ajv({ allErrors: true, strict: true, strictRequired: false, unicodeRegExp: false });
  addFormats(ajv);
  const validate = ajv.compile(SARIF_SCHEMA);
  return (log) => (validate(log) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message ?? ''}`));
}
const validateSarif = sarifValidator();

/**
 * A folder holding a copy of the example vault as `stack/` with one error: W-3's Fallback Rate
 * 9.26% where 3 / 57 is 5.26%. The CLI runs in the folder, as CI runs in the repository root.
 */
function repoWithBrokenVault(): string {
  const repo = tempDir('canon-formats-');
  const vault = join(repo, 'stack');
  mkdirSync(vault);
  cpSync(EXAMPLE_VAULT, vault, { recursive: true, filter: (src) => !src.includes('.obsidian') });
  const path = join(vault, EVIDENCE);
  writeFileSync(path, readFileSync(path, 'utf8').replace('| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |'));
  return repo;
}

const MESSAGE = 'Fallback Rate 9.26% does not match 3 / 57; expected 5.26';

describe('canon check --format github', () => {
  it('prints one workflow command per diagnostic, the path from the repository root, % escaped; exit 1', () => {
    const run = canon(['check', '--vault', 'stack', '--format', 'github'], { cwd: repoWithBrokenVault() });
    expect(run.stdout).toBe(
      '::error file=stack/04_Phase_A_Controlled_Rollout_Evidence_Log.md,line=37,col=62,title=row/consistency::Fallback Rate 9.26%25 does not match 3 / 57; expected 5.26\n',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(1);
  });

  it('prints nothing for a clean vault (exit 0), and a warning or an info as ::warning / ::notice (exit 0)', () => {
    const clean = canon(['check', '--format', 'github'], { cwd: EXAMPLE_VAULT });
    expect(clean).toEqual({ status: 0, stdout: '', stderr: '' });
    const repo = repoWithBrokenVault();
    for (const [severity, command] of [['warning', 'warning'], ['info', 'notice']] as const) {
      writeFileSync(join(repo, 'stack/canon.config.json'), JSON.stringify({ rules: { 'row/consistency': severity } }));
      const run = canon(['check', '--vault', 'stack', '--format', 'github'], { cwd: repo });
      expect(run.stdout).toBe(`::${command} file=stack/${EVIDENCE},line=37,col=62,title=row/consistency::Fallback Rate 9.26%25 does not match 3 / 57; expected 5.26\n`);
      expect(run.status).toBe(0);
    }
  });

  it('escapes % CR LF in the message and also : and , in properties, as @actions/core does', () => {
    expect(escapeData('50%\r\nnext: a, b')).toBe('50%25%0D%0Anext: a, b');
    expect(escapeProperty('50%\r\nnext: a, b')).toBe('50%25%0D%0Anext%3A a%2C b');
    const d: Diagnostic = { path: 'a, b: c.md', line: 2, column: 3, severity: 'error', rule: 'cell/type', message: 'x\ny: 1%, z' };
    expect(formatGithub([d], (p) => reportPath('/repo/vault', '/repo', p))).toEqual(['::error file=vault/a%2C b%3A c.md,line=2,col=3,title=cell/type::x%0Ay: 1%25, z']);
  });
});

describe('canon check --format junit', () => {
  it('writes one testsuite per note and one failing testcase per diagnostic (ESLint\'s junit layout); exit 1', () => {
    const run = canon(['check', '--vault', 'stack', '--format', 'junit'], { cwd: repoWithBrokenVault() });
    const passing = (note: string): string[] => [
      `  <testsuite name="stack/${note}" tests="1" failures="0" errors="0" skipped="0" time="0">`,
      `    <testcase name="stack/${note}" classname="stack/${note.replace(/\.md$/, '')}" time="0"/>`,
      '  </testsuite>',
    ];
    expect(run.stdout).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="canon check" tests="5" failures="1" errors="0" time="0">',
      ...passing(NOTES[0] ?? ''),
      ...passing(NOTES[1] ?? ''),
      ...passing(NOTES[2] ?? ''),
      '  <testsuite name="stack/04_Phase_A_Controlled_Rollout_Evidence_Log.md" tests="1" failures="1" errors="0" skipped="0" time="0">',
      '    <testcase name="row/consistency" classname="stack/04_Phase_A_Controlled_Rollout_Evidence_Log" time="0">',
      `      <failure type="error" message="${MESSAGE}">line 37, col 62, Error - ${MESSAGE} (row/consistency)</failure>`,
      '    </testcase>',
      '  </testsuite>',
      ...passing(NOTES[4] ?? ''),
      '</testsuites>',
      '',
    ].join('\n'));
    expect(run.status).toBe(1);
  });

  it('passes a clean vault with one passing testcase per note; exit 0', () => {
    const run = canon(['check', '--format', 'junit'], { cwd: EXAMPLE_VAULT });
    expect(run.stdout).toContain('<testsuites name="canon check" tests="5" failures="0" errors="0" time="0">');
    expect(run.stdout.match(/<testcase /g)).toHaveLength(5);
    expect(run.stdout).not.toContain('<failure');
    expect(run.status).toBe(0);
  });

  it('escapes markup, quotes and line breaks, shows control characters, and lists a note only a diagnostic names', () => {
    const d: Diagnostic = { path: 'x/"a" & <b>.md', line: 1, column: 1, severity: 'warning', rule: 'doc/unknown-role', message: 'bad <canon:> "x" & y\nz\u001b[2J' };
    const xml = formatJunit([d], ['00.md'], (p) => reportPath('/v', '/v', p));
    expect(xml).toBe([
      '<?xml version="1.0" encoding="UTF-8"?>',
      '<testsuites name="canon check" tests="2" failures="1" errors="0" time="0">',
      '  <testsuite name="00.md" tests="1" failures="0" errors="0" skipped="0" time="0">',
      '    <testcase name="00.md" classname="00" time="0"/>',
      '  </testsuite>',
      '  <testsuite name="x/&quot;a&quot; &amp; &lt;b&gt;.md" tests="1" failures="1" errors="0" skipped="0" time="0">',
      '    <testcase name="doc/unknown-role" classname="x/&quot;a&quot; &amp; &lt;b&gt;" time="0">',
      '      <failure type="warning" message="bad &lt;canon:&gt; &quot;x&quot; &amp; y&#10;z\u241B[2J">line 1, col 1, Warning - bad &lt;canon:&gt; "x" &amp; y\nz\u241B[2J (doc/unknown-role)</failure>',
      '    </testcase>',
      '  </testsuite>',
      '</testsuites>',
    ].join('\n'));
  });
});

describe('canon check --format sarif', () => {
  const expectedRules = RULE_IDS.map((id) => ({
    id,
    shortDescription: { text: RULE_DESCRIPTIONS[id] },
    helpUri: `${repositoryUrl()}/blob/main/docs/rules/${id}.md`,
    defaultConfiguration: { level: { error: 'error', warning: 'warning', info: 'note' }[DEFAULT_SEVERITY[id]] },
  }));

  it('writes a SARIF 2.1.0 log valid against its schema: every rule with its page, the error at its place; exit 1', () => {
    const run = canon(['check', '--vault', 'stack', '--format', 'sarif'], { cwd: repoWithBrokenVault() });
    expect(run.status).toBe(1);
    const log = JSON.parse(run.stdout) as Log;
    expect(validateSarif(log)).toEqual([]);
    expect(log).toEqual({
      $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
      version: '2.1.0',
      runs: [{
        tool: { driver: { name: 'Canon', version: VERSION, informationUri: repositoryUrl(), rules: expectedRules } },
        columnKind: 'utf16CodeUnits',
        results: [{
          ruleId: 'row/consistency',
          ruleIndex: RULE_IDS.indexOf('row/consistency'),
          level: 'error',
          message: { text: MESSAGE },
          locations: [{
            physicalLocation: {
              artifactLocation: { uri: 'stack/04_Phase_A_Controlled_Rollout_Evidence_Log.md', uriBaseId: '%SRCROOT%' },
              region: { startLine: 37, startColumn: 62 },
            },
          }],
        }],
      }],
    });
    // One rule as a reader sees it.
    expect(log.runs[0]?.tool.driver.rules?.[RULE_IDS.indexOf('row/consistency')]).toEqual({
      id: 'row/consistency',
      shortDescription: { text: 'a row contradicts itself or another row (End < Start, Fallbacks > Missions, rate mismatch, supersedes)' },
      helpUri: `${repositoryUrl()}/blob/main/docs/rules/row/consistency.md`,
      defaultConfiguration: { level: 'error' },
    });
  });

  it('maps info to note (exit 0), percent-encodes paths, and gives a vault outside the folder file: URIs', () => {
    const repo = repoWithBrokenVault();
    writeFileSync(join(repo, 'stack/canon.config.json'), JSON.stringify({ rules: { 'row/consistency': 'info' } }));
    const info = canon(['check', '--vault', 'stack', '--format', 'sarif'], { cwd: repo });
    expect(info.status).toBe(0);
    const infoLog = JSON.parse(info.stdout) as Log;
    expect(validateSarif(infoLog)).toEqual([]);
    expect(infoLog.runs[0]?.results?.map((r) => r.level)).toEqual(['note']);

    const encoded = formatSarif([{ path: 'sub/é #1.md', line: 1, column: 1, severity: 'warning', rule: 'cell/type', message: 'm' }], (p) => reportPath('/r/v', '/r', p));
    expect(validateSarif(encoded)).toEqual([]);
    expect(encoded.runs[0]?.results?.[0]).toMatchObject({ level: 'warning', locations: [{ physicalLocation: { artifactLocation: { uri: 'v/sub/%C3%A9%20%231.md', uriBaseId: '%SRCROOT%' } } }] });

    const elsewhere = canon(['check', '--vault', join(repo, 'stack'), '--format', 'sarif'], { cwd: EXAMPLE_VAULT });
    const log = JSON.parse(elsewhere.stdout) as Log;
    expect(validateSarif(log)).toEqual([]);
    expect(log.runs[0]?.results?.[0]?.locations?.[0]?.physicalLocation?.artifactLocation).toEqual({ uri: pathToFileURL(join(repo, 'stack', EVIDENCE)).href });

    const clean = canon(['check', '--format', 'sarif'], { cwd: EXAMPLE_VAULT });
    expect(clean.status).toBe(0);
    const cleanLog = JSON.parse(clean.stdout) as Log;
    expect(validateSarif(cleanLog)).toEqual([]);
    expect(cleanLog.runs[0]?.results).toEqual([]);
  });

  it('the schema check has teeth: a wrong level, a bad URI or a missing message fails it', () => {
    const run = canon(['check', '--vault', 'stack', '--format', 'sarif'], { cwd: repoWithBrokenVault() });
    const broken = (edit: (log: Log) => void): string[] => {
      const log = JSON.parse(run.stdout) as Log;
      edit(log);
      return validateSarif(log);
    };
    expect(broken((log) => Object.assign(log.runs[0]?.results?.[0] ?? {}, { level: 'info' }))).not.toEqual([]);
    expect(broken((log) => Object.assign(log.runs[0]?.tool.driver ?? {}, { informationUri: 'not a uri' }))).not.toEqual([]);
    expect(broken((log) => Object.assign(log.runs[0]?.results?.[0] ?? {}, { message: undefined }))).not.toEqual([]);
  });

  it('links every rule to its page in this repository, docs/rules/<family>/<name>.md', () => {
    const prefix = `${repositoryUrl()}/blob/main/`;
    for (const id of RULE_IDS) {
      const uri = ruleHelpUri(id);
      expect(uri.startsWith(prefix)).toBe(true);
      expect(existsSync(join(REPO, uri.slice(prefix.length))), `${id}: ${uri}`).toBe(true);
    }
  });

  it('rule pages: docs/rules/<family>/<name>.md under the repository package.json names', () => {
    expect(ruleHelpUri('guardrail/no-triggers', 'https://example.org/r')).toBe('https://example.org/r/blob/main/docs/rules/guardrail/no-triggers.md');
    expect(repositoryUrl('github:acme/canon')).toBe('https://github.com/acme/canon');
    expect(repositoryUrl('acme/canon')).toBe('https://github.com/acme/canon');
    expect(repositoryUrl({ type: 'git', url: 'git+https://github.com/acme/canon.git' })).toBe('https://github.com/acme/canon');
    expect(repositoryUrl(undefined)).toMatch(/^https:\/\/github\.com\/[\w.-]+\/[\w.-]+$/);
    expect(reportPath('/r/v', '/r', 'sub/é #1.md')).toEqual({ path: 'v/sub/é #1.md', relative: true, fileUri: 'file:///r/v/sub/%C3%A9%20%231.md' });
  });
});

describe('canon check --format (all formats)', () => {
  it('refuses an unknown format with exit 2, naming the five', () => {
    const run = canon(['check', '--format', 'xml'], { cwd: EXAMPLE_VAULT });
    expect(run.status).toBe(2);
    expect(run.stderr).toBe('canon check: --format `xml` is not a format; expected text, json, sarif, github or junit (see `canon check --help`)\n');
  });

  it('exits 2 when the vault cannot be read, in every format', () => {
    for (const format of ['sarif', 'github', 'junit']) {
      const run = canon(['check', '--vault', '/nonexistent/vault', '--format', format]);
      expect(run.status).toBe(2);
      expect(run.stdout).toBe('');
    }
  });
});
