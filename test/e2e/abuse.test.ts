// The plugin under abuse in Chromium, on the built main.js: markup, scripts and javascript: links
// in cells render as text and run nothing; 10,000-character cells and 1,500 broken rows keep the
// panes responsive; 200 appends in a row through the form add exactly 200 rows; a row added by
// someone else while a form is open still leaves a valid table with both rows.
import { describe, expect, it } from 'vitest';
import { readVaultDir } from '../fakes/obsidian';
import { canon } from '../helpers/run-cli';
import { tableUnder } from '../helpers/note-text';
import { EXAMPLE_VAULT, exportVault, useHost, type HostPage } from './harness';

const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const PLAYBOOK = '03_Phase_A_CODER_VP_Observability_Playbook.md';
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const MODEL = '05_Phase_A_Execution_Operating_Model.md';
const LONG = 10_000;

/** Each payload would set `window.__pwned` (or open a dialog) if the plugin ever let it become markup. */
const IMG = `<img src=x onerror="window.__pwned='img';alert('img')">`;
const SCRIPT = `<script>window.__pwned='script';alert('script')</script>`;
const JS_LINK = `[open](javascript:window.__pwned='link')`;
const ANCHOR = `<a href="javascript:window.__pwned='anchor'">anchor</a>`;
const IFRAME = `<iframe src="javascript:parent.__pwned='iframe'"></iframe>`;
const SVG = `<svg onload="window.__pwned='svg'"></svg>`;

const vault = readVaultDir(EXAMPLE_VAULT);

function note(path: string): string {
  const text = vault[path];
  if (text === undefined) throw new Error(`the example vault has no ${path}`);
  return text;
}

/** `text` with `lines` inserted after the line starting with `after` (which must exist). */
function insertAfter(text: string, after: string, lines: string[]): string {
  const all = text.split('\n');
  const i = all.findIndex((l) => l.startsWith(after));
  if (i < 0) throw new Error(`no line starting with ${after}`);
  all.splice(i + 1, 0, ...lines);
  return all.join('\n');
}

/** `text` with a column `name` added to the table whose header line is `header`: an empty cell in each row. */
function addColumn(text: string, header: string, name: string): string {
  const lines = text.split('\n');
  const at = lines.indexOf(header);
  if (at < 0) throw new Error(`no table header ${header}`);
  lines[at] = `${header} ${name} |`;
  for (let i = at + 1; lines[i]?.startsWith('|'); i++) lines[i] = `${lines[i] ?? ''}${i === at + 1 ? ' --- |' : ' |'}`;
  return lines.join('\n');
}

function replaceOnce(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`no "${from}" to replace`);
  return text.replace(from, to);
}

/** The example vault with hostile cells in every canonical note, a 10,000-character cell or two, and 1,500 broken rows. */
function hostileVault(): Record<string, string> {
  const long = 'overlong '.repeat(LONG / 9 + 1).slice(0, LONG);
  let control = insertAfter(note(CONTROL), '| 2026-11-13 17:40 |', [
    `| 2026-11-14 09:00 | ${IMG} | ${SCRIPT} ${ANCHOR} | G4 | ${JS_LINK}, [[javascript:alert(1)]] |`,
  ]);
  control = insertAfter(control, '| D-5 |', [`| D-6 | ${long} | A date cell of 10,000 characters. | Abuse. | Dragan | proposed | |`]);
  // An extra Lessons column named by markup: a warning, and a label in the form.
  control = addColumn(control, '| Date | Lesson | Action |', IMG);
  control = insertAfter(control, '| 2026-11-13 | Writing the Decision cell', [`| 2026-11-14 | ${long} | ${SVG} | |`]);
  const plan = insertAfter(note(PLAN), '| P-6 |', [
    `| P-7 | ${IFRAME} | \`x\` | \`npm test\` | ${SCRIPT} | planned |`,
    `| P-8 | ${long} | \`x\` | \`npm test\` | ${long} | planned |`,
  ]);
  const brokenRows = Array.from({ length: 1500 }, (_, i) => `| Broken ${i} | \`q\` | ${IMG} |`);
  const playbook = insertAfter(note(PLAYBOOK), '| p95 by stage |', brokenRows);
  let log = insertAfter(note(LOG), '| Continuity regression |', [
    `| ${IMG} | fallback rate | > 50% | 20 missions | ${SCRIPT} | ${JS_LINK} | ${ANCHOR} |`,
    `| ${long} | p95 | > 5000 ms | 3 windows | ${long} | ${long} | ${long} |`,
  ]);
  log = insertAfter(log, '| W-10 |', [
    `| W-11 | 2026-11-14 09:00 | 2026-11-14 17:00 | ${IMG} | 10 | 0 | 0.00% | 600 | vp.mission.failed=0 | hold | ${SCRIPT} |`,
    `| W-12 | 2026-11-15 09:00 | 2026-11-15 17:00 | 25% | 10 | 0 | 0.00% | 600 | ${long} | hold | ${long} |`,
  ]);
  const model = replaceOnce(note(MODEL), '- [ ] Commits are scoped and understandable.', `- [ ] ${SCRIPT} ${JS_LINK}\n- [ ] ${long}\n- [ ] Commits are scoped and understandable.`);
  return { [CONTROL]: control, [PLAN]: plan, [PLAYBOOK]: playbook, [LOG]: log, [MODEL]: model };
}

/** What would show that something ran or became markup: the flag, elements that run code, javascript: URLs. */
function executed(hp: HostPage): Promise<{ pwned: unknown; elements: string[]; jsUrls: number }> {
  return hp.page.evaluate(() => ({
    pwned: (window as unknown as { __pwned?: unknown }).__pwned,
    // Canon's own links (each problem's rule page) are the only anchors, and only to the repository's rule pages.
    elements: Array.from(document.body.querySelectorAll('img, script, iframe, object, embed, svg:not(.canon-chart-svg):not(.svg-icon), a[href]:not([href="#"]), [onerror], [onload], [onclick]'))
      .filter((el) => !(el.matches('a.canon-rule-doc') && /^https:\/\/github\.com\/canon-contributors\/canon\/blob\/main\/docs\/rules\/[a-z]+\/[a-z-]+\.md$/.test(el.getAttribute('href') ?? '') && el.attributes.length === 5))
      .map((el) => el.outerHTML.slice(0, 80)),
    jsUrls: document.querySelectorAll('[href^="javascript:" i], [src^="javascript:" i]').length,
  }));
}

/** In the page: opens the lesson form, types the lesson, presses Enter, waits for the form to close; for each n in [from, to]. */
async function typeLessons({ from, to }: { from: number; to: number }): Promise<void> {
  const channel = new MessageChannel();
  const waiting: Array<() => void> = [];
  channel.port1.onmessage = () => waiting.shift()?.();
  const tick = (): Promise<void> => new Promise((resolve) => {
    waiting.push(resolve);
    channel.port2.postMessage(null);
  });
  const until = async (what: string, done: () => boolean): Promise<void> => {
    for (let i = 0; i < 10_000 && !done(); i++) await tick();
    if (!done()) throw new Error(`timed out waiting for ${what}`);
  };
  for (let n = from; n <= to; n++) {
    if (!window.canonTest.startCommand('canon:add-lesson')) throw new Error('"Add lesson" is not available');
    await until('the form', () => document.activeElement?.closest('.modal') != null);
    const label = Array.from(document.querySelectorAll('.modal label')).find((l) => l.textContent === 'Lesson');
    const input = document.getElementById(label?.getAttribute('for') ?? '') as HTMLInputElement | null;
    if (!input) throw new Error('the form has no Lesson field');
    input.focus();
    input.value = `Lesson ${n} | with a pipe`;
    input.dispatchEvent(new InputEvent('input', { bubbles: true, inputType: 'insertText' }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', code: 'Enter', bubbles: true, cancelable: true }));
    await until('the form to close', () => document.querySelector('.modal-container') === null);
  }
}

const suite = useHost();

describe('hostile notes in Chromium', () => {
  it('renders markup, scripts and javascript: links as text, runs nothing, and stays responsive', async () => {
    const hp = await suite.open({ files: hostileVault(), open: null });
    const { page } = hp;
    const stack = page.locator('.canon-stack-view');
    const session = page.locator('.canon-session-view');
    // The first check reads every cell cold (markup in 1,500 rows means a full inline parse of each): one long task at load.
    const atLoad = await hp.call('longTasks');

    // The stack view: the trigger's name, the problems quoting the cells, all as text.
    expect(await stack.locator('.canon-trigger-name').allTextContents()).toContain(IMG);
    const problems = await stack.locator('.canon-problem-text').allTextContents();
    expect(problems.some((p) => p.includes(IMG))).toBe(true);
    // A problem quotes a 10,000-character cell cut short; a trigger named by one shows it whole.
    expect(problems.filter((p) => p.includes('overlong overlong')).map((p) => p.length < 300)).toEqual([true]);
    expect((await stack.locator('.canon-trigger-name').allTextContents()).map((t) => t.length)).toContain(LONG);
    // 1,500 broken rows and more: at most 200 problems drawn, the rest counted.
    expect(await stack.locator('.canon-problem').count()).toBe(200);
    expect(await stack.locator('.canon-problems-more').textContent()).toMatch(/^And \d{4} more$/);
    // A 10,000-character cell wraps inside the sidebar instead of widening it.
    const overflow = await page.locator('.mod-right-split').evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBe(0);

    // The session: a hostile objective, a hostile packet goal, a hostile checklist item.
    await session.getByRole('button', { name: 'Start session' }).click();
    const start = page.locator('.modal');
    expect(await start.locator('.canon-start-packets').textContent()).toContain(`P-7: ${IFRAME}`);
    expect(await start.evaluate((el) => el.scrollWidth - el.clientWidth), 'the form is wider than its modal').toBe(0);
    await start.getByLabel('Objective').fill(`${IMG} ${SCRIPT}`);
    await start.getByLabel('Objective').press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    expect(await session.locator('.canon-session-objective').textContent()).toBe(`${IMG} ${SCRIPT}`);
    expect(await session.locator('.canon-check-text').allTextContents()).toContain(`${SCRIPT} ${JS_LINK}`);
    expect(await page.locator('.mod-right-split').evaluate((el) => el.scrollWidth - el.clientWidth)).toBe(0);

    // The entry form: the column named by markup is a label, and hostile typing is written as escaped text.
    await hp.call('command', 'canon:add-lesson');
    const form = page.locator('.modal');
    expect(await form.locator('label').allTextContents()).toContain(IMG);
    await form.getByLabel('Lesson', { exact: true }).fill(`${SCRIPT} | ${ANCHOR}`);
    await form.getByLabel('Lesson', { exact: true }).press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    const lessons = tableUnder((await hp.call('read', CONTROL)) ?? '', '4) Lessons Learned');
    expect(lessons.rows.at(-1)?.[1]).toBe(`${SCRIPT} | ${ANCHOR}`);

    // Nothing ran, nothing became markup, no dialog opened.
    expect(await executed(hp)).toEqual({ pwned: undefined, elements: [], jsUrls: 0 });
    expect(hp.dialogs).toEqual([]);

    // Responsive: a Validate click is drawn again quickly, no task blocked the page long, a problem still opens its line.
    const before = await stack.locator('.canon-checked-at').evaluate((el) => el.isConnected);
    expect(before).toBe(true);
    const started = Date.now();
    await stack.getByRole('button', { name: 'Validate' }).click();
    await expect.poll(() => stack.locator('.canon-validate').isEnabled()).toBe(true);
    expect(Date.now() - started).toBeLessThan(2_000);
    const afterLoad = (await hp.call('longTasks')).slice(atLoad.length);
    expect(Math.max(0, ...atLoad), 'the longest main-thread task while loading (ms)').toBeLessThan(3_000);
    expect(Math.max(0, ...afterLoad), 'the longest main-thread task after loading (ms)').toBeLessThan(500);
    await stack.locator('.canon-problem[role="button"]').first().click();
    await expect.poll(async () => (await hp.call('editor'))?.path).toBeDefined();
  });
});

describe('appends under pressure in Chromium', () => {
  it('adds exactly 200 rows for 200 entries submitted through the form in a row', async () => {
    const hp = await suite.open({ panes: ['stack'] });
    const { page } = hp;
    const before = (await hp.call('read', CONTROL)) ?? '';
    const rowsBefore = tableUnder(before, '4) Lessons Learned').rows.length;
    // The first ten typed with Chromium's keyboard: the form opens on Date (filled with now); Tab to Lesson, type, Enter.
    for (let i = 1; i <= 10; i++) {
      await hp.call('command', 'canon:add-lesson');
      await page.waitForFunction(() => document.activeElement?.closest('.modal') != null);
      await page.keyboard.press('Tab');
      await page.keyboard.insertText(`Lesson ${i} | with a pipe`);
      await page.keyboard.press('Enter');
      await page.waitForFunction(() => document.querySelector('.modal-container') === null);
    }
    // The other 190 in one go inside the page (the same form and Enter handler, without a round trip per key).
    await page.evaluate(typeLessons, { from: 11, to: 200 });
    const after = (await hp.call('read', CONTROL)) ?? '';
    const lessons = tableUnder(after, '4) Lessons Learned');
    expect(lessons.rows).toHaveLength(rowsBefore + 200);
    expect(lessons.rows.slice(rowsBefore).map((r) => r[1])).toEqual(Array.from({ length: 200 }, (_, i) => `Lesson ${i + 1} | with a pipe`));
    expect(lessons.rows.every((r) => r.length === lessons.header.length)).toBe(true);
    // Only the 200 rows were inserted: the note before them and after them is as it was.
    const added = after.split('\n').filter((l) => l.startsWith('| 2026-11-24 | Lesson '));
    expect(added).toHaveLength(200);
    expect(after.split('\n').filter((l) => !l.startsWith('| 2026-11-24 | Lesson ')).join('\n')).toBe(before);
    expect(await page.locator('.status-bar').textContent()).toBe('Canon: no problems');
  }, 90_000);

  for (const where of ['closed', 'open in the editor'] as const) {
    it(`keeps both rows when someone else adds one while the form is open (note ${where})`, async () => {
      const hp = await suite.open({ open: where === 'closed' ? null : CONTROL, panes: ['stack'] });
      const { page } = hp;
      await hp.call('command', 'canon:add-lesson');
      const form = page.locator('.modal');
      await form.getByLabel('Lesson', { exact: true }).fill('Ours: typed while the note changed.');
      // Someone else (a sync, another device) appends a row to the same table meanwhile.
      const theirs = '| 2026-11-24 | Theirs: written by another device. | |';
      const now = (await hp.call('read', CONTROL)) ?? '';
      await hp.call('write', CONTROL, insertAfter(now, '| 2026-11-13 | Writing the Decision cell', [theirs]));
      await form.getByLabel('Lesson', { exact: true }).press('Enter');
      await expect.poll(() => hp.call('modals')).toEqual([]);
      const after = (await hp.call('read', CONTROL)) ?? '';
      const lessons = tableUnder(after, '4) Lessons Learned');
      expect(lessons.rows.slice(-2).map((r) => r[1])).toEqual(['Theirs: written by another device.', 'Ours: typed while the note changed.']);
      expect(lessons.rows.every((r) => r.length === lessons.header.length)).toBe(true);
      const checked = canon(['check', '--vault', await exportVault(hp), '--format', 'json']);
      expect(JSON.parse(checked.stdout)).toMatchObject({ counts: { error: 0 } });
    });
  }

  it('gives the next id to a window whose default id someone else took while the form was open', async () => {
    const hp = await suite.open({ open: null, panes: ['stack'] });
    const { page } = hp;
    await hp.call('command', 'canon:add-evidence-window');
    const form = page.locator('.modal');
    expect(await form.getByLabel('Window', { exact: true }).inputValue()).toBe('W-11');
    const values: Record<string, string> = { Start: '2026-11-24 09:00', End: '2026-11-24 13:00', Traffic: '25%', Missions: '40', Fallbacks: '1', 'p95 (ms)': '610' };
    for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
    await form.locator('select').selectOption('hold');
    // Another device writes W-11 meanwhile (an earlier window, so both rows stay in Start order).
    const theirs = '| W-11 | 2026-11-14 09:00 | 2026-11-14 17:00 | 25% | 100 | 2 | 2.00% | 600 | vp.mission.failed=0 | hold | Theirs. |';
    await hp.call('write', LOG, insertAfter((await hp.call('read', LOG)) ?? '', '| W-10 |', [theirs]));
    await form.getByLabel('Start', { exact: true }).press('Enter');
    await expect.poll(() => hp.call('modals')).toEqual([]);
    const windows = tableUnder((await hp.call('read', LOG)) ?? '', 'Rollout Windows');
    expect(windows.rows.slice(-2).map((r) => r.slice(0, 2))).toEqual([['W-11', '2026-11-14 09:00'], ['W-12', '2026-11-24 09:00']]);
    expect((await hp.call('notices')).at(-1)).toBe('Added W-12 to Rollout Windows.');
    const checked = canon(['check', '--vault', await exportVault(hp), '--format', 'json']);
    expect(JSON.parse(checked.stdout)).toMatchObject({ counts: { error: 0 } });
  });
});
