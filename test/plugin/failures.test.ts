// A command or pane button whose work fails shows a notice naming what failed, instead of an
// unhandled rejection the user never sees (a clipboard the app may not write, a write refused).
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { loadVaultFromDir, type App } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { REPO } from '../helpers/run-cli';

let app: App | null = null;

afterEach(async () => {
  vi.restoreAllMocks();
  await app?.destroy();
  app = null;
});

describe.each(pluginRuns)('command failures (%s)', (_name, load, options) => {
  it('a clipboard that refuses the coder prompt: a notice says so, and no rejection goes unhandled', async () => {
    app = loadVaultFromDir(join(REPO, 'example-vault'), options);
    await app.loadPlugin(await load());
    await app.layoutReady();
    await app.idle();
    vi.spyOn(navigator.clipboard, 'writeText').mockRejectedValue(new Error('Document is not focused.'));
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      await app.commands.run('canon:copy-coder-prompt');
      await app.idle();
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    expect(app.noticeMessages().at(-1)).toBe('Canon: copy the coder prompt failed: Document is not focused.');
    expect(unhandled).toEqual([]);
    expect(quiet).toHaveBeenCalledWith('Canon: copy the coder prompt failed', expect.any(Error));
  });
});
