import { Modal, type App } from 'obsidian';
import type { CloseReason, CloseTexts } from '../../core';
import type { CloseOutcome } from './close-session';
import { ConfirmCloseModal, renderReasons } from './confirm-close-modal';

export interface CloseSessionOptions {
  objective: string;
  /** The reasons a close would be refused for now (null when the stack is not checked yet). */
  reasons: CloseReason[] | null;
  /** Closes the session; refuses with the close reasons unless `force`. */
  submit(texts: CloseTexts, force: boolean): Promise<CloseOutcome>;
}

/** The parts of the summary the operator may write (the output format of the operating model). */
const TEXTS: readonly { key: keyof CloseTexts; label: string; hint: string }[] = [
  { key: 'changed', label: 'What changed', hint: 'Also the Status Log row’s summary. Left empty, Canon sums up the checklist and the rows added.' },
  { key: 'verification', label: 'Verification commands and outcomes', hint: 'The checklist and gates are added below it.' },
  { key: 'evidence', label: 'Evidence captured', hint: 'The rollout windows added this session are listed below it.' },
  { key: 'risks', label: 'Risks and next checks', hint: 'Open items, missing updates and guardrail reasons are listed below it.' },
];

/**
 * The close form (README "Command line"): the reasons left, the summary's texts, then the close. A close with
 * reasons left is confirmed in a second modal that names each one and closes only on "Close anyway".
 */
export class CloseSessionModal extends Modal {
  private readonly inputs = new Map<keyof CloseTexts, HTMLTextAreaElement>();
  private general!: HTMLElement;
  private submitButton!: HTMLButtonElement;
  private busy = false;

  constructor(app: App, private readonly options: CloseSessionOptions) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    this.setTitle('Close session');
    contentEl.addClass('canon-close-session');
    contentEl.createEl('p', { cls: 'canon-close-objective', text: this.options.objective });
    const reasons = this.options.reasons;
    if (reasons && reasons.length > 0) {
      const box = contentEl.createDiv({ cls: 'canon-close-reasons-preview' });
      box.createEl('p', { cls: 'canon-muted', text: `${reasons.length} ${reasons.length === 1 ? 'reason is' : 'reasons are'} left; closing asks to confirm, and a forced close writes them down:` });
      renderReasons(box, reasons);
    }
    const form = contentEl.createDiv({ cls: 'canon-close-fields' });
    for (const text of TEXTS) {
      const id = `canon-close-${text.key}`;
      const row = form.createDiv({ cls: 'canon-entry-field' });
      row.createEl('label', { text: text.label, attr: { for: id } });
      const area = row.createEl('textarea', { attr: { id, rows: 3, 'aria-describedby': `${id}-hint` } });
      row.createEl('small', { cls: 'canon-entry-hint', text: text.hint, attr: { id: `${id}-hint` } });
      this.inputs.set(text.key, area);
    }
    this.general = contentEl.createDiv({ cls: 'canon-entry-general', attr: { role: 'alert', 'aria-live': 'polite' } });
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    this.submitButton = buttons.createEl('button', { cls: 'mod-cta', text: 'Close session', attr: { type: 'button' } });
    this.submitButton.addEventListener('click', () => void this.submit());
    buttons.createEl('button', { text: 'Cancel', attr: { type: 'button' } }).addEventListener('click', () => this.close());
    this.inputs.get('changed')?.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }

  /** The texts as typed (empty ones left out). */
  texts(): CloseTexts {
    const texts: CloseTexts = {};
    for (const [key, area] of this.inputs) if (area.value.trim() !== '') texts[key] = area.value;
    return texts;
  }

  private async submit(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    this.submitButton.disabled = true;
    try {
      const texts = this.texts();
      const outcome = await this.options.submit(texts, false);
      if (outcome.ok) this.close();
      else if (outcome.reason === 'blocked') this.confirm(texts, outcome.reasons);
      else this.general.setText(outcome.message);
    } catch (error) {
      this.general.setText(`Canon could not close the session: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      this.busy = false;
      this.submitButton.disabled = false;
    }
  }

  /** The second step: name each reason; "Close anyway" closes with them written into the session note and the Status Log row. */
  private confirm(texts: CloseTexts, reasons: CloseReason[]): void {
    new ConfirmCloseModal(this.app, reasons, async () => {
      const outcome = await this.options.submit(texts, true);
      if (outcome.ok) this.close();
      else this.general.setText(outcome.message);
    }).open();
  }
}
