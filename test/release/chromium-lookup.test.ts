import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { CHROMIUM_ARGS, findChromium, REPO, SYSTEM_CHROMIUMS } from '../e2e/harness';

/** A lookup over a pretend file system: `present` are the executables that exist. */
function lookup(env: NodeJS.ProcessEnv, present: string[], npm: string | null = '/repo/node_modules/.cache/canon-chromium/153.0.0/chromium') {
  const asked: string[] = [];
  return {
    asked,
    run: () => findChromium({
      env,
      isExecutable: (path) => {
        asked.push(path);
        return present.includes(path);
      },
      npmChromium: () => Promise.resolve(npm),
    }),
  };
}

describe('the end-to-end tests find Chromium on a fresh machine', () => {
  it('CANON_CHROMIUM first, even when a system Chromium exists; a wrong one fails, naming it', async () => {
    await expect(lookup({ CANON_CHROMIUM: '/opt/c/chrome' }, ['/opt/c/chrome', '/usr/bin/chromium']).run()).resolves.toEqual({ path: '/opt/c/chrome', source: 'CANON_CHROMIUM' });
    await expect(lookup({ CANON_CHROMIUM: '/opt/c/missing' }, ['/usr/bin/chromium']).run()).rejects.toThrow('CANON_CHROMIUM is `/opt/c/missing`, which is not an executable file');
  });

  it('then the system Chromium or Chrome: known paths in order, then those names on PATH', async () => {
    await expect(lookup({}, ['/usr/bin/google-chrome', '/usr/bin/chromium-browser']).run()).resolves.toEqual({ path: '/usr/bin/google-chrome', source: 'system' });
    const onPath = lookup({ PATH: '/home/me/bin:/usr/local/bin' }, ['/usr/local/bin/chromium']);
    await expect(onPath.run()).resolves.toEqual({ path: '/usr/local/bin/chromium', source: 'system' });
    expect(onPath.asked.slice(0, SYSTEM_CHROMIUMS.length)).toEqual(SYSTEM_CHROMIUMS);
    expect(onPath.asked).toContain('/home/me/bin/google-chrome');
  });

  it('then the npm Chromium (also when CANON_CHROMIUM_SYSTEM=0 turns the system lookup off); with none, says what to do', async () => {
    await expect(lookup({}, []).run()).resolves.toMatchObject({ source: 'npm' });
    const off = lookup({ CANON_CHROMIUM_SYSTEM: '0' }, ['/usr/bin/chromium']);
    await expect(off.run()).resolves.toMatchObject({ source: 'npm' });
    expect(off.asked).toEqual([]);
    await expect(lookup({}, [], null).run()).rejects.toThrow(/none of \/usr\/bin\/chromium, .* exists, and the @sparticuz\/chromium development dependency is not installed \(run `npm install`\)/);
  });

  it('the @sparticuz/chromium Chromium unpacks and renders a page (CANON_CHROMIUM unset, the system one hidden)', async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, CANON_CHROMIUM_SYSTEM: '0' };
    delete env.CANON_CHROMIUM;
    const { version } = JSON.parse(readFileSync(join(REPO, 'node_modules/@sparticuz/chromium/package.json'), 'utf8')) as { version: string };
    const found = await findChromium({ env });
    expect(found).toEqual({ path: join(REPO, `node_modules/.cache/canon-chromium/${version}/chromium`), source: 'npm' });
    const browser = await chromium.launch({ executablePath: found.path, headless: true, args: CHROMIUM_ARGS, timeout: 30_000 });
    try {
      expect(browser.version().split('.')[0]).toBe(version.split('.')[0]);
      const page = await browser.newPage();
      await page.setContent('<label for="x">Window</label><input id="x" value="W-3">');
      expect(await page.getByLabel('Window').inputValue()).toBe('W-3');
    } finally {
      await browser.close();
    }
  }, 120_000);
});
