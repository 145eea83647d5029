/**
 * The plugin reads `canon:` as the CLI does: the claims from the metadata cache (Obsidian's parse;
 * the fake's is the `yaml` package's), read by the core's `claimOf`; the line of a claim, and why a
 * frontmatter cannot be read, from the note's text through the core's one reader with `parseYaml`.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { loadVaultFromDir, type App, type FakeAppOptions } from '../fakes/obsidian';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { pluginRuns } from '../fakes/plugin-runs';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

async function start(load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>, edit: (log: string) => Record<string, string>) {
  const log = loadVaultFromDir(EXAMPLE_VAULT).vault._peek(EV) ?? '';
  app = loadVaultFromDir(EXAMPLE_VAULT, { ...options, files: edit(log) });
  const plugin = await app.loadPlugin(await load());
  await app.layoutReady();
  await app.idle();
  const result = plugin.controller.snapshot().result;
  if (!result) throw new Error('no check ran');
  const doc = result.diagnostics.filter((d) => d.rule.startsWith('doc/')).map(({ path, line, rule, message }) => ({ path, line, rule, message }));
  return { result, doc };
}

describe.each(pluginRuns)('frontmatter in the plugin (%s)', (_name, load, options) => {
  it('`canon: evidence-log # the real log` claims the evidence log: no unknown role, no duplicate', async () => {
    const { result, doc } = await start(load, options, (log) => ({
      [EV]: log.replace('canon: evidence-log\n', ''),
      'notes/Rollout log.md': log.replace('canon: evidence-log\n', 'canon: evidence-log # the real log\n'),
    }));
    expect(result.docs.find((d) => d.role === 'evidence-log')).toMatchObject({ path: 'notes/Rollout log.md', via: 'frontmatter' });
    expect(doc).toEqual([]);
  });

  it('reports a second claim with a comment at the line of its `canon:` key, as the CLI does', async () => {
    const { doc } = await start(load, options, () => ({ 'notes/Other log.md': '---\ntitle: x\ntags: [a]\ncanon: "evidence-log" # a draft\n---\n# Other\n' }));
    expect(doc.map((d) => [d.rule, d.path, d.line])).toEqual([['doc/duplicate-role', EV, 2], ['doc/duplicate-role', 'notes/Other log.md', 4]]);
  });

  it('reads `canon: 1e3` as the number 1000, which names no role', async () => {
    const { doc } = await start(load, options, (log) => ({ [EV]: log.replace('canon: evidence-log\n', 'canon: 1e3\n') }));
    expect(doc).toEqual([{
      path: EV, line: 2, rule: 'doc/unknown-role',
      message: 'frontmatter `canon: 1000` names no role; expected one of control-center, implementation-plan, observability-playbook, evidence-log, operating-model',
    }]);
  });

  it('reports frontmatter that is not YAML with the file and the line, and keeps the role by the prefix', async () => {
    const { result, doc } = await start(load, options, (log) => ({ [EV]: log.replace('canon: evidence-log\n', 'canon: evidence-log\ntitle: Rollout: phase A\n') }));
    expect(doc).toEqual([{
      path: EV, line: 3, rule: 'doc/invalid-frontmatter',
      message: 'its `canon:` claim is not read: the frontmatter is not valid YAML (Nested mappings are not allowed in compact mappings); expected YAML that Obsidian can read',
    }]);
    expect(result.docs.find((d) => d.role === 'evidence-log')).toMatchObject({ path: EV, via: 'prefix' });
  });

  it('reads a CRLF frontmatter', async () => {
    const { result, doc } = await start(load, options, (log) => ({
      [EV]: log.replace('canon: evidence-log\n', ''),
      'notes/Rollout log.md': log.replace('canon: evidence-log\n', "canon: 'evidence-log'\n").replace(/\n/g, '\r\n'),
    }));
    expect(result.docs.find((d) => d.role === 'evidence-log')).toMatchObject({ path: 'notes/Rollout log.md', via: 'frontmatter' });
    expect(doc).toEqual([]);
  });
});
