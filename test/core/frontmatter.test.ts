/**
 * The one frontmatter reader (src/core/markdown/frontmatter.ts), with exact values: where the block
 * is, what it reads (the plain reader or the injected parser: `yaml` here, as in the CLI), what a
 * claim is, and how the check reports frontmatter that does not parse.
 */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { parseYaml } from '../../src/cli/parse-yaml';
import { findFrontmatter, MAX_NESTING, readFrontmatter, type YamlParse } from '../../src/core/markdown/frontmatter';
import { readPlainYaml } from '../../src/core/markdown/plain-yaml';
import { claimOf, readClaim } from '../../src/core/stack/claim';
import { check, memoryVault } from '../helpers/memory-vault';
import { exampleFiles } from './session/session-vault';

const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

/** The example vault with the evidence log's `canon: evidence-log` line replaced. */
function withClaim(line: string, path = EV): Record<string, string> {
  const files = { ...exampleFiles() };
  const text = files[EV] ?? '';
  delete files[EV];
  files[path] = text.replace('canon: evidence-log\n', `${line}\n`);
  return files;
}

/** A parser that must not be called: the plain reader answered. */
const never: YamlParse = () => {
  throw new Error('the full parser was called');
};

describe('the block', () => {
  it('is `---` on the first line (after a BOM) to the next `---` line, with LF, CRLF or CR', () => {
    expect(findFrontmatter('---\na: 1\n---\nbody')).toEqual({ yamlFrom: 4, closeFrom: 9, to: 12, bodyFrom: 13, endLine: 3, eol: '\n' });
    expect(findFrontmatter('\uFEFF---\r\na: 1\r\n--- \t\r\nbody')).toEqual({ yamlFrom: 6, closeFrom: 12, to: 17, bodyFrom: 19, endLine: 3, eol: '\r\n' });
    expect(findFrontmatter('---\ra: 1\r---\r')?.endLine).toBe(3);
    expect(findFrontmatter('---\n---\n')).toMatchObject({ yamlFrom: 4, closeFrom: 4, endLine: 2 });
  });

  it('is none when not on the first line, never closed, closed by `...`, or opened by `----`', () => {
    for (const text of ['\n---\na: 1\n---\n', '---\na: 1\n', '---\na: 1\n...\n', '----\na: 1\n----\n', '--- x\na: 1\n---\n', '---']) {
      expect(findFrontmatter(text), JSON.stringify(text)).toBeNull();
    }
  });
});

describe('reading it', () => {
  it('reads `canon: evidence-log # the real log` as evidence-log, without the parser', () => {
    expect(readFrontmatter('---\ncanon: evidence-log # the real log\n---\n', never)).toMatchObject({ ok: true, data: { canon: 'evidence-log' } });
    expect(readClaim('---\ntitle: x\ncanon: evidence-log # the real log\n---\n', never)).toEqual({ canon: 'evidence-log', canonLine: 3 });
  });

  it('reads quoted values, with CRLF line endings', () => {
    const text = '---\r\ncanon: "evidence-log"\r\ntitle: \'it\'\'s # here\'\r\nempty: ""\r\n---\r\n';
    expect(readFrontmatter(text, never)).toMatchObject({ ok: true, data: { canon: 'evidence-log', title: "it's # here", empty: '' } });
    expect(readClaim("---\r\n'canon': 'evidence-log'\r\n---\r\n", parseYaml)).toEqual({ canon: 'evidence-log', canonLine: 2 });
  });

  it('keeps the blank lines of a `|` block', () => {
    const text = '---\nnotes: |\n  one\n\n  two\n\ncanon: evidence-log\n---\n';
    expect(readFrontmatter(text, parseYaml)).toMatchObject({ ok: true, data: { notes: 'one\n\ntwo\n', canon: 'evidence-log' } });
    expect(readClaim(text, parseYaml)).toEqual({ canon: 'evidence-log', canonLine: 7 });
  });

  it('reads `1e3` as the number 1000, and as a claim that names no role', () => {
    expect(readFrontmatter('---\nn: 1e3\nhex: 0x1F\nq: "1e3"\n---\n', parseYaml)).toMatchObject({ ok: true, data: { n: 1000, hex: 31, q: '1e3' } });
    expect(readPlainYaml('n: 1e3\n')).toBeNull();
    expect(readClaim('---\ncanon: 1e3\n---\n', parseYaml)).toEqual({ canon: '1000', canonLine: 2 });
    const diagnostics = check(withClaim('canon: 1e3')).diagnostics.filter((d) => d.rule.startsWith('doc/'));
    expect(diagnostics).toEqual([{
      path: EV, line: 2, column: 1, severity: 'warning', rule: 'doc/unknown-role',
      message: 'frontmatter `canon: 1000` names no role; expected one of control-center, implementation-plan, observability-playbook, evidence-log, operating-model',
    }]);
  });

  it('reads anchors, aliases and tags as `yaml` does', () => {
    const text = '---\nrole: &r evidence-log\ncanon: *r\nn: !!str 1e3\nlist: !!seq [a, b]\n---\n';
    expect(readFrontmatter(text, parseYaml)).toMatchObject({ ok: true, data: { role: 'evidence-log', canon: 'evidence-log', n: '1e3', list: ['a', 'b'] } });
    expect(readClaim(text, parseYaml)).toEqual({ canon: 'evidence-log', canonLine: 3 });
    expect(readClaim('---\ncanon: !!str evidence-log\n---\n', parseYaml)).toEqual({ canon: 'evidence-log', canonLine: 2 });
  });

  it('reads what the plain reader declines with the parser, and nothing else', () => {
    const calls: string[] = [];
    const spy: YamlParse = (source) => {
      calls.push(source);
      return parse(source) as unknown;
    };
    readFrontmatter('---\na: 1\nb: two words # c\nc: true\nd: ~\n---\n', spy);
    expect(calls).toEqual([]);
    readFrontmatter('---\na: [1, 2]\n---\n', spy);
    expect(calls).toEqual(['a: [1, 2]\n']);
  });

  it('names the line and the reason of YAML that does not parse, and never throws', () => {
    expect(readFrontmatter('---\ncanon: evidence-log\ntitle: Rollout: phase A\n---\n', parseYaml)).toMatchObject({
      ok: false, problem: { line: 3, message: 'the frontmatter is not valid YAML (Nested mappings are not allowed in compact mappings); expected YAML that Obsidian can read' },
    });
    expect(readClaim('---\ntags: [a\ncanon: evidence-log\n---\n', parseYaml)).toMatchObject({ canonLine: 3, frontmatterProblem: { line: 3 } });
    expect(readClaim('---\ncanon: a\ncanon: b\n---\n', parseYaml)).toMatchObject({ canonLine: 2, frontmatterProblem: { line: 3, message: expect.stringContaining('Map keys must be unique') as unknown } });
    // js-yaml's errors (Obsidian's parser): `mark.line` is 0-based, `reason` the bare reason.
    const jsYaml: YamlParse = () => {
      throw Object.assign(new Error('bad indentation of a mapping entry (3:8)\n\n 3 | …'), { name: 'YAMLException', reason: 'bad indentation of a mapping entry', mark: { line: 2 } });
    };
    expect(readFrontmatter('---\na:\n  - b\n c: d\n---\n', jsYaml)).toMatchObject({
      ok: false, problem: { line: 4, message: 'the frontmatter is not valid YAML (bad indentation of a mapping entry); expected YAML that Obsidian can read' },
    });
  });

  it('refuses a list, a lone value, more than 256 KB, and deep nesting, without calling the parser for the last two', () => {
    expect(readFrontmatter('---\n- a\n---\n', parseYaml)).toMatchObject({ ok: false, problem: { line: 2, message: 'the frontmatter is a YAML list; expected `key: value` lines' } });
    expect(readFrontmatter('---\njust text\n---\n', parseYaml)).toMatchObject({ ok: false, problem: { message: 'the frontmatter is a lone YAML value; expected `key: value` lines' } });
    expect(readFrontmatter(`---\na: [${'x, '.repeat(90000)}]\n---\n`, never)).toMatchObject({ ok: false, problem: { line: 2, message: 'the frontmatter is 264 KB of YAML; expected at most 256 KB' } });
    expect(readFrontmatter(`---\na: ${'['.repeat(MAX_NESTING + 1)}\n---\n`, never)).toMatchObject({ ok: false, problem: { message: 'the frontmatter nests deeper than 100 levels; expected YAML that Obsidian can read' } });
    expect(readFrontmatter(`---\na: ${'['.repeat(50)}${']'.repeat(50)}\n---\n`, parseYaml).ok).toBe(true);
  });

  it('reads an empty block, and a note without one, as no keys', () => {
    expect(readFrontmatter('---\n---\n# T\n', parseYaml)).toMatchObject({ ok: true, data: {} });
    expect(readFrontmatter('---\n# only a comment\n---\n', parseYaml)).toMatchObject({ ok: true, data: {} });
    expect(readFrontmatter('# T\n', never)).toEqual({ ok: true, block: null, data: {} });
    expect(readClaim('# T\n', never)).toEqual({});
  });
});

describe('a claim', () => {
  it('is the `canon` value as text, or none', () => {
    expect([claimOf({ canon: 'evidence-log' }), claimOf({ canon: 1000 }), claimOf({ canon: true }), claimOf({ canon: ['a'] })]).toEqual(['evidence-log', '1000', 'true', '["a"]']);
    expect([claimOf({ canon: null }), claimOf({}), claimOf(undefined), claimOf(['canon']), claimOf(Object.create({ canon: 'x' }))]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('with a comment gives the role, in the check too (no diagnostic), at the line of its key', () => {
    const files = withClaim('canon: evidence-log # the real log', 'Rollout log.md');
    const result = check(files);
    // (The control center's links to the old name are unresolved now: not a role diagnostic.)
    expect(result.diagnostics.filter((d) => d.rule.startsWith('doc/'))).toEqual([]);
    expect(result.docs.find((d) => d.role === 'evidence-log')).toMatchObject({ path: 'Rollout log.md', via: 'frontmatter' });
    expect(memoryVault(files).notes.find((n) => n.path === 'Rollout log.md')).toEqual({ path: 'Rollout log.md', canon: 'evidence-log', canonLine: 2 });
  });

  it('reports a second claim of a role at its own `canon:` line (as the CLI does)', () => {
    const files = { ...exampleFiles(), 'notes/Other log.md': '---\ntitle: x\ntags: [a]\ncanon: evidence-log\n---\n# Other\n' };
    expect(memoryVault(files).notes.find((n) => n.path === 'notes/Other log.md')).toEqual({ path: 'notes/Other log.md', canon: 'evidence-log', canonLine: 4 });
    const duplicate = check(files).diagnostics.filter((d) => d.rule === 'doc/duplicate-role').map((d) => [d.path, d.line]);
    expect(duplicate).toEqual([[EV, 2], ['notes/Other log.md', 4]]);
  });
});

describe('doc/invalid-frontmatter', () => {
  it('reports a canonical note whose YAML does not parse, at the parser\'s line; the prefix keeps its role', () => {
    const files = withClaim('canon: evidence-log\ntitle: Rollout: phase A');
    const result = check(files);
    expect(result.diagnostics).toEqual([{
      path: EV, line: 3, column: 1, severity: 'warning', rule: 'doc/invalid-frontmatter',
      message: 'its `canon:` claim is not read: the frontmatter is not valid YAML (Nested mappings are not allowed in compact mappings); expected YAML that Obsidian can read',
    }]);
    expect(result.docs.find((d) => d.role === 'evidence-log')).toMatchObject({ path: EV, via: 'prefix' });
  });

  it('reports a note outside the stack only when it has a `canon:` line', () => {
    const files = { ...exampleFiles(), 'notes/a.md': '---\ntags: [a\n---\n', 'notes/b.md': '---\ntags: [b\ncanon: evidence-log\n---\n' };
    const found = check(files).diagnostics.filter((d) => d.rule === 'doc/invalid-frontmatter').map((d) => [d.path, d.line]);
    expect(found).toEqual([['notes/b.md', 3]]);
  });
});
