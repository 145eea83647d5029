// Issue 11 in Obsidian, through the fake `obsidian`, on the sources and on the built main.js: the
// start form's scope fields, the pane's packets with their verification ladder, "Record result"
// (everywhere), "Attach packet", and "Run" — absent on a phone, and on the desktop app asking (the
// exact command and folder) before running anything, then recording the outcome.
import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { CanonPluginClass } from '../fakes/load-bundle';
import { click, loadVaultFromDir, selectOption, typeInto, type App, type FakeAppOptions, type Modal } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

/** 2026-11-24 14:05 local: after every row of the example vault. */
const NOW = new Date(2026, 10, 24, 14, 5);
const FOLDER = '/home/mara/vaults/phase-a';

function pane(app: App): HTMLElement {
  const leaf = app.workspace.getLeavesOfType('canon-session')[0];
  if (!leaf) throw new Error('the session pane is not open');
  return leaf.view.containerEl;
}

function lastModal(app: App): Modal {
  const modal = app.openModals().at(-1);
  if (!modal) throw new Error('no modal is open');
  return modal;
}

function buttonIn(root: HTMLElement, text: string): HTMLButtonElement {
  const found = Array.from(root.querySelectorAll('button')).find((b) => b.textContent === text);
  if (!found) throw new Error(`no button "${text}" (buttons: ${Array.from(root.querySelectorAll('button')).map((b) => b.textContent).join(', ')})`);
  return found;
}

const buttonsNamed = (root: HTMLElement, text: string): HTMLButtonElement[] => Array.from(root.querySelectorAll('button')).filter((b) => b.textContent === text);

function text(app: App, path: string): string {
  const t = app.vault._peek(path);
  if (t === null) throw new Error(`no ${path}`);
  return t;
}

function packetBox(app: App, packet: string): HTMLElement {
  const box = pane(app).querySelector<HTMLElement>(`.canon-session-packet[data-packet="${packet}"]`);
  if (!box) throw new Error(`no ladder of ${packet} in the pane`);
  return box;
}

const rungs = (app: App, packet: string): string[] => Array.from(packetBox(app, packet).querySelectorAll('.canon-session-rung')).map((li) => li.textContent ?? '');
const gateBox = (app: App, packet: string, gate: string) => pane(app).querySelector<HTMLInputElement>(`input[data-canon-key="gate:${packet}:${gate}"]`);

async function startSession(app: App, packets: string[], scope: { in?: string; out?: string } = {}): Promise<string> {
  await app.commands.run('canon:start-session');
  const modal = lastModal(app);
  typeInto(modal.contentEl.querySelector<HTMLInputElement>('#canon-start-objective')!, 'Cancellation-safe handoff');
  if (scope.in !== undefined) typeInto(modal.contentEl.querySelector<HTMLTextAreaElement>('#canon-start-in-scope')!, scope.in);
  if (scope.out !== undefined) typeInto(modal.contentEl.querySelector<HTMLTextAreaElement>('#canon-start-out-of-scope')!, scope.out);
  for (const p of packets) click(modal.contentEl.querySelector(`input[value="${p}"]`)!);
  click(buttonIn(modal.contentEl, 'Start session'));
  await app.idle();
  const path = app.vault.getMarkdownFiles().map((f) => f.path).find((p) => p.startsWith('sessions/'));
  if (!path) throw new Error('no session note was created');
  return path;
}

/** Fills a packet's "Record result" form and submits it. */
async function record(app: App, packet: string, rung: string, result: 'pass' | 'fail', note = ''): Promise<void> {
  const box = packetBox(app, packet);
  selectOption(box.querySelector<HTMLSelectElement>(`#canon-record-${packet}-rung`)!, rung);
  selectOption(box.querySelector<HTMLSelectElement>(`#canon-record-${packet}-result`)!, result);
  typeInto(box.querySelector<HTMLInputElement>(`#canon-record-${packet}-note`)!, note);
  click(buttonIn(box, 'Record result'));
  await app.idle();
}

/** A stand-in for Node's child_process, reached only through `window.require` as on the desktop app. */
class FakeChild extends EventEmitter {
  stdout = new EventEmitter();
  stderr = new EventEmitter();
  kill(): boolean {
    return true;
  }
}

interface Spawned { command: string; options: { cwd: string; shell: boolean } }

function installNode(spawned: Spawned[], outcome: { out: string; code: number }): void {
  const childProcess = {
    spawn(command: string, options: { cwd: string; shell: boolean }): FakeChild {
      spawned.push({ command, options });
      const child = new FakeChild();
      setTimeout(() => {
        child.stdout.emit('data', outcome.out);
        child.emit('close', outcome.code, null);
      }, 0);
      return child;
    },
  };
  (window as unknown as { require?: (id: string) => unknown }).require = (id: string) => {
    if (id === 'child_process') return childProcess;
    throw new Error(`unexpected require("${id}")`);
  };
}

describe.each(pluginRuns)('the verification ladder in the session pane (%s)', (_name, load, options) => {
  let app: App | null = null;
  let PluginClass: CanonPluginClass;

  async function open(extra: FakeAppOptions = {}): Promise<App> {
    const a = loadVaultFromDir(EXAMPLE_VAULT, { ...options, ...extra });
    app = a;
    (a.vault.adapter as unknown as { getBasePath?: () => string }).getBasePath = () => FOLDER;
    await a.loadPlugin(PluginClass);
    await a.layoutReady();
    await a.idle();
    return a;
  }

  beforeEach(async () => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
    PluginClass = await load();
  });

  afterEach(async () => {
    delete (window as unknown as { require?: unknown }).require;
    if (app) {
      expect(app.listenerErrors).toEqual([]);
      await app.destroy();
    }
    app = null;
    vi.useRealTimers();
  });

  it('keeps the scope from the start form; "Record result" writes a rung, and the ladder proves G1 and the items', async () => {
    const a = await open();
    const path = await startSession(a, ['P-4'], { in: 'handoff timeout\n\ncancel path', out: 'cache warm-up' });
    expect(text(a, path)).toContain('\npackets: ["P-4"]\ninScope: ["handoff timeout", "cancel path"]\noutOfScope: ["cache warm-up"]\nstatus: open\n');
    expect(Array.from(pane(a).querySelectorAll('.canon-session-in-scope li')).map((li) => li.textContent)).toEqual(['handoff timeout', 'cancel path']);
    expect(Array.from(pane(a).querySelectorAll('.canon-session-out-of-scope li')).map((li) => li.textContent)).toEqual(['cache warm-up']);

    expect(packetBox(a, 'P-4').querySelector('.canon-session-packet-command')?.textContent).toBe('Verification: npm test -- handoff');
    expect(packetBox(a, 'P-4').querySelector('.canon-session-rungs-empty')?.textContent).toBe('No rung recorded yet.');
    await record(a, 'P-4', 'unit', 'fail', 'flaky <b>timeout</b>');
    expect(text(a, path)).toContain('\nladder:\n  - {"packet":"P-4","rung":"unit","result":"fail","at":"2026-11-24T14:05:00","by":"hand","note":"flaky <b>timeout</b>"}\nbaseline:\n');
    expect(rungs(a, 'P-4')).toEqual(['✘ unit fail 2026-11-24 14:05 — (result given by hand) — flaky <b>timeout</b>']);
    expect(packetBox(a, 'P-4').querySelector('b')).toBeNull();
    expect(gateBox(a, 'P-4', 'G1')?.checked).toBe(false);
    const item2 = pane(a).querySelectorAll('.canon-session-item')[1];
    expect(item2?.getAttribute('data-by')).toBe('vault');
    expect(item2?.querySelector('.canon-session-proof')?.textContent).toBe('verification ladder: 1 rung recorded (P-4 unit fail)');
    expect(pane(a).querySelectorAll('.canon-session-item')[0]?.querySelector('.canon-session-missing')?.textContent).toBe('No passing rung since the last failure for P-4. Or tick by hand.');

    await record(a, 'P-4', 'integration', 'pass');
    expect(rungs(a, 'P-4')).toEqual(['✘ unit fail 2026-11-24 14:05 — (result given by hand) — flaky <b>timeout</b>', '✔ integration pass 2026-11-24 14:05 — (result given by hand)']);
    for (const g of ['G1', 'G2']) expect([gateBox(a, 'P-4', g)?.checked, gateBox(a, 'P-4', g)?.disabled]).toEqual([true, true]);
    expect(pane(a).querySelectorAll('.canon-session-item')[0]?.getAttribute('data-by')).toBe('vault');
  });

  it('attaches a packet from the pane: its ladder and form appear, the baseline stays', async () => {
    const a = await open();
    const path = await startSession(a, ['P-4']);
    const before = text(a, path);
    selectOption(pane(a).querySelector<HTMLSelectElement>('#canon-attach-packet')!, 'P-5');
    click(buttonIn(pane(a), 'Attach packet'));
    await a.idle();
    expect(text(a, path)).toBe(before.replace('packets: ["P-4"]', 'packets: ["P-4", "P-5"]'));
    expect(packetBox(a, 'P-5').querySelector('.canon-session-packet-title')?.textContent).toBe('P-5: Propagate mission cancellation to the VP within 2 s.');
    expect(Array.from(pane(a).querySelectorAll<HTMLOptionElement>('#canon-attach-packet option')).map((o) => o.value)).toEqual(['P-1', 'P-2', 'P-3', 'P-6']);
    await record(a, 'P-5', 'snapshot', 'pass');
    expect(rungs(a, 'P-5')).toEqual(['✔ snapshot pass 2026-11-24 14:05 — (result given by hand)']);
  });

  it('on a phone: "Record result" but no "Run" (there is no shell), and nothing is required', async () => {
    const spawned: Spawned[] = [];
    installNode(spawned, { out: 'ok\n', code: 0 });
    const a = await open({ platform: 'phone' });
    await startSession(a, ['P-4', 'P-5']);
    expect(buttonsNamed(pane(a), 'Record result')).toHaveLength(2);
    expect(buttonsNamed(pane(a), 'Run')).toHaveLength(0);
    expect(pane(a).querySelector('.canon-session-run-unavailable')).toBeNull();
    expect(spawned).toEqual([]);
  });

  it('on the desktop app: "Run" shows the exact command and folder, runs nothing until the explicit click, then records the outcome', async () => {
    const spawned: Spawned[] = [];
    installNode(spawned, { out: 'PASS handoff.test.ts\n\u001b[31mFAIL\u001b[0m cancel.test.ts\n', code: 1 });
    const a = await open();
    const path = await startSession(a, ['P-4']);
    const before = text(a, path);
    click(buttonIn(packetBox(a, 'P-4'), 'Run'));
    await a.idle();
    const modal = lastModal(a);
    expect(modal.titleEl.textContent).toBe('Run the verification command?');
    expect(modal.contentEl.querySelector('.canon-run-command')?.textContent).toBe('npm test -- handoff');
    expect(modal.contentEl.querySelector('.canon-run-folder code')?.textContent).toBe(FOLDER);
    // Nothing has run; the focus is on Cancel, so Enter does not run it either.
    expect(document.activeElement?.textContent).toBe('Cancel');
    a.pressKey('Enter');
    await a.idle();
    expect(spawned).toEqual([]);
    expect(text(a, path)).toBe(before);

    if (!modal.isOpen) click(buttonIn(packetBox(a, 'P-4'), 'Run'));
    await a.idle();
    const ask = lastModal(a);
    click(buttonIn(ask.contentEl, 'Run'));
    await a.idle();
    await vi.waitFor(() => expect(ask.contentEl.querySelector('.canon-run-output')).not.toBeNull());
    expect(spawned).toEqual([{ command: 'npm test -- handoff', options: expect.objectContaining({ cwd: FOLDER, shell: true }) as unknown }]);
    expect(ask.contentEl.querySelector('.canon-run-output')?.textContent).toBe('PASS handoff.test.ts\nFAIL cancel.test.ts');
    expect(ask.contentEl.querySelector('.canon-run-status')?.textContent).toMatch(/^Recorded P-4 unit: fail \(exit 1 in \d+\.\d s\) in sessions\//);
    await a.idle();
    expect(text(a, path)).toMatch(/\nladder:\n {2}- \{"packet":"P-4","rung":"unit","result":"fail","at":"2026-11-24T14:05:00","by":"run","command":"npm test -- handoff","exit":1,"ms":\d+\}\n/);
    expect(text(a, path)).toContain(`· P-4 · unit · **fail** · ran \`npm test -- handoff\` in \`${FOLDER}\`: exit 1 after `);
    expect(rungs(a, 'P-4')[0]).toMatch(/^✘ unit fail 2026-11-24 14:05 — `npm test -- handoff` exit 1 in \d+\.\d s$/);
    click(buttonIn(ask.contentEl, 'Close'));
    expect(a.openModals()).toEqual([]);
  });
});
