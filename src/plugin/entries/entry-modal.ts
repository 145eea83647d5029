import { Modal, type App } from 'obsidian';
import { describeType, type ColumnSchema, type EntryError } from '../../core';

/** One input of the form: the header text, its schema column (absent for a column the schema lacks), the default. */
export interface FormColumn {
  name: string;
  column: ColumnSchema | undefined;
  value: string;
  /** A value the column takes (`> 10%`), shown as the input's placeholder and in its hint. */
  example?: string | null;
  /** Shown, not editable (an edited row's id). */
  readOnly?: boolean;
}

/** What the form needs from the plugin: a dry run for live errors, and the write. */
export interface EntryFormOptions {
  /** "Add evidence window", "Edit W-12". */
  title: string;
  /** The submit button's text (default "Add"). */
  submitText?: string;
  /** Where the row goes, shown under the title. */
  target: string;
  columns: FormColumn[];
  /** The problems the entry has now (nothing written). */
  check(fields: Record<string, string>): Promise<EntryError[]>;
  /** Writes the entry; the problems when nothing was written, else null. */
  submit(fields: Record<string, string>): Promise<EntryError[] | null>;
  /** How long typing pauses before the live check runs. */
  checkDelayMs?: number;
}

interface Field {
  spec: FormColumn;
  input: HTMLInputElement | HTMLSelectElement;
  error: HTMLElement;
  touched: boolean;
}

/** The entry form (README "The Obsidian plugin"): one input per column, enums as dropdowns, defaults filled, errors inline before anything is written. */
export class EntryModal extends Modal {
  private readonly fields: Field[] = [];
  private general!: HTMLElement;
  private submitButton!: HTMLButtonElement;
  private timer: number | null = null;
  private busy = false;
  private generation = 0;

  constructor(
    app: App,
    private readonly options: EntryFormOptions,
  ) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    this.setTitle(this.options.title);
    contentEl.addClass('canon-entry-form');
    contentEl.createEl('p', { cls: 'canon-entry-target', text: this.options.target });
    this.general = contentEl.createDiv({ cls: 'canon-entry-general', attr: { role: 'alert', 'aria-live': 'polite' } });
    const form = contentEl.createEl('form', { cls: 'canon-entry-fields' });
    form.addEventListener('submit', (evt) => {
      evt.preventDefault();
      void this.submit();
    });
    this.options.columns.forEach((spec, i) => this.fields.push(this.renderField(form, spec, i)));
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    this.submitButton = buttons.createEl('button', { cls: 'mod-cta', text: this.options.submitText ?? 'Add', attr: { type: 'button' } });
    this.submitButton.addEventListener('click', () => void this.submit());
    const cancel = buttons.createEl('button', { text: 'Cancel', attr: { type: 'button' } });
    cancel.addEventListener('click', () => this.close());
    this.scope.register([], 'Enter', (evt) => {
      // Enter on a button activates that button; anywhere else it submits the form.
      if (evt.target instanceof HTMLButtonElement) return true;
      evt.preventDefault();
      void this.submit();
      return false;
    });
    this.fields.find((f) => !f.spec.readOnly)?.input.focus();
  }

  override onClose(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.generation++;
    this.contentEl.empty();
  }

  /**
   * The values as typed, by column name. An id left at the default the form opened with goes empty,
   * so the write takes the next id as the note is then: a row someone added meanwhile keeps its id.
   * A read-only field (an edited row's id) is not a value.
   */
  values(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const f of this.fields) {
      if (f.spec.readOnly) continue;
      const defaultId = f.spec.column?.type.kind === 'id' && f.spec.value !== '' && f.input.value.trim() === f.spec.value;
      out[f.spec.name] = defaultId ? '' : f.input.value;
    }
    return out;
  }

  private renderField(form: HTMLElement, spec: FormColumn, i: number): Field {
    const id = `canon-entry-${i}`;
    const row = form.createDiv({ cls: 'canon-entry-field' });
    const label = row.createEl('label', { text: spec.name, attr: { for: id } });
    const type = spec.column?.type;
    const example = spec.example ?? null;
    // The type (an enum's values are its dropdown), and a value it takes: `a condition such as > 10%`.
    const described = type ? describeType(type) : 'a column Canon does not know; kept as text';
    const hint = spec.readOnly
      ? `${described}; cannot be changed: other rows and notes refer to the row by it`
      : example !== null && type?.kind !== 'enum' && !described.includes(example) ? `${described}; e.g. ${example}` : described;
    const optional = spec.column?.optional === true;
    if (optional) label.createSpan({ cls: 'canon-entry-optional', text: ' (optional)' });
    let input: HTMLInputElement | HTMLSelectElement;
    if (type?.kind === 'enum') {
      const select = row.createEl('select', { cls: 'dropdown', attr: { id } });
      if (optional || spec.value === '') select.createEl('option', { text: '', value: '' });
      for (const value of type.values) select.createEl('option', { text: value, value });
      // A cell that reads otherwise (`Accepted`, a typo) is offered as it is, so opening a row's form changes nothing.
      if (spec.value !== '' && !type.values.includes(spec.value)) select.createEl('option', { text: spec.value, value: spec.value });
      select.value = spec.value;
      select.disabled = spec.readOnly === true;
      input = select;
    } else {
      input = row.createEl('input', { attr: { id, type: 'text', spellcheck: 'false' } });
      input.value = spec.value;
      if (spec.name.toLowerCase() === 'fallback rate') input.placeholder = 'Computed from missions and fallbacks';
      else if (example !== null) input.placeholder = `e.g. ${example}`;
      if (spec.readOnly) {
        input.readOnly = true;
        input.setAttr('aria-readonly', 'true');
      }
    }
    const hintId = `${id}-hint`;
    const errorId = `${id}-error`;
    row.createEl('small', { cls: 'canon-entry-hint', text: hint, attr: { id: hintId } });
    const error = row.createDiv({ cls: 'canon-entry-error', attr: { id: errorId, 'aria-live': 'polite' } });
    input.setAttr('aria-describedby', `${hintId} ${errorId}`);
    const field: Field = { spec, input, error, touched: false };
    const onEdit = (): void => {
      field.touched = true;
      this.scheduleCheck();
    };
    input.addEventListener('input', onEdit);
    input.addEventListener('change', onEdit);
    return field;
  }

  private scheduleCheck(): void {
    if (this.timer !== null) window.clearTimeout(this.timer);
    this.timer = window.setTimeout(() => {
      this.timer = null;
      void this.runCheck(false);
    }, this.options.checkDelayMs ?? 200);
  }

  /** Runs the dry run and shows its errors (on touched fields only, unless `all`). */
  private async runCheck(all: boolean): Promise<EntryError[]> {
    const generation = ++this.generation;
    const errors = await this.options.check(this.values());
    if (generation === this.generation) this.showErrors(errors, all);
    return errors;
  }

  private showErrors(errors: EntryError[], all: boolean): void {
    const byColumn = new Map<string, string[]>();
    const general: string[] = [];
    for (const e of errors) {
      const field = e.column === null ? undefined : this.fieldFor(e.column);
      if (!field) general.push(e.message);
      else byColumn.set(field.spec.name, [...(byColumn.get(field.spec.name) ?? []), e.message]);
    }
    for (const f of this.fields) {
      const messages = all || f.touched ? (byColumn.get(f.spec.name) ?? []) : [];
      f.error.setText(messages.join('; '));
      f.input.toggleClass('canon-invalid', messages.length > 0);
      f.input.setAttr('aria-invalid', messages.length > 0 ? 'true' : 'false');
    }
    this.general.setText(general.join('\n'));
  }

  private fieldFor(column: string): Field | undefined {
    const key = column.trim().toLowerCase();
    return this.fields.find((f) => f.spec.name.trim().toLowerCase() === key || f.spec.column?.name.toLowerCase() === key);
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.submitButton.disabled = true;
    if (this.timer !== null) window.clearTimeout(this.timer);
    try {
      this.generation++;
      const errors = await this.options.submit(this.values());
      if (errors === null) {
        this.close();
        return;
      }
      this.showErrors(errors, true);
      const first = this.fields.find((f) => f.error.getText() !== '');
      first?.input.focus();
    } catch (error) {
      this.general.setText(`Nothing was written: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
      this.submitButton.disabled = false;
    }
  }
}
