// One repository address: package.json's `repository` (what npm and GitHub show) is where every
// diagnostic's rule page lives (core's CANON_REPOSITORY, used by the plugin, which cannot read package.json).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { repositoryUrl } from '../../src/cli/formats/tool';
import { CANON_REPOSITORY, RULE_IDS, ruleDocPath, ruleDocUrl } from '../../src/core';
import { REPO } from '../helpers/run-cli';

const pkg = JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { repository?: { url?: string }; homepage?: string; bugs?: { url?: string } };

describe('the repository address', () => {
  it('package.json names the repository the rule pages link to', () => {
    expect(pkg.repository?.url).toBe(`git+${CANON_REPOSITORY}.git`);
    expect(repositoryUrl()).toBe(CANON_REPOSITORY);
    expect(pkg.homepage).toBe(`${CANON_REPOSITORY}#readme`);
    expect(pkg.bugs?.url).toBe(`${CANON_REPOSITORY}/issues`);
  });

  it('every rule id has its page where its diagnostics say', () => {
    expect(ruleDocUrl('row/consistency')).toBe('https://github.com/canon-contributors/canon/blob/main/docs/rules/row/consistency.md');
    const missing = RULE_IDS.filter((rule) => !existsSync(join(REPO, ruleDocPath(rule))));
    expect(missing).toEqual([]);
  });
});
