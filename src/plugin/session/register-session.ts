import type { Plugin } from 'obsidian';
import type { CanonController } from '../canon-controller';
import type { StackIndex } from '../stack/stack-index';
import { SESSION_VIEW_TYPE } from '../view-types';
import { SessionView } from './session-view';
import { reportFailure } from '../report-failure';
import { SessionController } from './session-controller';

/** Command ids and palette names of the session loop (ids without the plugin id; no default hotkeys). */
export const SESSION_COMMANDS = {
  open: { id: 'open-session-checklist', name: 'Open the session checklist' },
  start: { id: 'start-session', name: 'Start session' },
  close: { id: 'close-session', name: 'Close session' },
  copyShort: { id: 'copy-short-prompt', name: 'Copy the short coder prompt' },
} as const;

/**
 * Registers the session pane and its commands (README "The Obsidian plugin"), fills the coder prompt with the open
 * session's objective, and starts following the session notes once the layout is ready.
 */
export function registerSession(plugin: Plugin, controller: CanonController, index: StackIndex): SessionController {
  const session = new SessionController(plugin.app, index, controller);
  plugin.registerView(SESSION_VIEW_TYPE, (leaf) => new SessionView(leaf, session));
  plugin.addCommand({ ...SESSION_COMMANDS.open, callback: reportFailure('opening the session checklist', () => session.activateView()) });
  plugin.addCommand({ ...SESSION_COMMANDS.start, callback: reportFailure('start session', () => session.openStart()) });
  plugin.addCommand({ ...SESSION_COMMANDS.close, callback: reportFailure('close session', () => session.openClose()) });
  plugin.addCommand({ ...SESSION_COMMANDS.copyShort, callback: reportFailure('copying the short coder prompt', () => session.copyShortPrompt()) });
  controller.objective = () => session.objective();
  controller.promptSession = () => session.promptSession();
  return session;
}
