import { Modal, type App } from 'obsidian';

/** What the run gave, as the modal shows it (text only). */
export interface RunReport {
  ok: boolean;
  /** One sentence: `Recorded P-4 unit: fail (exit 1 in 0.3 s) in …`, or why nothing was recorded. */
  message: string;
  /** The output's last lines. */
  tail: string[];
}

export interface RunModalOptions {
  packet: string;
  rung: string;
  command: string;
  /** The folder the command runs in. */
  cwd: string;
  /** How long it may run, in words (`10 min`). */
  limit: string;
  /** Runs the command and records the rung; called only after the explicit click on "Run". */
  run(): Promise<RunReport>;
}

/**
 * Asks before running a packet's verification command (desktop only): the exact command and the
 * folder, and "Run" only on an explicit click — the focus starts on "Cancel", so Enter never runs it.
 * Then shows the outcome and the output's last lines, as text.
 */
export class RunCommandModal extends Modal {
  private started = false;
  private body!: HTMLElement;
  private buttons!: HTMLElement;

  constructor(app: App, private readonly options: RunModalOptions) {
    super(app);
  }

  override onOpen(): void {
    const { contentEl, options } = this;
    this.setTitle('Run the verification command?');
    contentEl.addClass('canon-run-modal');
    this.body = contentEl.createDiv({ cls: 'canon-run-body' });
    this.body.createEl('p', { text: `Canon will run this command in a shell on this computer and record the outcome as the ${options.rung} rung of ${options.packet}:` });
    this.body.createEl('pre', { cls: 'canon-run-command', text: options.command });
    const where = this.body.createEl('p', { cls: 'canon-run-folder' });
    where.appendText('In the folder ');
    where.createEl('code', { text: options.cwd });
    where.appendText(`; it is stopped after ${options.limit}.`);
    this.body.createEl('p', { cls: 'canon-muted', text: 'Only run commands you trust: this one comes from the implementation plan, which anyone who edits the vault can change.' });
    this.buttons = contentEl.createDiv({ cls: 'modal-button-container' });
    const run = this.buttons.createEl('button', { cls: ['mod-warning', 'canon-run-confirm'], text: 'Run', attr: { type: 'button' } });
    const cancel = this.buttons.createEl('button', { text: 'Cancel', attr: { type: 'button' } });
    run.addEventListener('click', () => void this.runNow(run));
    cancel.addEventListener('click', () => this.close());
    cancel.focus();
  }

  override onClose(): void {
    this.contentEl.empty();
  }

  private async runNow(button: HTMLButtonElement): Promise<void> {
    if (this.started) return;
    this.started = true;
    button.disabled = true;
    const status = this.body.createEl('p', { cls: 'canon-run-status', text: 'Running…', attr: { role: 'status', 'aria-live': 'polite' } });
    let report: RunReport;
    try {
      report = await this.options.run();
    } catch (error) {
      report = { ok: false, message: `The command could not be run: ${error instanceof Error ? error.message : String(error)}`, tail: [] };
    }
    status.setText(report.message);
    status.toggleClass('canon-run-failed', !report.ok);
    if (report.tail.length > 0) {
      this.body.createEl('p', { text: `Output (last ${report.tail.length} ${report.tail.length === 1 ? 'line' : 'lines'}):` });
      this.body.createEl('pre', { cls: 'canon-run-output', text: report.tail.join('\n') });
    } else this.body.createEl('p', { cls: 'canon-muted', text: 'No output.' });
    this.buttons.empty();
    const close = this.buttons.createEl('button', { cls: 'mod-cta', text: 'Close', attr: { type: 'button' } });
    close.addEventListener('click', () => this.close());
    close.focus();
  }
}
