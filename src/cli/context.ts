import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { CONFIG_FILE, defaultConfig, parseConfig, type CanonConfig } from '../core/config/config';
import { FsVault } from './fs-vault';

/** A user error that stops the command with exit status 2 and a one-line message (no stack trace). */
export class CannotRun extends Error {}

/** The vault and config a command works on. */
export interface Context {
  vault: FsVault;
  config: CanonConfig;
  root: string;
}

/** Opens the vault at `dir` and reads its `canon.config.json`; throws CannotRun with a precise message. */
export function openVault(dir: string | undefined): Context {
  const root = resolve(dir ?? '.');
  if (!existsSync(root) || !statSync(root).isDirectory()) {
    throw new CannotRun(`vault \`${dir ?? '.'}\` is not a folder; expected --vault DIR pointing at the vault root`);
  }
  const configPath = join(root, CONFIG_FILE);
  let config = defaultConfig();
  if (existsSync(configPath)) {
    const result = parseConfig(readFileSync(configPath, 'utf8'), CONFIG_FILE);
    if (!result.ok) {
      throw new CannotRun(result.problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n'));
    }
    config = result.config;
  }
  return { vault: new FsVault(root), config, root };
}
