import { Modal, type App, Notice } from 'obsidian';
import type { ItemState } from '../../core';

/** Asks before a close with open checklist items, naming each one (SPEC §5); "Go back" has the focus. */
export class ConfirmCloseModal extends Modal {
  private busy = false;

  constructor(
    app: App,
    private readonly items: readonly ItemState[],
    private readonly confirm: () => Promise<void>,
  ) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl } = this;
    const n = this.items.length;
    this.setTitle('Close with open items?');
    contentEl.addClass('canon-confirm-close');
    contentEl.createEl('p', { text: `${n} checklist ${n === 1 ? 'item is' : 'items are'} not ticked:` });
    const list = contentEl.createEl('ul', { cls: 'canon-open-items' });
    for (const item of this.items) list.createEl('li', { text: `${item.n}. ${item.text}` });
    contentEl.createEl('p', { cls: 'canon-muted', text: 'Closing anyway lists them in the session note, with the risks and next checks.' });
    const buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    const close = buttons.createEl('button', { cls: 'mod-warning', text: 'Close anyway', attr: { type: 'button' } });
    close.addEventListener('click', () => {
      if (this.busy) return;
      this.busy = true;
      close.disabled = true;
      void this.confirm()
        .catch((error: unknown) => new Notice(`Canon could not close the session: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => this.close());
    });
    const back = buttons.createEl('button', { text: 'Go back', attr: { type: 'button' } });
    back.addEventListener('click', () => this.close());
    back.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }
}
