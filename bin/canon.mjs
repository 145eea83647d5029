#!/usr/bin/env node
// The `canon` command: runs the bundled CLI (built by `npm run build`, which `npm install` runs too).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = new URL('../dist/cli.mjs', import.meta.url);
if (!existsSync(fileURLToPath(cli))) {
  process.stderr.write('canon: dist/cli.mjs is missing; run `npm run build` first.\n');
  process.exit(2);
}
const { main } = await import(cli.href);
process.exitCode = await main(process.argv.slice(2));
