import { parseYaml, TFile, type App, type CachedMetadata } from 'obsidian';
import {
  addedErrorsSteps,
  CheckCache,
  claimOf,
  CONFIG_FILE,
  checkStackSteps,
  countBySeverity,
  inFamilies,
  defaultConfig,
  loadStack,
  parseConfig,
  PHASE_A,
  planFixesSteps,
  readClaim,
  resolveStack,
  withoutConflictCopies,
  type CanonConfig,
  type CheckResult,
  type Diagnostic,
  type Fix,
  type FixPlan,
  type RuleFamily,
  type NoteEntry,
  type StackModel,
  type VaultView,
} from '../../core';
import type { StackSnapshot } from '../host';
import { Slicer } from './slices';

/** The stack as the vault holds it now, for an append: the model and the notes that must not be written. */
export interface LoadedStack {
  model: StackModel;
  readOnly: Map<string, string>;
}

/**
 * The plugin's view of the stack: reads the config and the canonical notes through the vault,
 * keeps their texts, parses, binds and guardrail evaluations between checks (so a change re-parses
 * only the changed note, and a keystroke in a table row only that row), and publishes a snapshot
 * after every check.
 */
export class StackIndex {
  private readonly texts = new Map<string, string>();
  private readonly cache = new CheckCache();
  private readonly listeners = new Set<(snapshot: StackSnapshot) => void>();
  private current: StackSnapshot;
  private configText: string | null | undefined;
  config: CanonConfig = defaultConfig();
  configProblem: string | null = null;
  /** Paths of the canonical notes at the last check. */
  canonical = new Set<string>();
  /**
   * What the last check took from the metadata cache, which fills and changes after the notes do:
   * each claiming note's `canon` value, and the headings of the non-canonical notes a link named.
   */
  private usedClaims = new Map<string, string>();
  private usedHeadings = new Map<string, string>();
  /** Bumped by `invalidate`, so a read that began before a change is not kept. */
  private readonly versions = new Map<string, number>();
  /** Checks run one after another, so an older one never publishes over a newer one. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Checks asked for that have not read the metadata cache yet. */
  private waiting = 0;

  constructor(
    private readonly app: App,
    private readonly now: () => Date,
  ) {
    this.current = { result: null, configProblem: null, guardrails: null, windows: [], triggers: [], checkedAt: now() };
  }

  snapshot(): StackSnapshot {
    return this.current;
  }

  /** The last check's result, if a check ran. */
  result(): StackSnapshot['result'] {
    return this.current.result;
  }

  onSnapshot(callback: (snapshot: StackSnapshot) => void): () => void {
    this.listeners.add(callback);
    return () => this.listeners.delete(callback);
  }

  /** Forgets a note's text (it changed on disk); the next check reads it again. */
  invalidate(path: string): void {
    this.texts.delete(path);
    this.versions.set(path, (this.versions.get(path) ?? 0) + 1);
    if (path === CONFIG_FILE) this.configText = undefined;
  }

  /**
   * Whether a note's metadata (as the cache now has it) differs from what the last check took from
   * it: its `canon` claim, or the headings a link named. Constant time: fit for every `changed`.
   */
  metadataDiffers(file: TFile, cache: CachedMetadata | null): boolean {
    // A check asked for and not yet at the cache will read it as it is now.
    if (this.waiting > 0) return false;
    if (canonValue(cache) !== this.usedClaims.get(file.path)) return true;
    const headings = this.usedHeadings.get(file.path);
    return headings !== undefined && headings !== headingsKey(cache);
  }

  /** Whether any note's metadata differs from what the last check took (the cache filled meanwhile). */
  cacheDiffers(): boolean {
    const { vault, metadataCache } = this.app;
    return vault.getMarkdownFiles().some((file) => this.metadataDiffers(file, metadataCache.getFileCache(file)));
  }

  /**
   * Checks the whole stack and publishes the snapshot. A `live` check (after a change) reports only
   * the rule families the config's `liveChecks` list names; a full one (on load, "Validate the stack")
   * reports every rule. Checks run in the order they were asked for.
   */
  refresh(mode: 'full' | 'live' = 'full'): Promise<StackSnapshot> {
    this.waiting++;
    const run = this.queue.then(() => this.check(mode));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async check(mode: 'full' | 'live'): Promise<StackSnapshot> {
    const loaded = await this.prepare(true);
    if (!loaded) return this.publish({ ...this.empty(), configProblem: this.configProblem });
    // In slices: the first check of a large stack would otherwise hold the app for a second.
    const slicer = new Slicer();
    const checked = await slicer.run(checkStackSteps(loaded, this.config, PHASE_A, this.cache));
    const families = this.config.liveChecks;
    const result = mode === 'live' && Array.isArray(families) ? onlyFamilies(checked, families) : checked;
    this.canonical = new Set(result.docs.flatMap((d) => (d.path === null ? [] : [d.path])));
    this.cache.retain(this.canonical);
    const memo = this.cache.guardrails;
    const triggers = memo.triggers(result.model.tables.get('trigger'));
    const windows = await slicer.run(memo.windowsSteps(result.model.tables.get('evidence')));
    const hasLog = result.docs.some((d) => d.role === 'evidence-log' && d.path !== null);
    const guardrails = hasLog ? await slicer.run(memo.evaluateSteps(triggers, windows)) : null;
    // The views draw in a task of their own when the check used its slice.
    await slicer.pause();
    return this.publish({ result, configProblem: null, guardrails, windows, triggers, checkedAt: this.now() });
  }

  /** Reads what an append needs (config, note list, canonical texts); a message when the config is broken. */
  async view(): Promise<VaultView | string> {
    const view = await this.prepare();
    return view ?? this.configProblem ?? `${CONFIG_FILE} cannot be read`;
  }

  /** The stack over `view`, with `override` standing in for one note's text (the text being written). Synchronous. */
  load(view: VaultView, override?: { path: string; text: string }): LoadedStack {
    // The text being written is parsed from the kept parse, but does not replace it (it may never be written).
    const withOverride: VaultView = override
      ? {
        ...view,
        read: (path) => (path === override.path ? { text: override.text } : view.read(path)),
        parsed: (path, text) => (path === override.path ? this.cache.parseAside(path, text) : this.cache.parse(path, text)),
      }
      : view;
    return loadStack(withOverride, this.config, PHASE_A);
  }

  /** A check of `view` with the index's config, in slices (what a fix is planned on). */
  checkNow(view: VaultView): Promise<CheckResult> {
    return new Slicer().run(checkStackSteps(view, this.config, PHASE_A, this.cache));
  }

  /** The errors `fixes` would add to the stack `before` was checked from, in slices. */
  addedErrors(view: VaultView, before: CheckResult, fixes: readonly Fix[]): Promise<Diagnostic[]> {
    return new Slicer().run(addedErrorsSteps(view, this.config, PHASE_A, before, fixes));
  }

  /** Every fix of the stack's fixable problems over `view` (as `canon fix` plans them), in slices. */
  planFixes(view: VaultView): Promise<FixPlan> {
    return new Slicer().run(planFixesSteps(view, this.config, { preset: PHASE_A }));
  }

  /**
   * Reads what a check needs: the config, the note list, the canonical notes' texts. Null when the
   * config is broken. For a check (`record`), notes what it takes from the metadata cache.
   */
  private async prepare(record = false): Promise<VaultView | null> {
    try {
      await this.readConfig();
    } catch (error) {
      if (record) this.waiting--;
      throw error;
    }
    const notes = this.noteEntries();
    const usedHeadings = record ? new Map<string, string>() : null;
    if (usedHeadings) {
      this.waiting--;
      this.usedClaims = new Map(notes.flatMap((n) => (n.canon === undefined ? [] : [[n.path, n.canon] as const])));
      this.usedHeadings = usedHeadings;
    }
    if (this.configProblem !== null) return null;
    // A sync service's conflict copy never takes its note's role (doc/conflict-copy reports it).
    const docs = resolveStack(withoutConflictCopies(notes, this.config, PHASE_A), this.config, PHASE_A).docs;
    // The canonical notes, every note that claims a role (few), so a claim's diagnostic names its own line,
    // and every note whose frontmatter the cache holds no values of (few), to say why.
    const wanted = new Set([
      ...docs.flatMap((d) => (d.path === null ? [] : [d.path])),
      ...notes.flatMap((n) => (n.canon === undefined ? [] : [n.path])),
      ...this.unreadFrontmatter(),
    ]);
    // Texts gathered into a map of this check's own: a modify event may drop one from the shared map meanwhile.
    const texts = new Map<string, string>();
    for (const path of wanted) {
      let text = this.texts.get(path);
      const file = text === undefined ? this.app.vault.getFileByPath(path) : null;
      if (file) {
        const version = this.versions.get(path);
        text = await this.app.vault.cachedRead(file);
        // Kept only if the note did not change during the read (this check still uses what it read).
        if (this.versions.get(path) === version) this.texts.set(path, text);
      }
      if (text !== undefined) texts.set(path, text);
    }
    for (const note of notes) {
      const text = texts.get(note.path);
      if (text === undefined) continue;
      // The claim itself stays the cache's (Obsidian's parse); the text gives its line, or why it cannot be read.
      const claim = readClaim(text, parseYaml);
      if (claim.canonLine !== undefined) note.canonLine = claim.canonLine;
      if (claim.frontmatterProblem) note.frontmatterProblem = claim.frontmatterProblem;
    }
    return this.vaultView(notes, texts, usedHeadings);
  }

  private vaultView(notes: NoteEntry[], texts: ReadonlyMap<string, string>, usedHeadings: Map<string, string> | null = null): VaultView {
    return {
      notes,
      read: (path) => {
        const text = texts.get(path);
        return text === undefined ? undefined : { text };
      },
      headings: (path) => {
        const file = this.app.vault.getFileByPath(path);
        if (!file) return undefined;
        const cache = this.app.metadataCache.getFileCache(file);
        usedHeadings?.set(path, headingsKey(cache));
        return (cache?.headings ?? []).map((h) => h.heading);
      },
      parsed: (path, text) => this.cache.parse(path, text),
      parseYaml,
    };
  }

  /** Notes with a frontmatter block whose values the metadata cache does not hold (YAML Obsidian could not read, or none). */
  private unreadFrontmatter(): string[] {
    const { vault, metadataCache } = this.app;
    return vault.getMarkdownFiles().flatMap((file) => {
      const cache = metadataCache.getFileCache(file);
      return cache?.frontmatterPosition && !cache.frontmatter ? [file.path] : [];
    });
  }

  /** Every markdown note with its frontmatter `canon` value, from the metadata cache (no file reads). */
  private noteEntries(): NoteEntry[] {
    return this.app.vault.getMarkdownFiles().map((file) => {
      const cache = this.app.metadataCache.getFileCache(file);
      const canon = canonValue(cache);
      return canon === undefined ? { path: file.path } : { path: file.path, canon, canonLine: canonLine(cache) };
    });
  }

  private async readConfig(): Promise<void> {
    if (this.configText !== undefined) return;
    const file = this.app.vault.getAbstractFileByPath(CONFIG_FILE);
    const adapter = this.app.vault.adapter;
    let text: string | null = null;
    if (file instanceof TFile) text = await this.app.vault.read(file);
    else if (await adapter.exists(CONFIG_FILE)) text = await adapter.read(CONFIG_FILE);
    this.configText = text;
    if (text === null) {
      this.config = defaultConfig();
      this.configProblem = null;
      return;
    }
    const parsed = parseConfig(text, CONFIG_FILE);
    if (parsed.ok) {
      this.config = parsed.config;
      this.configProblem = null;
    } else {
      this.configProblem = parsed.problems.map((p) => `${p.file} line ${p.line}: ${p.message}`).join('\n');
    }
  }

  private empty(): StackSnapshot {
    return { result: null, configProblem: null, guardrails: null, windows: [], triggers: [], checkedAt: this.now() };
  }

  private publish(snapshot: StackSnapshot): StackSnapshot {
    this.current = snapshot;
    for (const listener of this.listeners) listener(snapshot);
    return snapshot;
  }
}

function onlyFamilies(result: CheckResult, families: readonly RuleFamily[]): CheckResult {
  const diagnostics = result.diagnostics.filter((d) => inFamilies(d.rule, families));
  return { ...result, diagnostics, counts: countBySeverity(diagnostics) };
}

/** A note's headings as one string, to tell whether they changed. */
function headingsKey(cache: CachedMetadata | null): string {
  return (cache?.headings ?? []).map((h) => h.heading).join('\n');
}

/** The note's claim as Obsidian's parse of its frontmatter gives it, read as the core reads a claim. */
function canonValue(cache: CachedMetadata | null): string | undefined {
  return claimOf(cache?.frontmatter);
}

function canonLine(cache: CachedMetadata | null): number | undefined {
  const start = cache?.frontmatterPosition?.start.line;
  // The key's own line is not in the cache; the frontmatter's first key line is near enough for a message.
  return start === undefined ? undefined : start + 2;
}
