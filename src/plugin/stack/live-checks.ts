import { debounce, TAbstractFile, TFile, type CachedMetadata, type Debouncer, type Plugin } from 'obsidian';
import { CONFIG_FILE } from '../../core';
import type { StackIndex } from './stack-index';

/** The least delay of a re-check the metadata cache asks for: its `changed` come in bursts while it fills. */
const METADATA_DELAY_MS = 100;

/**
 * Keeps the snapshot current (README "The Obsidian plugin"): a first check once the layout is ready, then a debounced
 * re-check when a canonical note or the config changes, notes come and go (roles and links may
 * move), or the metadata cache brings a note's metadata that differs from what the last check took
 * (a role claimed, dropped or changed, canonical note or not; headings a link names). Only changed
 * notes are read and parsed again.
 *
 * The metadata cache lags: it is parsed in a worker after each write, and at layout-ready it may
 * still be filling (after opening a vault, a git pull or a sync). So the first check may see claims
 * missing or stale; the metadata that arrives then re-checks (fully, as the first check is), and
 * so does the first `resolved` if the cache then differs from what the last check saw.
 */
export class LiveChecks {
  private run: Debouncer<[], void> | null = null;
  private delay = -1;
  /** The re-check waiting: full when any of its reasons asked for a full one. */
  private mode: 'full' | 'live' = 'live';
  /** Until the first `resolved`, the cache may be filling: what it brings completes the first check. */
  private filling = true;

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
    this.plugin.registerEvent(metadataCache.on('resolved', () => this.resolved()));
    this.plugin.register(() => this.run?.cancel());
    void this.check('full');
  }

  /** Cancels a pending re-check (a full check is about to run anyway). */
  cancel(): void {
    this.run?.cancel();
    this.mode = 'live';
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

  /**
   * A note's metadata arrived. It matters when it differs from what the last check took: a note
   * that starts, stops or changes claiming a role (canonical or not: the check may have run before
   * the metadata of its last edit arrived), or headings a link names. Anything else costs a lookup.
   */
  private metadataChanged(file: TFile, cache: CachedMetadata): void {
    if (!this.index.metadataDiffers(file, cache)) return;
    if (this.filling) this.schedule(true, 'full', METADATA_DELAY_MS);
    else this.schedule(false, 'live', METADATA_DELAY_MS);
  }

  /**
   * The cache has resolved every file. The first time, it may have filled since the first check
   * (and some notes may not have fired `changed`): one full re-check if anything differs.
   */
  private resolved(): void {
    if (!this.filling) return;
    this.filling = false;
    if (this.index.cacheDiffers()) this.schedule(true, 'full', METADATA_DELAY_MS);
  }

  /**
   * Config changes always re-check; note changes only when live checks are on (all rules, or the
   * listed families). Debounced by the config's `debounceMs`, and at least `least` ms.
   */
  private schedule(always: boolean, mode: 'full' | 'live' = 'live', least = 0): void {
    if (!always && this.index.config.liveChecks === false) return;
    if (mode === 'full') this.mode = 'full';
    const ms = Math.max(least, this.index.config.debounceMs);
    if (!this.run || ms !== this.delay) {
      this.run?.cancel();
      this.delay = ms;
      this.run = debounce(() => {
        const due = this.mode;
        this.mode = 'live';
        void this.check(due);
      }, ms, true);
    }
    this.run();
  }
}
