import { evaluateTriggersInSteps, findDecidedInBreachSteps, type DecidedInBreach } from '../guardrails/evaluate';
import { findRecommendationBlock, renderRecommendation, sameBlock } from '../guardrails/recommendation-block';
import { readTriggers, windowSource } from '../guardrails/read-rows';
import type { TriggerRow, WindowRow } from '../guardrails/types';
import { columnIndex, valuesOf, type BoundTable } from '../stack/bind-table';
import { pathOf, type Rule, type StackModel } from '../stack/model';
import { drain, type Steps } from '../steps';
import type { Diagnostic } from './rule-ids';

/**
 * The rollout guardrail rules (README "Command line"): `guardrail/no-triggers`, `guardrail/promote-in-breach`,
 * `guardrail/hold-in-breach` and `guardrail/stale-recommendation`.
 */
export const guardrailRule: Rule & Required<Pick<Rule, 'steps'>> = {
  ids: ['guardrail/no-triggers', 'guardrail/promote-in-breach', 'guardrail/hold-in-breach', 'guardrail/stale-recommendation'],
  check(model, out) {
    drain(guardrailRule.steps(model, out));
  },
  *steps(model, out) {
    const triggersTable = model.tables.get('trigger');
    const windowsTable = model.tables.get('evidence');
    // A host's memo (see CheckCache) keeps the reads and evaluations while the tables read the same.
    const memo = model.guardrails;
    const triggers = memo ? memo.triggers(triggersTable) : readTriggers(triggersTable);
    if (triggersTable?.table && triggers.length === 0) {
      out.push({
        path: triggersTable.path, line: triggersTable.table.line, column: 1, severity: 'error', rule: 'guardrail/no-triggers',
        message: 'Rollback Triggers has no rows; expected at least one written rollback condition (gate G5): add one with `canon add trigger`',
      });
    }
    if (windowsTable && triggers.length > 0) {
      const found = memo
        ? yield* memo.inBreachSteps(triggers, yield* memo.windowsSteps(windowsTable))
        : yield* findDecidedInBreachSteps(triggers, windowSource(windowsTable));
      reportInBreach(model, windowsTable, found, out);
    }
    yield* staleRecommendation(model, triggers, out);
  },
};

/** `promote-in-breach` (error) and `hold-in-breach` (warning, unless the window's Notes name an existing decision). */
function reportInBreach(model: StackModel, windowsTable: BoundTable, found: readonly DecidedInBreach[], out: Diagnostic[]): void {
  if (found.length === 0) return;
  const store = valuesOf(windowsTable);
  const decisionAt = columnIndex(windowsTable.schema, 'Decision');
  const notesAt = columnIndex(windowsTable.schema, 'Notes');
  const decisions = decisionIds(model);
  // The first row on the window's line, as `rows.find` would give it (indexed once: many breaches stay linear).
  const byLine = new Map<number, number>();
  for (let j = 0; j < store.size; j++) {
    const line = store.line(j);
    if (!byLine.has(line)) byLine.set(line, j);
  }
  for (const { window, decision, breaches } of found) {
    const j = byLine.get(window.line);
    const cell = j === undefined ? undefined : store.cell(j, decisionAt);
    const lineStart = windowsTable.note.lineStarts[window.line - 1] ?? 0;
    const column = cell ? cell.from - lineStart + 1 : 1;
    const reasons = breaches.map((b) => `\`${b.trigger}\` was in breach (${b.message})`).join('; ');
    if (decision === 'promote') {
      out.push({
        path: windowsTable.path, line: window.line, column, severity: 'error', rule: 'guardrail/promote-in-breach',
        message: `${window.id} is promoted while ${reasons}; expected hold or rollback: a breached trigger's response applies before any promotion`,
      });
      continue;
    }
    const notes = j === undefined ? '' : (store.text(j, notesAt) ?? '');
    if (namedDecisions(notes).some((id) => decisions.has(id))) continue;
    out.push({
      path: windowsTable.path, line: window.line, column, severity: 'warning', rule: 'guardrail/hold-in-breach',
      message: `${window.id} is held while ${reasons}; the trigger's written response was not taken: expected rollback, or the decision that allows the hold (D-n) named in ${window.id}'s Notes`,
    });
  }
}

/** The ids of the Decision Log rows (`D-3`). */
function decisionIds(model: StackModel): Set<string> {
  const table = model.tables.get('decision');
  const ids = new Set<string>();
  if (!table) return ids;
  const store = valuesOf(table);
  const at = columnIndex(table.schema, 'ID');
  for (let j = 0; j < store.size; j++) {
    const id = store.text(j, at);
    if (id) ids.add(id.toUpperCase());
  }
  return ids;
}

/** Decision ids a text names (`D-4`, `D-12`), upper-cased. */
export function namedDecisions(text: string): string[] {
  return (text.match(/\bD-\d+\b/gi) ?? []).map((id) => id.toUpperCase());
}

/** `stale-recommendation` (info): the owned block in the evidence log says something else than the guardrails now do. */
function* staleRecommendation(model: StackModel, triggers: TriggerRow[], out: Diagnostic[]): Steps<void> {
  const path = pathOf(model, 'evidence-log');
  const note = path ? model.notes.get(path) : undefined;
  if (!path || !note) return;
  const place = findRecommendationBlock(note);
  if (!place) return;
  const windowsTable = model.tables.get('evidence');
  const report = yield* evaluateTriggersInSteps(triggers, windowsTable ? windowSource(windowsTable) : emptySource);
  const block = renderRecommendation(report, windowsTable ? newestWindow(windowsTable) : null, note.eol);
  if (sameBlock(place.text, block)) return;
  out.push({
    path, line: place.line, column: 1, severity: 'info', rule: 'guardrail/stale-recommendation',
    message: `the recommendation block no longer reads as the guardrails do (now ${report.status}, recommendation ${report.recommendation}); expected the block as \`canon guardrails --write\` writes it now`,
  });
}

const emptySource = { length: 0, window: () => undefined, id: () => '', decision: () => undefined, row: () => ({ line: 0, id: '' }) };

/** The last window of the table that is not malformed, read. */
export function newestWindow(table: BoundTable): WindowRow | null {
  const store = valuesOf(table);
  for (let j = store.size - 1; j >= 0; j--) if (!store.malformed[j]) return windowSource(table).row(j);
  return null;
}
