/** A splice of the note text: replace `from`..`to` with `insert`. */
export interface TextEdit {
  from: number;
  to: number;
  insert: string;
}

/** Applies non-overlapping edits to a text (in any order given). */
export function applyEdits(text: string, edits: readonly TextEdit[]): string {
  const sorted = [...edits].sort((a, b) => b.from - a.from);
  let out = text;
  for (const edit of sorted) out = out.slice(0, edit.from) + edit.insert + out.slice(edit.to);
  return out;
}
