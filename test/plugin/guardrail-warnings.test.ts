// The guardrail rules of README "Command line" in Obsidian: the stack view lists a window held in breach and an
// unguarded broadening among its problems, the count says so, and a live re-check after a keystroke
// in a Notes cell keeps the guardrail chart it drew (the windows and triggers did not change).
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadVaultFromDir, type App } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { REPO } from '../helpers/run-cli';

const EXAMPLE = join(REPO, 'example-vault');
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

let app: App | null = null;
afterEach(async () => {
  await app?.destroy();
  app = null;
});

function problems(a: App): string[] {
  return Array.from(a.workspace.containerEl.querySelectorAll('.canon-stack-view .canon-problem-text')).map((p) => p.textContent ?? '');
}

describe.each(pluginRuns)('guardrail warnings in the stack view (%s)', (_name, load, options) => {
  it('lists a window held in breach and a broadening without a decision, as warnings', async () => {
    const log = (await import('node:fs')).readFileSync(join(EXAMPLE, LOG), 'utf8')
      .replace('| 12 | 1 | 8.33% |', '| 12 | 12 | 100.00% |')
      .replace('At 15 % under D-4. ', '');
    app = loadVaultFromDir(EXAMPLE, { ...options, files: { [LOG]: log } });
    await app.loadPlugin(await load());
    await app.layoutReady();
    await app.idle();
    await app.commands.run('canon:open-stack-view');
    await app.idle();
    const shown = problems(app);
    expect(shown.filter((p) => p.includes('(guardrail/hold-in-breach)'))).toHaveLength(1);
    expect(shown.find((p) => p.includes('(guardrail/hold-in-breach)'))).toMatch(/^Line 35: W-1 is held while `Fallback rate over rolling 20 missions` was in breach/);
    expect(shown.find((p) => p.includes('(guardrail/broaden-unguarded)'))).toMatch(/^Line 42: W-8 broadens traffic from 10% to 15% with no decision named for it/);
    expect(app.statusBarEl.textContent).toBe('Canon: 1 error, 2 warnings');
  });

  it('keeps the guardrail chart when a re-check changes no window or trigger', async () => {
    app = loadVaultFromDir(EXAMPLE, { ...options });
    await app.loadPlugin(await load());
    await app.layoutReady();
    await app.idle();
    await app.commands.run('canon:open-stack-view');
    await app.idle();
    const chart = app.workspace.containerEl.querySelector('.canon-stack-view .canon-chart');
    const checkedAt = app.workspace.containerEl.querySelector('.canon-stack-view .canon-checked-at');
    expect(chart).not.toBeNull();
    // A keystroke in W-10's Notes: the pane is drawn again, the chart is the same element.
    const file = app.vault.getFileByPath(LOG);
    if (!file) throw new Error('no log');
    await app.vault.process(file, (t) => t.replace('for a week (D-5).', 'for a week (D-5). Reviewed.'));
    await app.idle();
    await app.commands.run('canon:validate-stack');
    await app.idle();
    expect(app.workspace.containerEl.querySelector('.canon-stack-view .canon-checked-at')).not.toBe(checkedAt);
    expect(app.workspace.containerEl.querySelector('.canon-stack-view .canon-chart')).toBe(chart);
    // A new window changes what it shows: drawn afresh.
    await app.vault.process(file, (t) => t.replace(/(\| W-10 \|[^\n]*\n)/, '$1| W-11 | 2026-11-16 09:00 | 2026-11-16 17:00 | 25% | 100 | 1 | 1.00% | 600 | vp.mission.failed=0, vp.continuity.lost=0 | hold | |\n'));
    await app.idle();
    await app.commands.run('canon:validate-stack');
    await app.idle();
    expect(app.workspace.containerEl.querySelector('.canon-stack-view .canon-chart')).not.toBe(chart);
  });
});
