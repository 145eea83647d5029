import { findPromoteInBreachIn } from '../guardrails/evaluate';
import { readTriggers, windowSource } from '../guardrails/read-rows';
import { valuesOf } from '../stack/bind-table';
import type { Rule } from '../stack/model';

/** `guardrail/no-triggers` and `guardrail/promote-in-breach` (SPEC §2). */
export const guardrailRule: Rule = {
  ids: ['guardrail/no-triggers', 'guardrail/promote-in-breach'],
  check(model, out) {
    const triggersTable = model.tables.get('trigger');
    const windowsTable = model.tables.get('evidence');
    // A host's memo (see CheckCache) keeps the reads and evaluations while the tables read the same.
    const memo = model.guardrails;
    const triggers = memo ? memo.triggers(triggersTable) : readTriggers(triggersTable);
    if (triggersTable?.table && triggers.length === 0) {
      out.push({
        path: triggersTable.path, line: triggersTable.table.line, column: 1, severity: 'error', rule: 'guardrail/no-triggers',
        message: 'Rollback Triggers has no rows; expected at least one written rollback condition (gate G5)',
      });
    }
    if (!windowsTable || triggers.length === 0) return;
    const decisionAt = windowsTable.schema.columns.findIndex((c) => c.name === 'Decision');
    let byLine: Map<number, number> | null = null;
    const found = memo ? memo.promoteInBreach(triggers, memo.windows(windowsTable)) : findPromoteInBreachIn(triggers, windowSource(windowsTable));
    const store = valuesOf(windowsTable);
    for (const { window, breaches } of found) {
      // The first row on the window's line, as `rows.find` would give it (indexed once: many breaches stay linear).
      if (!byLine) {
        byLine = new Map();
        for (let j = 0; j < store.size; j++) {
          const line = store.line(j);
          if (!byLine.has(line)) byLine.set(line, j);
        }
      }
      const j = byLine.get(window.line);
      const cell = j === undefined ? undefined : store.cell(j, decisionAt);
      const lineStart = windowsTable.note.lineStarts[window.line - 1] ?? 0;
      out.push({
        path: windowsTable.path, line: window.line, column: cell ? cell.from - lineStart + 1 : 1, severity: 'error', rule: 'guardrail/promote-in-breach',
        message: `${window.id} is promoted while ${breaches.map((b) => `\`${b.trigger}\` was in breach (${b.message})`).join('; ')}; expected hold or rollback`,
      });
    }
  },
};
