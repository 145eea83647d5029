/**
 * What the host bundle gets for `happy-dom`, `node:fs` and `node:path` (../harness.ts maps them
 * here): test/fakes/obsidian.ts imports them for Node, and in a browser it uses the page's own
 * window instead. Calling any of them in the browser is a mistake in the host, and says so.
 */
function unavailable(name: string): never {
  throw new Error(`${name} is not available in the browser host: the fake uses the page's DOM there, and the vault comes from the server`);
}

/** happy-dom's Window: never constructed in a browser (installDom takes the page's window). */
export class Window {
  constructor() {
    unavailable('happy-dom');
  }
}

export const readdirSync = (): never => unavailable('node:fs readdirSync');
export const readFileSync = (): never => unavailable('node:fs readFileSync');
export const join = (): never => unavailable('node:path join');
export const relative = (): never => unavailable('node:path relative');
export const sep = '/';
