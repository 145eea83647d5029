import type { Diagnostic, Severity } from '../../core';
import { showControls } from '../output';
import type { ReportPath } from './report-path';

const SEVERITY_WORD: Record<Severity, string> = { error: 'Error', warning: 'Warning', info: 'Info' };

/** Text as XML character data: control characters XML 1.0 forbids are shown as symbols, markup escaped. */
function xmlText(text: string): string {
  return showControls(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Text as an XML attribute value in double quotes (line breaks kept as character references). */
function xmlAttribute(text: string): string {
  return xmlText(text).replace(/"/g, '&quot;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values).map(([k, v]) => ` ${k}="${xmlAttribute(String(v))}"`).join('');
}

/**
 * The diagnostics as JUnit XML, in ESLint's `junit` formatter's layout: one `<testsuite>` per note
 * (every canonical note, and any other note a diagnostic names), one `<testcase>` per diagnostic
 * named after its rule with a `<failure>` (whatever its severity; `type` says which), and a single
 * passing `<testcase>` named after the note when the note has none. `classname` is the note's path
 * without `.md`; times are 0 (Canon does not time notes).
 */
export function formatJunit(diagnostics: readonly Diagnostic[], notes: readonly string[], where: (notePath: string) => ReportPath): string {
  const byNote = new Map<string, Diagnostic[]>();
  for (const path of notes) byNote.set(path, []);
  for (const d of diagnostics) byNote.set(d.path, [...(byNote.get(d.path) ?? []), d]);
  const paths = [...byNote.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const suites: string[] = [];
  let tests = 0;
  for (const path of paths) {
    const found = byNote.get(path) ?? [];
    const shown = where(path).path;
    const classname = shown.replace(/\.md$/i, '');
    const count = Math.max(found.length, 1);
    tests += count;
    const cases = found.length === 0
      ? [`    <testcase${attributes({ name: shown, classname, time: 0 })}/>`]
      : found.map((d) => [
        `    <testcase${attributes({ name: d.rule, classname, time: 0 })}>`,
        `      <failure${attributes({ type: d.severity, message: d.message })}>${xmlText(`line ${d.line}, col ${d.column}, ${SEVERITY_WORD[d.severity]} - ${d.message} (${d.rule})`)}</failure>`,
        '    </testcase>',
      ].join('\n'));
    suites.push([
      `  <testsuite${attributes({ name: shown, tests: count, failures: found.length, errors: 0, skipped: 0, time: 0 })}>`,
      ...cases,
      '  </testsuite>',
    ].join('\n'));
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'canon check', tests, failures: diagnostics.length, errors: 0, time: 0 })}>`,
    ...suites,
    '</testsuites>',
  ].join('\n');
}
