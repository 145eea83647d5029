import { lightFormat as format } from 'date-fns';
import { PluginSettingTab, Setting, type App, type Plugin } from 'obsidian';
import { dateFormatProblem, RULE_FAMILIES, type CanonConfig, type RuleFamily } from '../../core';
import type { StackIndex } from '../stack/stack-index';
import { updateConfig } from './config-file';

/** Settings (README "The Obsidian plugin"): every value lives in `canon.config.json`, so the CLI and CI read the same. */
export class CanonSettingTab extends PluginSettingTab {
  constructor(
    app: App,
    plugin: Plugin,
    private readonly index: StackIndex,
    private readonly changed: () => Promise<void>,
  ) {
    super(app, plugin);
  }

  private saving: Promise<void> = Promise.resolve();

  private async saveNow(patch: Partial<CanonConfig>, status: HTMLElement): Promise<boolean> {
    const problem = await updateConfig(this.app, patch);
    status.setText(problem === null ? '' : `Not saved: ${problem}`);
    status.toggleClass('canon-error', problem !== null);
    if (problem === null) await this.changed();
    return problem === null;
  }

  /** Which rule families a live check reports; the validate command always reports them all. */
  private liveFamilies(containerEl: HTMLElement, live: CanonConfig['liveChecks'], save: (patch: Partial<CanonConfig>) => Promise<boolean>): void {
    const chosen = new Set<RuleFamily>(Array.isArray(live) ? live : RULE_FAMILIES);
    new Setting(containerEl).setName('Rule families checked live').setDesc('Validate the stack always reports every rule.').setHeading();
    for (const family of RULE_FAMILIES) {
      new Setting(containerEl)
        .setName(FAMILY_NAMES[family])
        .setClass('canon-live-family')
        .addToggle((t) =>
          t.setValue(chosen.has(family)).onChange((v) => {
            if (v) chosen.add(family);
            else chosen.delete(family);
            const list = RULE_FAMILIES.filter((f) => chosen.has(f));
            void save({ liveChecks: list.length === RULE_FAMILIES.length ? true : list });
          }),
        );
    }
  }

  override display(): void {
    const { containerEl } = this;
    containerEl.empty();
    containerEl.addClass('canon-settings');
    containerEl.createEl('p', { cls: 'setting-item-description', text: 'These settings are stored in canon.config.json at the vault root, which the command line reads too.' });
    if (this.index.configProblem !== null) {
      const callout = containerEl.createDiv({ cls: 'canon-config-problem', attr: { role: 'alert' } });
      callout.createEl('strong', { text: 'canon.config.json is broken, so Canon is not checking the stack.' });
      callout.createEl('pre', { text: this.index.configProblem });
      callout.createEl('p', { text: 'Fix the file by hand; the settings below are disabled until it reads.' });
      return;
    }
    const config = this.index.config;
    const status = containerEl.createDiv({ cls: 'canon-settings-status', attr: { 'aria-live': 'polite' } });
    const save = (patch: Partial<CanonConfig>): Promise<boolean> => {
      // One save at a time, in order: typing fast must not race two writes (or two creations) of the file.
      const run = this.saving.then(() => this.saveNow(patch, status));
      this.saving = run.then(() => undefined, () => undefined);
      return run;
    };

    new Setting(containerEl)
      .setName('Preset')
      .setDesc('The roles and tables of the stack.')
      .addDropdown((d) => d.addOption('phase-a', 'Phase A').setValue(config.preset).onChange((v) => void save({ preset: v as CanonConfig['preset'] })));
    // Text is saved when the field is left (or Enter is pressed), not on every keystroke: each save
    // rewrites canon.config.json (through Sync and File Recovery), and a half-typed folder name is not a setting.
    new Setting(containerEl)
      .setName('Note folder')
      .setDesc('Where the canonical notes live; empty means anywhere in the vault.')
      .addText((t) => {
        t.setPlaceholder('Docs').setValue(config.folder);
        onCommit(t.inputEl, (v) => void save({ folder: v.trim() }));
      });
    const dateSetting = new Setting(containerEl).setName('Date format').setDesc(dateExample(config.dateFormat));
    dateSetting.addText((t) => {
      // The example follows the typing; the format is saved when the field is left.
      t.setValue(config.dateFormat).onChange((v) => dateSetting.setDesc(dateExample(v)));
      onCommit(t.inputEl, (v) => {
        if (dateFormatProblem(v) === null) void save({ dateFormat: v });
        else status.setText(`Not saved: ${dateExample(v)}`);
      });
    });
    new Setting(containerEl)
      .setName('Check delay')
      .setDesc('Milliseconds to wait after a change before checking again (0 to 10000).')
      .addText((t) => {
        t.inputEl.type = 'number';
        t.inputEl.min = '0';
        t.inputEl.max = '10000';
        t.inputEl.step = '50';
        t.setValue(String(config.debounceMs));
        onCommit(t.inputEl, (v) => {
          const n = Number(v);
          if (v.trim() !== '' && Number.isInteger(n) && n >= 0 && n <= 10_000) void save({ debounceMs: n });
          else status.setText('Not saved: the check delay is a whole number of milliseconds from 0 to 10000');
        });
      });
    new Setting(containerEl)
      .setName('Live checks')
      .setDesc('Check the stack on every change of a canonical note. When off, run the validate command yourself.')
      .addToggle((t) =>
        t.setValue(config.liveChecks !== false).onChange((v) => {
          void save({ liveChecks: v }).then(() => this.display());
        }),
      );
    if (config.liveChecks !== false) this.liveFamilies(containerEl, config.liveChecks, save);
    new Setting(containerEl)
      .setName('Sessions folder')
      .setDesc('Where session notes are written.')
      .addText((t) => {
        t.setValue(config.sessionsFolder);
        onCommit(t.inputEl, (v) => void save({ sessionsFolder: v.trim() }));
      });
  }
}

/** Calls `commit` with the field's value when the user is done with it: on leaving the field or on Enter (the DOM's `change`). */
function onCommit(input: HTMLInputElement, commit: (value: string) => void): void {
  let last = input.value;
  input.addEventListener('change', () => {
    if (input.value === last) return;
    last = input.value;
    commit(input.value);
  });
}

const FAMILY_NAMES: Readonly<Record<RuleFamily, string>> = {
  doc: 'Notes and roles (doc/…)',
  section: 'Sections (section/…)',
  table: 'Table shape (table/…)',
  cell: 'Cell types (cell/…)',
  id: 'Row ids (id/…)',
  row: 'Row order and consistency (row/…)',
  link: 'Links (link/…)',
  guardrail: 'Guardrails (guardrail/…)',
};

function dateExample(pattern: string): string {
  const problem = dateFormatProblem(pattern);
  return problem === null ? `Entries get dates like ${format(new Date(2026, 10, 24, 14, 5), pattern)}.` : `Not a date format: ${problem}`;
}
