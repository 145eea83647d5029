// The import graph CONTRIBUTING.md describes: no import circles anywhere in src/, the core imports
// neither the plugin nor the CLI, and the plugin and the CLI see the core only through its index
// (the lint rule in eslint.config.mjs holds the last one; this test checks the resolved graph).
import madge from 'madge';
import { describe, expect, it } from 'vitest';

const graph = await madge('src', { fileExtensions: ['ts'], tsConfig: 'tsconfig.json' });
const deps = graph.obj();

describe('import graph of src/', () => {
  it('has no circles', () => {
    expect(graph.circular()).toEqual([]);
  });

  it('reads every source file (the graph is not empty by mistake)', () => {
    expect(Object.keys(deps).filter((f) => f.startsWith('core/')).length).toBeGreaterThan(100);
    expect(deps['cli/commands/check.ts']).toContain('core/index.ts');
    expect(deps['plugin/stack/stack-index.ts']).toContain('core/index.ts');
  });

  it('keeps the core free of the plugin and the CLI', () => {
    const leaks = Object.entries(deps)
      .filter(([file]) => file.startsWith('core/'))
      .flatMap(([file, to]) => to.filter((t) => !t.startsWith('core/')).map((t) => `${file} → ${t}`));
    expect(leaks).toEqual([]);
  });

  it('lets the plugin and the CLI reach the core only through core/index.ts', () => {
    const bypasses = Object.entries(deps)
      .filter(([file]) => file.startsWith('plugin/') || file.startsWith('cli/'))
      .flatMap(([file, to]) => to.filter((t) => t.startsWith('core/') && t !== 'core/index.ts').map((t) => `${file} → ${t}`));
    expect(bypasses).toEqual([]);
  });
});
