import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { type CanonConfig, CONFIG_FILE, defaultConfig, parseConfig } from '../core';
import { CannotRun } from './cannot-run';
import { describeCause, errorCode } from './fs-errors';
import { FsVault } from './fs-vault';
import { configPathProblems, readRegular } from './safe-paths';

export { CannotRun } from './cannot-run';

/** The vault and config a command works on. */
export interface Context {
  vault: FsVault;
  config: CanonConfig;
  root: string;
}

/**
 * Opens the vault at `dir` and reads its `canon.config.json`; throws CannotRun with a precise message.
 * `readOnly`: the command only reads notes (they are not kept as bytes beside their text).
 */
export function openVault(dir: string | undefined, readOnly = false): Context {
  const root = resolve(dir ?? '.');
  try {
    if (!statSync(root).isDirectory()) throw Object.assign(new Error('not a folder'), { code: 'ENOTDIR' });
  } catch (error) {
    const cause = errorCode(error) === 'ENOTDIR' ? 'it is not a folder' : describeCause(error);
    throw new CannotRun(`vault \`${dir ?? '.'}\` cannot be opened: ${cause}; expected --vault DIR pointing at the vault root`);
  }
  let config = defaultConfig();
  const read = readRegular(resolve(root, CONFIG_FILE));
  if (read.ok) {
    const result = parseConfig(read.data.toString('utf8'), CONFIG_FILE);
    if (!result.ok) throw new CannotRun(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    config = result.config;
    const paths = [
      { key: 'folder', path: config.folder, isNote: false },
      { key: 'sessionsFolder', path: config.sessionsFolder, isNote: false },
      ...Object.entries(config.notes).map(([role, path]) => ({ key: `notes.${role}`, path, isNote: true })),
    ];
    const problems = configPathProblems(root, paths);
    if (problems.length > 0) throw new CannotRun(problems.map((p) => `${CONFIG_FILE}: ${p}`).join('\n'));
  } else if (read.code !== 'ENOENT') {
    const why = read.code ? describeCause(Object.assign(new Error(read.why), { code: read.code })) : read.why;
    throw new CannotRun(`cannot read \`${CONFIG_FILE}\`: ${why}; expected a JSON file at the vault root (or none)`);
  }
  return { vault: new FsVault(root, !readOnly), config, root };
}
