/** Where a command writes: injectable so tests can capture output. */
export interface Output {
  out(text: string): void;
  err(text: string): void;
  /** Colour is used only on a terminal and when NO_COLOR is unset. */
  color: boolean;
}

/** The process's own stdout and stderr; terminal control sequences from notes are shown, not obeyed. */
export function processOutput(): Output {
  const color = Boolean(process.stdout.isTTY) && process.env.NO_COLOR === undefined;
  const line = (text: string): string => {
    const clean = showControls(text, color);
    return clean.endsWith('\n') ? clean : `${clean}\n`;
  };
  return {
    out: (text) => process.stdout.write(line(text)),
    err: (text) => process.stderr.write(line(text)),
    color,
  };
}

/** Control characters but tab and line feed, except (when painting) the colour codes `paint` writes. */
// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are made visible.
const CONTROLS = /\u001b\[(?:[0-9]{1,2})m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

/**
 * Text with every control character a note could hold made visible (ESC as ␛, other C0 controls as
 * their control pictures, C1 as U+FFFD), so a cell cannot move the cursor, clear the screen, set the
 * title or write the clipboard. Only `paint`'s own colour codes pass, and only when writing colour.
 */
export function showControls(text: string, keepColor = false): string {
  return text.replace(CONTROLS, (c) => {
    if (c.length > 1) return keepColor ? c : '\u241B' + c.slice(1);
    const code = c.charCodeAt(0);
    if (code < 0x20) return String.fromCharCode(0x2400 + code);
    return code === 0x7f ? '\u2421' : '\uFFFD';
  });
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
