import { Notice, parseYaml, TFile, type App, type CachedMetadata, type Plugin } from 'obsidian';
import { existingCase, prepareNotePath } from '../vault/vault-paths';
import {
  applyEdits,
  findPacket,
  outputTail,
  planAttach,
  planClose,
  planStart,
  planTick,
  planVerify,
  readSessionNote,
  renderShortMetaPrompt,
  reviewSession,
  seconds,
  verificationCommand,
  verifyTarget,
  type CloseReason,
  type CloseTexts,
  type ItemState,
  type RunOutcome,
  type SessionRef,
  type SessionReview,
  type StackModel,
  type TextEdit,
  type TickRequest,
  buildPrompt, promptSessionOf, type PromptSession,
} from '../../core';
import type { CanonController } from '../canon-controller';
import { StartSessionModal, type StartInput, type StartOutcome } from './start-session-modal';
import { appendEntry } from '../entries/append-writer';
import type { StackIndex } from '../stack/stack-index';
import { SESSION_VIEW_TYPE } from '../view-types';
import { CloseSessionModal } from './close-session-modal';
import { closeSession, type CloseOutcome } from './close-session';
import { packetChoices, triggerKinds } from './session-choices';
import { SessionNotes } from './session-notes';
import { writeNote } from '../vault/note-writer';
import { desktopRunner, RUN_TIMEOUT_MS, vaultFolder, type CommandRunner } from './run-command';
import { RunCommandModal, type RunReport } from './run-modal';

/** One rung recorded from the pane's "Record result" form. */
export interface RungInput {
  packet: string;
  rung: string;
  result: 'pass' | 'fail';
  note?: string;
}

/** Why "Run" cannot be offered for a packet (mobile, no folder, no command), or the command and folder. */
export type RunOffer = { ok: true; command: string; cwd: string } | { ok: false; reason: string };

/** What the session pane shows: computed from the session note and the latest stack snapshot, never from a vault read. */
export interface SessionState {
  /** False until the session notes were first read (after the layout is ready). */
  loaded: boolean;
  /** The open session (the newest when several are open). */
  session: SessionRef | null;
  /** The other open sessions' paths (one is expected; README "Command line"). */
  others: string[];
  /** Session notes whose frontmatter cannot be read, with the reason. */
  problems: { path: string; problem: string }[];
  /** The stack the review was made on: the snapshot's; null before the first check or with a broken config. */
  model: StackModel | null;
  configProblem: string | null;
  /** Null without an open session or a model. */
  review: SessionReview | null;
}

/**
 * The operating loop in Obsidian (README "Command line"): finds the open session, reviews it on every stack
 * snapshot and every change of the session note, ticks by hand, starts and closes sessions. Holds no
 * state of its own beyond caches: everything lives in the session note, so nothing is lost when
 * Obsidian closes mid-session.
 */
export class SessionController {
  private readonly notes = new SessionNotes();
  private readonly listeners = new Set<() => void>();
  private loading: Promise<void> | null = null;
  private loaded = false;
  private cached: SessionState | null = null;

  constructor(
    readonly app: App,
    readonly index: StackIndex,
    readonly host: CanonController,
    private readonly now: () => Date = () => new Date(),
    /** The shell runner: the desktop app's (Node through `window.require`, at run time only), none on mobile. */
    private readonly runner: () => CommandRunner | null = desktopRunner,
  ) {}

  /** Listens to the vault and the stack (cleaned up by the plugin's unload) and reads the session notes. */
  start(plugin: Plugin): void {
    const { vault, metadataCache } = this.app;
    plugin.registerEvent(metadataCache.on('changed', (file, data, cache) => this.noteChanged(file.path, data, cache)));
    plugin.registerEvent(metadataCache.on('deleted', (file) => this.noteGone(file.path)));
    plugin.registerEvent(vault.on('rename', (file, oldPath) => {
      this.noteGone(oldPath);
      if (file instanceof TFile) void this.readIfCandidate(file);
    }));
    plugin.register(this.index.onSnapshot(() => this.invalidate()));
    void this.ensureLoaded();
  }

  /** Calls back whenever the state may have changed; returns the unsubscribe function. */
  onChange(callback: () => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  /** The state now; the review is computed on first use after a change (no vault read). */
  state(): SessionState {
    if (this.cached) return this.cached;
    const found = this.notes.sessions();
    const [session = null, ...others] = found.open;
    const snapshot = this.index.snapshot();
    const model = snapshot.result?.model ?? null;
    const review = session && model ? reviewSession(model, session.path, session.session) : null;
    this.cached = { loaded: this.loaded, session, others: others.map((o) => o.path), problems: found.problems, model, configProblem: snapshot.configProblem, review };
    return this.cached;
  }

  /** Reads the session notes once (later changes arrive as events). */
  ensureLoaded(): Promise<void> {
    this.loading ??= this.load();
    return this.loading;
  }

  /** The open session's objective, or null. */
  async objective(): Promise<string | null> {
    await this.ensureLoaded();
    return this.state().session?.session.objective ?? null;
  }

  /** Ticks or unticks a checklist item by hand (the item as the pane shows it). */
  async toggleItem(item: ItemState, undo: boolean): Promise<boolean> {
    const current = this.state().review?.status.items.find((i) => i.n === item.n);
    if (current?.text !== item.text) {
      new Notice('Canon: the checklist changed meanwhile; nothing was ticked.');
      this.invalidate();
      return false;
    }
    return this.tick({ kind: 'item', n: item.n, undo });
  }

  /** Ticks or unticks a gate of one packet (or of the session without packets). */
  toggleGate(gate: string, packet: string | null, undo: boolean): Promise<boolean> {
    return this.tick(packet === null ? { kind: 'gate', gate, undo } : { kind: 'gate', gate, packet, undo });
  }

  /** Sets the reason of an item ticked by hand (ticking it when it is not yet). */
  itemReason(item: ItemState, reason: string): Promise<boolean> {
    return this.tick({ kind: 'item', n: item.n, undo: false, reason });
  }

  /** Sets the reason of a gate ticked by hand (ticking it when it is not yet). */
  gateReason(gate: string, packet: string | null, reason: string): Promise<boolean> {
    return this.tick(packet === null ? { kind: 'gate', gate, undo: false, reason } : { kind: 'gate', gate, packet, undo: false, reason });
  }

  /** Marks or unmarks a kind of change of the trigger matrix (its "If you change…" text). */
  toggleChange(change: string, undo: boolean): Promise<boolean> {
    return this.tick({ kind: 'change', change, undo });
  }

  /** Adds Work Packets rows to the open session (its baseline stays the start's). */
  async attach(packets: readonly string[]): Promise<boolean> {
    const message = await this.writeSession('nothing was attached', (model, ref) => {
      const plan = planAttach(model, ref, packets);
      if (!plan.ok) return plan;
      return { ok: true, edits: plan.edits, message: [plan.added.length > 0 ? `Attached ${plan.added.join(', ')}.` : `${plan.already.join(', ')} already in the session.`, ...plan.warnings].join(' ') };
    });
    if (message !== null) new Notice(`Canon: ${message}`);
    return message !== null;
  }

  /** Records one rung of the verification ladder as given in the pane's form (no command is run). */
  async recordRung(input: RungInput): Promise<boolean> {
    const message = await this.writeSession('nothing was recorded', (_model, ref) => {
      const plan = planVerify(ref, { packet: input.packet, rung: input.rung, result: input.result, now: this.now(), ...(input.note ? { note: input.note } : {}) }, parseYaml);
      return plan.ok ? { ok: true, edits: plan.edits, message: plan.message } : plan;
    });
    if (message !== null) new Notice(`Canon: ${message}`);
    return message !== null;
  }

  /** Whether commands can run here at all (the desktop app; never on mobile). */
  canRun(): boolean {
    return this.runner() !== null;
  }

  /** Whether "Run" can be offered for a packet: desktop, a vault folder on disk, a Verification command. */
  runOffer(packet: string): RunOffer {
    if (!this.runner()) return { ok: false, reason: 'Commands run on the desktop app only.' };
    const cwd = vaultFolder(this.app);
    if (cwd === null) return { ok: false, reason: 'The vault’s folder on disk is not known here, so nothing can run.' };
    const model = this.state().model;
    const row = model ? findPacket(model, packet) : undefined;
    const command = row ? verificationCommand(row) : null;
    if (command === null) return { ok: false, reason: `${packet} has no Verification command in Work Packets.` };
    return { ok: true, command, cwd };
  }

  /** Asks (the exact command and folder), then on the explicit click runs the packet's Verification command and records the rung. */
  openRun(packet: string, rung: string, note?: string): void {
    const offer = this.runOffer(packet);
    const runner = this.runner();
    if (!offer.ok || !runner) {
      new Notice(`Canon: ${offer.ok ? 'commands run on the desktop app only' : offer.reason}`);
      return;
    }
    const session = this.state().session;
    const target = session ? verifyTarget(session.session, packet, rung) : { ok: false as const, message: 'no session is open' };
    if (!target.ok) {
      new Notice(`Canon: ${target.message}`);
      return;
    }
    new RunCommandModal(this.app, {
      packet: target.packet, rung: target.rung, command: offer.command, cwd: offer.cwd, limit: seconds(RUN_TIMEOUT_MS).replace(/ 00 s$/, ''),
      run: () => this.runAndRecord(runner, { packet: target.packet, rung: target.rung, command: offer.command, cwd: offer.cwd, note }),
    }).open();
  }

  /** Runs the command (after the confirmation) and records its outcome as the rung. */
  private async runAndRecord(runner: CommandRunner, input: { packet: string; rung: string; command: string; cwd: string; note: string | undefined }): Promise<RunReport> {
    const result = await runner.run(input.command, input.cwd, RUN_TIMEOUT_MS);
    const run: RunOutcome = { command: input.command, cwd: input.cwd, exit: result.exit, ms: result.ms, timedOut: result.timedOut, tail: outputTail(result.output) };
    const message = await this.writeSession('the outcome was not recorded', (_model, ref) => {
      const plan = planVerify(ref, { packet: input.packet, rung: input.rung, run, now: this.now(), ...(input.note ? { note: input.note } : {}) }, parseYaml);
      return plan.ok ? { ok: true, edits: plan.edits, message: plan.message } : plan;
    });
    const passed = run.exit === 0 && !run.timedOut;
    return { ok: message !== null && passed, message: message ?? `The command ${passed ? 'passed' : 'failed'}, but its outcome was not recorded (the notice says why).`, tail: run.tail };
  }

  /**
   * One write of the open session note, planned again inside the write on its text as it is then;
   * the message of the plan, or null (after a notice saying why nothing was written).
   */
  private async writeSession(nothing: string, plan: (model: StackModel, ref: SessionRef) => { ok: true; edits: TextEdit[]; message: string } | { ok: false; message: string }): Promise<string | null> {
    const { session, model } = this.state();
    if (!session || !model) {
      new Notice(session ? 'Canon: the stack is not checked yet; try again in a moment.' : 'Canon: no session is open.');
      return null;
    }
    const path = session.path;
    let message = '';
    const result = await writeNote(this.app, path, (text) => {
      const read = readSessionNote(text, parseYaml);
      if (!read.ok) return { ok: false, message: `${path}: ${read.problem}` };
      if (read.session.status !== 'open') return { ok: false, message: `${path} is closed` };
      const planned = plan(model, { path, text, session: read.session });
      if (!planned.ok) return planned;
      message = planned.message;
      return { ok: true, edits: planned.edits };
    });
    if (!result.ok) {
      new Notice(`Canon: ${nothing}: ${result.message}`);
      this.invalidate();
      return null;
    }
    this.keep(path, result.text);
    return message;
  }

  /** One hand tick: one frontmatter edit of the session note, planned again inside the write. */
  async tick(request: TickRequest): Promise<boolean> {
    const { session, model } = this.state();
    if (!session || !model) {
      new Notice(session ? 'Canon: the stack is not checked yet; try again in a moment.' : 'Canon: no session is open.');
      return false;
    }
    const path = session.path;
    const result = await writeNote(this.app, path, (text) => {
      const read = readSessionNote(text, parseYaml);
      if (!read.ok) return { ok: false, message: `${path}: ${read.problem}` };
      if (read.session.status !== 'open') return { ok: false, message: `${path} is closed` };
      const plan = planTick(model, { path, text, session: read.session }, request);
      return plan.ok ? { ok: true, edits: plan.edits } : plan;
    });
    if (!result.ok) {
      new Notice(`Canon: nothing was ticked: ${result.message}`);
      this.invalidate();
      return false;
    }
    this.keep(path, result.text);
    return true;
  }

  /** Opens the start form (objective, packets, kinds of change); refuses while a session is open. */
  async openStart(): Promise<void> {
    await this.ensureLoaded();
    const open = this.state().session;
    if (open) {
      new Notice(`A session is already open: ${open.path}. Close it before starting another.`);
      return;
    }
    const result = this.index.result() ?? (await this.index.refresh()).result;
    if (!result) {
      new Notice(`Canon cannot read canon.config.json:\n${this.index.configProblem ?? ''}`);
      return;
    }
    new StartSessionModal(this.app, {
      packets: packetChoices(result.model),
      changes: triggerKinds(result.model),
      submit: (input) => this.startSession(input),
    }).open();
  }

  /** Starts a session: the new packet first (when asked for), then the session note with its baseline. */
  async startSession(input: StartInput): Promise<StartOutcome> {
    await this.ensureLoaded();
    const objective = input.objective.replace(/\s+/g, ' ').trim();
    if (objective === '') return { ok: false, message: 'Enter the objective: what the session is for.', field: 'objective', errors: [] };
    const open = this.notes.sessions().open;
    if (open[0]) return { ok: false, message: `A session is already open: ${open[0].path}. Close it first.`, errors: [] };
    let added: { path: string; line: number } | null = null;
    if (input.newPacket) {
      const outcome = await appendEntry(this.app, this.index, 'packet', input.newPacket, this.now());
      if (!outcome.ok) return { ok: false, message: outcome.cannotRun ? outcome.errors.map((e) => e.message).join('\n') : 'The new packet was not added.', errors: outcome.errors };
      added = outcome;
    }
    const view = await this.index.view();
    if (typeof view === 'string') return { ok: false, message: `Canon cannot read canon.config.json:\n${view}`, errors: [] };
    const { model } = this.index.load(view);
    const packets = [...input.packets];
    const newId = added ? packetChoices(model).find((p) => p.line === added.line)?.id : undefined;
    if (newId !== undefined) packets.push(newId);
    const now = this.now();
    const plan = planStart(model, { objective, packets, inScope: input.inScope, outOfScope: input.outOfScope, now }, open, (p) => this.app.vault.getAbstractFileByPath(existingCase(this.app, p)) !== null);
    if (!plan.ok) return { ok: false, message: plan.message, errors: [] };
    for (const warning of plan.warnings) new Notice(`Canon: ${warning}`);
    let text = plan.text;
    for (const change of input.changes) {
      const tick = planTick(model, { path: plan.path, text, session: plan.session }, { kind: 'change', change, undo: false });
      if (tick.ok) text = applyEdits(text, tick.edits);
    }
    const path = await prepareNotePath(this.app, plan.path);
    await this.app.vault.create(path, text);
    this.keep(path, text);
    new Notice(`Session started: ${path}`);
    await this.activateView();
    return { ok: true, path };
  }

  /** Opens the close form, showing the close reasons left; the close itself asks to confirm, naming each, when any is left. */
  async openClose(): Promise<void> {
    await this.ensureLoaded();
    const { session } = this.state();
    if (!session) {
      new Notice('Canon: no session is open.');
      return;
    }
    new CloseSessionModal(this.app, {
      objective: session.session.objective,
      reasons: this.closeReasons(),
      submit: (texts, force) => this.close(texts, force),
    }).open();
  }

  /** The reasons a close would be refused for now (judged with the close's own Status Log row in place); null before the first check. */
  closeReasons(): CloseReason[] | null {
    const { session, model } = this.state();
    if (!session || !model) return null;
    const plan = planClose(model, new Map(), session, { now: this.now(), force: false, texts: {} });
    if (plan.ok) return [];
    return plan.reason === 'blocked' ? plan.reasons : null;
  }

  /** Closes the open session: the Status Log row, then the session note's summary (README "Command line"). */
  async close(texts: CloseTexts, force: boolean): Promise<CloseOutcome> {
    await this.ensureLoaded();
    const session = this.state().session;
    if (!session) return { ok: false, reason: 'refused', message: 'No session is open.' };
    const outcome = await closeSession(this.app, this.index, session, { texts, force, now: this.now() });
    if (outcome.ok || outcome.reason !== 'blocked') new Notice(outcome.ok ? outcome.message : `Canon: ${outcome.message}`);
    if (outcome.ok) {
      this.keep(session.path, outcome.sessionText);
      await this.host.validateNow();
    }
    return outcome;
  }

  /** Copies the operating model's short prompt, with the session's objective, to the clipboard. */
  async copyShortPrompt(): Promise<void> {
    const context = await this.promptSession();
    const { model, session } = this.state();
    const objective = session?.session.objective ?? null;
    // The preset's short prompt when the stack cannot be read (config broken), as before.
    await navigator.clipboard.writeText(model ? buildPrompt(model, { short: true, session: context }).text : renderShortMetaPrompt(objective === null ? {} : { objective }));
    if (context) new Notice('Short coder prompt copied, with the open session.');
    else new Notice(objective === null ? 'Short coder prompt copied.' : 'Short coder prompt copied, with the session objective.');
  }

  /** The open session as the coder prompts carry it (README "Command line"); null when none is open or the stack is not read yet. */
  async promptSession(): Promise<PromptSession | null> {
    await this.ensureLoaded();
    const { session, review } = this.state();
    return session && review ? promptSessionOf(session, review) : null;
  }

  /** Shows the session pane in the right sidebar. */
  async activateView(): Promise<void> {
    const { workspace } = this.app;
    let leaf = workspace.getLeavesOfType(SESSION_VIEW_TYPE)[0] ?? null;
    if (!leaf) {
      leaf = workspace.getRightLeaf(false);
      if (!leaf) return;
      await leaf.setViewState({ type: SESSION_VIEW_TYPE, active: true });
    }
    await workspace.revealLeaf(leaf);
  }

  /** Opens a note at a 1-based line. */
  openNote(path: string, line?: number): void {
    this.host.openNote(path, line).catch((error: unknown) => new Notice(`Canon: cannot open ${path}: ${String(error)}`));
  }

  private async load(): Promise<void> {
    for (const file of this.app.vault.getMarkdownFiles()) {
      if (SessionNotes.isCandidate(this.app.metadataCache.getFileCache(file))) this.notes.update(file.path, await this.app.vault.cachedRead(file), true);
    }
    this.loaded = true;
    this.invalidate();
  }

  /** The metadata cache parsed a note: the text comes with the event, so nothing is read. */
  private noteChanged(path: string, text: string, cache: CachedMetadata): void {
    if (this.notes.update(path, text, SessionNotes.isCandidate(cache))) this.invalidate();
  }

  private noteGone(path: string): void {
    if (this.notes.forget(path)) this.invalidate();
  }

  private async readIfCandidate(file: TFile): Promise<void> {
    if (!SessionNotes.isCandidate(this.app.metadataCache.getFileCache(file))) return;
    if (this.notes.update(file.path, await this.app.vault.cachedRead(file), true)) this.invalidate();
  }

  /** Keeps the text the plugin itself just wrote (the metadata cache catches up later). */
  private keep(path: string, text: string): void {
    const read = readSessionNote(text, parseYaml);
    if (this.notes.update(path, text, !read.ok || read.session.status !== 'closed')) this.invalidate();
  }

  private invalidate(): void {
    this.cached = null;
    for (const listener of this.listeners) listener();
  }
}

