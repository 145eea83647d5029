import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PLUGIN_BUILD, requireFreshBuild } from '../helpers/fresh-build';
import { REPO } from '../helpers/run-cli';

/**
 * main.js runs in the oldest engine Obsidian runs plugins in: mobile WebKit on iOS 15 (Obsidian 1.4
 * ran there: obsidian-dataview#2057). esbuild lowers syntax for it (esbuild.config.mjs `target`);
 * built-ins it lacks are not lowered, so they must not be called. Each pattern is one a minifier
 * keeps as written (a member call or a global name).
 */
const NEWER_THAN_IOS_15: [string, RegExp][] = [
  // A member call (after a name, `)` or `]`), not a spread call of a function the minifier named `at`.
  ['Array/String.prototype.at (iOS 15.4)', /[\w)\]]\.at\(/],
  ['Object.hasOwn (iOS 15.4)', /\bObject\.hasOwn\b/],
  ['structuredClone (iOS 15.4)', /\bstructuredClone\(/],
  ['Array.prototype.findLast/findLastIndex (iOS 15.4)', /\.findLast(Index)?\(/],
  ['toSorted/toReversed/toSpliced (iOS 16)', /\.to(Sorted|Reversed|Spliced)\(/],
  ['Object.groupBy/Map.groupBy (iOS 17.4)', /\b(Object|Map)\.groupBy\(/],
  ['Promise.withResolvers (iOS 17.4)', /\bPromise\.withResolvers\(/],
  ['Array.fromAsync (iOS 16.4)', /\bArray\.fromAsync\(/],
  ['class static blocks (iOS 16.4)', /\bstatic\s*\{/],
  ['RegExp v flag (iOS 17)', /\/[dgimsuy]*v[dgimsuy]*\.(test|exec)\(/],
];

describe('the built plugin bundle on the oldest mobile WebKit', () => {
  requireFreshBuild(PLUGIN_BUILD);
  const code = readFileSync(join(REPO, 'main.js'), 'utf8');

  it.each(NEWER_THAN_IOS_15)('calls no %s', (_name, pattern) => {
    const found = code.match(new RegExp(`.{0,40}${pattern.source}.{0,20}`, 'g')) ?? [];
    expect(found).toEqual([]);
  });

  it('keeps class fields native (iOS 15 has them): no esbuild field helper', () => {
    // Lowering fields to `__publicField(this, "name", value)` calls costs bytes and was the es2021 target's doing.
    expect(code).not.toMatch(/\.defineProperty\([^)]*\{enumerable:!0,configurable:!0,writable:!0,value:/);
  });
});
