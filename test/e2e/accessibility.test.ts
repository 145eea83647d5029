// Accessibility basics in Chromium, on the built main.js: every form control of the panes and of
// every form has a label, the focus moves through a form in the order it reads, and the panes and
// forms work with the keyboard alone (Tab, Enter, Space, Escape).
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { focusedName, useHost } from './harness';

const ENTRY_COMMANDS = [
  'add-status-entry', 'add-decision', 'add-lesson', 'add-evidence-window', 'add-work-packet', 'add-playbook-query', 'add-rollback-trigger',
];

/** Controls and actionable elements in the document without an accessible name, and references to missing ids. */
function unnamed(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const text = (el: Element | null): string => (el?.textContent ?? '').trim();
    const byIds = (ids: string | null): Element[] => (ids ?? '').split(/\s+/).filter(Boolean).map((id) => document.getElementById(id)).filter((el): el is HTMLElement => el !== null);
    const problems: string[] = [];
    const describe = (el: Element): string => el.outerHTML.slice(0, 120);
    for (const el of Array.from(document.querySelectorAll<HTMLInputElement>('input, select, textarea'))) {
      if (el.type === 'hidden') continue;
      const name = [el.getAttribute('aria-label') ?? '', ...byIds(el.getAttribute('aria-labelledby')).map(text), ...Array.from(el.labels ?? []).map(text)].join(' ').trim();
      if (name === '') problems.push(`no label: ${describe(el)}`);
    }
    for (const el of Array.from(document.querySelectorAll('button, [role="button"], [role="link"], a[href]'))) {
      if (text(el) === '' && !el.getAttribute('aria-label')) problems.push(`no name: ${describe(el)}`);
    }
    for (const el of Array.from(document.querySelectorAll('[aria-describedby], [aria-labelledby], label[for]'))) {
      const ids = [el.getAttribute('aria-describedby'), el.getAttribute('aria-labelledby'), el.getAttribute('for')].join(' ').split(/\s+/).filter(Boolean);
      for (const id of ids) if (document.querySelectorAll(`[id="${id}"]`).length !== 1) problems.push(`id "${id}" is not one element: ${describe(el)}`);
    }
    return problems;
  });
}

/** Presses Tab `count` times, returning each focused element's name and its top edge on the screen. */
async function tabThrough(page: Page, count: number, key = 'Tab'): Promise<{ name: string; top: number; inModal: boolean }[]> {
  const seen: { name: string; top: number; inModal: boolean }[] = [];
  for (let i = 0; i < count; i++) {
    await page.keyboard.press(key);
    const where = await page.evaluate(() => {
      const el = document.activeElement;
      return { top: el?.getBoundingClientRect().top ?? -1, inModal: el?.closest('.modal') != null };
    });
    seen.push({ name: await focusedName(page), ...where });
  }
  return seen;
}

const suite = useHost();

describe('accessibility basics in Chromium', () => {
  it('labels every control of the panes and of every form, and Escape closes each form', async () => {
    const hp = await suite.open({});
    const { page } = hp;
    expect(await unnamed(page)).toEqual([]);
    for (const id of ENTRY_COMMANDS) {
      await hp.call('command', `canon:${id}`);
      expect(await hp.call('modals'), id).toHaveLength(1);
      expect(await page.locator('.modal input, .modal select').count(), id).toBeGreaterThan(2);
      expect(await unnamed(page), id).toEqual([]);
      await page.keyboard.press('Escape');
      await expect.poll(() => hp.call('modals')).toEqual([]);
    }
    // The session forms: start (checkboxes for packets and kinds of change), the pane with a session, close, confirm.
    await page.getByRole('button', { name: 'Start session' }).click();
    expect(await page.locator('.modal input[type="checkbox"]').count()).toBeGreaterThan(5);
    expect(await unnamed(page)).toEqual([]);
    await page.getByLabel('Objective').fill('Label check');
    await page.getByLabel('Objective').press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    await expect.poll(() => page.locator('.canon-session-view input[type="checkbox"]').count()).toBeGreaterThan(10);
    expect(await unnamed(page)).toEqual([]);
    await page.locator('.canon-session-view').getByRole('button', { name: 'Close session' }).click();
    expect(await page.locator('.modal textarea').count()).toBe(4);
    expect(await unnamed(page)).toEqual([]);
    await page.locator('.modal').getByRole('button', { name: 'Close session' }).click();
    await expect.poll(() => hp.call('modals')).toEqual(['Close session', 'Close with open items?']);
    expect(await unnamed(page)).toEqual([]);
    // The confirmation gives the focus to the safe choice; Escape goes back to the form, Escape again closes it.
    expect(await focusedName(page)).toBe('button: Go back');
    await page.keyboard.press('Escape');
    await expect.poll(() => hp.call('modals')).toEqual(['Close session']);
    await page.keyboard.press('Escape');
    await expect.poll(() => hp.call('modals')).toEqual([]);
  });

  it('moves the focus through an entry form in reading order, forwards and back', async () => {
    const hp = await suite.open({});
    const { page } = hp;
    await hp.call('command', 'canon:add-decision');
    const labels = (await page.locator('.modal label').allTextContents()).map((l) => l.trim());
    expect(labels).toEqual(['ID', 'Date', 'Decision', 'Rationale', 'Owner', 'Status', 'Supersedes (optional)']);
    const kinds = await page.locator('.modal input, .modal select').evaluateAll((els) => els.map((el) => el.tagName.toLowerCase()));
    const expected = [...labels.map((l, i) => `${kinds[i] ?? ''}: ${l}`), 'button: Add', 'button: Cancel'];
    // The first field has the focus when the form opens.
    expect(await focusedName(page)).toBe(expected[0]);
    const forwards = await tabThrough(page, expected.length - 1);
    expect(forwards.map((f) => f.name)).toEqual(expected.slice(1));
    expect(forwards.every((f) => f.inModal)).toBe(true);
    // Reading order: each field is below (or level with) the one before.
    const tops = forwards.map((f) => f.top);
    expect(tops).toEqual([...tops].sort((a, b) => a - b));
    const backwards = await tabThrough(page, expected.length - 1, 'Shift+Tab');
    expect(backwards.map((f) => f.name)).toEqual(expected.slice(0, -1).reverse());
    // Enter on Cancel cancels (a button takes its own Enter); nothing is written.
    const before = await hp.call('read', '00_DraganCorp_Program_Control_Center.md');
    await tabThrough(page, expected.length - 1);
    expect(await focusedName(page)).toBe('button: Cancel');
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    expect(await hp.call('read', '00_DraganCorp_Program_Control_Center.md')).toBe(before);
  });

  it('works the panes with the keyboard: Tab to a note or a trigger, Enter opens it; a session from the keyboard', async () => {
    const hp = await suite.open({ open: null });
    const { page } = hp;
    const stack = page.locator('.canon-stack-view');
    // From the Validate button, Tab reaches each note link, then each trigger, in the order they are shown.
    await stack.getByRole('button', { name: 'Validate' }).focus();
    const names = (await tabThrough(page, 9)).map((f) => f.name);
    expect(names.slice(0, 5)).toEqual([
      'a: 00_DraganCorp_Program_Control_Center',
      'a: 02_Phase_A_Persistent_CODER_VP_Implementation_Plan',
      'a: 03_Phase_A_CODER_VP_Observability_Playbook',
      'a: 04_Phase_A_Controlled_Rollout_Evidence_Log',
      'a: 05_Phase_A_Execution_Operating_Model',
    ]);
    expect(names.slice(5)).toEqual([
      expect.stringMatching(/^div: ok\s*Fallback rate over rolling 20 missions/),
      expect.stringMatching(/^div: ok\s*Latency regression/),
      expect.stringMatching(/^div: ok\s*Sustained mission failures/),
      expect.stringMatching(/^div: ok\s*Continuity regression/),
    ]);
    // Enter on the focused trigger opens the evidence log at the trigger's row; Space on a note link opens that note.
    await page.keyboard.press('Enter');
    await expect.poll(async () => (await hp.call('editor'))?.path).toBe('04_Phase_A_Controlled_Rollout_Evidence_Log.md');
    expect((await hp.call('editor'))?.lineText).toMatch(/^\| Continuity regression \|/);
    await stack.getByRole('link', { name: '02_Phase_A_Persistent_CODER_VP_Implementation_Plan' }).focus();
    await page.keyboard.press('Space');
    await expect.poll(async () => (await hp.call('editor'))?.path).toBe('02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md');

    // A session started with the keyboard alone: Enter on the pane's button, type, Tab to a packet, Space, Tab to the button, Enter.
    const session = page.locator('.canon-session-view');
    await session.getByRole('button', { name: 'Start session' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual(['Start session']);
    expect(await focusedName(page)).toBe('input: Objective');
    await page.keyboard.type('Keyboard only');
    const toPacket = await tabThrough(page, 1);
    expect(toPacket[0]?.name).toMatch(/^input: P-1: /);
    await page.keyboard.press('Space');
    let steps = 0;
    while ((await focusedName(page)) !== 'button: Start session' && steps++ < 30) await page.keyboard.press('Tab');
    await page.keyboard.press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    expect(await session.locator('.canon-session-objective').textContent()).toBe('Keyboard only');
    expect(await session.locator('.canon-session-meta').textContent()).toContain('packets P-1');
    // In the pane, Tab reaches the first checklist item from the session note link; Space ticks it by hand.
    await session.getByRole('link', { name: 'Open the session note' }).focus();
    await page.keyboard.press('Tab');
    expect(await focusedName(page)).toBe('input: Code behavior validated.');
    await page.keyboard.press('Space');
    await expect.poll(() => session.locator('[data-canon-key="item:1"]').isChecked()).toBe(true);
    expect(await focusedName(page)).toBe('input: Code behavior validated.');
  });
});
