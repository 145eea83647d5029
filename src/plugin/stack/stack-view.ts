import { ItemView, Notice, setTooltip, type WorkspaceLeaf } from 'obsidian';
import {
  REQUIRED_ROLES, ROLE_TITLES,
  type CheckResult, type Diagnostic, type GuardrailReport, type Severity, type StackDoc, type StackModel, type TriggerResult, type TriggerRow,
  idColumn,
  isFixable,
  ruleDocUrl,
  metricInfo,
  rowIdAt,
  round2,
} from '../../core';
import type { CanonHost, StackSnapshot } from '../host';
import { buildGuardrailChart } from '../guardrails/guardrail-chart';
import { renderGuardrailChart } from '../guardrails/render-chart';
import { problemSummary } from './status-bar';
import { STACK_VIEW_TYPE } from '../view-types';


/** Problems drawn at most; the rest are counted, so a huge vault keeps the pane responsive. */
export const MAX_PROBLEM_ROWS = 200;

/** Work packets drawn at most (the newest); the earlier ones are counted. */
export const MAX_PACKET_ROWS = 100;

/**
 * What the view asks of the plugin to change rows (the controller has both; a host without them
 * gets a view without edit buttons and with packet statuses as text).
 */
export interface RowActions {
  /** Opens the edit form of the row with this id. */
  editRow(id: string): void;
  /** Writes one cell of a row as the view saw it (its line and text); true when written, else a notice said why. */
  setRowCell(id: string, column: string, value: string, seen: { line: number; source: string }): Promise<boolean>;
  /** Fixes one problem (README "Fixes"); true when fixed, else a notice said why. */
  fixProblem(problem: Diagnostic): Promise<boolean>;
  /** Fixes every fixable problem, as `canon fix` does. */
  fixAllProblems(): Promise<void>;
}

type Counts = Record<Severity, number>;

/** How the view is shown. */
export interface StackViewOptions {
  /** The problem count in the view's title, where there is no status bar to show it (mobile). */
  countInTitle?: boolean;
}

/** The stack view (README "The Obsidian plugin"): roles and their notes, guardrails with a chart, problems. A thin renderer over the host's snapshot. */
export class StackView extends ItemView {
  private rendered: StackSnapshot | null = null;
  /** The guardrails section as last drawn, and what it was drawn from (a check after a keystroke in a Notes cell changes none of it). */
  private guardrailsDrawn: { el: HTMLElement; from: readonly unknown[] } | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(
    leaf: WorkspaceLeaf,
    private readonly host: CanonHost & Partial<RowActions>,
    private readonly options: StackViewOptions = {},
  ) {
    super(leaf);
  }

  override getViewType(): string {
    return STACK_VIEW_TYPE;
  }

  /** "Canon stack", or "Canon stack: 2 errors" where the title stands in for the status bar. */
  override getDisplayText(): string {
    const summary = this.options.countInTitle ? problemSummary(this.rendered ?? this.host.snapshot()) : null;
    return summary === null ? 'Canon stack' : `Canon stack: ${summary}`;
  }

  override getIcon(): string {
    return 'layers';
  }

  override onOpen(): Promise<void> {
    this.contentEl.addClass('canon-stack-view');
    this.stopListening();
    const off = this.host.onSnapshot((snapshot) => this.render(snapshot));
    this.unsubscribe = off;
    this.register(() => this.stopListening());
    this.render(this.host.snapshot());
    return Promise.resolve();
  }

  override onClose(): Promise<void> {
    this.stopListening();
    this.rendered = null;
    this.guardrailsDrawn = null;
    this.contentEl.empty();
    return Promise.resolve();
  }

  /** Redraws the pane from a snapshot; the same snapshot object is not drawn twice. */
  render(snapshot: StackSnapshot): void {
    if (snapshot === this.rendered) return;
    const title = this.getDisplayText();
    this.rendered = snapshot;
    // The tab's title follows (the leaf's updateHeader is not in Obsidian's typed API: called when there).
    if (this.options.countInTitle && this.getDisplayText() !== title) (this.leaf as unknown as { updateHeader?: () => void }).updateHeader?.();
    const root = this.contentEl;
    // A control that had the focus (a packet's status just changed) has it again after the redraw.
    const active = root.ownerDocument.activeElement;
    const focusKey = active && root.contains(active) ? active.getAttribute('data-canon-focus') : null;
    // Kept out of the emptying: drawn again only if what it shows changed (a chart of many windows is most of a redraw).
    this.guardrailsDrawn?.el.detach();
    root.empty();
    this.draw(root, snapshot);
    if (focusKey !== null) {
      const again = Array.from(root.querySelectorAll<HTMLElement>('[data-canon-focus]')).find((el) => el.getAttribute('data-canon-focus') === focusKey);
      again?.focus();
    }
  }

  private draw(root: HTMLElement, snapshot: StackSnapshot): void {
    this.renderHeader(root, snapshot);
    if (snapshot.configProblem !== null) {
      const callout = root.createDiv({ cls: ['canon-callout', 'canon-callout-error'], attr: { role: 'alert' } });
      callout.createDiv({ cls: 'canon-callout-title', text: 'The configuration is broken' });
      callout.createDiv({ cls: 'canon-callout-body', text: snapshot.configProblem });
      callout.createDiv({ cls: 'canon-muted', text: 'Nothing is checked until canon.config.json is fixed.' });
      return;
    }
    if (snapshot.result === null) {
      root.createDiv({ cls: ['canon-placeholder', 'canon-muted'], text: 'Checking the stack…' });
      return;
    }
    const result = snapshot.result;
    this.renderRoles(root, result);
    this.renderGuardrails(root, snapshot, result);
    // After the guardrails, so Tab still goes from the notes to the triggers.
    this.renderPackets(root, result);
    this.renderProblems(root, result.diagnostics, result.model);
    this.renderAddButtons(root, result);
  }

  private stopListening(): void {
    const off = this.unsubscribe;
    this.unsubscribe = null;
    off?.();
  }

  private renderHeader(root: HTMLElement, snapshot: StackSnapshot): void {
    const header = root.createDiv({ cls: 'canon-stack-header' });
    const summary = header.createDiv({ cls: 'canon-stack-summary' });
    const result = snapshot.result;
    if (snapshot.configProblem !== null) {
      summary.createSpan({ cls: 'canon-severity-error', text: 'Configuration error' });
    } else if (result === null) {
      summary.createSpan({ cls: 'canon-muted', text: 'Not checked yet' });
    } else {
      renderCounts(summary, result.counts, 'No problems');
      summary.createSpan({ cls: ['canon-muted', 'canon-checked-at'], text: `Checked ${clock(snapshot.checkedAt)}` });
    }
    const validate = header.createEl('button', { cls: 'canon-validate', text: 'Validate' });
    validate.addEventListener('click', () => {
      validate.disabled = true;
      this.host.validateNow()
        .catch((error: unknown) => new Notice(`Canon: validation failed: ${String(error)}`))
        .finally(() => (validate.disabled = false));
    });
  }

  private renderRoles(root: HTMLElement, result: CheckResult): void {
    const section = root.createDiv({ cls: 'canon-section' });
    section.createDiv({ cls: 'canon-section-title', text: 'Notes' });
    const byPath = countByPath(result.diagnostics);
    const list = section.createDiv({ cls: 'canon-roles' });
    for (const doc of result.docs) this.renderRole(list, doc, byPath);
    const missing = result.docs.some((d) => d.path === null && REQUIRED_ROLES.includes(d.role));
    if (missing) {
      const create = section.createEl('button', { cls: ['mod-cta', 'canon-create-missing-all'], text: 'Create missing notes' });
      create.addEventListener('click', () => this.createMissing());
    }
  }

  private renderRole(list: HTMLElement, doc: StackDoc, byPath: Map<string, Counts>): void {
    const row = list.createDiv({ cls: 'canon-role', attr: { 'data-role': doc.role } });
    const required = REQUIRED_ROLES.includes(doc.role);
    row.createSpan({ cls: 'canon-role-title', text: capitalize(ROLE_TITLES[doc.role]) });
    const path = doc.path;
    if (path === null) {
      row.addClass(required ? 'canon-role-missing' : 'canon-role-optional');
      const create = row.createEl('button', { cls: 'canon-create-missing', text: 'Missing — create' });
      create.setAttr('aria-label', `Create the ${ROLE_TITLES[doc.role]} note`);
      create.addEventListener('click', () => this.createMissing());
      return;
    }
    const link = row.createEl('a', { cls: 'canon-note-link', text: noteName(path), attr: { title: path } });
    actionable(link, 'link', () => this.open(path));
    const counts = byPath.get(path);
    if (counts) renderCounts(row, counts, null);
  }

  private renderGuardrails(root: HTMLElement, snapshot: StackSnapshot, result: CheckResult): void {
    const logPath = result.docs.find((d) => d.role === 'evidence-log')?.path ?? null;
    const from = [snapshot.guardrails, snapshot.windows, snapshot.triggers, logPath];
    const drawn = this.guardrailsDrawn;
    if (drawn && drawn.from.every((x, i) => x === from[i])) {
      root.appendChild(drawn.el);
      return;
    }
    const section = root.createDiv({ cls: 'canon-section' });
    this.guardrailsDrawn = { el: section, from };
    section.createDiv({ cls: 'canon-section-title', text: 'Guardrails' });
    const report = snapshot.guardrails;
    if (report === null) {
      section.createDiv({ cls: 'canon-muted', text: 'No evidence log, so no guardrails.' });
      return;
    }
    const status = section.createDiv({ cls: 'canon-guardrail-status' });
    status.createSpan({ cls: ['canon-badge', `canon-status-${report.status}`], text: report.status });
    status.createSpan({ cls: 'canon-recommendation', text: `Recommendation: ${report.recommendation}` });
    if (report.reasons.length > 0) {
      const reasons = section.createEl('ul', { cls: 'canon-reasons' });
      for (const reason of report.reasons) reasons.createEl('li', { text: reason });
    }
    this.renderTriggers(section, report, snapshot.triggers, logPath);
    if (snapshot.windows.length === 0) {
      section.createDiv({ cls: 'canon-muted', text: 'No rollout windows yet.' });
      return;
    }
    renderGuardrailChart(section, buildGuardrailChart(snapshot.windows, snapshot.triggers, report));
  }

  private renderTriggers(parent: HTMLElement, report: GuardrailReport, rows: readonly TriggerRow[], logPath: string | null): void {
    if (report.triggers.length === 0) return;
    const byLine = new Map(rows.map((r) => [r.line, r]));
    const list = parent.createDiv({ cls: 'canon-triggers' });
    for (const t of report.triggers) {
      const row = list.createDiv({ cls: ['canon-trigger', `canon-status-${t.status}`], attr: { title: t.message } });
      row.createSpan({ cls: ['canon-badge', `canon-status-${t.status}`], text: t.status });
      row.createSpan({ cls: 'canon-trigger-name', text: t.trigger || t.metric });
      row.createSpan({ cls: ['canon-trigger-value', 'canon-muted'], text: triggerValue(t, byLine.get(t.line)) });
      if (logPath !== null) actionable(row, 'button', () => this.open(logPath, t.line));
    }
  }

  /**
   * The Work Packets table in brief: each packet's id (opens the plan at its row), goal, a status
   * dropdown that writes the Status cell through the edit's safe write, and an Edit button.
   */
  private renderPackets(root: HTMLElement, result: CheckResult): void {
    const bound = result.model.tables.get('packet');
    if (!bound?.table) return;
    const schema = bound.schema;
    const idCol = idColumn(schema);
    if (idCol?.type.kind !== 'id') return;
    const prefix = idCol.type.prefix;
    const [idAt, goalAt, statusAt] = [schema.columns.indexOf(idCol), schema.columns.findIndex((c) => c.name === 'Goal'), schema.columns.findIndex((c) => c.name === 'Status')];
    const statusType = schema.columns[statusAt]?.type;
    const statusHeader = bound.table.header.cells[bound.columnAt[statusAt] ?? -1]?.text.trim() ?? 'Status';
    const section = root.createDiv({ cls: ['canon-section', 'canon-packets'] });
    section.createDiv({ cls: 'canon-section-title', text: 'Work packets' });
    const packets = bound.rows.filter((r) => typeof r.values[idAt] === 'number');
    if (packets.length === 0) {
      section.createDiv({ cls: 'canon-muted', text: 'No work packets yet.' });
      return;
    }
    const list = section.createDiv({ cls: 'canon-packet-list' });
    const hidden = packets.length - MAX_PACKET_ROWS;
    if (hidden > 0) list.createDiv({ cls: ['canon-packets-more', 'canon-muted'], text: `And ${hidden} earlier` });
    const path = bound.path;
    const text = bound.note.text;
    for (const read of packets.slice(Math.max(0, hidden))) {
      const id = `${prefix}-${read.values[idAt] as number}`;
      const row = list.createDiv({ cls: 'canon-packet', attr: { 'data-packet': id } });
      const link = row.createSpan({ cls: 'canon-packet-id', text: id });
      const line = read.row.line;
      actionable(link, 'link', () => this.open(path, line));
      setTooltip(link, `Open ${id} at its row`);
      const goal = read.cells[goalAt]?.text ?? '';
      row.createSpan({ cls: 'canon-packet-goal', text: goal, attr: { title: goal } });
      const current = read.cells[statusAt]?.raw ?? '';
      const seen = { line, source: text.slice(read.row.from, read.row.to) };
      const setCell = this.host.setRowCell?.bind(this.host);
      if (statusType?.kind === 'enum' && setCell && !read.malformed) {
        this.renderStatusSelect(row, id, statusType.values, current, (value) => setCell(id, statusHeader, value, seen));
      } else {
        row.createSpan({ cls: ['canon-packet-status', 'canon-muted'], text: current });
      }
      this.renderEditButton(row, id);
    }
  }

  private renderStatusSelect(row: HTMLElement, id: string, values: readonly string[], current: string, write: (value: string) => Promise<boolean>): void {
    const select = row.createEl('select', { cls: ['dropdown', 'canon-packet-status'], attr: { 'aria-label': `Status of ${id}`, 'data-canon-focus': `status:${id}` } });
    const shown = values.find((v) => v.toLowerCase() === current.trim().toLowerCase()) ?? current;
    if (shown === '') select.createEl('option', { text: '', value: '' });
    for (const value of values) select.createEl('option', { text: value, value });
    // A cell that reads as no listed status is shown as it is (choosing a listed one fixes it).
    if (shown !== '' && !values.includes(shown)) select.createEl('option', { text: shown, value: shown });
    select.value = shown;
    select.addEventListener('change', () => {
      const value = select.value;
      if (value === shown) return;
      select.setAttr('aria-busy', 'true');
      write(value)
        .then((ok) => {
          // Not written (a notice said why): the dropdown shows the cell as it still is.
          if (!ok) select.value = shown;
        })
        .catch((error: unknown) => {
          select.value = shown;
          new Notice(`Canon: ${id} was not changed: ${String(error)}`);
        })
        .finally(() => select.removeAttribute('aria-busy'));
    });
  }

  /** An "Edit" button for the row with this id (when the host can edit rows): keyboard-reachable, with a tooltip. */
  private renderEditButton(parent: HTMLElement, id: string, text = 'Edit'): void {
    const editRow = this.host.editRow?.bind(this.host);
    if (!editRow) return;
    sideButton(parent, 'canon-edit-row', text, `Edit ${id}`, () => editRow(id)).setAttr('data-canon-focus', `edit:${id}`);
  }


  private renderProblems(root: HTMLElement, diagnostics: readonly Diagnostic[], model: StackModel): void {
    const section = root.createDiv({ cls: 'canon-section' });
    const title = section.createDiv({ cls: 'canon-section-title', text: `Problems (${diagnostics.length})` });
    if (diagnostics.length === 0) {
      section.createDiv({ cls: 'canon-muted', text: 'The stack checks clean.' });
      return;
    }
    const fixable = this.host.fixAllProblems ? diagnostics.filter(isFixable).length : 0;
    if (fixable > 1) this.renderActionButton(title, 'canon-fix-all', `Fix all (${fixable})`, 'Fix every fixable problem, as canon fix does', () => this.host.fixAllProblems?.());
    const list = section.createDiv({ cls: 'canon-problems' });
    let budget = MAX_PROBLEM_ROWS;
    for (const [path, group] of groupByPath(diagnostics)) {
      if (budget <= 0) break;
      const block = list.createDiv({ cls: 'canon-problem-group' });
      block.createDiv({ cls: 'canon-problem-note', text: path, attr: { title: path } });
      for (const d of group.slice(0, budget)) this.renderProblem(block, d, model);
      budget -= Math.min(budget, group.length);
    }
    const hidden = diagnostics.length - MAX_PROBLEM_ROWS;
    if (hidden > 0) list.createDiv({ cls: ['canon-problems-more', 'canon-muted'], text: `And ${hidden} more` });
  }

  private renderProblem(parent: HTMLElement, d: Diagnostic, model: StackModel): void {
    // A problem on a row with an id gets an "Edit row" button beside it (not inside: the row is a button itself).
    const id = this.host.editRow && d.rule !== 'doc/missing' ? rowIdAt(model, d.path, d.line) : null;
    const fix = this.host.fixProblem && isFixable(d) ? this.host.fixProblem.bind(this.host) : null;
    const holder = parent.createDiv({ cls: 'canon-problem-line' });
    const row = holder.createDiv({ cls: ['canon-problem', `canon-severity-${d.severity}`], attr: { 'data-severity': d.severity } });
    row.createSpan({ cls: 'canon-problem-severity', text: d.severity });
    row.createSpan({ cls: 'canon-problem-text', text: `Line ${d.line}: ${d.message} (${d.rule})` });
    // A missing note's problem points at where the note is expected; there is nothing to open yet.
    if (d.rule !== 'doc/missing') actionable(row, 'button', () => this.open(d.path, d.line));
    if (id !== null) this.renderEditButton(holder, id, 'Edit row');
    if (fix) this.renderActionButton(holder, 'canon-fix', 'Fix', `Fix: ${d.message}`, () => fix(d));
    // The rule's page (what it checks and how to fix it): a link of its own, beside the row like the buttons.
    const doc = holder.createEl('a', { cls: 'canon-rule-doc', text: '?', href: ruleDocUrl(d.rule), attr: { target: '_blank', rel: 'noopener' } });
    setTooltip(doc, `About ${d.rule}`);
  }

  /** A button beside a problem or a title; disabled while its action runs. */
  private renderActionButton(parent: HTMLElement, cls: string, text: string, tooltip: string, action: () => Promise<unknown> | undefined): void {
    const button = sideButton(parent, ['canon-edit-row', cls], text, tooltip, () => {
      button.disabled = true;
      Promise.resolve(action())
        .catch((error: unknown) => new Notice(`Canon: nothing was fixed: ${error instanceof Error ? error.message : String(error)}`))
        .finally(() => {
          button.disabled = false;
        });
    });
  }


  private renderAddButtons(root: HTMLElement, result: CheckResult): void {
    const tables = result.model.preset.tables;
    if (tables.length === 0) return;
    const row = root.createDiv({ cls: ['canon-section', 'canon-add-entries'] });
    for (const table of tables) {
      const button = row.createEl('button', { cls: 'canon-add-entry', text: `Add ${table.entryName}` });
      button.addEventListener('click', () => this.host.openEntryForm(table.kind));
    }
  }

  private open(path: string, line?: number): void {
    this.host.openNote(path, line).catch((error: unknown) => new Notice(`Canon: cannot open ${path}: ${String(error)}`));
  }

  private createMissing(): void {
    this.host.createMissingNotes().catch((error: unknown) => new Notice(`Canon: cannot create the missing notes: ${String(error)}`));
  }
}

/**
 * A button beside a row that opens the note on a click (not inside it, so both stay reachable with
 * Tab): its click and its Enter or Space are its own alone.
 */
function sideButton(parent: HTMLElement, cls: string | string[], text: string, tooltip: string, action: () => void): HTMLButtonElement {
  const button = parent.createEl('button', { cls, text, attr: { type: 'button' } });
  setTooltip(button, tooltip);
  button.addEventListener('click', (event) => {
    event.stopPropagation();
    event.preventDefault();
    action();
  });
  button.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' || event.key === ' ') event.stopPropagation();
  });
  return button;
}

/** Makes an element act on click and on Enter or Space, and reachable with Tab. */
function actionable(el: HTMLElement, role: 'button' | 'link', action: () => void): void {
  el.addClass('canon-clickable');
  el.setAttr('role', role);
  el.setAttr('tabindex', '0');
  el.addEventListener('click', (event) => {
    event.preventDefault();
    action();
  });
  el.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter' && event.key !== ' ') return;
    event.preventDefault();
    action();
  });
}

function renderCounts(parent: HTMLElement, counts: Counts, none: string | null): void {
  const parts: [Severity, string][] = [['error', 'error'], ['warning', 'warning'], ['info', 'info']];
  const shown = parts.filter(([severity]) => counts[severity] > 0);
  if (shown.length === 0) {
    if (none !== null) parent.createSpan({ cls: ['canon-count', 'canon-count-none'], text: none });
    return;
  }
  const box = parent.createSpan({ cls: 'canon-counts' });
  for (const [severity, word] of shown) {
    const n = counts[severity];
    box.createSpan({ cls: ['canon-count', `canon-severity-${severity}`], text: `${n} ${word}${n === 1 || severity === 'info' ? '' : 's'}` });
  }
}

function countByPath(diagnostics: readonly Diagnostic[]): Map<string, Counts> {
  const out = new Map<string, Counts>();
  for (const d of diagnostics) {
    let counts = out.get(d.path);
    if (!counts) out.set(d.path, (counts = { error: 0, warning: 0, info: 0 }));
    counts[d.severity]++;
  }
  return out;
}

function groupByPath(diagnostics: readonly Diagnostic[]): Map<string, Diagnostic[]> {
  const out = new Map<string, Diagnostic[]>();
  for (const d of diagnostics) {
    const group = out.get(d.path);
    if (group) group.push(d);
    else out.set(d.path, [d]);
  }
  return out;
}

/** `4.09% (> 10%)`: the observed value against the trigger's condition as written; `unknown` when not evaluated. */
function triggerValue(t: TriggerResult, row: TriggerRow | undefined): string {
  if (t.observed === null) return 'unknown';
  const unit = row?.metric ? metricInfo(row.metric).unit : '';
  const condition = row?.conditionText ? ` (${row.conditionText})` : '';
  return `${round2(t.observed)}${unit}${condition}`;
}

function noteName(path: string): string {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name.replace(/\.md$/i, '');
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function clock(date: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return Number.isNaN(date.getTime()) ? '' : `${pad(date.getHours())}:${pad(date.getMinutes())}`;
}
