/**
 * Which cell and heading texts need remark, and the plain text of those that do not: the checks that
 * run on every cell of every table while the scanner reads rows (table-row.ts), kept apart from the
 * remark batch of inline-text.ts that only some texts reach.
 */
import { needsRemarkAt, plainInline } from './inline-plain';

function isAsciiPunctuation(c: number): boolean {
  return (c >= 33 && c <= 47) || (c >= 58 && c <= 64) || (c >= 91 && c <= 96) || (c >= 123 && c <= 126);
}

function isAsciiAlnum(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/**
 * Whether inline parsing could make the plain text of `s` differ from `s` itself. Safe without
 * parsing: `_` between two ASCII letters or digits (never emphasis), `<` with no `:`/`@` before the
 * next `>` (raw HTML keeps its text, autolinks need one), `&` with no `;` after it, `\` before a
 * character that is not ASCII punctuation, and `[`/`]` in a note without definitions unless `](`.
 * Linear: each `<` looks no further than the `>` that the previous one found.
 */
export function needsInlineParse(s: string, hasDefinitions: boolean): boolean {
  return needsInlineParseAt(s, 0, s.length, hasDefinitions);
}

/** `needsInlineParse` of `s.slice(from, to)`, without the slice. */
export function needsInlineParseAt(s: string, from: number, to: number, hasDefinitions: boolean): boolean {
  // The last `;` is looked for once, when a `&` first needs it (-2: not yet).
  let lastSemicolon = -2;
  let tagEnd = -1;
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c > 126 || (c > 0 && c < 33) || isAsciiAlnum(c)) continue;
    switch (c) {
      case 0:
      case 42:
      case 96:
      case 126:
        return true;
      case 92:
        if (i + 1 < to && isAsciiPunctuation(s.charCodeAt(i + 1))) return true;
        break;
      case 95:
        if (!(i > from && i + 1 < to && isAsciiAlnum(s.charCodeAt(i - 1)) && isAsciiAlnum(s.charCodeAt(i + 1)))) return true;
        break;
      case 60:
        if (i > tagEnd) {
          tagEnd = to;
          for (let j = i + 1; j < to; j++) {
            if (s.charCodeAt(j) === 62) {
              tagEnd = j;
              break;
            }
          }
          if (tagEnd < to) for (let j = i + 1; j < tagEnd; j++) if (s.charCodeAt(j) === 58 || s.charCodeAt(j) === 64) return true;
        }
        break;
      case 38:
        if (lastSemicolon === -2) {
          lastSemicolon = -1;
          for (let j = to - 1; j > i; j--) {
            if (s.charCodeAt(j) === 59) {
              lastSemicolon = j;
              break;
            }
          }
        }
        if (lastSemicolon > i) return true;
        break;
      case 91:
        if (hasDefinitions) return true;
        break;
      case 93:
        if (hasDefinitions || (i + 1 < to && s.charCodeAt(i + 1) === 40)) return true;
        break;
    }
  }
  return false;
}

/** `raw.trim()`, without allocating when there is nothing to trim. */
export function trimmed(raw: string): string {
  const n = raw.length;
  if (n === 0) return raw;
  const a = raw.charCodeAt(0);
  const b = raw.charCodeAt(n - 1);
  return a > 32 && a < 127 && b > 32 && b < 127 ? raw : raw.trim();
}

/** Longest cell or heading text that gets inline parsing; longer ones keep their source text. */
const MAX_INLINE = 20_000;
/** Characters of cells and headings one note may send to remark (about 3 s of micromark). */
export const BATCH_BUDGET = 200_000;

/** What is left of a note's remark budget, and whether any text was refused it (kept its source text). */
export interface InlineBudget {
  left: number;
  refused: boolean;
}

/** A fresh note budget. */
export function inlineBudget(): InlineBudget {
  return { left: BATCH_BUDGET, refused: false };
}

/** How much of the note budget a cell's raw text asks for (0 when it needs no remark). */
export function cellDemand(raw: string, hasDefinitions: boolean): number {
  return localPlain(raw, true, hasDefinitions) === null ? raw.length : 0;
}

/** Whether the cell `text[from, to)` needs remark: `localPlain` of it would be null. No slice, no plain text built. */
export function needsRemarkCell(text: string, from: number, to: number, hasDefinitions: boolean): boolean {
  return needsInlineParseAt(text, from, to, hasDefinitions) && to - from <= MAX_INLINE && needsRemarkAt(text, from, to, hasDefinitions);
}

/**
 * The plain text of a table cell whose source may hold markup, when remark is not needed for it (see
 * `localPlain`), trimmed: what a scanned row's cell reads as when first asked for.
 */
export function cellPlainText(raw: string, hasDefinitions: boolean): string {
  const plain = localPlain(raw, true, hasDefinitions);
  return plain === null ? raw.trim() : trimmed(plain);
}

/**
 * Plain text of `s` when it needs no remark (no markup, or only what inline-plain.ts handles, or
 * text too long for inline work: a documented divergence that keeps pathological notes fast), else null.
 */
export function localPlain(s: string, inTable: boolean, hasDefinitions: boolean): string | null {
  if (!needsInlineParse(s, hasDefinitions)) return s;
  if (s.length > MAX_INLINE) return s;
  return plainInline(s, inTable, hasDefinitions);
}
