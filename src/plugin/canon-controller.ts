import { MarkdownView, Notice, type App, type Plugin } from 'obsidian';
import { existingCase, prepareNotePath } from './stack/vault-paths';
import { entryForm, missingNotes, pathOf, renderMetaPrompt, ROLE_TITLES, tableFor, PHASE_A, type EntryError, type EntryKind, type Role } from '../core';
import type { CommandActions } from './commands/register-commands';
import type { StackSnapshot } from './host';
import { EntryModal } from './modals/entry-modal';
import { appendEntry, dryRun } from './stack/append-writer';
import type { LiveChecks } from './stack/live-checks';
import type { StackIndex } from './stack/stack-index';
import { STACK_VIEW_TYPE } from './views/stack-view';

/** The plugin's actions, as views, forms and commands see them (the CanonHost of SPEC §5). */
export class CanonController implements CommandActions {
  live: LiveChecks | null = null;
  /** The objective the coder prompt is filled with: the open session's, once sessions are registered. */
  objective: () => Promise<string | null> = () => Promise.resolve(null);

  constructor(
    readonly app: App,
    private readonly plugin: Plugin,
    readonly index: StackIndex,
    private readonly now: () => Date = () => new Date(),
  ) {}

  snapshot(): StackSnapshot {
    return this.index.snapshot();
  }

  onSnapshot(callback: (snapshot: StackSnapshot) => void): () => void {
    return this.index.onSnapshot(callback);
  }

  async validateNow(): Promise<void> {
    this.live?.cancel();
    await this.index.refresh();
  }

  async openNote(path: string, line?: number): Promise<void> {
    const file = this.app.vault.getFileByPath(path);
    if (!file) {
      new Notice(`${path} is not in the vault.`);
      return;
    }
    const leaf = this.app.workspace.getLeaf(false);
    await leaf.openFile(file, line === undefined ? { active: true } : { active: true, eState: { line: line - 1 } });
    if (line !== undefined && leaf.view instanceof MarkdownView) {
      const editor = leaf.view.editor;
      const pos = { line: Math.min(line - 1, editor.lineCount() - 1), ch: 0 };
      editor.setCursor(pos);
      editor.scrollIntoView({ from: pos, to: pos }, true);
    }
  }

  async openRole(role: Role): Promise<void> {
    const snapshot = this.index.result() ?? (await this.index.refresh()).result;
    const path = snapshot ? pathOf(snapshot.model, role) : null;
    if (path === null) {
      new Notice(`No ${ROLE_TITLES[role]} note yet. Run "Create the missing notes of the stack" to make one.`);
      return;
    }
    await this.openNote(path);
  }

  async createMissingNotes(): Promise<void> {
    const result = (await this.index.refresh()).result;
    if (!result) {
      new Notice(`Canon cannot read canon.config.json:\n${this.index.configProblem ?? ''}`);
      return;
    }
    const created: string[] = [];
    for (const note of missingNotes(result.docs, this.index.config)) {
      if (this.app.vault.getAbstractFileByPath(existingCase(this.app, note.path))) continue;
      const path = await prepareNotePath(this.app, note.path);
      await this.app.vault.create(path, note.text);
      created.push(path);
    }
    new Notice(created.length === 0 ? 'Every canonical note exists already.' : `Created ${created.join(', ')}.`);
    await this.validateNow();
  }

  openEntryForm(kind: EntryKind): void {
    void this.showEntryForm(kind);
  }

  async activateStackView(): Promise<void> {
    const { workspace } = this.app;
    let leaf = workspace.getLeavesOfType(STACK_VIEW_TYPE)[0] ?? null;
    if (!leaf) {
      leaf = workspace.getRightLeaf(false);
      if (!leaf) return;
      await leaf.setViewState({ type: STACK_VIEW_TYPE, active: true });
    }
    await workspace.revealLeaf(leaf);
  }

  async copyCoderPrompt(): Promise<void> {
    const result = this.index.result() ?? (await this.index.refresh()).result;
    const notes: Partial<Record<Role, string>> = {};
    for (const doc of result?.docs ?? []) if (doc.path !== null) notes[doc.role] = doc.path.split('/').pop() ?? doc.path;
    const objective = await this.objective();
    await navigator.clipboard.writeText(renderMetaPrompt(objective === null ? { notes } : { notes, objective }));
    new Notice(objective === null ? 'Coder prompt copied.' : 'Coder prompt copied, with the session objective.');
  }

  private async showEntryForm(kind: EntryKind): Promise<void> {
    const view = await this.index.view();
    if (typeof view === 'string') {
      new Notice(`Canon cannot read canon.config.json:\n${view}`);
      return;
    }
    const schema = tableFor(PHASE_A, kind);
    const form = entryForm(this.index.load(view).model, kind, this.now());
    if (form.path === null) {
      new Notice(`No ${ROLE_TITLES[schema.role]} note to add a ${schema.entryName} to. Run "Create the missing notes of the stack" first.`);
      return;
    }
    new EntryModal(this.app, {
      title: `Add ${schema.entryName}`,
      target: `${schema.section} in ${form.path}`,
      columns: form.columns,
      check: async (fields) => {
        const plan = await dryRun(this.index, kind, fields, this.now());
        return plan.ok ? [] : plan.errors;
      },
      submit: (fields) => this.submitEntry(kind, fields),
    }).open();
  }

  private async submitEntry(kind: EntryKind, fields: Record<string, string>): Promise<EntryError[] | null> {
    const outcome = await appendEntry(this.app, this.index, kind, fields, this.now());
    if (!outcome.ok) {
      if (outcome.cannotRun) new Notice(outcome.errors.map((e) => e.message).join('\n'));
      return outcome.errors;
    }
    const schema = tableFor(PHASE_A, kind);
    const warnings = outcome.warnings.map((w) => `\n⚠ ${w.message}`).join('');
    new Notice(`Added ${outcome.id ?? `a ${schema.entryName}`} to ${schema.section}.${warnings}`);
    // The row is written: the form closes now, whatever opening the note or the re-check then meets.
    void this.openNote(outcome.path, outcome.line)
      .then(() => this.validateNow())
      .catch((error: unknown) => new Notice(`Canon: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}
