import { RULE_DESCRIPTIONS, RULE_IDS } from '../core/rules/rule-ids';
import { ADD_HELP, runAdd } from './commands/add';
import { CHECK_HELP, runCheck } from './commands/check';
import { GUARDRAILS_HELP, runGuardrails } from './commands/guardrails';
import { INIT_HELP, runInit } from './commands/init';
import { PROMPT_HELP, runPrompt } from './commands/prompt';
import { runSession, SESSION_HELP } from './commands/session';
import { TABLES_HELP, runTables } from './commands/tables';
import { CannotRun } from './context';
import { processOutput, type Output } from './output';

const VERSION = '0.1.0';

const USAGE = `Usage: canon <command> [options]

Keeps a team's canonical doc stack true (control center, implementation plan, observability
playbook, rollout evidence log, operating model).

Commands:
  check        validate the whole stack                      (exit 0 ok, 1 errors, 2 cannot run)
  add <kind>   append one entry: status, decision, lesson, evidence, packet, query, trigger
  guardrails   evaluate the rollback triggers: promote, hold or rollback
  init         create the missing canonical notes from the preset's templates
  tables NOTE  show how Canon reads every table of a note
  session      start, status, tick, close: the session close checklist and summary
  prompt       print the operating model's meta prompt for an AI coder
  rules        list the rule ids

Every command takes --vault DIR (default: the current folder) and --help.
Run \`canon <command> --help\` for its options.`;

export const HELPS: Record<string, string> = { check: CHECK_HELP, add: ADD_HELP, guardrails: GUARDRAILS_HELP, init: INIT_HELP, tables: TABLES_HELP, session: SESSION_HELP, prompt: PROMPT_HELP };

/** Runs one CLI invocation; returns the exit status. User errors print one message, never a stack trace. */
export async function main(argv: string[], output: Output = processOutput(), now: () => Date = () => new Date()): Promise<number> {
  await Promise.resolve();
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'check': return runCheck(rest, output);
      case 'add': return runAdd(rest, output, now);
      case 'guardrails': return runGuardrails(rest, output);
      case 'init': return runInit(rest, output);
      case 'tables': return runTables(rest, output);
      case 'session': return runSession(rest, output, now);
      case 'prompt': return runPrompt(rest, output);
      case 'rules':
        output.out(RULE_IDS.map((id) => `${id.padEnd(28)} ${RULE_DESCRIPTIONS[id]}`).join('\n'));
        return 0;
      case '--version': case '-v':
        output.out(VERSION);
        return 0;
      case undefined: case '--help': case '-h': case 'help':
        output.out(rest[0] && HELPS[rest[0]] ? (HELPS[rest[0]] ?? USAGE) : USAGE);
        return command === undefined ? 2 : 0;
      default:
        output.err(`canon: \`${command}\` is not a command; expected one of check, add, guardrails, init, tables, session, prompt, rules\n\n${USAGE}`);
        return 2;
    }
  } catch (error) {
    if (error instanceof CannotRun) {
      output.err(`canon ${command}: ${error.message}`);
      return 2;
    }
    const message = error instanceof Error ? error.message : String(error);
    output.err(`canon ${command}: internal error: ${message}\nPlease report this with the command you ran.${process.env.CANON_DEBUG && error instanceof Error ? `\n${error.stack ?? ''}` : ''}`);
    return 2;
  }
}
