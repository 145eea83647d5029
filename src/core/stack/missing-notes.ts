import { normalizeVaultPath, type CanonConfig } from '../config/config';
import type { StackDoc } from './resolve';
import type { Role } from './roles';
import { PHASE_A_TEMPLATES } from './templates';

/** A canonical note to create: its role, where it goes, and its text from the preset's template. */
export interface NewNote {
  role: Role;
  path: string;
  text: string;
}

/**
 * The notes `init` (and the plugin's "create missing notes") would create: one per role that has
 * no note, where the config says (`notes` map, then `folder`), else under the preset's file name.
 */
export function missingNotes(docs: readonly StackDoc[], config: CanonConfig): NewNote[] {
  const folder = normalizeVaultPath(config.folder);
  return docs.flatMap((doc) => {
    if (doc.path !== null) return [];
    const template = PHASE_A_TEMPLATES[doc.role];
    const configured = config.notes[doc.role];
    const path = configured !== undefined ? normalizeVaultPath(configured) : `${folder === '' ? '' : `${folder}/`}${template.fileName}`;
    return [{ role: doc.role, path, text: template.text(template.title) }];
  });
}
