// The operating loop in Chromium, on the built main.js: start a session from the pane, add an
// evidence window through the form with the keyboard only, watch the checklist tick itself, tick
// the rest by hand with the keyboard, close the session, then read the notes' new rows (and have
// the CLI check the vault the browser wrote). The checklist pane, light and dark: its accessibility
// tree against a file snapshot, its pixels against docs/screenshots/ (screenshot.ts).
import { describe, expect, it } from 'vitest';
import { readVaultDir } from '../fakes/obsidian';
import { canon } from '../helpers/run-cli';
import { insertedLines, tableUnder } from '../helpers/note-text';
import { EXAMPLE_VAULT, exportVault, focusedName, useHost } from './harness';
import { expectScreenshot } from './screenshot';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const OBJECTIVE = 'Ship the cancellation-safe handoff';
const SESSION = `sessions/2026-11-24 1405 ${OBJECTIVE}.md`;
const HEADINGS = ['What changed', 'Verification', 'Evidence captured', 'Docs updated', 'Risks and next checks'];

const suite = useHost();

describe('a session in Chromium', () => {
  it('runs the loop: start, a window typed with the keyboard only ticks the checklist, hand ticks, close', async () => {
    // "Add evidence window" gets a hotkey, as a user assigns one under Settings → Hotkeys.
    const hp = await suite.open({ hotkeys: { 'canon:add-evidence-window': 'Mod+Shift+E' } });
    const { page } = hp;
    const vault = readVaultDir(EXAMPLE_VAULT);
    const pane = page.locator('.canon-session-view');

    // Start: the pane's button, the objective, packet P-4; Enter in the objective starts the session.
    await pane.getByRole('button', { name: 'Start session' }).click();
    const start = page.locator('.modal').filter({ hasText: 'Start session' });
    expect(await focusedName(page)).toBe('input: Objective');
    await page.keyboard.type(OBJECTIVE);
    await start.locator('.canon-start-packets input[value="P-4"]').check();
    await start.getByLabel('Objective').press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    await expect.poll(() => hp.call('read', SESSION)).toMatch(/^---\ncanon: session\n/);
    expect(await pane.locator('.canon-session-objective').textContent()).toBe(OBJECTIVE);
    const items = pane.locator('.canon-session-item');
    expect(await items.count()).toBe(7);
    expect(await pane.locator('.canon-session-item input:checked').count()).toBe(0);

    // The evidence form with the keyboard only: the hotkey, Tab from field to field (each one's text selected), type, Enter.
    await page.keyboard.press('Control+Shift+E');
    await expect.poll(() => hp.call('modals')).toEqual(['Add evidence window']);
    expect(await focusedName(page)).toBe('input: Window');
    expect(await page.evaluate(() => (document.activeElement as HTMLInputElement).value)).toBe('W-11');
    const typed: Array<[label: string, text: string]> = [
      ['Start', '2026-11-24 09:00'],
      ['End', '2026-11-24 13:00'],
      ['Traffic', '25%'],
      ['Missions', '40'],
      ['Fallbacks', '1'],
      ['Fallback Rate', ''],
      ['p95 (ms)', '610'],
      ['Events (optional)', 'vp.mission.failed=0, vp.mission.completed=40'],
      ['Decision', 'h'],
      ['Notes (optional)', 'Typed with the keyboard only.'],
    ];
    for (const [label, text] of typed) {
      await page.keyboard.press('Tab');
      expect(await focusedName(page)).toBe(`${label === 'Decision' ? 'select' : 'input'}: ${label}`);
      if (text !== '') await page.keyboard.type(text);
    }
    expect(await page.evaluate(() => (document.querySelector('.modal select') as HTMLSelectElement).value)).toBe('hold');
    const logBefore = (await hp.call('read', LOG)) ?? '';
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    const added = insertedLines(logBefore, (await hp.call('read', LOG)) ?? '');
    expect(added).toEqual([
      '| W-11 | 2026-11-24 09:00 | 2026-11-24 13:00 | 25% | 40 | 1 | 2.50% | 610 | vp.mission.failed=0, vp.mission.completed=40 | hold | Typed with the keyboard only. |',
    ]);
    // The note opened at the new row.
    expect(await hp.call('editor')).toMatchObject({ path: LOG, lineText: added[0] });

    // The checklist ticks itself: items 3 and 4 are proven by the new row, with a link to it.
    const evidence = pane.locator('[data-canon-key="item:4"]');
    await expect.poll(() => evidence.isChecked()).toBe(true);
    expect(await pane.locator('[data-canon-key="item:3"]').isChecked()).toBe(true);
    expect(await evidence.isDisabled()).toBe(true);
    expect(await items.nth(3).locator('.canon-session-proof').textContent()).toContain('evidence log updated: W-11 added');
    expect(await items.nth(3).getByRole('link', { name: 'Open W-11' }).count()).toBe(1);

    const leaf = page.locator('.workspace-leaf', { has: pane });
    await expect(await leaf.ariaSnapshot()).toMatchFileSnapshot('__snapshots__/session-pane.aria.yml');
    for (const theme of ['light', 'dark'] as const) {
      // Obsidian switches themes by the body's class: the same pane, drawn again with the other variables.
      await page.evaluate((t) => document.body.classList.replace(t === 'dark' ? 'theme-light' : 'theme-dark', `theme-${t}`), theme);
      const png = await leaf.screenshot({ animations: 'disabled', caret: 'hide', style: '.notice-container { display: none; }' });
      expectScreenshot(`session-pane-${theme}.png`, png);
    }
    await page.evaluate(() => document.body.classList.replace('theme-dark', 'theme-light'));

    // The other items by hand, with the keyboard: Space on each checkbox; the redrawn pane keeps the focus.
    for (const n of [1, 2, 6, 7]) {
      const box = pane.locator(`[data-canon-key="item:${n}"]`);
      await box.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => box.isChecked()).toBe(true);
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-canon-key'))).toBe(`item:${n}`);
    }
    expect(await hp.call('read', SESSION)).toContain('\nticks: ["Code behavior validated.", "Relevant tests/probes run.", ');
    // P-4's G1 and G2 by hand, with Space: the close refuses while a session packet's gate is open.
    for (const gate of ['G1', 'G2']) {
      const box = pane.locator(`[data-canon-key="gate:P-4:${gate}"]`);
      await box.focus();
      await page.keyboard.press('Space');
      await expect.poll(() => box.isChecked()).toBe(true);
    }

    // Close: the pane's button, the texts, Tab to "Close session", Enter. Item 5 is proven by the close's own row.
    const controlBefore = (await hp.call('read', CONTROL)) ?? '';
    await pane.getByRole('button', { name: 'Close session' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual(['Close session']);
    expect(await focusedName(page)).toBe('textarea: What changed');
    await page.keyboard.type('Handoff made cancellation-safe; W-11 captured at 25 %.');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('textarea: Verification commands and outcomes');
    await page.keyboard.type('npm test -- handoff: 14 passed');
    await page.keyboard.press('Tab');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('textarea: Risks and next checks');
    await page.keyboard.type('Watch p95 at 25 %.');
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('button: Close session');
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    await expect.poll(() => pane.locator('.canon-session-empty').count()).toBe(1);

    // The notes' new rows: one Status Log row in the control center, the summary in the session note.
    const control = (await hp.call('read', CONTROL)) ?? '';
    expect(insertedLines(controlBefore, control)).toEqual([
      `| 2026-11-24 14:05 | ${OBJECTIVE} | Handoff made cancellation-safe; W-11 captured at 25 %. | G1, G2, G3, G4, G5 | [[sessions/2026-11-24 1405 ${OBJECTIVE}]] |`,
    ]);
    const statusLog = tableUnder(control, '2) Status Log');
    expect(statusLog.rows).toHaveLength(tableUnder(vault[CONTROL] ?? '', '2) Status Log').rows.length + 1);
    expect(statusLog.rows.every((r) => r.length === statusLog.header.length)).toBe(true);
    const windows = tableUnder((await hp.call('read', LOG)) ?? '', 'Rollout Windows');
    expect(windows.rows.at(-1)?.slice(0, 3)).toEqual(['W-11', '2026-11-24 09:00', '2026-11-24 13:00']);
    expect(windows.rows.every((r) => r.length === windows.header.length)).toBe(true);
    const closed = (await hp.call('read', SESSION)) ?? '';
    expect(closed).toContain('\nstatus: closed\nclosed: 2026-11-24T14:05\n');
    for (const heading of HEADINGS) expect(closed).toContain(`\n## ${heading}\n`);
    expect(closed).toContain('npm test -- handoff: 14 passed');
    expect(closed).toContain('Watch p95 at 25 %.');
    expect((await hp.call('notices')).at(-1)).toMatch(/^Session closed: Status Log row added to 00_DraganCorp_Program_Control_Center\.md line \d+/);

    // The CLI, on what the browser wrote: the stack checks clean.
    const checked = canon(['check', '--vault', await exportVault(hp), '--format', 'json']);
    expect(checked.stderr).toBe('');
    expect(JSON.parse(checked.stdout)).toMatchObject({ counts: { error: 0 } });
    expect(checked.status).toBe(0);
  });
});
