import { Platform, type App } from 'obsidian';

/** What running a command gave: exit status (null after a signal or the timeout), duration, output (stdout and stderr as they came). */
export interface CommandResult {
  exit: number | null;
  ms: number;
  timedOut: boolean;
  output: string;
}

/** Runs one shell command in a folder (desktop only). */
export interface CommandRunner {
  run(command: string, cwd: string, timeoutMs: number): Promise<CommandResult>;
}

/** How long a run may take before it is stopped (as the CLI's default CANON_VERIFY_TIMEOUT). */
export const RUN_TIMEOUT_MS = 10 * 60 * 1000;

/** The end of the output kept while it streams in: enough for the last 20 lines. */
const KEEP_CHARS = 64 * 1024;

// The few parts of Node's child_process the runner uses (typed here: the plugin has no Node types at load).
interface Readable { on(event: 'data', listener: (chunk: unknown) => void): void }
interface Child {
  stdout: Readable | null;
  stderr: Readable | null;
  on(event: 'error', listener: (error: Error) => void): void;
  on(event: 'close', listener: (code: number | null, signal: string | null) => void): void;
  kill(signal?: string): boolean;
}
interface ChildProcessModule { spawn(command: string, options: { cwd: string; shell: boolean; windowsHide: boolean; stdio: string[] }): Child }
type NodeRequire = (id: string) => unknown;

/** The module name, kept out of a literal `require("…")` call: main.js requires no Node module at load (mobile has none). */
const CHILD_PROCESS = ['child', 'process'].join('_');

/**
 * The desktop app's runner, or null (mobile has no shell; Node is reached only here, at run time,
 * through the desktop app's `window.require`, never at load).
 */
export function desktopRunner(): CommandRunner | null {
  if (!Platform.isDesktopApp) return null;
  const load = (window as unknown as { require?: NodeRequire }).require;
  if (typeof load !== 'function') return null;
  return {
    run: (command, cwd, timeoutMs) => {
      const cp = load(CHILD_PROCESS) as ChildProcessModule;
      return runWith(cp, command, cwd, timeoutMs);
    },
  };
}

function runWith(cp: ChildProcessModule, command: string, cwd: string, timeoutMs: number): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    let output = '';
    let timedOut = false;
    const child = cp.spawn(command, { cwd, shell: true, windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const keep = (chunk: unknown): void => {
      output += typeof chunk === 'string' ? chunk : String(chunk);
      if (output.length > 2 * KEEP_CHARS) output = output.slice(-KEEP_CHARS);
    };
    child.stdout?.on('data', keep);
    child.stderr?.on('data', keep);
    const timer = window.setTimeout(() => {
      timedOut = true;
      child.kill();
    }, timeoutMs);
    child.on('error', (error) => {
      window.clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code) => {
      window.clearTimeout(timer);
      resolve({ exit: timedOut ? null : code, ms: performance.now() - started, timedOut, output });
    });
  });
}

/** The vault's folder on disk (the desktop adapter's base path), or null when the adapter does not tell. */
export function vaultFolder(app: App): string | null {
  const adapter = app.vault.adapter as { getBasePath?: () => string };
  if (typeof adapter.getBasePath !== 'function') return null;
  const base = adapter.getBasePath();
  return typeof base === 'string' && base !== '' ? base : null;
}
