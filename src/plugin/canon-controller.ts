import { MarkdownView, Notice, type App, type Plugin } from 'obsidian';
import { existingCase, prepareNotePath } from './vault/vault-paths';
import { buildPrompt, describeChange, entryForm, idColumn, missingNotes, pathOf, renderMetaPrompt, ROLE_TITLES, tableFor, PHASE_A, type EditError, type EntryError, type EntryKind, type Diagnostic, type PromptSession, type Role, type RowChange, type StackModel } from '../core';
import type { CommandActions } from './commands';
import type { StackSnapshot } from './host';
import { EntryModal } from './entries/entry-modal';
import { RowSuggestModal, type RowChoice } from './entries/row-suggest-modal';
import { appendEntry, dryRun } from './entries/append-writer';
import { dryRunEdit, editRow, loadEditForm } from './entries/edit-writer';
import { fixAll, fixProblem, type FixOutcome } from './entries/fix-writer';
import type { LiveChecks } from './stack/live-checks';
import type { StackIndex } from './stack/stack-index';
import type { RowActions } from './stack/stack-view';
import { STACK_VIEW_TYPE } from './view-types';

/** The row as a form or a view last saw it: an edit of a row that has moved or changed since is refused. */
type SeenRow = { line: number; source: string };

/** The plugin's actions, as views, forms and commands see them (the CanonHost of README "The Obsidian plugin"). */
export class CanonController implements CommandActions, RowActions {
  live: LiveChecks | null = null;
  /** The objective the coder prompt is filled with: the open session's, once sessions are registered. */
  objective: () => Promise<string | null> = () => Promise.resolve(null);
  /** The open session the coder prompt carries (README "Command line"), once sessions are registered; null when none is open. */
  promptSession: () => Promise<PromptSession | null> = () => Promise.resolve(null);

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
    const session = await this.promptSession();
    const objective = session?.objective ?? (await this.objective());
    const filled = objective === null ? { notes } : { notes, objective };
    // The operating model's own prompt with the open session appended; the preset's when the stack cannot be read (config broken).
    await navigator.clipboard.writeText(result ? buildPrompt(result.model, { ...filled, session }).text : renderMetaPrompt(filled));
    if (session) new Notice('Coder prompt copied, with the open session.');
    else new Notice(objective === null ? 'Coder prompt copied.' : 'Coder prompt copied, with the session objective.');
  }

  /** "Edit row…": asks for a row id (every row with one, from the stack), then opens its form. */
  async openEditRow(): Promise<void> {
    const view = await this.index.view();
    if (typeof view === 'string') {
      new Notice(`Canon cannot read canon.config.json:\n${view}`);
      return;
    }
    const rows = rowChoices(this.index.load(view).model);
    if (rows.length === 0) {
      new Notice('No row can be edited yet: add a window, a decision or a packet first.');
      return;
    }
    new RowSuggestModal(this.app, rows, (row) => this.editRow(row.id)).open();
  }

  /** Opens the edit form of the row with this id, filled from the row as written. */
  editRow(id: string): void {
    this.showEditForm(id).catch((error: unknown) => new Notice(`Canon: cannot edit ${id}: ${error instanceof Error ? error.message : String(error)}`));
  }

  /**
   * Sets one cell of a row (a packet's Status from the stack view) through the edit's safe write;
   * true when it was written. Every failure is a notice.
   */
  async setRowCell(id: string, column: string, value: string, seen: SeenRow): Promise<boolean> {
    try {
      const outcome = await editRow(this.app, this.index, { id, sets: { [column]: value }, now: this.now(), expectRow: seen });
      if (!outcome.ok) {
        new Notice(`Canon: ${id} was not changed:\n${outcome.errors.map((e) => e.message).join('\n')}`);
        return false;
      }
      new Notice(changedNotice(id, outcome.changed, outcome.warnings));
      await this.validateNow();
      return true;
    } catch (error) {
      new Notice(`Canon: ${id} was not changed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Fixes one problem of the problem list (README "Fixes"); true when it was fixed, else a notice said why. */
  async fixProblem(problem: Diagnostic): Promise<boolean> {
    try {
      const outcome = await fixProblem(this.app, this.index, problem);
      new Notice(fixNotice(outcome));
      await this.validateNow();
      return typeof outcome !== 'string' && outcome.fixed.length > 0;
    } catch (error) {
      new Notice(`Canon: nothing was fixed: ${error instanceof Error ? error.message : String(error)}`);
      return false;
    }
  }

  /** Fixes every fixable problem of the stack, as `canon fix` does. */
  async fixAllProblems(): Promise<void> {
    const outcome = await fixAll(this.app, this.index);
    new Notice(fixNotice(outcome));
    await this.validateNow();
  }

  private async showEditForm(id: string): Promise<void> {
    const form = await loadEditForm(this.index, id);
    if (!form.ok) {
      new Notice(`Canon: cannot edit ${id}: ${form.message}`);
      return;
    }
    const initial = new Map(form.columns.map((c) => [c.name, c.value]));
    const seen: SeenRow = { line: form.line, source: form.source };
    // Only the cells the user changed are written: a cell someone else changed meanwhile is not set back.
    const changes = (fields: Record<string, string>): Record<string, string> =>
      Object.fromEntries(Object.entries(fields).filter(([name, value]) => value.trim() !== (initial.get(name) ?? '').trim()));
    new EntryModal(this.app, {
      title: `Edit ${form.id}`,
      submitText: 'Save',
      target: `${form.section} in ${form.path}, line ${form.line}`,
      columns: form.columns,
      check: async (fields) => {
        const sets = changes(fields);
        if (Object.keys(sets).length === 0) return [];
        const plan = await dryRunEdit(this.index, { id: form.id, sets, now: this.now(), expectRow: seen });
        return plan.ok ? [] : plan.errors;
      },
      submit: (fields) => this.submitEdit(form.id, changes(fields), seen),
    }).open();
  }

  private async submitEdit(id: string, sets: Record<string, string>, seen: SeenRow): Promise<EntryError[] | null> {
    if (Object.keys(sets).length === 0) {
      new Notice(`Nothing changed in ${id}.`);
      return null;
    }
    const outcome = await editRow(this.app, this.index, { id, sets, now: this.now(), expectRow: seen });
    if (!outcome.ok) {
      const n = outcome.errors.length;
      new Notice(outcome.cannotRun
        ? `Canon: ${id} was not changed:\n${outcome.errors.map((e) => e.message).join('\n')}`
        : `Canon: ${id} was not changed: ${n} problem${n === 1 ? '' : 's'}, shown in the form.`);
      return outcome.errors;
    }
    new Notice(changedNotice(id, outcome.changed, outcome.warnings));
    void this.validateNow().catch((error: unknown) => new Notice(`Canon: ${error instanceof Error ? error.message : String(error)}`));
    return null;
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
    const also = outcome.changed.map((c) => `\nAlso ${describeChange(c, false)}.`).join('');
    new Notice(`Added ${outcome.id ?? `a ${schema.entryName}`} to ${schema.section}.${also}${warnings}`);
    // The row is written: the form closes now, whatever opening the note or the re-check then meets.
    void this.openNote(outcome.path, outcome.line)
      .then(() => this.validateNow())
      .catch((error: unknown) => new Notice(`Canon: ${error instanceof Error ? error.message : String(error)}`));
    return null;
  }
}

function changedNotice(id: string, changed: readonly RowChange[], warnings: readonly EditError[]): string {
  if (changed.length === 0) return `Nothing changed in ${id}: it already holds these values.`;
  const lines = changed.map((c) => `\n${describeChange(c, false)}`).join('');
  return `Changed ${id}:${lines}${warnings.map((w) => `\n⚠ ${w.message}`).join('')}`;
}

/** What a fix did, as a notice: each fix's change, each refusal and failure with its reason. */
function fixNotice(outcome: FixOutcome | string): string {
  if (typeof outcome === 'string') return `Canon: nothing was fixed: ${outcome}`;
  const { fixed, refused, failed } = outcome;
  if (fixed.length === 0 && refused.length === 0 && failed.length === 0) return 'Canon: no fixable problems.';
  const notes = new Set(fixed.map((f) => f.path)).size;
  const lines = [
    fixed.length > 0 ? `Fixed ${fixed.length} problem${fixed.length === 1 ? '' : 's'} in ${notes} note${notes === 1 ? '' : 's'}:` : 'Canon: nothing was fixed.',
    ...fixed.map((f) => `${f.path} line ${f.line}: ${f.message}`),
    ...refused.map((r) => `Not fixed, ${r.fix.path} line ${r.fix.line}: ${r.reason}`),
    ...failed.map((m) => `Not written: ${m}`),
  ];
  return lines.join('\n');
}

/** Every row with an id in the stack, table by table, for the "Edit row…" suggester. */
function rowChoices(model: StackModel): RowChoice[] {
  const out: RowChoice[] = [];
  for (const bound of model.tables.values()) {
    const id = idColumn(bound.schema);
    if (id?.type.kind !== 'id' || !bound.table) continue;
    const idAt = bound.schema.columns.indexOf(id);
    const header = bound.table.header.cells.map((c) => c.text.trim());
    const textAt = bound.schema.kind === 'evidence' ? -1 : bound.schema.columns.findIndex((c) => c.type.kind === 'text');
    const cellText = (read: (typeof bound.rows)[number], name: string): string => read.row.cells[header.findIndex((h) => h.toLowerCase() === name.toLowerCase())]?.text ?? '';
    for (const read of bound.rows) {
      const n = read.values[idAt];
      if (typeof n !== 'number') continue;
      const summary = textAt >= 0
        ? (read.cells[textAt]?.text ?? '')
        : `${cellText(read, 'Start')} – ${cellText(read, 'End')}, ${cellText(read, 'Decision')}`;
      out.push({ id: `${id.type.prefix}-${n}`, section: bound.schema.section, summary });
    }
  }
  return out;
}
