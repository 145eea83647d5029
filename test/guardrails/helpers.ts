import { parseCell } from '../../src/core/schema/parse-cell';
import type { TriggerRow } from '../../src/core/guardrails/types';

/** A trigger row as the reader builds it: each cell read with parseCell, null when it fails. */
export function trigger(metricText: string, conditionText: string, windowText: string, name = 'T'): TriggerRow {
  const metric = parseCell({ kind: 'metric' }, metricText);
  const condition = parseCell({ kind: 'condition' }, conditionText);
  const window = parseCell({ kind: 'window' }, windowText);
  return {
    line: 1, trigger: name, metricText, conditionText, windowText,
    metric: metric.ok ? metric.value : null, condition: condition.ok ? condition.value : null, window: window.ok ? window.value : null,
  };
}
