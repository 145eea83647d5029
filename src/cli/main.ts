import { DEFAULT_SEVERITY, RULE_DESCRIPTIONS, RULE_IDS } from '../core';
import { CANON_VERSION } from './formats/tool';
import { ADD_HELP, runAdd } from './commands/add';
import { CHECK_HELP, runCheck } from './commands/check';
import { EDIT_HELP, runEdit } from './commands/edit';
import { FIX_HELP, runFix } from './commands/fix';
import { GIT_SETUP_HELP, runGitSetup } from './commands/git-setup';
import { MERGE_HELP, runMerge } from './commands/merge';
import { GUARDRAILS_HELP, runGuardrails } from './commands/guardrails';
import { INIT_HELP, runInit } from './commands/init';
import { PROMPT_HELP, runPrompt } from './commands/prompt';
import { runSession, SESSION_HELP } from './commands/session';
import { TABLES_HELP, runTables } from './commands/tables';
import { noPositionals, parseFlags, readFormat } from './args';
import { CannotRun } from './context';
import { fsFailure } from './fs-errors';
import { json, processOutput, type Output } from './output';

const USAGE = `Usage: canon <command> [options]

Keeps a team's canonical doc stack true (control center, implementation plan, observability
playbook, rollout evidence log, operating model).

Commands:
  check        validate the whole stack                      (exit 0 ok, 1 errors, 2 cannot run)
  add <kind>   append one entry: status, decision, lesson, evidence, packet, query, trigger
  edit ID      change cells of the row with id ID (W-12, D-3, P-4): --set Column=value
  guardrails   evaluate the rollback triggers: promote, hold or rollback
  init         create the missing canonical notes from the preset's templates
  tables NOTE  show how Canon reads every table of a note
  session      start, attach, status, verify, tick, close, list: the operating loop
  prompt       print the coder prompt: the operating model's, with the open session
  merge        git's merge driver for the canonical notes; --copy folds a sync conflict copy
  git-setup    register canon merge for the canonical notes (.gitattributes, git config)
  fix          apply the fixes Canon knows (rate, duplicate id, alias pipe, superseded status)
  rules        list the rule ids

Every command takes --vault DIR (default: the current folder) and --help.
Run \`canon <command> --help\` for its options.`;

export const HELPS: Record<string, string> = { check: CHECK_HELP, add: ADD_HELP, edit: EDIT_HELP, guardrails: GUARDRAILS_HELP, init: INIT_HELP, tables: TABLES_HELP, session: SESSION_HELP, prompt: PROMPT_HELP, merge: MERGE_HELP, 'git-setup': GIT_SETUP_HELP, fix: FIX_HELP };

/** Runs one CLI invocation; returns the exit status. User errors print one message, never a stack trace. */
export async function main(argv: string[], output: Output = processOutput(), now: () => Date = () => new Date()): Promise<number> {
  await Promise.resolve();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return runCheck(rest, output);
      case 'add': return await runAdd(rest, output, now);
      case 'edit': return await runEdit(rest, output, now);
      case 'guardrails': return runGuardrails(rest, output);
      case 'init': return runInit(rest, output);
      case 'tables': return runTables(rest, output);
      case 'session': return await runSession(rest, output, now);
      case 'prompt': return runPrompt(rest, output);
      case 'merge': return await runMerge(rest, output);
      case 'git-setup': return runGitSetup(rest, output);
      case 'fix': return await runFix(rest, output);
      case 'rules': return runRules(rest, output);
      case '--version': case '-v':
        output.out(CANON_VERSION);
        return 0;
      case undefined: case '--help': case '-h': case 'help':
        output.out(rest[0] && HELPS[rest[0]] ? (HELPS[rest[0]] ?? USAGE) : USAGE);
        return command === undefined ? 2 : 0;
      default:
        output.err(`canon: \`${command}\` is not a command; expected one of check, add, edit, guardrails, init, tables, session, prompt, merge, git-setup, fix, rules\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    const known = error instanceof CannotRun ? error : fsProblem(error);
    if (known) {
      output.err(`canon ${command}: ${known.message}`);
      if (wantsJson(rest)) output.out(json({ error: { command: command ?? null, message: known.message, exitCode: 2 } }));
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.err(`canon ${command}: internal error: ${message}\nPlease report this with the command you ran.${process.env.CANON_DEBUG && error instanceof Error ? `\n${error.stack ?? ''}` : ''}`);
    if (wantsJson(rest)) output.out(json({ error: { command: command ?? null, message: `internal error: ${message}`, exitCode: 2 } }));
    return 2;
  }
}

/** A file-system error no command caught: still a sentence with path, operation and cause, never "internal error". */
function fsProblem(error: unknown): CannotRun | null {
  const e = error as { code?: unknown; syscall?: unknown; path?: unknown } | null;
  if (typeof e?.code !== 'string' || !/^E[A-Z]+$/.test(e.code)) return null;
  const operation = typeof e.syscall === 'string' ? e.syscall : 'use';
  return fsFailure(operation, typeof e.path === 'string' ? e.path : '(a file)', error);
}

/** Whether the command asked for JSON (so that even a failure prints a JSON object). */
function wantsJson(argv: readonly string[]): boolean {
  return argv.some((a, i) => a === '--format=json' || (a === '--format' && argv[i + 1] === 'json'));
}

/** `canon rules [--format text|json]`. */
function runRules(argv: string[], output: Output): number {
  const { values, positionals } = parseFlags(argv, { format: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, 'rules');
  if (values.help) {
    output.out('Usage: canon rules [--format text|json]\n\nLists the rule ids with their default severity and what each reports.');
    return 0;
  }
  noPositionals(positionals, 'rules');
  const rules = RULE_IDS.map((id) => ({ id, severity: DEFAULT_SEVERITY[id], description: RULE_DESCRIPTIONS[id] }));
  output.out(readFormat(values.format, 'rules') === 'json'
    ? json({ rules })
    : rules.map((r) => `${r.id.padEnd(28)} ${r.severity.padEnd(8)} ${r.description}`).join('\n'));
  return 0;
}
