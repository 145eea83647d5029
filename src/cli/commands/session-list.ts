import { listSessions, type SessionSummary } from '../../core';
import { COMMON_OPTIONS, noPositionals, parseFlags, readFormat } from '../args';
import { openVault } from '../context';
import { json, paint, type Output } from '../output';

export const SESSION_LIST_HELP = `Usage: canon session list [--vault DIR] [--format text|json]

Lists the vault's sessions, open and closed, newest first: the note's path, the objective, when it
started and closed, its status and its packets. The JSON is
{"sessions": [{"path", "objective", "started", "closed" (null while open), "status", "packets"}]}.

Options:
  --vault DIR        the vault root (default: the current folder)
  --format FORMAT    text (default) or json
  -h, --help         show this help

Exit status: 0 listed (also when there is none), 2 cannot run.`;

/** `canon session list`. */
export function runSessionList(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { ...COMMON_OPTIONS, format: { type: 'string' } }, 'session list');
  if (values.help) {
    output.out(SESSION_LIST_HELP);
    return 0;
  }
  noPositionals(positionals, 'session list');
  const format = readFormat(values.format, 'session list');
  const list = listSessions(openVault(values.vault, true).vault);
  for (const p of list.problems) output.err(paint(output, 'yellow', `warning: ${p.path} is not a readable session note: ${p.problem}`));
  if (format === 'json') {
    output.out(json({ sessions: list.sessions }));
    return 0;
  }
  if (list.sessions.length === 0) {
    output.out('No sessions yet; start one with `canon session start --objective TEXT`.');
    return 0;
  }
  output.out([paint(output, 'bold', `${list.sessions.length} ${list.sessions.length === 1 ? 'session' : 'sessions'}, newest first:`), ...list.sessions.map((s) => sessionLine(s, output))].join('\n'));
  return 0;
}

/** Two lines a session: status, times and objective; then its note and packets. */
export function sessionLine(s: SessionSummary, output: Output): string {
  const when = `${s.started.replace('T', ' ')} → ${s.closed === null ? 'open' : s.closed.replace('T', ' ')}`;
  const status = s.status === 'open' ? paint(output, 'green', 'open  ') : paint(output, 'dim', 'closed');
  return `  ${status} ${when}  ${s.objective}\n         ${paint(output, 'dim', `${s.path} · packets ${s.packets.length > 0 ? s.packets.join(', ') : '(none)'}`)}`;
}
