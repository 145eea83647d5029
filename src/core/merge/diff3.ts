/**
 * A three-way line merge: the changes from `base` to each side, applied together. Changes of the two
 * sides that overlap or touch (no unchanged line between them) are a conflict unless both sides made
 * the same change — git's own rule (xdiff's `xdl_do_merge`), so that what merges here merges in git.
 */
import { diffLines, type Hunk } from './diff';

/** Where a stretch of the merged lines came from: the base, one side's change, or the same change on both. */
export type Origin = 'base' | 'ours' | 'theirs' | 'both';

export interface MergedChunk {
  origin: Origin;
  lines: string[];
}

export type Merge3Result =
  | { ok: true; chunks: MergedChunk[] }
  /** `baseFrom`/`baseTo`: the 0-based base lines both sides changed (an insertion: equal). */
  | { ok: false; baseFrom: number; baseTo: number; tooLarge?: boolean };

/** Merges `ours` and `theirs` (each a change of `base`), all given as lines with their endings. */
export function merge3(base: readonly string[], ours: readonly string[], theirs: readonly string[]): Merge3Result {
  const a = diffLines(base, ours);
  const b = diffLines(base, theirs);
  if (!a || !b) return { ok: false, baseFrom: 0, baseTo: base.length, tooLarge: true };
  const chunks: MergedChunk[] = [];
  const push = (origin: Origin, lines: readonly string[]): void => {
    if (lines.length === 0) return;
    const last = chunks[chunks.length - 1];
    if (last?.origin === origin) last.lines.push(...lines);
    else chunks.push({ origin, lines: [...lines] });
  };
  let i = 0;
  let j = 0;
  let pos = 0;
  while (i < a.length || j < b.length) {
    const nextA = a[i];
    const nextB = b[j];
    const startsWithA = nextA !== undefined && (nextB === undefined || nextA.aFrom <= nextB.aFrom);
    const first = (startsWithA ? nextA : nextB) as Hunk;
    const groupFrom = first.aFrom;
    let groupTo = first.aTo;
    const fromI = i;
    const fromJ = j;
    if (startsWithA) i++;
    else j++;
    // Hunks of either side that overlap or touch the group join it (git: `i1 + chg1 < i2` is the only way apart).
    for (;;) {
      if (i < a.length && (a[i] as Hunk).aFrom <= groupTo) {
        groupTo = Math.max(groupTo, (a[i] as Hunk).aTo);
        i++;
      } else if (j < b.length && (b[j] as Hunk).aFrom <= groupTo) {
        groupTo = Math.max(groupTo, (b[j] as Hunk).aTo);
        j++;
      } else break;
    }
    push('base', base.slice(pos, groupFrom));
    const oursPart = i > fromI ? sideLines(ours, a, fromI, i, groupFrom, groupTo) : null;
    const theirsPart = j > fromJ ? sideLines(theirs, b, fromJ, j, groupFrom, groupTo) : null;
    if (oursPart && theirsPart) {
      if (!sameLines(oursPart, theirsPart)) return { ok: false, baseFrom: groupFrom, baseTo: groupTo };
      push('both', oursPart);
    } else if (oursPart) push('ours', oursPart);
    else if (theirsPart) push('theirs', theirsPart);
    pos = groupTo;
  }
  push('base', base.slice(pos));
  return { ok: true, chunks };
}

/** A side's lines for base lines [from, to), given its hunks [first, end) that lie in that range. */
function sideLines(side: readonly string[], hunks: readonly Hunk[], first: number, end: number, from: number, to: number): string[] {
  const h0 = hunks[first] as Hunk;
  const hLast = hunks[end - 1] as Hunk;
  // Outside its hunks a side's lines are the base's, shifted by what its earlier hunks added or removed.
  const sideFrom = h0.bFrom - (h0.aFrom - from);
  const sideTo = hLast.bTo + (to - hLast.aTo);
  return side.slice(sideFrom, sideTo);
}

function sameLines(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return false;
  return true;
}
