import type { App as ObsidianApp, WorkspaceLeaf as ObsidianLeaf } from 'obsidian';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { evaluateTriggers, readTriggers, readWindows, type CheckResult, type EntryKind } from '../../../src/core';
import type { CanonHost, StackSnapshot } from '../../../src/plugin/host';
import { MAX_PROBLEM_ROWS, StackView } from '../../../src/plugin/stack/stack-view';
import { STACK_VIEW_TYPE } from '../../../src/plugin/view-types';
import { click, createFakeApp, fakeAppModes, readVaultDir, type App } from '../../fakes/obsidian';
import { check } from '../../helpers/memory-vault';
import { EXAMPLE_VAULT } from '../../helpers/run-cli';

vi.mock('obsidian', () => import('../../fakes/obsidian'));

const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';

/** The example vault's markdown notes, by vault path. */
function exampleFiles(): Record<string, string> {
  return Object.fromEntries(Object.entries(readVaultDir(EXAMPLE_VAULT)).filter(([path]) => path.endsWith('.md')));
}

function snapshotOf(result: CheckResult | null, configProblem: string | null = null): StackSnapshot {
  if (result === null) return { result, configProblem, guardrails: null, windows: [], triggers: [], checkedAt: new Date(2026, 10, 24, 14, 5) };
  const windows = readWindows(result.model.tables.get('evidence'));
  const triggers = readTriggers(result.model.tables.get('trigger'));
  const hasLog = result.docs.some((d) => d.role === 'evidence-log' && d.path !== null);
  return {
    result, configProblem, windows, triggers,
    guardrails: hasLog ? evaluateTriggers(triggers, windows) : null,
    checkedAt: new Date(2026, 10, 24, 14, 5),
  };
}

/** A host that records what the view asks of it and lets the test publish snapshots. */
class FakeHost implements CanonHost {
  readonly calls: { openNote: [string, number | undefined][]; create: number; validate: number; forms: EntryKind[] } = {
    openNote: [], create: 0, validate: 0, forms: [],
  };
  private listeners = new Set<(s: StackSnapshot) => void>();

  constructor(readonly app: ObsidianApp, private current: StackSnapshot) {}

  snapshot(): StackSnapshot {
    return this.current;
  }

  onSnapshot(callback: (snapshot: StackSnapshot) => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  get listenerCount(): number {
    return this.listeners.size;
  }

  publish(snapshot: StackSnapshot): void {
    this.current = snapshot;
    for (const l of this.listeners) l(snapshot);
  }

  openNote(path: string, line?: number): Promise<void> {
    this.calls.openNote.push([path, line]);
    return Promise.resolve();
  }

  createMissingNotes(): Promise<void> {
    this.calls.create++;
    return Promise.resolve();
  }

  openEntryForm(kind: EntryKind): void {
    this.calls.forms.push(kind);
  }

  validateNow(): Promise<void> {
    this.calls.validate++;
    return Promise.resolve();
  }
}

let app: App;

afterEach(() => {
  vi.restoreAllMocks();
});

async function openView(snapshot: StackSnapshot): Promise<{ view: StackView; host: FakeHost; el: HTMLElement }> {
  const host = new FakeHost(app as unknown as ObsidianApp, snapshot);
  const leaf = app.workspace.getRightLeaf(false);
  if (!leaf) throw new Error('no right leaf');
  const view = new StackView(leaf as unknown as ObsidianLeaf, host);
  await leaf.open(view as never);
  return { view, host, el: view.contentEl };
}

const all = (el: HTMLElement, selector: string): HTMLElement[] => Array.from(el.querySelectorAll<HTMLElement>(selector));

describe.each(fakeAppModes)('StackView (%s)', (_mode, options) => {
  beforeEach(() => {
    app = createFakeApp(options);
  });

  it('is the canon-stack view, "Canon stack"', async () => {
    const { view } = await openView(snapshotOf(null));
    expect(view.getViewType()).toBe(STACK_VIEW_TYPE);
    expect(STACK_VIEW_TYPE).toBe('canon-stack');
    expect(view.getDisplayText()).toBe('Canon stack');
    expect(view.getIcon()).toBe('layers');
  });

  it('renders every role with its note as a link that opens it, and no create button when none is missing', async () => {
    const { host, el } = await openView(snapshotOf(check(exampleFiles())));
    const roles = all(el, '.canon-role');
    expect(roles.map((r) => r.dataset.role)).toEqual(['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log', 'operating-model']);
    expect(roles[0]?.querySelector('.canon-role-title')?.textContent).toBe('Control center');
    const link = roles[3]?.querySelector<HTMLElement>('.canon-note-link');
    expect(link?.textContent).toBe('04_Phase_A_Controlled_Rollout_Evidence_Log');
    expect(link?.getAttribute('tabindex')).toBe('0');
    if (link) click(link);
    expect(host.calls.openNote).toEqual([[EVIDENCE, undefined]]);
    expect(el.querySelector('.canon-create-missing, .canon-create-missing-all')).toBeNull();
    expect(el.querySelector('.canon-stack-summary')?.textContent).toContain('No problems');
  });

  it('offers "missing — create" for a missing role, and a create-all button', async () => {
    const files = exampleFiles();
    delete files['02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md'];
    const { host, el } = await openView(snapshotOf(check(files)));
    const row = el.querySelector<HTMLElement>('.canon-role[data-role="implementation-plan"]');
    const create = row?.querySelector<HTMLButtonElement>('button.canon-create-missing');
    expect(create?.textContent?.toLowerCase()).toBe('missing — create');
    expect(row?.querySelector('.canon-note-link')).toBeNull();
    if (create) click(create);
    const all = el.querySelector<HTMLButtonElement>('.canon-create-missing-all');
    expect(all?.textContent).toBe('Create missing notes');
    if (all) click(all);
    expect(host.calls.create).toBe(2);
    expect(el.querySelector('.canon-stack-summary .canon-severity-error')?.textContent).toMatch(/^\d+ errors?$/);
  });

  it('lists problems grouped by note; a click or Enter opens the note at the line', async () => {
    const files = exampleFiles();
    files[EVIDENCE] = (files[EVIDENCE] ?? '').replace('| W-3 | 2026-11-04 09:00 |', '| W-3 | 2026-11-04 9h |');
    const result = check(files);
    const problem = result.diagnostics.find((d) => d.path === EVIDENCE && d.rule === 'cell/type');
    expect(problem).toBeDefined();
    const { host, el } = await openView(snapshotOf(result));
    const group = all(el, '.canon-problem-group').find((g) => g.querySelector('.canon-problem-note')?.textContent === EVIDENCE);
    const row = group?.querySelector<HTMLElement>('.canon-problem.canon-severity-error');
    expect(row?.getAttribute('role')).toBe('button');
    expect(row?.getAttribute('tabindex')).toBe('0');
    expect(row?.querySelector('.canon-problem-text')?.textContent).toBe(`Line ${problem?.line}: ${problem?.message} (cell/type)`);
    if (row) click(row);
    row?.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    row?.dispatchEvent(new KeyboardEvent('keydown', { key: 'a', bubbles: true }));
    expect(host.calls.openNote).toEqual([[EVIDENCE, problem?.line], [EVIDENCE, problem?.line]]);
  });

  it('renders a note\'s markup in a message as text, never as elements', async () => {
    const files = exampleFiles();
    const evil = '<img src=x onerror=alert(1)>';
    files[EVIDENCE] = (files[EVIDENCE] ?? '').replace('| W-1 | 2026-11-02 09:00 | 2026-11-02 13:00 | 5% |', `| W-1 | 2026-11-02 09:00 | 2026-11-02 13:00 | ${evil} |`);
    const result = check(files);
    expect(result.diagnostics.some((d) => d.message.includes(evil))).toBe(true);
    const { el } = await openView(snapshotOf(result));
    expect(el.querySelector('img')).toBeNull();
    expect(el.querySelector('[onerror]')).toBeNull();
    expect(all(el, '.canon-problem-text').some((t) => t.textContent?.includes(evil))).toBe(true);
  });

  it('caps the problem list and says how many more there are', async () => {
    const result = check(exampleFiles());
    const many = Array.from({ length: MAX_PROBLEM_ROWS + 37 }, (_, i) => ({
      path: `notes/n${i % 3}.md`, line: i + 1, column: 1, severity: 'warning' as const, rule: 'doc/unknown-role' as const, message: `m${i}`,
    }));
    const { el } = await openView(snapshotOf({ ...result, diagnostics: many }));
    expect(all(el, '.canon-problem')).toHaveLength(MAX_PROBLEM_ROWS);
    expect(el.querySelector('.canon-problems-more')?.textContent).toBe('And 37 more');
  });

  it('shows the guardrail status, recommendation, triggers and a chart with threshold lines and tooltips', async () => {
    const { host, el } = await openView(snapshotOf(check(exampleFiles())));
    expect(el.querySelector('.canon-guardrail-status .canon-badge')?.textContent).toBe('ok');
    expect(el.querySelector('.canon-recommendation')?.textContent).toBe('Recommendation: promote');
    const triggers = all(el, '.canon-trigger');
    expect(triggers).toHaveLength(4);
    expect(triggers[0]?.querySelector('.canon-trigger-value')?.textContent).toBe('4.09% (> 10%)');
    if (triggers[0]) click(triggers[0]);
    expect(host.calls.openNote[0]?.[0]).toBe(EVIDENCE);
    const svgs = all(el, 'svg.canon-chart-svg');
    expect(svgs).toHaveLength(2);
    expect(all(el, '.canon-chart-threshold')).toHaveLength(2);
    const titles = all(el, 'circle.canon-chart-point title').map((t) => t.textContent);
    expect(titles).toContain('W-1: 8.33%');
    expect(titles).toContain('W-4: 761 ms');
    expect(all(el, 'polyline.canon-chart-line')).toHaveLength(2);
  });

  it('shows a placeholder before the first check and a callout when the config is broken', async () => {
    const { host, el } = await openView(snapshotOf(null));
    expect(el.querySelector('.canon-placeholder')?.textContent).toBe('Checking the stack…');
    host.publish(snapshotOf(null, 'canon.config.json line 3: `rules.nope` is not a rule; expected one of …'));
    const callout = el.querySelector('.canon-callout');
    expect(callout?.textContent).toContain('canon.config.json line 3');
    expect(el.querySelector('.canon-role, .canon-placeholder, .canon-problem')).toBeNull();
  });

  it('re-renders on a new snapshot, not on the same one; Validate asks the host', async () => {
    const first = snapshotOf(null);
    const { view, host, el } = await openView(first);
    const placeholder = el.querySelector('.canon-placeholder');
    view.render(first);
    expect(el.querySelector('.canon-placeholder')).toBe(placeholder);
    host.publish(snapshotOf(check(exampleFiles())));
    expect(el.querySelector('.canon-placeholder')).toBeNull();
    expect(all(el, '.canon-role')).toHaveLength(5);
    const validate = el.querySelector<HTMLButtonElement>('button.canon-validate');
    expect(validate?.textContent).toBe('Validate');
    if (validate) click(validate);
    expect(host.calls.validate).toBe(1);
  });

  it('has an add button per entry kind', async () => {
    const { host, el } = await openView(snapshotOf(check(exampleFiles())));
    const buttons = all(el, 'button.canon-add-entry');
    expect(buttons.map((b) => b.textContent)).toContain('Add evidence window');
    const status = buttons.find((b) => b.textContent === 'Add status entry');
    if (status) click(status);
    expect(host.calls.forms).toEqual(['status']);
  });

  it('unsubscribes when closed', async () => {
    const { host } = await openView(snapshotOf(null));
    expect(host.listenerCount).toBe(1);
    const leaf = app.workspace.getLeavesOfType(STACK_VIEW_TYPE)[0];
    expect(leaf).toBeDefined();
    leaf?.detach();
    await app.idle();
    expect(host.listenerCount).toBe(0);
  });
});
