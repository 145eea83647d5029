/**
 * What a host that checks the same stack again and again (the plugin, on every edit) keeps between
 * checks: each note's parse, each canonical table's bind and the guardrail evaluations. A note edited
 * only inside table body rows is parsed and bound again incrementally; anything else from scratch.
 * Every result equals a check without the cache.
 */
import { reparseNote, type Reparse } from '../markdown/incremental-parse';
import { parseNoteTracked } from '../markdown/parse-note';
import type { ParsedNote } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import type { EntryKind, TableSchema } from '../schema/table-schema';
import { GuardrailMemo } from '../guardrails/guardrail-memo';
import type { BoundTable } from './bind-table';
import { rebindTable, type KeptBind } from './rebind-table';

/** Parses, binds and guardrail evaluations kept between checks of one stack; pass it to `checkStack`. */
export class CheckCache {
  private readonly parses = new Map<string, Reparse>();
  private readonly binds = new Map<EntryKind, KeptBind>();
  readonly guardrails = new GuardrailMemo();

  /** The parse of a note's text: the kept one when the text is the same, else re-parsed from it. */
  parse(path: string, text: string): ParsedNote {
    const kept = this.parses.get(path);
    if (kept?.note.text === text) return kept.note;
    const next: Reparse = kept ? reparseNote(kept, text) : { ...parseNoteTracked(text), edit: null };
    // One step of history is enough (a bind goes back one parse); older notes can be collected.
    if (kept) kept.edit = null;
    this.parses.set(path, next);
    return next.note;
  }

  /** The parse of a text standing in for a note (an append being planned), from the kept parse; nothing is kept. */
  parseAside(path: string, text: string): ParsedNote {
    const kept = this.parses.get(path);
    if (kept?.note.text === text) return kept.note;
    return (kept ? reparseNote(kept, text) : parseNoteTracked(text)).note;
  }

  /** `bindTable`, from the kept bind of the same table when the note is the kept parse. */
  bind(schema: TableSchema, path: string, note: ParsedNote, out: Diagnostic[]): BoundTable {
    const parse = this.parses.get(path);
    const edit = parse?.note === note ? parse.edit : null;
    const kept = rebindTable(this.binds.get(schema.kind), schema, path, note, edit, out);
    this.binds.set(schema.kind, kept);
    return kept.bound;
  }

  /** Forgets the notes that are not among `paths` (renamed, deleted or no longer canonical). */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.parses.keys()) if (!paths.has(path)) this.parses.delete(path);
    for (const [kind, kept] of this.binds) if (!paths.has(kept.bound.path)) this.binds.delete(kind);
  }
}
