import type { Diagnostic, Severity } from '../../core';
import type { ReportPath } from './report-path';

const COMMAND: Record<Severity, 'error' | 'warning' | 'notice'> = { error: 'error', warning: 'warning', info: 'notice' };

/** A workflow command's message, escaped as GitHub's toolkit does (`escapeData` in @actions/core). */
export function escapeData(text: string): string {
  return text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
}

/** A workflow command's property value (`escapeProperty` in @actions/core): also `:` and `,`, which end a value. */
export function escapeProperty(text: string): string {
  return escapeData(text).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/**
 * The diagnostics as GitHub Actions workflow commands, one a line:
 * `::error file=…,line=…,col=…,title=<rule>::<message>` (info is a `notice`). Paths are relative to
 * the folder `canon` ran in, where a workflow step runs: the repository root.
 */
export function formatGithub(diagnostics: readonly Diagnostic[], where: (notePath: string) => ReportPath): string[] {
  return diagnostics.map((d) => {
    const properties = [`file=${escapeProperty(where(d.path).path)}`, `line=${d.line}`, `col=${d.column}`, `title=${escapeProperty(d.rule)}`];
    return `::${COMMAND[d.severity]} ${properties.join(',')}::${escapeData(d.message)}`;
  });
}
