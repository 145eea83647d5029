// The stack view in Chromium, on the built main.js: the plugin loads with nothing but
// require('obsidian'), the view draws the example stack with Obsidian's theme variables, a click
// (or Enter) on a problem opens the note at its line, and the pane in the light and dark themes:
// its accessibility tree against a file snapshot, its pixels against docs/screenshots/ (screenshot.ts).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readVaultDir } from '../fakes/obsidian';
import { EXAMPLE_VAULT, useHost, type HostPage, type OpenOptions } from './harness';
import { expectScreenshot } from './screenshot';

const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const W10 = '| W-10 | 2026-11-13 09:00 | 2026-11-13 17:00 | 25% | 171 | 7 | 4.09% |';

/** The evidence log with W-10's Fallback Rate wrong: one `row/consistency` error on W-10's line. */
function logWithWrongRate(): string {
  const log = readVaultDir(EXAMPLE_VAULT)[LOG] ?? '';
  const broken = log.replace(W10, W10.replace('4.09%', '9.09%'));
  if (broken === log) throw new Error('the example evidence log no longer has the W-10 row this test edits');
  return broken;
}

const suite = useHost();

async function open(options: OpenOptions = {}): Promise<HostPage> {
  return suite.open(options);
}

describe('the stack view in Chromium', () => {
  it('loads the built main.js with only require("obsidian") and draws the example stack', async () => {
    const { page, required } = await open();
    expect([...new Set(required)]).toEqual(['obsidian']);
    const view = page.locator('.canon-stack-view');
    await expect.poll(() => view.locator('.canon-checked-at').textContent()).toBe('Checked 14:05');
    expect(await view.locator('.canon-count-none').textContent()).toBe('No problems');
    expect(await view.locator('.canon-role .canon-note-link').allTextContents()).toEqual([
      '00_DraganCorp_Program_Control_Center',
      '02_Phase_A_Persistent_CODER_VP_Implementation_Plan',
      '03_Phase_A_CODER_VP_Observability_Playbook',
      '04_Phase_A_Controlled_Rollout_Evidence_Log',
      '05_Phase_A_Execution_Operating_Model',
    ]);
    expect(await view.locator('.canon-recommendation').textContent()).toBe('Recommendation: promote');
    // The chart is drawn: two panels, a point per window, the threshold lines.
    expect(await view.locator('svg.canon-chart-svg').count()).toBe(2);
    expect(await view.locator('.canon-chart-point, .canon-chart-point-over').count()).toBe(20);
    expect(await page.locator('.status-bar').textContent()).toBe('Canon: no problems');
    // styles.css reads Obsidian's variables: the theme's green is the "No problems" colour.
    expect(await view.locator('.canon-count-none').evaluate((el) => getComputedStyle(el).color)).toBe('rgb(8, 185, 78)');
  });

  it('reports a problem made in a note and opens the note at its line on a click, and on Enter', async () => {
    const hp = await open({ open: null });
    const { page } = hp;
    const problem = page.locator('.canon-problem[role="button"]');
    expect(await problem.count()).toBe(0);
    // The note changes (an edit, a sync): the live check, debounced on the page's own clock, finds the problem.
    await hp.call('write', LOG, logWithWrongRate());
    await expect.poll(() => problem.count()).toBe(1);
    const text = await problem.locator('.canon-problem-text').textContent();
    expect(text).toMatch(/^line (\d+): .*rate.*\(row\/consistency\)$/i);
    const line = Number(/^Line (\d+)/.exec(text ?? '')?.[1]);
    expect(await page.locator('.status-bar').textContent()).toBe('Canon: 1 error');
    expect(await hp.call('editor')).toBeNull();

    await problem.click();
    await expect.poll(() => hp.call('editor')).toMatchObject({ path: LOG, line: line - 1 });
    expect((await hp.call('editor'))?.lineText).toMatch(/^\| W-10 \|.*\| 9\.09% \|/);
    // The host draws the editor: the cursor's line is the row, scrolled into view.
    const cursorLine = page.locator('.host-line.is-cursor');
    await expect.poll(() => cursorLine.textContent()).toMatch(/^\| W-10 \|/);
    expect(await cursorLine.isVisible()).toBe(true);

    // Keyboard: the problem row is a focusable button; Enter opens the note at the line again.
    await hp.call('open', '00_DraganCorp_Program_Control_Center.md');
    expect((await hp.call('editor'))?.path).toBe('00_DraganCorp_Program_Control_Center.md');
    await problem.focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('editor')).toMatchObject({ path: LOG, line: line - 1 });
  });

  for (const theme of ['light', 'dark'] as const) {
    it(`is drawn in Obsidian's ${theme} theme (docs/screenshots/stack-view-${theme}.png)`, async () => {
      const hp = await open({ theme, files: { [LOG]: logWithWrongRate() }, panes: ['stack'] });
      const { page } = hp;
      const leaf = page.locator('.workspace-leaf', { has: page.locator('.canon-stack-view') });
      await expect.poll(() => leaf.locator('.canon-problem').count()).toBe(1);
      const background = await page.locator('body').evaluate((el) => getComputedStyle(el).backgroundColor);
      expect(background).toBe(theme === 'light' ? 'rgb(255, 255, 255)' : 'rgb(30, 30, 30)');
      // What the pane says, as a screen reader reads it: the notes, guardrails, charts' labels, packets, the problem.
      await expect(await leaf.ariaSnapshot()).toMatchFileSnapshot('__snapshots__/stack-view.aria.yml');
      const shot = { animations: 'disabled', caret: 'hide', style: '.notice-container { display: none; }' } as const;
      expectScreenshot(`stack-view-${theme}.png`, await leaf.screenshot(shot));
      // The comparison is not blind: the same pane with its content hidden (a blank pane) is refused.
      const blank = await leaf.screenshot({ ...shot, style: `${shot.style} .canon-stack-view > * { visibility: hidden; }` });
      const failedDir = mkdtempSync(join(tmpdir(), 'canon-blank-'));
      expect(() => expectScreenshot(`stack-view-${theme}.png`, blank, { update: false, failedDir })).toThrow(/differs from docs\/screenshots\/stack-view-.*drawn 8×8 blocks \(9\d\.\d%/);
    });
  }
});
