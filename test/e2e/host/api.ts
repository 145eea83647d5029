/**
 * What the end-to-end host page (host.ts, in the browser) offers the tests (in Node) as
 * `window.canonTest`. Types only: both sides import it, nothing of it runs.
 */

/** How the page starts: the example vault (with `files` added, replaced or, when null, removed), one theme. */
export interface BootOptions {
  files?: Record<string, string | null>;
  theme?: 'light' | 'dark';
  /** A note opened in the main area before the panes (default: the control center); null for none. */
  open?: string | null;
  /** The sidebar panes opened, top to bottom (default both). */
  panes?: Array<'stack' | 'session'>;
  /** Hotkeys assigned as under Settings → Hotkeys (Canon sets none): command id → keys, e.g. `Mod+Shift+E`. */
  hotkeys?: Record<string, string>;
}

/** The note in the active editor and where its cursor is. */
export interface EditorState {
  path: string;
  /** 0-based, as Obsidian's editor counts. */
  line: number;
  lineText: string;
}

export interface CanonTestApi {
  /** Loads the vault, the built main.js, the layout and the panes; resolves once the first check is drawn. Once per page. */
  boot(options?: BootOptions): Promise<{ required: string[] }>;
  /** Runs a command as the palette does (`canon:open-stack-view`), and waits until the app is idle. */
  command(id: string): Promise<void>;
  /** Runs a command as a hotkey does and returns at once (false when it is not available). */
  startCommand(id: string): boolean;
  /** Waits until vault writes, metadata and debounced checks are done. */
  idle(): Promise<void>;
  /** A note's text as saved (open editors save first, as Obsidian's autosave would), or null. */
  read(path: string): Promise<string | null>;
  /** Writes a note as another program (or a sync) would: `Vault.modify`, not through Canon. */
  write(path: string, text: string): Promise<void>;
  /** Opens a note in the main area (at a 0-based line). */
  open(path: string, line?: number): Promise<void>;
  /** The active editor's note and cursor, or null. */
  editor(): EditorState | null;
  /** Notices shown so far, oldest first. */
  notices(): string[];
  /** Titles of the modals open now, oldest first. */
  modals(): string[];
  /** Errors thrown by event listeners (the fake records them) and uncaught in the page. */
  errors(): string[];
  /** Vault paths of the markdown notes. */
  notes(): string[];
  /** Durations (ms) of the main thread's long tasks (over 50 ms) since the page loaded. */
  longTasks(): number[];
  /**
   * The main thread's long tasks since the page loaded: start and duration (ms) as the
   * PerformanceObserver saw them, and `fake`: the part of it the fake spent on its own work
   * (metadata, the editor's text, vault writes: `fakeWorkLog`), so `duration - fake` is the rest.
   */
  longTaskEntries(): Array<{ start: number; duration: number; fake: number }>;
  /**
   * Types `text` at the active editor's cursor (or first puts the cursor `at` a 0-based line and
   * character), a character at a time; after each, the editor saves
   * (as Obsidian's autosave would, here at once) and the app goes idle (debounced checks run).
   */
  type(text: string, at?: { line: number; ch: number }): Promise<void>;
}

declare global {
  interface Window {
    canonTest: CanonTestApi;
    /** Set by the host's wrapper around the built main.js (see the server): the CommonJS factory. */
    canonPluginFactory?: (exports: Record<string, unknown>, require: (id: string) => unknown, module: { exports: Record<string, unknown> }) => void;
  }
}
