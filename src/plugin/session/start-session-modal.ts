import { Modal, type App, Notice } from 'obsidian';
import type { EntryError } from '../../core';
import type { PacketChoice } from './session-choices';

/** What the start form gives: the objective, the scope lock, the packets picked, a new packet's fields (or null), the kinds of change. */
export interface StartInput {
  objective: string;
  /** The scope lock (operating model §4 step 1): one entry a line of each field. */
  inScope: string[];
  outOfScope: string[];
  packets: string[];
  /** A Work Packets row to add first, by column name; null when none is asked for. */
  newPacket: Record<string, string> | null;
  changes: string[];
}

/** The session note's path, or why nothing was started (errors of the new packet by column). */
export type StartOutcome =
  | { ok: true; path: string }
  | { ok: false; message: string; field?: 'objective'; errors: EntryError[] };

export interface StartSessionOptions {
  packets: PacketChoice[];
  /** The trigger matrix's kinds of change. */
  changes: string[];
  submit(input: StartInput): Promise<StartOutcome>;
}

/** The new packet's inputs: Work Packets columns (the id is the next one; Status is in-progress). */
const PACKET_FIELDS = [
  { column: 'Goal', label: 'Goal' },
  { column: 'Verification', label: 'Verification command' },
  { column: 'Expected Evidence', label: 'Expected evidence' },
] as const;

interface TextField {
  column: string;
  input: HTMLInputElement;
  error: HTMLElement;
}

/** The start form (README "Command line"): the objective, packets picked from Work Packets or one added, the kinds of change the session makes. */
export class StartSessionModal extends Modal {
  private objective!: TextField;
  private inScope!: HTMLTextAreaElement;
  private outOfScope!: HTMLTextAreaElement;
  private readonly packetBoxes: HTMLInputElement[] = [];
  private readonly changeBoxes: HTMLInputElement[] = [];
  private readonly packetFields: TextField[] = [];
  private general!: HTMLElement;
  private submitButton!: HTMLButtonElement;
  private busy = false;

  constructor(app: App, private readonly options: StartSessionOptions) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    this.setTitle('Start session');
    contentEl.addClass('canon-start-session');
    contentEl.createEl('p', {
      cls: 'canon-muted',
      text: 'The session note keeps the objective, the packets and what the canonical tables hold now, so the close checklist can tell what changed.',
    });
    const form = contentEl.createEl('form', { cls: 'canon-start-fields' });
    form.addEventListener('submit', (evt) => {
      evt.preventDefault();
      void this.submit();
    });
    this.objective = textField(form, 'canon-start-objective', 'Objective', 'Objective', 'What this session is for');
    this.renderPackets(form);
    this.renderNewPacket(form);
    // After the packets: Tab from the objective still lands on the first packet.
    this.renderScope(form);
    this.renderChanges(form);
    this.general = contentEl.createDiv({ cls: 'canon-entry-general', attr: { role: 'alert', 'aria-live': 'polite' } });
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    this.submitButton = buttons.createEl('button', { cls: 'mod-cta', text: 'Start session', attr: { type: 'button' } });
    this.submitButton.addEventListener('click', () => void this.submit());
    buttons.createEl('button', { text: 'Cancel', attr: { type: 'button' } }).addEventListener('click', () => this.close());
    this.scope.register([], 'Enter', (evt) => {
      // Enter on a button activates that button; in a text input it starts the session.
      if (!(evt.target instanceof HTMLInputElement) || evt.target.type !== 'text') return true;
      evt.preventDefault();
      void this.submit();
      return false;
    });
    this.objective.input.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }

  /** What the form holds now. */
  input(): StartInput {
    const fields: Record<string, string> = {};
    for (const f of this.packetFields) fields[f.column] = f.input.value.trim();
    const wantsPacket = Object.values(fields).some((v) => v !== '');
    return {
      objective: this.objective.input.value,
      inScope: lines(this.inScope.value),
      outOfScope: lines(this.outOfScope.value),
      packets: this.packetBoxes.filter((b) => b.checked).map((b) => b.value),
      newPacket: wantsPacket ? { ...fields, Status: 'in-progress' } : null,
      changes: this.changeBoxes.filter((b) => b.checked).map((b) => b.value),
    };
  }

  /** The scope lock: what is in scope and what is not, one entry a line (kept in the session note, shown in the pane). */
  private renderScope(form: HTMLElement): void {
    const set = form.createEl('fieldset', { cls: 'canon-start-scope' });
    set.createEl('legend', { text: 'Scope (optional, one entry a line)' });
    this.inScope = scopeField(set, 'canon-start-in-scope', 'In scope', 'What this session will change');
    this.outOfScope = scopeField(set, 'canon-start-out-of-scope', 'Out of scope', 'What it will not touch');
  }

  private renderPackets(form: HTMLElement): void {
    const set = form.createEl('fieldset', { cls: 'canon-start-packets' });
    set.createEl('legend', { text: 'Work packets' });
    if (this.options.packets.length === 0) {
      set.createEl('p', { cls: 'canon-muted', text: 'The implementation plan has no work packets yet; add one below.' });
      return;
    }
    for (const packet of this.options.packets) {
      const label = set.createEl('label', { cls: 'canon-check' });
      const box = label.createEl('input', { attr: { type: 'checkbox', value: packet.id } });
      label.createSpan({ text: `${packet.id}: ${packet.goal}` });
      if (packet.status !== '') label.createSpan({ cls: 'canon-muted', text: ` (${packet.status})` });
      this.packetBoxes.push(box);
    }
  }

  private renderNewPacket(form: HTMLElement): void {
    const set = form.createEl('fieldset', { cls: 'canon-start-new-packet' });
    set.createEl('legend', { text: 'New packet (optional)' });
    set.createEl('p', { cls: 'canon-muted', text: 'It goes into the implementation plan with the next packet number and the status in-progress, before the session starts.' });
    PACKET_FIELDS.forEach((f, i) => this.packetFields.push(textField(set, `canon-start-packet-${i}`, f.column, f.label, '')));
  }

  private renderChanges(form: HTMLElement): void {
    if (this.options.changes.length === 0) return;
    const set = form.createEl('fieldset', { cls: 'canon-start-changes' });
    set.createEl('legend', { text: 'This session changes (optional)' });
    for (const change of this.options.changes) {
      const label = set.createEl('label', { cls: 'canon-check' });
      this.changeBoxes.push(label.createEl('input', { attr: { type: 'checkbox', value: change } }));
      label.createSpan({ text: change });
    }
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.submitButton.disabled = true;
    try {
      const outcome = await this.options.submit(this.input());
      if (outcome.ok) {
        this.close();
        return;
      }
      this.showErrors(outcome);
    } catch (error) {
      new Notice(`Canon could not start the session: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
      this.submitButton.disabled = false;
    }
  }

  private showErrors(outcome: Extract<StartOutcome, { ok: false }>): void {
    const general: string[] = [];
    const byColumn = new Map<string, string[]>();
    for (const e of outcome.errors) {
      const field = this.packetFields.find((f) => f.column.toLowerCase() === e.column?.toLowerCase());
      if (field) byColumn.set(field.column, [...(byColumn.get(field.column) ?? []), e.message]);
      else general.push(e.message);
    }
    for (const f of this.packetFields) setError(f, (byColumn.get(f.column) ?? []).join('; '));
    setError(this.objective, outcome.field === 'objective' ? outcome.message : '');
    if (outcome.field !== 'objective') general.unshift(outcome.message);
    this.general.setText(general.join('\n'));
    const first = [this.objective, ...this.packetFields].find((f) => f.error.getText() !== '');
    first?.input.focus();
  }
}

function textField(parent: HTMLElement, id: string, column: string, label: string, placeholder: string): TextField {
  const row = parent.createDiv({ cls: 'canon-entry-field' });
  row.createEl('label', { text: label, attr: { for: id } });
  const input = row.createEl('input', { attr: { id, type: 'text', spellcheck: 'false', 'aria-describedby': `${id}-error` } });
  if (placeholder !== '') input.placeholder = placeholder;
  const error = row.createDiv({ cls: 'canon-entry-error', attr: { id: `${id}-error`, 'aria-live': 'polite' } });
  return { column, input, error };
}

function scopeField(parent: HTMLElement, id: string, label: string, placeholder: string): HTMLTextAreaElement {
  const row = parent.createDiv({ cls: 'canon-entry-field' });
  row.createEl('label', { text: label, attr: { for: id } });
  const area = row.createEl('textarea', { cls: 'canon-start-scope-input', attr: { id, rows: '2', spellcheck: 'false' } });
  area.placeholder = placeholder;
  return area;
}

/** The non-empty lines of a text. */
function lines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter((l) => l !== '');
}

function setError(field: TextField, message: string): void {
  field.error.setText(message);
  field.input.toggleClass('canon-invalid', message !== '');
  field.input.setAttr('aria-invalid', message !== '' ? 'true' : 'false');
}
