import type { Diagnostic } from '../rules/rule-ids';

/** Whether a `table/malformed` problem is the one an unescaped `[[note|alias]]` causes (the scanner names it). */
export function isAliasPipe(d: Diagnostic): boolean {
  return d.rule === 'table/malformed' && d.message.includes('[[note|alias]]');
}

/**
 * Where a backslash goes before each unescaped `|` inside a `[[…]]` link of `text` (offsets into it).
 * Each `[[` and `]]` is found once with `indexOf` (a link is the last `[[` before the next `]]`), so a
 * long run of brackets costs what its length does.
 */
export function aliasPipes(text: string): number[] {
  const out: number[] = [];
  let from = 0;
  for (;;) {
    const open = text.indexOf('[[', from);
    if (open < 0) break;
    const close = text.indexOf(']]', open + 2);
    if (close < 0) break;
    const start = text.lastIndexOf('[[', close - 1);
    for (let at = text.indexOf('|', start + 2); at >= 0 && at < close; at = text.indexOf('|', at + 1)) {
      let slashes = 0;
      while (at - 1 - slashes >= start && text.charCodeAt(at - 1 - slashes) === 92) slashes++;
      if (slashes % 2 === 0) out.push(at);
    }
    from = close + 2;
  }
  return out;
}
