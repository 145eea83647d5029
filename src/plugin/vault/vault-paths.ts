import { TFolder, type App } from 'obsidian';

/**
 * A vault path as the vault already has it, whatever the case: on macOS, Windows, iOS and Android
 * the disk is case-insensitive, so `sessions/x.md` is `Sessions/x.md` when that folder exists, while
 * Obsidian's index (`getAbstractFileByPath`) is case-sensitive and `createFolder('sessions')` fails
 * with "Folder already exists." Each existing part takes its own case; the rest is kept as given.
 */
export function existingCase(app: App, path: string): string {
  const parts = path.split('/').filter((p) => p !== '');
  let at = '';
  for (const part of parts) {
    const next = at === '' ? part : `${at}/${part}`;
    if (app.vault.getAbstractFileByPath(next)) {
      at = next;
      continue;
    }
    const parent = at === '' ? app.vault.getRoot() : app.vault.getAbstractFileByPath(at);
    const lower = part.toLowerCase();
    const twin = parent instanceof TFolder ? parent.children.find((c) => c.name.toLowerCase() === lower) : undefined;
    at = twin ? twin.path : next;
  }
  return at;
}

/** The note's path with its folder as the vault has it, the folder created when missing. */
export async function prepareNotePath(app: App, path: string): Promise<string> {
  const real = existingCase(app, path);
  const folder = real.includes('/') ? real.slice(0, real.lastIndexOf('/')) : '';
  if (folder !== '' && !(app.vault.getAbstractFileByPath(folder) instanceof TFolder)) await app.vault.createFolder(folder);
  return real;
}
