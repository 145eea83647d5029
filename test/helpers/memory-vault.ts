import { checkStack, loadStack } from '../../src/core/check-stack';
import { defaultConfig, type CanonConfig } from '../../src/core/config/config';
import { parseNote } from '../../src/core/markdown/parse-note';
import type { VaultView } from '../../src/core/stack/model';
import { readClaim } from '../../src/core/stack/claim';
import { parseYaml } from '../../src/cli/parse-yaml';

/** An in-memory vault: path → text. Frontmatter `canon:` is read as the CLI reads it (the core's one reader, `yaml` for the rest). */
export function memoryVault(files: Record<string, string>): VaultView {
  return {
    notes: Object.keys(files).sort().map((path) => ({ path, ...readClaim(files[path] ?? '', parseYaml) })),
    read: (path) => (files[path] === undefined ? undefined : { text: files[path] ?? '' }),
    headings: (path) => (files[path] === undefined ? undefined : parseNote(files[path] ?? '').headings.map((h) => h.text)),
    parseYaml,
  };
}

export function check(files: Record<string, string>, config: Partial<CanonConfig> = {}) {
  return checkStack(memoryVault(files), { ...defaultConfig(), ...config });
}

export function load(files: Record<string, string>, config: Partial<CanonConfig> = {}) {
  return loadStack(memoryVault(files), { ...defaultConfig(), ...config });
}

/** Local-time clock used by fixtures: 2026-11-24 14:05. */
export const FIXED_NOW = new Date(2026, 10, 24, 14, 5);
