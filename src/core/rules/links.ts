import type { LinkRef } from '../schema/cell-type';
import { cellAt, valuesOf } from '../stack/bind-table';
import type { StackModel, Rule } from '../stack/model';
import { sectionKey } from '../stack/sections';

/** Which table a bare row id's prefix points into. */
const ID_TABLES = { W: 'evidence', D: 'decision', P: 'packet' } as const;
const ID_PREFIXES: ReadonlySet<string> = new Set(Object.keys(ID_TABLES));

/** A set of row numbers: those up to a bound (a table's ids are usually 1…n) as flags, the rest in a set. */
class IdSet {
  private readonly small: Uint8Array;
  private readonly large = new Set<number>();

  constructor(rows: number) {
    this.small = new Uint8Array(2 * rows + 16);
  }

  add(n: number): void {
    if (Number.isInteger(n) && n >= 0 && n < this.small.length) this.small[n] = 1;
    else this.large.add(n);
  }

  has(n: number): boolean {
    if (Number.isInteger(n) && n >= 0 && n < this.small.length) return this.small[n] === 1;
    return this.large.has(n);
  }
}

/** Resolves links the way Obsidian does: by path or by file name, case-insensitively. */
export class LinkResolver {
  private readonly byKey = new Map<string, string>();
  /** Row ids by prefix (`W` → the numbers of Rollout Windows), collected on first need. */
  private readonly rowIds = new Map<string, IdSet>();
  private readonly headingCache = new Map<string, Set<string>>();

  constructor(private readonly model: StackModel) {
    const keys = (path: string): [string, string] => {
      const bare = path.replace(/\.md$/i, '').toLowerCase();
      return [bare, bare.slice(bare.lastIndexOf('/') + 1)];
    };
    // Which note a key names depends on the order (shallowest first, then by path) only when two notes
    // share a key; otherwise any order gives the same map, and the locale-aware sort is skipped.
    let shared = false;
    for (const { path } of model.vault.notes) {
      for (const key of keys(path)) {
        const owner = this.byKey.get(key);
        if (owner === undefined) this.byKey.set(key, path);
        else if (owner !== path) shared = true;
      }
    }
    if (!shared) return;
    this.byKey.clear();
    const notes = [...model.vault.notes].sort((a, b) => a.path.split('/').length - b.path.split('/').length || a.path.localeCompare(b.path));
    for (const { path } of notes) {
      const [bare, name] = keys(path);
      if (!this.byKey.has(bare)) this.byKey.set(bare, path);
      if (!this.byKey.has(name)) this.byKey.set(name, path);
    }
  }

  /** The ids of the table a prefix points into. */
  private idsOf(prefix: keyof typeof ID_TABLES): IdSet {
    let ids = this.rowIds.get(prefix);
    if (!ids) {
      const bound = this.model.tables.get(ID_TABLES[prefix]);
      const store = bound ? valuesOf(bound) : null;
      ids = new IdSet(store?.size ?? 0);
      const i = bound?.schema.columns.findIndex((c) => c.type.kind === 'id') ?? -1;
      const numbers = store && i >= 0 ? store.nums[i] : null;
      if (numbers) {
        for (let j = 0; j < numbers.length; j++) {
          const n = numbers[j] as number;
          if (!Number.isNaN(n)) ids.add(n);
        }
      }
      this.rowIds.set(prefix, ids);
    }
    return ids;
  }

  /** The note a wiki-link target names, or undefined. */
  note(target: string): string | undefined {
    return this.byKey.get(target.replace(/\.md$/i, '').replace(/^\/+/, '').toLowerCase());
  }

  /** Whether a row id (`W-12`) exists in its table. */
  hasRowId(id: string): boolean {
    // `W-12` names row 12 of Rollout Windows exactly when its digits are how 12 is written.
    const upper = id.toUpperCase();
    const dash = upper.indexOf('-');
    const prefix = upper.slice(0, dash);
    if (dash < 0 || !ID_PREFIXES.has(prefix)) return false;
    const digits = upper.slice(dash + 1);
    const n = Number(digits);
    return String(n) === digits && this.idsOf(prefix as keyof typeof ID_TABLES).has(n);
  }

  /** Why a link does not resolve, or null when it does. `from` is the linking note (for `[[#heading]]`). */
  problem(link: LinkRef, from: string): string | null {
    if (link.kind === 'row-id') return this.hasRowId(link.id) ? null : `row id \`${link.id}\` does not exist; expected an id of ${idTableName(link.id)}`;
    if (/\.(?!md$)[a-z0-9]{1,5}$/i.test(link.target)) return null; // attachments are not indexed
    const path = link.target === '' ? from : this.note(link.target);
    if (path === undefined) {
      if (link.heading === null && this.hasRowId(link.target)) return null;
      return `\`${link.raw}\` links to no note; expected a note named \`${link.target}\` in the vault`;
    }
    if (link.heading === null || link.heading.startsWith('^')) return null;
    if (this.headings(path).has(sectionKey(link.heading)) || this.hasRowId(link.heading)) return null;
    return `\`${link.raw}\`: \`${path}\` has no heading \`${link.heading}\`; expected one of its headings`;
  }

  private headings(path: string): Set<string> {
    let set = this.headingCache.get(path);
    if (!set) {
      const parsed = this.model.notes.get(path);
      const texts = parsed ? parsed.headings.map((h) => h.text) : (this.model.vault.headings(path) ?? []);
      set = new Set(texts.map(sectionKey));
      this.headingCache.set(path, set);
    }
    return set;
  }
}

function idTableName(id: string): string {
  const prefix = id.slice(0, id.indexOf('-')).toUpperCase();
  const kind = ID_TABLES[prefix as keyof typeof ID_TABLES] as string | undefined;
  return kind === 'evidence' ? 'Rollout Windows' : kind === 'decision' ? 'the Decision Log' : kind === 'packet' ? 'Work Packets' : 'a canonical table (W-, D- or P-)';
}

/** `link/unresolved`: every link in a links cell names a note, a heading in it, or an existing row id. */
export const linkRule: Rule = {
  ids: ['link/unresolved'],
  check(model, out) {
    const resolver = new LinkResolver(model);
    for (const bound of model.tables.values()) {
      bound.schema.columns.forEach((column, i) => {
        if (column.type.kind !== 'links') return;
        const store = valuesOf(bound);
        for (let j = 0; j < store.size; j++) {
          const links = store.object(j, i) as LinkRef[] | undefined;
          if (!links || !store.hasCell(j, i)) continue;
          for (const link of links) {
            const problem = resolver.problem(link, bound.path);
            const cell = problem ? store.cell(j, i) : undefined;
            if (problem && cell) out.push(cellAt(bound.path, bound.note, store.rowAt(j), cell, 'link/unresolved', 'error', problem));
          }
        }
      });
    }
  },
};
