import { isAbsolute, join, relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a CI format puts a note: relative to the folder `canon` ran in (the repository root in CI), or absolute. */
export interface ReportPath {
  /** The note's path with `/` separators, relative to the working folder when inside it, else absolute. */
  path: string;
  /** Whether `path` is relative to the working folder. */
  relative: boolean;
  /** The absolute path as a `file:` URI. */
  fileUri: string;
}

/**
 * A vault-relative note path as CI tools want it: joined to the vault's place below the working folder
 * (`--vault docs/stack` gives `docs/stack/04_….md`), since annotations and code scanning name files
 * from the repository root. A vault outside the working folder gives absolute paths.
 */
export function reportPath(root: string, cwd: string, notePath: string): ReportPath {
  const absolute = join(root, ...notePath.split('/'));
  const fromCwd = relative(cwd, absolute);
  const inside = fromCwd !== '' && !isAbsolute(fromCwd) && fromCwd.split(sep)[0] !== '..';
  return { path: (inside ? fromCwd : absolute).split(sep).join('/'), relative: inside, fileUri: pathToFileURL(absolute).href };
}
