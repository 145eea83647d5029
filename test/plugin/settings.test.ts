// The settings tab saves canon.config.json when a field is done with (left, or Enter), not on every
// keystroke: each save is a vault write that Sync and File Recovery keep, and a half-typed folder
// name is not a setting. Numbers are number inputs.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { loadVaultFromDir, type App } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { REPO } from '../helpers/run-cli';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

/** Types `text` one key at a time as a user does: an `input` event per character, no `change` until the field is left. */
function typeKeys(input: HTMLInputElement, text: string): void {
  for (const ch of text) {
    input.value += ch;
    input.dispatchEvent(new window.Event('input', { bubbles: true }));
  }
}

function leave(input: HTMLInputElement): void {
  input.dispatchEvent(new window.Event('change', { bubbles: true }));
}

describe.each(pluginRuns)('the settings tab (%s)', (_name, load, options) => {
  async function open(): Promise<{ a: App; inputs: HTMLInputElement[] }> {
    const a = loadVaultFromDir(join(REPO, 'example-vault'), options);
    app = a;
    await a.loadPlugin(await load());
    await a.layoutReady();
    await a.idle();
    a.setting.openTabById('canon');
    return { a, inputs: Array.from(a.setting.containerEl.querySelectorAll<HTMLInputElement>('input')) };
  }

  it('writes a text field once, when it is left, with the whole value', async () => {
    const { a, inputs } = await open();
    const folder = inputs[0]!;
    const before = a.vault.calls.length;
    typeKeys(folder, 'Docs/Stack');
    // idle() runs any debounced save now: typing alone must not have asked for one.
    await a.idle();
    expect(a.vault.calls.slice(before).filter((c) => c.path === 'canon.config.json')).toEqual([]);
    expect(a.vault._peek('canon.config.json')).toBeNull();
    leave(folder);
    await a.idle();
    expect(JSON.parse(a.vault._peek('canon.config.json') ?? '{}')).toMatchObject({ folder: 'Docs/Stack' });
    expect(a.vault.calls.slice(before).filter((c) => c.path === 'canon.config.json')).toHaveLength(1);
  });

  it('shows the date example while typing and saves the format only when it is one', async () => {
    const { a } = await open();
    const [date] = Array.from(a.setting.containerEl.querySelectorAll('.setting-item')).filter((el) => el.textContent?.startsWith('Date format'));
    const input = date!.querySelector('input')!;
    input.value = '';
    typeKeys(input, "yyyy-MM-dd'T'HH:mm");
    expect(date!.textContent).toContain('Entries get dates like 2026-11-24T14:05.');
    leave(input);
    await a.idle();
    expect(JSON.parse(a.vault._peek('canon.config.json') ?? '{}')).toMatchObject({ dateFormat: "yyyy-MM-dd'T'HH:mm" });
  });

  it('takes the check delay in a number input, and refuses a value out of range without writing', async () => {
    const { a } = await open();
    const delay = a.setting.containerEl.querySelector<HTMLInputElement>('input[type="number"]')!;
    expect([delay.min, delay.max]).toEqual(['0', '10000']);
    delay.value = '20000';
    leave(delay);
    await a.idle();
    expect(a.vault._peek('canon.config.json')).toBeNull();
    expect(a.setting.containerEl.textContent).toContain('Not saved: the check delay is a whole number of milliseconds from 0 to 10000');
    delay.value = '250';
    leave(delay);
    await a.idle();
    expect(JSON.parse(a.vault._peek('canon.config.json') ?? '{}')).toMatchObject({ debounceMs: 250 });
  });

  it('labels the preset "Phase A" and puts the rule families under a heading', async () => {
    const { a } = await open();
    expect(a.setting.containerEl.querySelector('select option')?.textContent).toBe('Phase A');
    const heading = a.setting.containerEl.querySelector('.setting-item-heading');
    expect(heading?.textContent).toContain('Rule families checked live');
  });
});
