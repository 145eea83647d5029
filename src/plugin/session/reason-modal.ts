import { Modal, Notice, type App } from 'obsidian';

export interface ReasonOptions {
  /** What is ticked by hand: `item 2 (Relevant tests/probes run.)`, `G2 of P-4`. */
  what: string;
  /** The reason kept now, or null. */
  current: string | null;
  /** Keeps the reason (ticking by hand); false when nothing was written (the notice says why). */
  save(reason: string): Promise<boolean>;
}

/**
 * Asks why a tick is made by hand (README "Command line": `tick --reason T`, e.g. the justified exception of G2):
 * one text field, Enter or "Save reason" keeps it in the session note beside the tick.
 */
export class ReasonModal extends Modal {
  private input!: HTMLInputElement;
  private error!: HTMLElement;
  private busy = false;

  constructor(app: App, private readonly options: ReasonOptions) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    this.setTitle('Reason for the tick');
    contentEl.addClass('canon-reason-modal');
    const id = 'canon-tick-reason';
    const field = contentEl.createDiv({ cls: 'canon-entry-field' });
    field.createEl('label', { text: `Why is ${this.options.what} ticked by hand?`, attr: { for: id } });
    this.input = field.createEl('input', { attr: { id, type: 'text', 'aria-describedby': `${id}-error` } });
    this.input.value = this.options.current ?? '';
    this.error = field.createEl('small', { cls: 'canon-entry-error', attr: { id: `${id}-error`, role: 'alert', 'aria-live': 'polite' } });
    this.input.addEventListener('keydown', (event) => {
      if (event.key !== 'Enter' || event.isComposing) return;
      event.preventDefault();
      void this.save();
    });
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    buttons.createEl('button', { cls: 'mod-cta', text: 'Save reason', attr: { type: 'button' } }).addEventListener('click', () => void this.save());
    buttons.createEl('button', { text: 'Cancel', attr: { type: 'button' } }).addEventListener('click', () => this.close());
    this.input.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }

  private async save(): Promise<void> {
    if (this.busy) return;
    const reason = this.input.value.replace(/\s+/g, ' ').trim();
    if (reason === '') {
      this.error.setText('Enter a few words saying why the tick is made by hand.');
      return;
    }
    this.busy = true;
    try {
      if (await this.options.save(reason)) this.close();
      else this.error.setText('The reason was not saved; the notice says why.');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.error.setText(`The reason was not saved: ${message}`);
      new Notice(`Canon: saving the reason failed: ${message}`);
    } finally {
      this.busy = false;
    }
  }
}
