import { TFile, type App } from 'obsidian';
import { CONFIG_FILE, parseConfig, type CanonConfig } from '../../core';

/**
 * Changes keys of `canon.config.json`, keeping every other key as written. Refuses (returns the
 * reason, writes nothing) when the file is broken or the new value is not valid.
 */
export async function updateConfig(app: App, patch: Partial<CanonConfig>): Promise<string | null> {
  const file = app.vault.getAbstractFileByPath(CONFIG_FILE);
  const adapter = app.vault.adapter;
  let problem: string | null = null;
  const next = (text: string | null): string | null => {
    let raw: unknown = {};
    if (text !== null && text.trim() !== '') {
      try {
        raw = JSON.parse(text);
      } catch (error) {
        problem = `${CONFIG_FILE} is not valid JSON (${error instanceof Error ? error.message : String(error)}); fix it by hand first`;
        return null;
      }
    }
    if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
      problem = `${CONFIG_FILE} must hold a JSON object; fix it by hand first`;
      return null;
    }
    const merged = { ...(raw as Record<string, unknown>), ...patch };
    const out = `${JSON.stringify(merged, null, 2)}\n`;
    const checked = parseConfig(out, CONFIG_FILE);
    if (!checked.ok) {
      problem = checked.problems.map((p) => `${p.key}: ${p.message}`).join('; ');
      return null;
    }
    return out;
  };
  if (file instanceof TFile) {
    try {
      await app.vault.process(file, (text) => {
        const out = next(text);
        // Throwing abandons the write: a refused change leaves the file untouched, not rewritten as it was.
        if (out === null) throw new Unchanged();
        return out;
      });
    } catch (error) {
      if (!(error instanceof Unchanged)) throw error;
    }
  } else {
    const exists = await adapter.exists(CONFIG_FILE);
    const out = next(exists ? await adapter.read(CONFIG_FILE) : null);
    if (out !== null) {
      if (exists) await adapter.write(CONFIG_FILE, out);
      else await app.vault.create(CONFIG_FILE, out);
    }
  }
  return problem;
}

/** Abandons a `Vault.process` write. */
class Unchanged extends Error {}
