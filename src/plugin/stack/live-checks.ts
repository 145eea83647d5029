import { debounce, TAbstractFile, TFile, type CachedMetadata, type Debouncer, type Plugin } from 'obsidian';
import { CONFIG_FILE } from '../../core';
import type { StackIndex } from './stack-index';

/**
 * Keeps the snapshot current (SPEC §5): a first check once the layout is ready, then a debounced
 * re-check when a canonical note or the config changes, a note claims a role, or notes come and go
 * (roles and links may move). Only changed notes are read and parsed again.
 */
export class LiveChecks {
  private run: Debouncer<[], void> | null = null;
  private delay = -1;
  private readonly claims = new Map<string, string | undefined>();

  constructor(
    private readonly plugin: Plugin,
    private readonly index: StackIndex,
    private readonly check: (mode: 'full' | 'live') => Promise<void>,
  ) {}

  /** Registers the listeners (cleaned up by the plugin's unload) and runs the first check. */
  start(): void {
    const { vault, metadataCache } = this.plugin.app;
    this.plugin.registerEvent(vault.on('modify', (file) => this.modified(file)));
    this.plugin.registerEvent(vault.on('create', (file) => this.cameOrWent(file)));
    this.plugin.registerEvent(vault.on('delete', (file) => this.cameOrWent(file)));
    this.plugin.registerEvent(vault.on('rename', (file, oldPath) => {
      this.index.invalidate(oldPath);
      this.cameOrWent(file);
    }));
    this.plugin.registerEvent(metadataCache.on('changed', (file, _data, cache) => this.metadataChanged(file, cache)));
    this.plugin.register(() => this.run?.cancel());
    void this.check('full');
  }

  /** Cancels a pending re-check (a full check is about to run anyway). */
  cancel(): void {
    this.run?.cancel();
  }

  private modified(file: TAbstractFile): void {
    // Any kept text is stale now (a role claim's note too); only the stack's own files call for a check.
    this.index.invalidate(file.path);
    if (file.path === CONFIG_FILE) this.schedule(true);
    else if (this.index.canonical.has(file.path)) this.schedule(false);
  }

  private cameOrWent(file: TAbstractFile): void {
    this.index.invalidate(file.path);
    if (file.path === CONFIG_FILE || (file instanceof TFile && file.extension === 'md')) this.schedule(file.path === CONFIG_FILE);
  }

  /** A note that starts or stops claiming a role changes the stack even when it is not canonical yet. */
  private metadataChanged(file: TFile, cache: CachedMetadata): void {
    const canon: unknown = cache.frontmatter?.canon;
    const claim = typeof canon === 'string' ? canon : undefined;
    const before = this.claims.get(file.path);
    this.claims.set(file.path, claim);
    if (before !== claim && !this.index.canonical.has(file.path) && (before !== undefined || claim !== undefined)) this.schedule(false);
  }

  /** Config changes always re-check; note changes only when live checks are on (all rules, or the listed families). */
  private schedule(always: boolean): void {
    if (!always && this.index.config.liveChecks === false) return;
    const ms = this.index.config.debounceMs;
    if (!this.run || ms !== this.delay) {
      this.run?.cancel();
      this.delay = ms;
      this.run = debounce(() => void this.check('live'), ms, true);
    }
    this.run();
  }
}
