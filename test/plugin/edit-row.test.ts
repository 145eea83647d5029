import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { click, FuzzySuggestModal, loadVaultFromDir, selectOption, typeInto, type App, type FakeAppOptions } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { REPO } from '../helpers/run-cli';
import { changedLines } from '../helpers/note-text';

const EXAMPLE = join(REPO, 'example-vault');
const LOG = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';
const CONTROL = '00_DraganCorp_Program_Control_Center.md';
const P5 = '| P-5 | Propagate mission cancellation to the VP within 2 s. | `src/vp/cancel.ts`, `src/vp/mission-runner.ts` | `npm run probe:cancel` | Cancel-to-stop under 2 s in 20 of 20 probe runs. | planned |';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

async function start(load: () => Promise<CanonPluginClass>, options: Readonly<FakeAppOptions>, files: Record<string, string> = {}) {
  app = loadVaultFromDir(EXAMPLE, { ...options, files });
  const plugin = await app.loadPlugin(await load());
  await app.layoutReady();
  await app.idle();
  return { app, plugin };
}

function text(a: App, path: string): string {
  const t = a.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

function formInputs(a: App): Map<string, HTMLInputElement | HTMLSelectElement> {
  const modal = a.openModals().at(-1);
  if (!modal) throw new Error('no form is open');
  const out = new Map<string, HTMLInputElement | HTMLSelectElement>();
  for (const label of Array.from(modal.contentEl.querySelectorAll('label'))) {
    const input = modal.contentEl.querySelector(`#${label.getAttribute('for') ?? ''}`);
    if (input) out.set(label.firstChild?.textContent?.trim() ?? '', input as HTMLInputElement | HTMLSelectElement);
  }
  return out;
}

function fill(a: App, values: Record<string, string>): void {
  const inputs = formInputs(a);
  for (const [name, value] of Object.entries(values)) {
    const input = inputs.get(name);
    if (!input) throw new Error(`no input ${name}`);
    if (input instanceof HTMLSelectElement) selectOption(input, value);
    else typeInto(input, value);
  }
}

/** Runs "Edit row…", types `query` into the suggester and chooses the first suggestion. */
async function editRowCommand(a: App, query: string): Promise<void> {
  await a.commands.run('canon:edit-row');
  await a.settle();
  const suggester = a.openModals().at(-1);
  if (!(suggester instanceof FuzzySuggestModal)) throw new Error('no suggester is open');
  typeInto(suggester.inputEl, query);
  await a.settle();
  a.pressKey('Enter');
  await a.settle();
}

function stackView(a: App): HTMLElement {
  const el = a.workspace.containerEl.querySelector<HTMLElement>('.canon-stack-view');
  if (!el) throw new Error('no stack view');
  return el;
}

describe.each(pluginRuns)('editing rows (%s)', (_name, load, options) => {
  it('"Edit row…" offers every row id, opens the form filled from the row, and writes only the cells changed', async () => {
    const { app: a, plugin } = await start(load, options);
    const before = text(a, PLAN);
    await a.commands.run('canon:edit-row');
    await a.settle();
    const modal0 = a.openModals().at(-1);
    expect(modal0).toBeInstanceOf(FuzzySuggestModal);
    const suggester = modal0 as unknown as { suggestions: { item: { id: string } }[]; close(): void };
    expect(suggester.suggestions.map((s) => s.item.id)).toEqual(['D-1', 'D-2', 'D-3', 'D-4', 'D-5', 'P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6', 'W-1', 'W-2', 'W-3', 'W-4', 'W-5', 'W-6', 'W-7', 'W-8', 'W-9', 'W-10']);
    suggester.close();
    await editRowCommand(a, 'P-5');
    const modal = a.openModals().at(-1);
    expect(modal?.titleEl.textContent).toBe('Edit P-5');
    expect(modal?.contentEl.textContent).toContain(`Work Packets in ${PLAN}, line 46`);
    const inputs = formInputs(a);
    expect(inputs.get('Packet')?.value).toBe('P-5');
    expect((inputs.get('Packet') as HTMLInputElement).readOnly).toBe(true);
    expect(inputs.get('Files')?.value).toBe('`src/vp/cancel.ts`, `src/vp/mission-runner.ts`');
    expect(inputs.get('Status')).toBeInstanceOf(HTMLSelectElement);
    expect(Array.from((inputs.get('Status') as HTMLSelectElement).options).map((o) => o.value)).toEqual(['planned', 'in-progress', 'done', 'blocked']);
    expect(modal?.contentEl.querySelector('button.mod-cta')?.textContent).toBe('Save');
    fill(a, { Status: 'in-progress', Verification: 'npm run probe:cancel | tail' });
    a.pressKey('Enter');
    await a.settle();
    expect(a.openModals()).toHaveLength(0);
    expect(changedLines(before, text(a, PLAN))).toEqual([[46, P5.replace('`npm run probe:cancel` |', 'npm run probe:cancel \\| tail |').replace('| planned |', '| in-progress |')]]);
    expect(a.noticeMessages().at(-1)).toBe('Changed P-5:\nP-5 Verification: `npm run probe:cancel` → npm run probe:cancel \\| tail\nP-5 Status: planned → in-progress');
    await a.idle();
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);
  });

  it('shows each column\'s example as placeholder and hint, and enum values as dropdowns, in the add form too', async () => {
    const { app: a } = await start(load, options);
    await a.commands.run('canon:add-rollback-trigger');
    await a.settle();
    const inputs = formInputs(a);
    expect((inputs.get('Condition') as HTMLInputElement).placeholder).toBe('e.g. > 10%');
    expect((inputs.get('Window') as HTMLInputElement).placeholder).toBe('e.g. 20 missions');
    expect((inputs.get('Metric') as HTMLInputElement).placeholder).toBe('e.g. fallback rate');
    expect(a.openModals().at(-1)?.contentEl.textContent).toContain('a window such as 20 missions');
    a.openModals().at(-1)?.close();
    await a.commands.run('canon:add-work-packet');
    await a.settle();
    const packet = formInputs(a);
    expect(packet.get('Status')?.value).toBe('planned');
    expect((packet.get('Goal') as HTMLInputElement).placeholder).toBe('e.g. Cancellation-safe handoff');
    a.openModals().at(-1)?.close();
    await a.commands.run('canon:add-decision');
    await a.settle();
    expect(formInputs(a).get('Status')?.value).toBe('proposed');
  });

  it('refuses an edit that adds an error: inline errors, a notice, nothing written', async () => {
    const { app: a } = await start(load, options);
    const before = text(a, LOG);
    await editRowCommand(a, 'W-5');
    expect(a.openModals().at(-1)?.titleEl.textContent).toBe('Edit W-5');
    fill(a, { Fallbacks: '99' });
    click(a.openModals().at(-1)!.contentEl.querySelector('button.mod-cta')!);
    await a.settle();
    expect(text(a, LOG)).toBe(before);
    expect(a.openModals()).toHaveLength(1);
    expect(a.openModals()[0]!.contentEl.textContent).toMatch(/Fallbacks 99 exceed Missions 66/);
    expect(a.noticeMessages().at(-1)).toBe('Canon: W-5 was not changed: 1 problem, shown in the form.');
  });

  it('refuses, with a notice, an edit of a row that changed after the form opened', async () => {
    const { app: a } = await start(load, options);
    await editRowCommand(a, 'P-5');
    fill(a, { Status: 'done' });
    const file = a.vault.getFileByPath(PLAN)!;
    await a.vault.process(file, (t) => t.replace('Cancel-to-stop under 2 s', 'Cancel-to-stop under 1 s'));
    const changed = text(a, PLAN);
    a.pressKey('Enter');
    await a.settle();
    expect(text(a, PLAN)).toBe(changed);
    expect(a.noticeMessages().at(-1)).toMatch(/^Canon: P-5 was not changed:\nP-5 changed in 02_.* since it was read \(its text at line 46 changed\), so nothing was written/);
  });

  it('writes through the open editor as one undo step', async () => {
    const { app: a } = await start(load, options);
    const view = await a.openInEditor(PLAN);
    view.editor.replaceRange('Typed but not saved. ', { line: 2, ch: 0 });
    await editRowCommand(a, 'P-6');
    fill(a, { Status: 'in-progress' });
    a.pressKey('Enter');
    await a.settle();
    const value = view.editor.getValue();
    expect(value).toContain('Typed but not saved. ');
    expect(value).toMatch(/\| P-6 \|.*\| in-progress \|\n/);
    view.editor.undo();
    expect(view.editor.getValue()).toMatch(/\| P-6 \|.*\| blocked \|\n/);
    expect(view.editor.getValue()).toContain('Typed but not saved. ');
  });

  it('the stack view lists the work packets with a status dropdown that writes the cell, and an Edit button', async () => {
    const { app: a, plugin } = await start(load, options);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const el = stackView(a);
    const packets = Array.from(el.querySelectorAll<HTMLElement>('.canon-packet'));
    expect(packets.map((p) => p.getAttribute('data-packet'))).toEqual(['P-1', 'P-2', 'P-3', 'P-4', 'P-5', 'P-6']);
    const status = (id: string): HTMLSelectElement => el.querySelector<HTMLSelectElement>(`.canon-packet[data-packet="${id}"] select.canon-packet-status`)!;
    expect(packets.map((p) => p.querySelector('select')?.value)).toEqual(['done', 'done', 'done', 'in-progress', 'planned', 'blocked']);
    expect(status('P-5').getAttribute('aria-label')).toBe('Status of P-5');
    const before = text(a, PLAN);
    selectOption(status('P-5'), 'in-progress');
    await a.settle();
    await a.idle();
    expect(changedLines(before, text(a, PLAN))).toEqual([[46, P5.replace('| planned |', '| in-progress |')]]);
    expect(a.noticeMessages().at(-1)).toBe('Changed P-5:\nP-5 Status: planned → in-progress');
    expect(status('P-5').value).toBe('in-progress');
    expect(plugin.controller.snapshot().result?.counts.error).toBe(0);

    const edit = stackView(a).querySelector<HTMLButtonElement>('.canon-packet[data-packet="P-4"] button.canon-edit-row')!;
    expect(edit.tagName).toBe('BUTTON');
    expect(edit.getAttribute('aria-label')).toBe('Edit P-4');
    click(edit);
    await a.settle();
    expect(a.openModals().at(-1)?.titleEl.textContent).toBe('Edit P-4');
  });

  it('a packet status that cannot be written shows a notice and the dropdown keeps the cell as it is', async () => {
    const { app: a } = await start(load, options);
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const select = stackView(a).querySelector<HTMLSelectElement>('.canon-packet[data-packet="P-5"] select')!;
    // The row changes on disk after the view drew it (a sync, another pane): the view's row is stale.
    await a.vault.adapter.write(PLAN, text(a, PLAN).replace('| P-5 | Propagate', '| P-5 | Quickly propagate'));
    const changed = text(a, PLAN);
    selectOption(select, 'done');
    await a.settle();
    expect(text(a, PLAN)).toBe(changed);
    expect(a.noticeMessages().at(-1)).toMatch(/^Canon: P-5 was not changed:\nP-5 changed in .* since it was read/);
    expect(select.value).toBe('planned');
  });

  it('a problem on a row with an id has an "Edit row" button that opens the row\'s form', async () => {
    const broken = text(loadVaultFromDir(EXAMPLE), LOG).replace('| 57 | 3 | 5.26% |', '| 57 | 3 | 9.26% |');
    const { app: a } = await start(load, options, { [LOG]: broken });
    await a.commands.run('canon:open-stack-view');
    await a.settle();
    const el = stackView(a);
    const line = el.querySelector<HTMLElement>('.canon-problem-line');
    expect(line?.querySelector('.canon-problem-text')?.textContent).toMatch(/^Line 37: Fallback Rate 9\.26% does not match/);
    const button = line?.querySelector<HTMLButtonElement>('button.canon-edit-row');
    expect(button?.textContent).toBe('Edit row');
    expect(button?.getAttribute('aria-label')).toBe('Edit W-3');
    // Not inside the problem row (itself a button that opens the note), so both stay reachable with Tab.
    expect(button?.closest('.canon-problem')).toBeNull();
    click(button!);
    await a.settle();
    expect(a.openModals().at(-1)?.titleEl.textContent).toBe('Edit W-3');
    fill(a, { 'Fallback Rate': '5.26%' });
    a.pressKey('Enter');
    await a.settle();
    await a.idle();
    expect(text(a, LOG)).toBe(text(loadVaultFromDir(EXAMPLE), LOG));
    expect(stackView(a).querySelector('.canon-problem')).toBeNull();
  });

  it('adding a superseding decision names the decision it changed in the notice', async () => {
    const { app: a } = await start(load, options);
    await a.commands.run('canon:add-decision');
    await a.settle();
    fill(a, { Decision: 'Phase B', Rationale: 'A week at 25 %', Owner: 'Dragan', Supersedes: 'D-5' });
    a.pressKey('Enter');
    await a.settle();
    expect(a.noticeMessages().at(-1)).toBe('Added D-6 to Decision Log.\nAlso D-5 Status: proposed → superseded.');
    expect(text(a, CONTROL)).toMatch(/\| D-5 \|.*\| Dragan \| superseded \| \|\n\| D-6 \|.*\| proposed \| D-5 \|\n/);
  });
});
