// Reading a cell's plain text against its type, without zod:
// the validator's hot path, and what a command loads at start-up.
import type { CellResult, CellType, CellValues } from './cell-type';
import { parseDate, parseDatetime, quickDatetime } from './parse-datetime';
import { parseEvents, parseLinks } from './parse-lists';
import { parseInteger, parseNumber, parsePercent, quickInteger, quickNumber, quickPercent } from './parse-number';
import { parseCondition, parseMetric, parseWindow } from './parse-rollout';
import { parseEnum, parseGates, parseId, parseText, quickEnum, quickId } from './parse-words';

export { parseCondition, parseMetric, parseWindow } from './parse-rollout';
export { quote } from './cell-message';

/** Reads one cell's plain text against its type; never throws. Emptiness is the caller's business (`cell/required`). */
export function parseCell<K extends CellType['kind']>(type: Extract<CellType, { kind: K }>, text: string): CellResult<CellValues[K]> {
  return parseAny(type, text.trim()) as CellResult<CellValues[K]>;
}

// A switch on the kind keeps the hot path to one call and one regex; no closures are built per cell.
export function parseAny(type: CellType, text: string): CellResult<CellValues[CellType['kind']]> {
  switch (type.kind) {
    case 'text': return parseText(text);
    case 'datetime': return parseDatetime(text);
    case 'date': return parseDate(text);
    case 'percent': return parsePercent(text);
    case 'integer': return parseInteger(text, type.min);
    case 'number': return parseNumber(text, type.min);
    case 'id': return parseId(text, type.prefix);
    case 'enum': return parseEnum(text, type.values);
    case 'gates': return parseGates(text);
    case 'links': return parseLinks(text);
    case 'events': return parseEvents(text);
    case 'metric': return parseMetric(text);
    case 'condition': return parseCondition(text);
    case 'window': return parseWindow(text);
  }
}

/**
 * A cell's value in the common plain forms (plain numbers in range, an exact enum word, text), read
 * without building a result; undefined when `parseCell` must decide (it then gives the same value or
 * the message). `text` is not empty.
 */
export function quickCell(type: CellType, text: string): unknown {
  switch (type.kind) {
    case 'text': {
      if (printableEdges(text)) return text;
      const trimmed = text.trim();
      return trimmed === '' ? undefined : trimmed;
    }
    case 'datetime': return quickDatetime(text);
    case 'id': return quickId(text, type.prefix);
    case 'percent': return quickPercent(text);
    case 'integer': return quickInteger(text, type.min);
    case 'number': return quickNumber(text, type.min);
    case 'enum': return quickEnum(text, type.values);
    default: return undefined;
  }
}

/** Whether `text` starts and ends with printable ASCII other than a space: then `trim` would not change it. */
export function printableEdges(text: string): boolean {
  const a = text.charCodeAt(0);
  const b = text.charCodeAt(text.length - 1);
  return a > 32 && a < 127 && b > 32 && b < 127;
}
