// The problem list's "Fix" and "Fix all" (README "Fixes"): the same fixes as `canon fix`, written by
// the path an append takes (the editor's transaction or Vault.process), refused when the row moved.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { click, loadVaultFromDir, type App, type FakeAppOptions } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { REPO } from '../helpers/run-cli';
import { changedLines } from '../helpers/note-text';

const EXAMPLE = join(REPO, 'example-vault');
const CC = '00_DraganCorp_Program_Control_Center.md';
const EV = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

function text(a: App, path: string): string {
  const t = a.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

/** A note of the example vault as committed (read from disk: a second fake app would take the notices). */
const original = (path: string): string => readFileSync(join(EXAMPLE, path), 'utf8');

function edit(path: string, find: string, replace: string, from = original(path)): string {
  if (!from.includes(find)) throw new Error(`no ${find} in ${path}`);
  return from.replace(find, replace);
}

/** The example vault with the four fixable problems of test/cli/fix.test.ts. */
function broken(): Record<string, string> {
  const ev = edit(EV, '| W-10 |', '| W-9 |', edit(EV, '| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |'));
  const cc = edit(CC, '[[Handoff timeout postmortem\\|postmortem]]', '[[Handoff timeout postmortem|postmortem]]', edit(CC, '| Ivo | superseded | |', '| Ivo | accepted | |'));
  return { [EV]: ev, [CC]: cc };
}

async function start(load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>, files: Record<string, string>) {
  app = loadVaultFromDir(EXAMPLE, { ...options, files });
  const plugin = await app.loadPlugin(await load());
  await app.layoutReady();
  await app.idle();
  await app.commands.run('canon:open-stack-view');
  await app.settle();
  return { app, plugin };
}

function stackView(a: App): HTMLElement {
  const el = a.workspace.containerEl.querySelector<HTMLElement>('.canon-stack-view');
  if (!el) throw new Error('no stack view');
  return el;
}

/** Each problem of the list as "Line n: message (rule)", with whether it has a Fix button. */
function problems(a: App): [string, boolean][] {
  return Array.from(stackView(a).querySelectorAll<HTMLElement>('.canon-problem')).map((p) => {
    const holder = p.closest('.canon-problem-line') ?? p;
    return [p.querySelector('.canon-problem-text')?.textContent ?? '', holder.querySelector('button.canon-fix') !== null];
  });
}

function fixButton(a: App, line: number, rule: string): HTMLButtonElement {
  const row = Array.from(stackView(a).querySelectorAll<HTMLElement>('.canon-problem')).find((p) => {
    const t = p.querySelector('.canon-problem-text')?.textContent ?? '';
    return t.startsWith(`Line ${line}: `) && t.endsWith(`(${rule})`);
  });
  const button = row?.closest('.canon-problem-line')?.querySelector<HTMLButtonElement>('button.canon-fix');
  if (!button) throw new Error(`no Fix button on line ${line} (${rule})`);
  return button;
}

describe.each(pluginRuns)('fixing problems from the stack view (%s)', (_name, load, options) => {
  it('offers Fix on each fixable problem only, and "Fix all" with their count', async () => {
    const { app: a } = await start(load, options, broken());
    const list = problems(a);
    expect(list.filter(([, fix]) => fix).map(([t]) => t.replace(/: .*\(/, ' (')).sort()).toEqual([
      'Line 37 (row/consistency)', // 04: W-3's rate
      'Line 37 (table/malformed)', // 00: the alias pipe
      'Line 44 (id/duplicate)', // 04: the second W-9
      'Line 54 (row/consistency)', // 00: D-2 superseded by D-4
    ]);
    // Problems without a fix have no button (the links the split row breaks, for one).
    expect(list.some(([, fix]) => !fix)).toBe(true);
    const all = stackView(a).querySelector<HTMLButtonElement>('button.canon-fix-all');
    expect(all?.textContent).toBe('Fix all (4)');
    expect(all?.getAttribute('aria-label')).toBe('Fix every fixable problem, as canon fix does');
    expect(fixButton(a, 37, 'row/consistency').getAttribute('aria-label')).toMatch(/^Fix: Fallback Rate 9\.26% does not match/);
  });

  it('names each problem\'s rule page with a link beside it (not inside the row, itself a button)', async () => {
    const { app: a } = await start(load, options, broken());
    const rows = Array.from(stackView(a).querySelectorAll<HTMLElement>('.canon-problem'));
    expect(rows.length).toBeGreaterThan(4);
    for (const row of rows) {
      const rule = /\(([a-z]+\/[a-z-]+)\)$/.exec(row.querySelector('.canon-problem-text')?.textContent ?? '')?.[1];
      const link = row.closest('.canon-problem-line')?.querySelector<HTMLAnchorElement>('a.canon-rule-doc');
      expect(link?.getAttribute('href')).toBe(`https://github.com/canon-contributors/canon/blob/main/docs/rules/${rule ?? '?'}.md`);
      expect(link?.getAttribute('aria-label')).toBe(`About ${rule ?? '?'}`);
      expect(link?.closest('.canon-problem')).toBeNull();
    }
  });

  it('Fix writes only the cell at fault, says what it changed, and the problem leaves the list', async () => {
    const files = broken();
    const { app: a, plugin } = await start(load, options, files);
    click(fixButton(a, 37, 'row/consistency'));
    await a.settle();
    await a.idle();
    const row = original(EV).split('\n')[36] ?? '';
    expect(row).toMatch(/^\| W-3 \|.*\| 5\.26% \|/);
    expect(changedLines(files[EV] ?? '', text(a, EV))).toEqual([[37, row]]);
    expect(text(a, CC)).toBe(files[CC]);
    await expect.poll(() => a.noticeMessages().at(-1)).toBe(`Fixed 1 problem in 1 note:\n${EV} line 37: Fallback Rate 9.26% → 5.26% (3 / 57)`);
    expect(problems(a).some(([t]) => t.startsWith('Line 37: Fallback Rate'))).toBe(false);
    expect(stackView(a).querySelector('button.canon-fix-all')?.textContent).toBe('Fix all (3)');
    expect(plugin.controller.snapshot().result?.diagnostics.filter((d) => d.rule === 'id/duplicate')).toHaveLength(1);
  });

  it('"Fix all fixable problems" fixes the four: the notes become the example vault again, the stack checks clean', async () => {
    const { app: a, plugin } = await start(load, options, broken());
    await a.commands.run('canon:fix-all-problems');
    await a.settle();
    await a.idle();
    expect(text(a, EV)).toBe(original(EV));
    expect(text(a, CC)).toBe(original(CC));
    await expect.poll(() => a.noticeMessages().at(-1)).toBe([
      'Fixed 4 problems in 2 notes:',
      `${CC} line 37: [[Handoff timeout postmortem|postmortem]] → [[Handoff timeout postmortem\\|postmortem]]: the alias pipe escaped, so the row has the header's 5 cells`,
      `${CC} line 54: D-2 Status accepted → superseded (D-4 supersedes it)`,
      `${EV} line 37: Fallback Rate 9.26% → 5.26% (3 / 57)`,
      `${EV} line 44: W-9 on line 44 repeats an earlier row's id; renumbered W-10, the next free id`,
    ].join('\n'));
    expect(plugin.controller.snapshot().result?.diagnostics).toEqual([]);
    expect(stackView(a).querySelector('button.canon-fix-all')).toBeNull();
    await a.commands.run('canon:fix-all-problems');
    await a.settle();
    await a.idle();
    await expect.poll(() => a.noticeMessages().at(-1)).toBe('Canon: no fixable problems.');
  });

  it('writes through the open editor as one undo step, keeping unsaved typing', async () => {
    const files = broken();
    const { app: a } = await start(load, options, files);
    const view = await a.openInEditor(EV);
    view.editor.replaceRange('Typed but not saved. ', { line: 2, ch: 0 });
    click(fixButton(a, 37, 'row/consistency'));
    await a.settle();
    await a.idle();
    const value = view.editor.getValue();
    expect(value).toContain('Typed but not saved. ');
    expect(value.split('\n')[36]).toMatch(/^\| W-3 \|.*\| 5\.26% \|/);
    expect(text(a, EV)).toBe(value);
    view.editor.undo();
    expect(view.editor.getValue().split('\n')[36]).toMatch(/\| 9\.26% \|/);
    expect(view.editor.getValue()).toContain('Typed but not saved. ');
  });

  it('a row that changed since the list was drawn is not touched: a notice says why', async () => {
    const { app: a } = await start(load, options, broken());
    const button = fixButton(a, 37, 'row/consistency');
    // Someone corrects the row by hand (or a sync lands) before the click.
    const changed = text(a, EV).replace('| 57 | 3 | 9.26% |', '| 57 | 4 | 9.26% |');
    await a.vault.adapter.write(EV, changed);
    click(button);
    await a.settle();
    await a.idle();
    await expect.poll(() => a.noticeMessages().at(-1)).toBe(`Canon: nothing was fixed: the problem is no longer there: ${EV} line 37 (row/consistency); the list is checked again`);
    expect(text(a, EV)).toBe(changed);
  });

  it('a fix that would add an error is refused, with the errors, and nothing is written', async () => {
    const ev = edit(EV, '| W-2 | 2026-11-03', '| W-1 | 2026-11-03');
    const { app: a } = await start(load, options, { [EV]: ev });
    click(fixButton(a, 36, 'id/duplicate'));
    await a.settle();
    await a.idle();
    await expect.poll(() => a.noticeMessages().at(-1)).toMatch(new RegExp(`^Canon: nothing was fixed\\.\\nNot fixed, ${EV} line 36: it would add 8 errors: ${EV}:\\d+ `));
    expect(text(a, EV)).toBe(ev);
  });
});
