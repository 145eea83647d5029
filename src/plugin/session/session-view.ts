import { ItemView, type WorkspaceLeaf } from 'obsidian';
import { reportFailure } from '../report-failure';
import {
  findPacket, gateBlock, ladderItemMissing, matchLadderItem, packetRungs, pathOf, proveItem, readPackets, ROLE_TITLES, rungLine, RUNGS, verificationCommand,
  type AddedRow, type GateState, type ItemState, type SessionRef, type SessionReview, type StackModel,
} from '../../core';
import { ReasonModal } from './reason-modal';
import type { SessionController, SessionState } from './session-controller';
import { SESSION_VIEW_TYPE } from '../view-types';

/** How the core marks a gate ticked by hand (as opposed to proven by the vault). */
const BY_HAND = 'ticked by hand';

/** Proof links drawn at most per item. */
const MAX_PROOF_LINKS = 5;

/**
 * The session pane (README "The Obsidian plugin"): the open session's objective, its close checklist with the
 * vault's proofs, the trigger matrix's required updates, gates G1–G5 per packet, the guardrails,
 * and the start / close / copy actions. A thin renderer over the session controller's state (which
 * reuses the stack snapshot's model, so a redraw reads nothing); every ticking goes to the session note.
 */
export class SessionView extends ItemView {
  private rendered: SessionState | null = null;
  private unsubscribe: (() => void) | null = null;

  constructor(leaf: WorkspaceLeaf, readonly session: SessionController) {
    super(leaf);
  }

  override getViewType(): string {
    return SESSION_VIEW_TYPE;
  }

  override getDisplayText(): string {
    return 'Canon session';
  }

  override getIcon(): string {
    return 'list-checks';
  }

  override onOpen(): Promise<void> {
    this.contentEl.addClass('canon-session-view');
    this.stopListening();
    this.unsubscribe = this.session.onChange(() => this.render());
    this.register(() => this.stopListening());
    this.render();
    return Promise.resolve();
  }

  override onClose(): Promise<void> {
    this.stopListening();
    this.rendered = null;
    this.contentEl.empty();
    return Promise.resolve();
  }

  /** Redraws the pane from the controller's state; the same state is not drawn twice. Keeps the keyboard focus. */
  render(): void {
    const state = this.session.state();
    if (state === this.rendered) return;
    this.rendered = state;
    const focused = this.focusedKey();
    const root = this.contentEl;
    root.empty();
    if (!state.loaded) {
      root.createDiv({ cls: ['canon-placeholder', 'canon-muted'], text: 'Looking for an open session…' });
      return;
    }
    this.renderWarnings(root, state);
    if (state.session) this.renderSession(root, state, state.session);
    else this.renderNoSession(root);
    this.restoreFocus(focused);
  }

  private stopListening(): void {
    const off = this.unsubscribe;
    this.unsubscribe = null;
    off?.();
  }

  private renderWarnings(root: HTMLElement, state: SessionState): void {
    const lines = [
      ...state.problems.map((p) => `${p.path} is not a readable session note: ${p.problem}`),
      ...(state.others.length > 0 ? [`${state.others.length + 1} sessions are open; this pane shows the newest. Close the others: ${state.others.join(', ')}`] : []),
    ];
    if (state.configProblem !== null) lines.unshift(`The configuration is broken: ${state.configProblem}`);
    if (lines.length === 0) return;
    const callout = root.createDiv({ cls: ['canon-callout', 'canon-callout-warning'], attr: { role: 'alert' } });
    for (const line of lines) callout.createDiv({ cls: 'canon-callout-body', text: line });
  }

  private renderNoSession(root: HTMLElement): void {
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-empty'] });
    section.createDiv({ cls: 'canon-section-title', text: 'No session is open' });
    section.createDiv({
      cls: 'canon-muted',
      text: 'Start one to track the close checklist, the trigger matrix and the gates. Everything is kept in the session note.',
    });
    const actions = root.createDiv({ cls: ['canon-section', 'canon-session-actions'] });
    this.button(actions, 'start', 'Start session', true, reportFailure('start session', () => this.session.openStart()));
    this.copyButtons(actions);
  }

  private renderSession(root: HTMLElement, state: SessionState, ref: SessionRef): void {
    const { session } = ref;
    const header = root.createDiv({ cls: 'canon-session-header' });
    header.createDiv({ cls: 'canon-session-objective', text: session.objective });
    const meta = header.createDiv({ cls: ['canon-session-meta', 'canon-muted'] });
    meta.createSpan({ cls: 'canon-session-started', text: `Started ${session.started.replace('T', ' ')}` });
    meta.createSpan({ text: session.packets.length > 0 ? ` · packets ${session.packets.join(', ')}` : ' · no packets named' });
    this.renderScope(header, ref);
    this.link(header.createDiv(), 'note', 'Open the session note', () => this.session.openNote(ref.path));
    const { review, model } = state;
    if (!review || !model) {
      root.createDiv({ cls: ['canon-placeholder', 'canon-muted'], text: 'Checking the stack…' });
    } else {
      this.renderChecklist(root, review, model);
      this.renderRequired(root, review, ref);
      this.renderLadder(root, ref, model);
      this.renderGates(root, review);
      this.renderGuardrails(root, review);
    }
    const actions = root.createDiv({ cls: ['canon-section', 'canon-session-actions'] });
    this.button(actions, 'close', 'Close session', true, reportFailure('close session', () => this.session.openClose()));
    this.copyButtons(actions);
  }

  /** The scope lock given at start (what is in scope, what is not), as text. */
  private renderScope(header: HTMLElement, ref: SessionRef): void {
    const { inScope, outOfScope } = ref.session;
    if (inScope.length === 0 && outOfScope.length === 0) return;
    const scope = header.createEl('dl', { cls: 'canon-session-scope' });
    for (const [label, list, cls] of [['In scope', inScope, 'canon-session-in-scope'], ['Out of scope', outOfScope, 'canon-session-out-of-scope']] as const) {
      if (list.length === 0) continue;
      scope.createEl('dt', { text: label });
      const dd = scope.createEl('dd', { cls });
      const ul = dd.createEl('ul');
      for (const entry of list) ul.createEl('li', { text: entry });
    }
  }

  /**
   * Each session packet with its verification ladder (rungs with result, time and command), a
   * "Record result" form, and on the desktop app a "Run" button that asks before running the
   * packet's Verification command; then the "Attach packet" control.
   */
  private renderLadder(root: HTMLElement, ref: SessionRef, model: StackModel): void {
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-ladder'] });
    section.createDiv({ cls: 'canon-section-title', text: 'Packets and verification ladder' });
    section.createDiv({ cls: 'canon-muted', text: 'Unit/local check, integration/probe, operational snapshot. A failure resets the ladder: G1 needs a unit or integration pass after it, G2 an integration pass.' });
    const { packets, ladder } = ref.session;
    if (packets.length === 0) section.createDiv({ cls: 'canon-muted', text: 'The session names no packet yet: attach one below.' });
    for (const packet of packets) this.renderPacket(section, packet, packetRungs(ladder, packet), model);
    this.renderAttach(section, packets, model);
  }

  private renderPacket(section: HTMLElement, packet: string, rungs: ReturnType<typeof packetRungs>, model: StackModel): void {
    const box = section.createDiv({ cls: 'canon-session-packet', attr: { 'data-packet': packet, role: 'group', 'aria-label': `${packet} verification ladder` } });
    const row = findPacket(model, packet);
    box.createDiv({ cls: 'canon-session-packet-title', text: row ? `${packet}: ${row.goal}` : `${packet} (not in Work Packets)` });
    const command = row ? verificationCommand(row) : null;
    if (command !== null) box.createDiv({ cls: ['canon-session-packet-command', 'canon-muted'], text: `Verification: ${command}` });
    if (rungs.length === 0) box.createDiv({ cls: ['canon-session-rungs-empty', 'canon-muted'], text: 'No rung recorded yet.' });
    else {
      const list = box.createEl('ul', { cls: 'canon-session-rungs' });
      for (const rung of rungs) list.createEl('li', { cls: ['canon-session-rung', `is-${rung.result}`], text: rungLine(rung) });
    }
    this.renderRecordForm(box, packet);
  }

  /** Rung, result and note, then "Record result" (everywhere) and "Run" (desktop app only). */
  private renderRecordForm(box: HTMLElement, packet: string): void {
    const form = box.createEl('form', { cls: 'canon-session-record', attr: { 'aria-label': `Record a rung of ${packet}` } });
    const id = (what: string) => `canon-record-${packet}-${what}`;
    const rung = this.select(form, id('rung'), 'Rung', RUNGS.map((r) => [r, r]), `record:${packet}:rung`);
    const result = this.select(form, id('result'), 'Result', [['pass', 'pass'], ['fail', 'fail']], `record:${packet}:result`);
    const noteRow = form.createDiv({ cls: 'canon-session-record-field' });
    noteRow.createEl('label', { text: 'Note', attr: { for: id('note') } });
    const note = noteRow.createEl('input', { attr: { id: id('note'), type: 'text', 'data-canon-key': `record:${packet}:note` } });
    const buttons = form.createDiv({ cls: 'canon-session-record-buttons' });
    const record = buttons.createEl('button', { cls: 'canon-session-record-button', text: 'Record result', attr: { type: 'submit', 'data-canon-key': `action:record:${packet}` } });
    const submit = reportFailure('recording the result', async () => {
      record.disabled = true;
      try {
        await this.session.recordRung({ packet, rung: rung.value, result: result.value === 'fail' ? 'fail' : 'pass', note: note.value.trim() });
      } finally {
        record.disabled = false;
      }
    });
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      submit();
    });
    const offer = this.session.runOffer(packet);
    if (offer.ok) {
      const run = buttons.createEl('button', { cls: 'canon-session-run', text: 'Run', attr: { type: 'button', 'data-canon-key': `action:run:${packet}`, 'aria-label': `Run ${packet}'s verification command (asks first)`, title: offer.command } });
      run.addEventListener('click', reportFailure('running the verification command', () => this.session.openRun(packet, rung.value, note.value.trim())));
    } else if (this.session.canRun()) {
      buttons.createSpan({ cls: ['canon-session-run-unavailable', 'canon-muted'], text: offer.reason });
    }
  }

  /** A select with its label; `options` as [value, text]. */
  private select(parent: HTMLElement, id: string, label: string, options: readonly (readonly [string, string])[], key: string): HTMLSelectElement {
    const row = parent.createDiv({ cls: 'canon-session-record-field' });
    row.createEl('label', { text: label, attr: { for: id } });
    const select = row.createEl('select', { cls: 'dropdown', attr: { id, 'data-canon-key': key } });
    for (const [value, text] of options) select.createEl('option', { text, attr: { value } });
    return select;
  }

  /** The Work Packets rows not in the session, to attach one; or why there is none. */
  private renderAttach(section: HTMLElement, packets: readonly string[], model: StackModel): void {
    const others = readPackets(model).filter((p) => !packets.includes(p.id));
    const box = section.createDiv({ cls: 'canon-session-attach' });
    if (others.length === 0) {
      box.createDiv({ cls: 'canon-muted', text: 'Every Work Packets row is in the session; add a packet to the implementation plan to attach another.' });
      return;
    }
    const select = this.select(box, 'canon-attach-packet', 'Attach packet', others.map((p) => [p.id, `${p.id}: ${short(p.goal)}`]), 'attach:packet');
    const button = box.createEl('button', { cls: 'canon-session-attach-button', text: 'Attach packet', attr: { type: 'button', 'data-canon-key': 'action:attach' } });
    button.addEventListener('click', reportFailure('attaching the packet', () => this.session.attach([select.value])));
  }

  private renderChecklist(root: HTMLElement, review: SessionReview, model: StackModel): void {
    const { items } = review.status;
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-checklist'] });
    section.createDiv({ cls: 'canon-section-title', text: `Close checklist (${items.filter((i) => i.done).length} of ${items.length} done)` });
    if (review.checklist.source === 'preset') section.createDiv({ cls: 'canon-muted', text: 'The preset’s checklist: the operating model note has none.' });
    const list = section.createEl('ul', { cls: 'canon-session-items' });
    for (const item of items) this.renderItem(list, item, review, model);
  }

  private renderItem(list: HTMLElement, item: ItemState, review: SessionReview, model: StackModel): void {
    const li = list.createEl('li', { cls: ['canon-session-item', item.done ? 'is-done' : 'is-open'], attr: { 'data-by': item.by ?? 'open' } });
    const box = this.checkbox(li, `item:${item.n}`, item.text, item.done);
    if (item.by === 'vault') {
      box.disabled = true;
      const proof = li.createDiv({ cls: 'canon-session-proof' });
      proof.createSpan({ text: item.proof ?? '' });
      for (const row of proofRows(item, review, model)) {
        proof.appendText(' ');
        this.link(proof, `proof:${item.n}:${row.label}`, `Open ${row.label}`, () => this.session.openNote(row.path, row.line));
      }
      return;
    }
    box.addEventListener('change', reportFailure('ticking the item', () => this.session.toggleItem(item, !box.checked)));
    const hand = item.by === 'hand' ? (item.reason ? `Ticked by hand. Reason: ${item.reason}` : 'Ticked by hand.') : missingText(item, review, model, this.session.state().session);
    li.createDiv({ cls: ['canon-session-missing', 'canon-muted'], text: hand });
    if (item.by === 'hand') {
      this.reasonButton(li, `reason:item:${item.n}`, item.reason, `item ${item.n} (${item.text})`, (reason) => this.session.itemReason(item, reason));
    }
  }

  /** "Add reason…" / "Edit reason…" beside a hand tick: a small prompt whose reason goes into the session note beside the tick. */
  private reasonButton(parent: HTMLElement, key: string, current: string | undefined, what: string, save: (reason: string) => Promise<boolean>): void {
    const label = current ? 'Edit reason…' : 'Add reason…';
    const button = parent.createEl('button', { cls: ['canon-session-reason', 'mod-muted'], text: label, attr: { type: 'button', 'data-canon-key': key, 'aria-label': `${label.slice(0, -1)} for ${what}` } });
    button.addEventListener('click', reportFailure('asking for the reason', () => new ReasonModal(this.app, { what, current: current ?? null, save }).open()));
  }

  private renderRequired(root: HTMLElement, review: SessionReview, ref: SessionRef): void {
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-matrix'] });
    section.createDiv({ cls: 'canon-section-title', text: 'Required updates' });
    section.createDiv({ cls: 'canon-muted', text: 'Tick what this session changes; the trigger matrix says which notes must change with it.' });
    const marked = new Set(ref.session.changes.map((c) => c.trim().toLowerCase()));
    const required = new Map(review.status.required.map((r) => [r.change, r]));
    const list = section.createEl('ul', { cls: 'canon-session-changes' });
    review.matrix.rows.forEach((row, i) => {
      const need = required.get(row.change);
      const li = list.createEl('li', { cls: 'canon-session-change' });
      const box = this.checkbox(li, `change:${i}`, row.change, need !== undefined);
      if (need && !marked.has(row.change.trim().toLowerCase())) {
        box.disabled = true;
        li.createDiv({ cls: 'canon-muted', text: 'Shown by the vault (rows added this session).' });
      } else {
        box.addEventListener('change', reportFailure('marking the change', () => this.session.toggleChange(row.change, !box.checked)));
      }
      if (need) li.createDiv({ cls: ['canon-session-required', need.done ? 'is-done' : 'is-missing'], text: `${need.done ? 'Done' : 'Not done'}: ${need.update}` });
      else li.createDiv({ cls: ['canon-session-requires', 'canon-muted'], text: `Requires ${row.update}` });
    });
  }

  private renderGates(root: HTMLElement, review: SessionReview): void {
    const { gates, required } = review.status;
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-gates'] });
    section.createDiv({ cls: 'canon-section-title', text: 'Gates' });
    section.createDiv({ cls: 'canon-muted', text: 'G1 functional · G2 regression · G3 observability · G4 documentation · G5 rollout safety' });
    for (const packet of [...new Set(gates.map((g) => g.packet))]) {
      const row = section.createDiv({ cls: 'canon-session-gate-row', attr: { role: 'group', 'aria-label': packet === null ? 'Gates of the session' : `Gates of ${packet}` } });
      row.createSpan({ cls: 'canon-session-gate-packet', text: packet ?? 'Session' });
      for (const g of gates.filter((s) => s.packet === packet)) {
        const byVault = g.done && g.proof !== null && g.proof !== BY_HAND;
        const box = this.checkbox(row, `gate:${packet ?? ''}:${g.gate}`, g.gate, g.done, 'canon-session-gate');
        box.setAttr('aria-label', `${g.gate}${packet === null ? '' : ` of ${packet}`}${byVault ? `: ${g.proof ?? ''}` : ''}`);
        // G5 in breach, G4 with a required update open: a hand tick would be refused, so the box says why instead.
        const block = byVault || g.done ? null : gateBlock(g.gate, required, review.guardrails);
        if (byVault) box.disabled = true;
        else if (block) {
          box.disabled = true;
          box.title = block.message;
          box.setAttr('aria-description', block.message);
          // A disabled control gets no hover in some browsers: its label carries the tooltip too.
          box.parentElement?.setAttr('title', block.message);
          row.createSpan({ cls: ['canon-session-gate-blocked', 'canon-muted'], text: `${g.gate}: ${block.short}` });
        } else box.addEventListener('change', reportFailure('ticking the gate', () => this.session.toggleGate(g.gate, packet, !box.checked)));
      }
    }
    this.renderHandGates(section, gates);
    const proofs = new Map<string, string>();
    for (const g of gates) if (g.done && g.proof !== null && g.proof !== BY_HAND) proofs.set(g.gate, g.proof);
    if (proofs.size === 0) return;
    const list = section.createEl('ul', { cls: ['canon-session-gate-proofs', 'canon-muted'] });
    for (const [gate, proof] of proofs) list.createEl('li', { text: `${gate}: ${proof}` });
  }

  /** The gates ticked by hand, each with its reason and a button to give or change it. */
  private renderHandGates(section: HTMLElement, gates: readonly GateState[]): void {
    const hand = gates.filter((g) => g.done && g.proof === BY_HAND);
    if (hand.length === 0) return;
    const list = section.createEl('ul', { cls: 'canon-session-gate-hand' });
    for (const g of hand) {
      const what = `${g.gate}${g.packet === null ? '' : ` of ${g.packet}`}`;
      const li = list.createEl('li', { cls: 'canon-muted' });
      li.createSpan({ text: `${what}: ticked by hand${g.reason ? ` — ${g.reason}` : ''}` });
      this.reasonButton(li, `reason:gate:${g.packet ?? ''}:${g.gate}`, g.reason, what, (reason) => this.session.gateReason(g.gate, g.packet, reason));
    }
  }

  private renderGuardrails(root: HTMLElement, review: SessionReview): void {
    const section = root.createDiv({ cls: ['canon-section', 'canon-session-guardrails'] });
    section.createDiv({ cls: 'canon-section-title', text: 'Guardrails' });
    const { status, recommendation, reasons, triggers } = review.guardrails;
    const line = section.createDiv({ cls: 'canon-guardrail-status' });
    line.createSpan({ cls: ['canon-badge', `canon-status-${status}`], text: status });
    line.createSpan({ cls: 'canon-recommendation', text: `Recommendation: ${recommendation}` });
    if (triggers.length === 0) section.createDiv({ cls: 'canon-muted', text: 'No rollback triggers are written in the evidence log.' });
    if (reasons.length === 0) return;
    const list = section.createEl('ul', { cls: 'canon-reasons' });
    for (const reason of reasons) list.createEl('li', { text: reason });
  }

  private copyButtons(parent: HTMLElement): void {
    this.button(parent, 'copy', 'Copy coder prompt', false, reportFailure('copying the coder prompt', () => this.session.host.copyCoderPrompt()));
    this.button(parent, 'copy-short', 'Copy short coder prompt', false, reportFailure('copying the short coder prompt', () => this.session.copyShortPrompt()));
  }

  /** A real checkbox inside its label (so the text names it); `key` finds it again after a redraw. */
  private checkbox(parent: HTMLElement, key: string, text: string, checked: boolean, cls = 'canon-session-check'): HTMLInputElement {
    const label = parent.createEl('label', { cls: ['canon-check', cls] });
    const box = label.createEl('input', { attr: { type: 'checkbox', 'data-canon-key': key } });
    box.checked = checked;
    label.createSpan({ cls: 'canon-check-text', text });
    return box;
  }

  private button(parent: HTMLElement, key: string, text: string, cta: boolean, action: () => void): HTMLButtonElement {
    const button = parent.createEl('button', { cls: cta ? ['mod-cta', `canon-session-${key}`] : `canon-session-${key}`, text, attr: { type: 'button', 'data-canon-key': `action:${key}` } });
    button.addEventListener('click', action);
    return button;
  }

  private link(parent: HTMLElement, key: string, text: string, action: () => void): HTMLAnchorElement {
    const a = parent.createEl('a', { cls: 'canon-note-link', text, href: '#', attr: { 'data-canon-key': key } });
    a.addEventListener('click', (event) => {
      event.preventDefault();
      action();
    });
    return a;
  }

  private focusedKey(): string | null {
    const active = this.contentEl.ownerDocument.activeElement;
    return active instanceof HTMLElement && this.contentEl.contains(active) ? active.getAttribute('data-canon-key') : null;
  }

  private restoreFocus(key: string | null): void {
    if (key === null) return;
    const el = Array.from(this.contentEl.querySelectorAll<HTMLElement>('[data-canon-key]')).find((e) => e.getAttribute('data-canon-key') === key);
    el?.focus();
  }
}

/** The rows that prove an item: those added since the start to the note of the item's prover. */
function proofRows(item: ItemState, review: SessionReview, model: StackModel): AddedRow[] {
  const { role } = proveItem(item.text, review.changes, model.preset);
  const path = role ? pathOf(model, role) : null;
  if (path === null) return [];
  return [...review.changes.added.values()].flat().filter((r) => r.path === path).slice(0, MAX_PROOF_LINKS);
}

/** What an unticked item lacks: the rows its note should have gained, the ladder's rungs, or a hand tick. */
function missingText(item: ItemState, review: SessionReview, model: StackModel, ref: SessionRef | null): string {
  const { role } = proveItem(item.text, review.changes, model.preset);
  const ladder = role === null ? matchLadderItem(item.text, model.preset) : null;
  if (ladder && ref) return `${ladderItemMissing(ladder, { packets: ref.session.packets, rungs: ref.session.ladder }) ?? ''} Or tick by hand.`.trim();
  if (role === null) return 'Tick by hand when done.';
  const path = pathOf(model, role);
  const note = path === null ? `the ${ROLE_TITLES[role]} (no such note)` : noteName(path);
  const next = role === 'control-center' ? 'Closing the session adds a Status Log row.' : 'Tick by hand if it does not apply.';
  return `Missing: no row added to ${note} since the session started. ${next}`;
}

/** A select option's text is its width: a long goal is cut (the pane's packets show it whole). */
function short(text: string, max = 48): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

function noteName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1).replace(/\.md$/i, '');
}
