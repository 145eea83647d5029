/**
 * A test-only `canon`: `merge`, `git-setup` and `fix` (not yet in src/cli/main.ts's command table) run
 * from their command modules, every other command through `main`. Bundled by extra-commands.ts.
 */
import { runFix } from '../../src/cli/commands/fix';
import { runGitSetup } from '../../src/cli/commands/git-setup';
import { runMerge } from '../../src/cli/commands/merge';
import { CannotRun } from '../../src/cli/context';
import { main } from '../../src/cli/main';
import { json, processOutput, type Output } from '../../src/cli/output';

/** Runs one invocation: the three new commands here, the rest through `main`. */
export async function extraMain(argv: string[], output: Output = processOutput()): Promise<number> {
  const [command, ...rest] = argv;
  const commands: Record<string, () => number | Promise<number>> = {
    merge: () => runMerge(rest, output),
    'git-setup': () => runGitSetup(rest, output),
    fix: () => runFix(rest, output),
  };
  const run = command === undefined ? undefined : commands[command];
  if (!run) return main(argv, output);
  try {
    return await run();
  } catch (error) {
    if (!(error instanceof CannotRun)) throw error;
    output.err(`canon ${command ?? ''}: ${error.message}`);
    if (rest.some((a, i) => a === '--format=json' || (a === '--format' && rest[i + 1] === 'json'))) output.out(json({ error: { command: command ?? null, message: error.message, exitCode: 2 } }));
    return 2;
  }
}
