/**
 * Row ids renumbered in text: every `D-6` naming a row whose id changed becomes its new id, in any
 * cell or line (a decision's Supersedes, a window's Notes, a status row's Evidence, a wiki link).
 */

/** Per id prefix (`D`), old number → new number. */
export type Renumbering = ReadonlyMap<string, ReadonlyMap<number, number>>;

/**
 * An id token: a capital prefix, a dash, digits, not inside a longer word. The character before is
 * matched, not looked behind (lookbehind does not load on iOS before 16.4, where the plugin runs).
 */
const TOKEN = /(^|[^A-Za-z0-9_])([A-Z]{1,3})-(\d{1,9})(?![0-9A-Za-z_])/g;

/** `text` with each id the renumbering names replaced at once (D-6 → D-7 and D-7 → D-8 do not chain). */
export function renumberIds(text: string, renumbering: Renumbering): { text: string; count: number } {
  if (renumbering.size === 0) return { text, count: 0 };
  let count = 0;
  const out = text.replace(TOKEN, (match, before: string, prefix: string, digits: string) => {
    const to = renumbering.get(prefix)?.get(Number(digits));
    if (to === undefined) return match;
    count++;
    return `${before}${prefix}-${to}`;
  });
  return { text: out, count };
}

/** The ids `text` names, as prefix and number, in order. */
export function idsIn(text: string): { prefix: string; n: number }[] {
  const out: { prefix: string; n: number }[] = [];
  for (const m of text.matchAll(TOKEN)) out.push({ prefix: m[2] ?? '', n: Number(m[3]) });
  return out;
}

/** Two renumberings as one (the first's entries win for a number both name). */
export function joinRenumberings(a: Renumbering, b: Renumbering): Renumbering {
  const out = new Map<string, Map<number, number>>();
  for (const source of [b, a]) {
    for (const [prefix, map] of source) {
      const into = out.get(prefix) ?? new Map<number, number>();
      for (const [from, to] of map) into.set(from, to);
      out.set(prefix, into);
    }
  }
  return out;
}
