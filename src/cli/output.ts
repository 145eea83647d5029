/** Where a command writes: injectable so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Colour is used only on a terminal and when NO_COLOR is unset. */
  color: boolean;
}

/** The process's own stdout and stderr. */
export function processOutput(): Output {
  return {
    out: (text) => process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    color: Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined,
  };
}

const CODES = { red: 31, yellow: 33, green: 32, dim: 2, bold: 1, cyan: 36 } as const;

/** Wraps text in an ANSI colour when the output wants colour. */
export function paint(output: Output, color: keyof typeof CODES, text: string): string {
  return output.color ? `\u001b[${CODES[color]}m${text}\u001b[0m` : text;
}

/** JSON as Canon prints it: two-space indentation. */
export function json(value: unknown): string {
  return JSON.stringify(value, null, 2);
}
