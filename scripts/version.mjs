// `npm version` hook (package.json "version" script): after npm has written the new version into
// package.json, and before it commits and tags, puts that version into manifest.json and records it
// with the manifest's minAppVersion in versions.json (Obsidian reads both: the manifest for the
// plugin's version, versions.json to offer older releases to older apps). The "version" script then
// stages the two files, so npm's commit and tag carry them — as obsidian-sample-plugin's
// version-bump.mjs does. Run by hand (`node scripts/version.mjs`) it syncs to package.json's version.
import { readFileSync, writeFileSync } from 'node:fs';

const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
const writeJson = (file, value) => writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);

const version = process.env.npm_package_version ?? readJson('package.json').version;
// Obsidian compares versions as x.y.z and finds a release by its tag, which must equal this string.
if (typeof version !== 'string' || !/^\d+\.\d+\.\d+$/.test(version)) {
  console.error(`scripts/version.mjs: \`${version}\` is not a plugin version; expected x.y.z (Obsidian reads no pre-release tags)`);
  process.exit(1);
}

const manifest = readJson('manifest.json');
const { minAppVersion } = manifest;
if (typeof minAppVersion !== 'string') {
  console.error('scripts/version.mjs: manifest.json has no minAppVersion; expected e.g. "minAppVersion": "1.7.2"');
  process.exit(1);
}
manifest.version = version;
writeJson('manifest.json', manifest);

const versions = readJson('versions.json');
versions[version] = minAppVersion;
writeJson('versions.json', versions);
console.log(`manifest.json and versions.json: ${version} (Obsidian ${minAppVersion} or later)`);
