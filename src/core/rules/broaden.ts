import { columnIndex, offsetAt, valuesOf, type BoundTable } from '../stack/bind-table';
import type { Rule, StackModel } from '../stack/model';
import { drain, ROWS_PER_STEP } from '../steps';
import { namedDecisions } from './guardrails';

/**
 * `guardrail/broaden-unguarded` (README "Command line", seed §7 "broaden with guardrails: thresholds, cadence,
 * owner and response"): a window whose Traffic is higher than the previous window's broadens the
 * rollout. Every rollback trigger must then have an Owner, a Response and a Cadence, and the
 * window's Notes, or a Decision Log row that names the window, must name the decision (`D-n`).
 */
export const broadenRule: Rule & Required<Pick<Rule, 'steps'>> = {
  ids: ['guardrail/broaden-unguarded'],
  check(model, out) {
    drain(broadenRule.steps(model, out));
  },
  *steps(model, out) {
    const windows = model.tables.get('evidence');
    if (!windows?.table) return;
    const store = valuesOf(windows);
    const at = { id: columnIndex(windows.schema, 'Window'), traffic: columnIndex(windows.schema, 'Traffic'), notes: columnIndex(windows.schema, 'Notes') };
    const unguarded = unguardedTriggers(model.tables.get('trigger'));
    const decisions = decisionRows(model);
    let previous: number | null = null;
    for (let j = 0; j < store.size; j++) {
      if (j % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
      if (store.malformed[j]) continue;
      const traffic = store.value(j, at.traffic);
      if (typeof traffic !== 'number') continue;
      const before = previous;
      previous = traffic;
      if (before === null || traffic <= before) continue;
      const id = store.text(j, at.id) ?? '';
      const named = namedDecisions(store.text(j, at.notes) ?? '').some((d) => decisions.ids.has(d)) || decisions.naming(id);
      if (unguarded.length === 0 && named) continue;
      const missing: string[] = [];
      if (unguarded.length > 0) missing.push(`while ${unguarded.join('; ')} (expected an Owner, a Response and a Cadence on every rollback trigger)`);
      if (!named) missing.push(`with no decision named for it (expected a decision such as D-4 in ${id || 'the window'}'s Notes, or a Decision Log row naming ${id || 'the window'})`);
      const cell = store.cell(j, at.traffic);
      const row = store.rowAt(j);
      out.push(offsetAt(
        windows.path, windows.note, row.line, row.lineFrom, cell ? cell.from : row.from, 'guardrail/broaden-unguarded', 'warning',
        `${id || 'this window'} broadens traffic from ${before}% to ${traffic}% ${missing.join(', and ')}`,
      ));
    }
  },
};

/** Each trigger that lacks an Owner, a Response or a Cadence: `` `Latency regression` has no Cadence ``. */
function unguardedTriggers(table: BoundTable | undefined): string[] {
  if (!table?.table) return [];
  const store = valuesOf(table);
  const name = columnIndex(table.schema, 'Trigger');
  const needed = ['Owner', 'Response', 'Cadence'].map((column) => ({ column, at: columnIndex(table.schema, column) }));
  const out: string[] = [];
  for (let j = 0; j < store.size; j++) {
    if (store.malformed[j]) continue;
    const lacking = needed.filter(({ at }) => !(store.text(j, at) ?? '').trim()).map(({ column }) => column);
    if (lacking.length > 0) out.push(`\`${store.text(j, name) || `line ${store.line(j)}`}\` has no ${lacking.join(', ')}`);
  }
  return out;
}

/** The Decision Log's ids, and whether a row names a window id in its text cells. */
function decisionRows(model: StackModel): { ids: Set<string>; naming(id: string): boolean } {
  const table = model.tables.get('decision');
  const ids = new Set<string>();
  const texts: string[] = [];
  if (table) {
    const store = valuesOf(table);
    const at = columnIndex(table.schema, 'ID');
    const columns = ['Decision', 'Rationale'].map((c) => columnIndex(table.schema, c));
    for (let j = 0; j < store.size; j++) {
      const id = store.text(j, at);
      if (!id || store.malformed[j]) continue;
      ids.add(id.toUpperCase());
      texts.push(columns.map((c) => store.text(j, c) ?? '').join(' '));
    }
  }
  return {
    ids,
    naming: (id) => id !== '' && texts.some((t) => new RegExp(`(^|[^\\w-])${id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w-])`, 'i').test(t)),
  };
}
