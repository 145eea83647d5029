import type { Plugin } from 'obsidian';
import { ENTRY_KINDS, ROLE_TITLES, ROLES, type EntryKind, type Role } from '../core';
import type { CanonHost } from './host';
import { reportFailure } from './report-failure';

/** Command ids and palette names of the entry forms (ids without the plugin id; no default hotkeys). */
export const ENTRY_COMMANDS: Readonly<Record<EntryKind, { id: string; name: string }>> = {
  status: { id: 'add-status-entry', name: 'Add status entry' },
  decision: { id: 'add-decision', name: 'Add decision' },
  lesson: { id: 'add-lesson', name: 'Add lesson' },
  evidence: { id: 'add-evidence-window', name: 'Add evidence window' },
  packet: { id: 'add-work-packet', name: 'Add work packet' },
  query: { id: 'add-playbook-query', name: 'Add playbook query' },
  trigger: { id: 'add-rollback-trigger', name: 'Add rollback trigger' },
};

/** What the commands call on the plugin beyond the host interface. */
export interface CommandActions extends CanonHost {
  activateStackView(): Promise<void>;
  /** Asks for a row id, then opens that row's edit form. */
  openEditRow(): Promise<void>;
  openRole(role: Role): Promise<void>;
  copyCoderPrompt(): Promise<void>;
  /** Fixes every fixable problem of the stack (`canon fix`). */
  fixAllProblems(): Promise<void>;
}

/** Registers every command of README "The Obsidian plugin" that this plugin has so far. */
export function registerCommands(plugin: Plugin, actions: CommandActions): void {
  for (const kind of ENTRY_KINDS) {
    const { id, name } = ENTRY_COMMANDS[kind];
    plugin.addCommand({ id, name, callback: reportFailure(name.toLowerCase(), () => actions.openEntryForm(kind)) });
  }
  plugin.addCommand({ id: 'edit-row', name: 'Edit row…', callback: reportFailure('edit a row', () => actions.openEditRow()) });
  plugin.addCommand({ id: 'fix-all-problems', name: 'Fix all fixable problems', callback: reportFailure('fix the problems', () => actions.fixAllProblems()) });
  plugin.addCommand({ id: 'validate-stack', name: 'Validate the stack', callback: reportFailure('validate the stack', () => actions.validateNow()) });
  plugin.addCommand({ id: 'open-stack-view', name: 'Open the stack view', callback: reportFailure('open the stack view', () => actions.activateStackView()) });
  for (const role of ROLES) {
    plugin.addCommand({ id: `open-${role}`, name: `Open ${ROLE_TITLES[role].toLowerCase()}`, callback: reportFailure(`opening the ${ROLE_TITLES[role].toLowerCase()}`, () => actions.openRole(role)) });
  }
  plugin.addCommand({ id: 'create-missing-notes', name: 'Create the missing notes of the stack', callback: reportFailure('create the missing notes of the stack', () => actions.createMissingNotes()) });
  plugin.addCommand({ id: 'copy-coder-prompt', name: 'Copy the coder prompt', callback: reportFailure('copy the coder prompt', () => actions.copyCoderPrompt()) });
}
