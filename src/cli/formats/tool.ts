import packageJson from '../../../package.json';
import { CANON_REPOSITORY, ruleDocUrl, type RuleId } from '../../core';


/** The version the CI formats report, read from package.json at build time (so `npm version` moves it). */
export const CANON_VERSION: string = packageJson.version;

/** The repository's web address: package.json's `repository` (a string, `github:owner/name`, or `{ url }`), else the default. */
export function repositoryUrl(repository: unknown = (packageJson as { repository?: unknown }).repository): string {
  const raw = typeof repository === 'string' ? repository : typeof (repository as { url?: unknown } | null)?.url === 'string' ? (repository as { url: string }).url : '';
  const shorthand = /^(?:github:)?([\w.-]+\/[\w.-]+)$/.exec(raw);
  if (shorthand) return `https://github.com/${shorthand[1] ?? ''}`;
  const url = /^(?:git\+)?(https:\/\/[^\s]+?)(?:\.git)?\/?$/.exec(raw);
  return url?.[1] ?? CANON_REPOSITORY;
}

/** The page that documents a rule: `docs/rules/<family>/<name>.md` on the repository's main branch. */
export function ruleHelpUri(rule: RuleId, repository = repositoryUrl()): string {
  return ruleDocUrl(rule, repository);
}
