// On macOS, Windows, iOS and Android the disk is case-insensitive while Obsidian's file index is not:
// a `sessions` folder the config names and a `Sessions` folder the user made are one folder, and
// `createFolder('sessions')` fails with "Folder already exists.". Canon looks paths up whatever
// their case before creating anything, and writes into the folder as the vault has it.
import { afterEach, describe, expect, it } from 'vitest';
import { click, createFakeApp, loadVaultFromDir, typeInto, type App } from '../fakes/obsidian';
import { pluginRuns } from '../fakes/plugin-runs';
import { EXAMPLE_VAULT } from '../helpers/run-cli';

let app: App | null = null;

afterEach(async () => {
  await app?.destroy();
  app = null;
});

describe('the fake disk, case-insensitive', () => {
  it('has one folder for two cases, keeps the existing case, and createFolder fails as the app does', async () => {
    app = createFakeApp({ caseInsensitiveDisk: true, files: { 'Sessions/old.md': 'old' } });
    expect(app.vault.getAbstractFileByPath('sessions')).toBeNull();
    await expect(app.vault.createFolder('sessions')).rejects.toThrow('Folder already exists.');
    await expect(app.vault.create('SESSIONS/old.md', 'x')).rejects.toThrow('File already exists.');
    const file = await app.vault.create('sessions/new.md', 'new');
    expect(file.path).toBe('Sessions/new.md');
  });

  it('is case-sensitive by default (Linux)', async () => {
    app = createFakeApp({ files: { 'Sessions/old.md': 'old' } });
    await expect(app.vault.createFolder('sessions')).resolves.toMatchObject({ path: 'sessions' });
    expect(app.vault.getFolderByPath('Sessions')?.path).toBe('Sessions');
  });
});

describe.each(pluginRuns)('Canon on a case-insensitive disk (%s)', (_name, load, options) => {
  it('starts a session into an existing `Sessions` folder when the config says `sessions`', async () => {
    app = loadVaultFromDir(EXAMPLE_VAULT, { ...options, caseInsensitiveDisk: true, files: { 'Sessions/Notes from before.md': '# Before\n' } });
    await app.loadPlugin(await load());
    await app.layoutReady();
    await app.idle();
    await app.commands.run('canon:start-session');
    await app.idle();
    const modal = app.openModals().at(-1);
    if (!modal) throw new Error('the start form did not open');
    const objective = Array.from(modal.contentEl.querySelectorAll('label')).find((l) => l.textContent?.startsWith('Objective'));
    typeInto(modal.contentEl.querySelector<HTMLInputElement>(`#${objective?.getAttribute('for') ?? ''}`)!, 'Case drill');
    click(Array.from(modal.contentEl.querySelectorAll('button')).find((b) => b.textContent === 'Start session')!);
    await app.idle();
    expect(app.noticeMessages().filter((m) => m.includes('failed') || m.includes('exists'))).toEqual([]);
    const created = app.vault.getMarkdownFiles().map((f) => f.path).filter((p) => p.endsWith('Case drill.md'));
    expect(created).toHaveLength(1);
    expect(created[0]).toMatch(/^Sessions\/\d{4}-\d\d-\d\d \d{4} Case drill\.md$/);
  });
});
