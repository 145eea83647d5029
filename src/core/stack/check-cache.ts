/**
 * What a host that checks the same stack again and again (the plugin, on every edit) keeps between
 * checks: each note's parse, each canonical table's bind and the guardrail evaluations. A note edited
 * only inside table body rows is parsed and bound again incrementally; anything else from scratch.
 * Every result equals a check without the cache.
 */
import { reparseNote, reparseNoteSteps, type Reparse } from '../markdown/incremental-parse';
import { parseNoteTracked } from '../markdown/parse-note';
import { drain, type Steps } from '../steps';
import type { ParsedNote } from '../markdown/types';
import type { Diagnostic } from '../rules/rule-ids';
import type { EntryKind, TableSchema } from '../schema/table-schema';
import { GuardrailMemo } from '../guardrails/guardrail-memo';
import type { BoundTable } from './bind-table';
import { rebindTableSteps, type KeptBind } from './rebind-table';

/** Parses, binds and guardrail evaluations kept between checks of one stack; pass it to `checkStack`. */
export class CheckCache {
  private readonly parses = new Map<string, Reparse>();
  private readonly binds = new Map<EntryKind, KeptBind>();
  readonly guardrails = new GuardrailMemo();

  /** The parse of a note's text: the kept one when the text is the same, else re-parsed from it. */
  parse(path: string, text: string): ParsedNote {
    return drain(this.parseSteps(path, text));
  }

  /** `parse` as work that can pause (a note parsed from scratch pauses between slices of its cells). */
  *parseSteps(path: string, text: string): Steps<ParsedNote> {
    const kept = this.parses.get(path);
    if (kept?.note.text === text) return kept.note;
    const next = yield* reparseNoteSteps(kept, text);
    // Another parse of the note may have been kept while this one paused: the later text wins.
    if (this.parses.get(path) !== kept) return next.note;
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
    return drain(this.bindSteps(schema, path, note, out));
  }

  /** `bind` as work that can pause (a table bound from scratch pauses between slices of its rows). */
  *bindSteps(schema: TableSchema, path: string, note: ParsedNote, out: Diagnostic[]): Steps<BoundTable> {
    const parse = this.parses.get(path);
    const edit = parse?.note === note ? parse.edit : null;
    const kept = yield* rebindTableSteps(this.binds.get(schema.kind), schema, path, note, edit, out);
    this.binds.set(schema.kind, kept);
    return kept.bound;
  }

  /** Forgets the notes that are not among `paths` (renamed, deleted or no longer canonical). */
  retain(paths: ReadonlySet<string>): void {
    for (const path of this.parses.keys()) if (!paths.has(path)) this.parses.delete(path);
    for (const [kind, kept] of this.binds) if (!paths.has(kept.bound.path)) this.binds.delete(kind);
  }
}
