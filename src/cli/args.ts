import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CannotRun } from './context';

export type Format = 'text' | 'json';

/** Parses a command's flags strictly: an unknown or malformed flag is a CannotRun with the usage hint. */
export function parseFlags<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, command: string): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: true; strict: true }>> {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (error) {
    const message = error instanceof Error ? error.message.replace(/\. To specify a positional.*$/s, '') : String(error);
    throw new CannotRun(`${message}; see \`canon ${command} --help\``);
  }
}

/** Reads `--format`, defaulting to text. */
export function readFormat(value: string | undefined, command: string): Format {
  if (value === undefined || value === 'text' || value === 'json') return value ?? 'text';
  throw new CannotRun(`--format \`${value}\` is not a format; expected text or json (see \`canon ${command} --help\`)`);
}

/** The flags every command takes. */
export const COMMON_OPTIONS = {
  vault: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** Refuses arguments a command does not take (a stray word is a typo or a quoting mistake, not something to ignore). */
export function noPositionals(positionals: readonly string[], command: string, hint = ''): void {
  const [first] = positionals;
  if (first !== undefined) throw new CannotRun(`unexpected argument \`${first}\`${hint}; see \`canon ${command} --help\``);
}
