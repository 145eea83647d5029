import type { Log, ReportingDescriptor, Result } from 'sarif';
import { DEFAULT_SEVERITY, type Diagnostic, RULE_DESCRIPTIONS, RULE_IDS, type Severity } from '../../core';
import type { ReportPath } from './report-path';
import { CANON_VERSION, repositoryUrl, ruleHelpUri } from './tool';

const LEVEL: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

/** Every rule Canon has, in RULE_IDS order (a result's `ruleIndex` points into it). */
function rules(repository: string): ReportingDescriptor[] {
  return RULE_IDS.map((id) => ({
    id,
    shortDescription: { text: RULE_DESCRIPTIONS[id] },
    helpUri: ruleHelpUri(id, repository),
    defaultConfiguration: { level: LEVEL[DEFAULT_SEVERITY[id]] },
  }));
}

/** A relative path as a URI reference: each segment percent-encoded (spaces, `#`, `%`, non-ASCII). */
function uriReference(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * The diagnostics as a SARIF 2.1.0 log (one run, every rule described with its page). Locations are
 * relative to `%SRCROOT%`, the folder `canon` ran in, because GitHub code scanning resolves relative
 * URIs against the repository root and ignores `originalUriBaseIds`; a vault outside that folder
 * gets absolute `file:` URIs.
 */
export function formatSarif(diagnostics: readonly Diagnostic[], where: (notePath: string) => ReportPath): Log {
  const repository = repositoryUrl();
  const results: Result[] = diagnostics.map((d) => {
    const place = where(d.path);
    return {
      ruleId: d.rule,
      ruleIndex: RULE_IDS.indexOf(d.rule),
      level: LEVEL[d.severity],
      message: { text: d.message },
      locations: [{
        physicalLocation: {
          artifactLocation: place.relative ? { uri: uriReference(place.path), uriBaseId: '%SRCROOT%' } : { uri: place.fileUri },
          region: { startLine: d.line, startColumn: d.column },
        },
      }],
    };
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'Canon', version: CANON_VERSION, informationUri: repository, rules: rules(repository) } },
      columnKind: 'utf16CodeUnits',
      results,
    }],
  };
}
