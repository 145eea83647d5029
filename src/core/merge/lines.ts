/** A text as lines that keep their line endings, so that joining them gives the text back byte for byte. */
export function splitLines(text: string): string[] {
  const lines: string[] = [];
  let from = 0;
  for (;;) {
    const at = text.indexOf('\n', from);
    if (at < 0) break;
    lines.push(text.slice(from, at + 1));
    from = at + 1;
  }
  if (from < text.length) lines.push(text.slice(from));
  return lines;
}

/** The ending of a line (`\r\n`, `\n`, or `` for a last line without one). */
export function lineEnding(line: string): string {
  return line.endsWith('\r\n') ? '\r\n' : line.endsWith('\n') ? '\n' : '';
}
