import { Notice } from 'obsidian';

/**
 * Runs a command's or a button's work and shows its failure as a notice (a clipboard the app may
 * not write, a folder a case-insensitive disk already has…): without it a rejected promise is an
 * unhandled rejection in the console, and the user sees nothing happen.
 */
export function reportFailure(what: string, work: () => unknown): () => void {
  return () => {
    try {
      const result = work();
      if (result instanceof Promise) result.catch((error: unknown) => notify(what, error));
    } catch (error) {
      notify(what, error);
    }
  };
}

function notify(what: string, error: unknown): void {
  const message = error instanceof Error ? error.message : String(error);
  new Notice(`Canon: ${what} failed: ${message}`);
  console.error(`Canon: ${what} failed`, error);
}
