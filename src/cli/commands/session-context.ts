import { findSessions, loadStack, type SessionRef, type StackModel } from '../../core';
import { CannotRun, type Context } from '../context';
import { WriteConflict } from '../fs-vault';
import { paint, type Output } from '../output';

/**
 * The lock every session command holds while it reads and writes session notes (a virtual note at
 * the vault root: its lock folder is \`.canon-session.canon.lock\`), so that parallel starts open
 * one session and a close is never interleaved with another close or a tick.
 */
export const SESSION_LOCK = 'canon-session';

/** The open session and the stack it is judged on; null (after a message) when none is open. */
export function openSession(ctx: Context, output: Output): { model: StackModel; readOnly: Map<string, string>; ref: SessionRef } | null {
  const { model, readOnly } = loadStack(ctx.vault, ctx.config);
  const found = findSessions(ctx.vault);
  for (const p of found.problems) output.err(paint(output, 'yellow', `warning: ${p.path} is not a readable session note: ${p.problem}`));
  const [ref, ...others] = found.open;
  if (!ref) {
    output.err('no open session; start one with `canon session start --objective TEXT`');
    return null;
  }
  if (others.length > 0) output.err(paint(output, 'yellow', `warning: ${others.length + 1} sessions are open; using the newest, ${ref.path} (close the others: ${others.map((o) => o.path).join(', ')})`));
  return { model, readOnly, ref };
}

/** Writes a note through the vault's safe write (temp file + rename, refused when the file changed). */
export function writeNote(ctx: Context, path: string, text: string): void {
  try {
    ctx.vault.write(path, text);
  } catch (error) {
    if (error instanceof WriteConflict || error instanceof CannotRun) throw new CannotRun(error.message);
    throw new CannotRun(`${path} could not be written: ${error instanceof Error ? error.message : String(error)}`);
  }
}

