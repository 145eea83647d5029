import * as z from 'zod/mini';
import type { CellResult, CellType, CellValues } from './cell-type';
import { ZOD_ENGLISH } from './zod-english';
import { parseAny } from './parse-cell';
import { parseDate, parseDatetime } from './parse-datetime';
import { parseEvents, parseLinks } from './parse-lists';
import { parseInteger, parseNumber, parsePercent } from './parse-number';
import { parseCondition, parseMetric, parseWindow } from './parse-rollout';
import { parseEnum, parseId, parseGates, parseText } from './parse-words';

export {
  isNonePlaceholder, parseCell, parseCondition, parseDate, parseDatetime, parseEnum, parseEvents, parseGates, parseId, parseInteger,
  parseLinks, parseMetric, parseNumber, parsePercent, parseText, parseWindow, quote, readDecimal, readInteger,
} from './parse-cell';

type Parse<T> = (text: string) => CellResult<T>;

/** A zod schema over a cell's plain text, built on the plain parse function; a failure is one issue with its message. */
function cellZod<T>(parse: Parse<T>): z.ZodMiniType<T, string> {
  return z.pipe(
    z.string(ZOD_ENGLISH),
    z.transform((text: string, ctx) => {
      const result = parse(text.trim());
      if (result.ok) return result.value;
      ctx.issues.push({ code: 'custom', message: result.message, input: text });
      return z.NEVER;
    }),
  );
}

export const TextCell = cellZod(parseText);
export const DatetimeCell = cellZod(parseDatetime);
export const DateCell = cellZod(parseDate);
export const PercentCell = cellZod(parsePercent);
export const GatesCell = cellZod(parseGates);
export const LinksCell = cellZod(parseLinks);
export const EventsCell = cellZod(parseEvents);
export const MetricCell = cellZod(parseMetric);
export const ConditionCell = cellZod(parseCondition);
export const WindowCell = cellZod(parseWindow);
/** `integer` with an optional lower bound (`integerCell(0)` for Missions). */
export const integerCell = (min?: number): z.ZodMiniType<number, string> => cellZod((t) => parseInteger(t, min));
/** `number` with an optional lower bound. */
export const numberCell = (min?: number): z.ZodMiniType<number, string> => cellZod((t) => parseNumber(t, min));
/** `id` with its prefix (`idCell('W')`). */
export const idCell = (prefix: string): z.ZodMiniType<number, string> => cellZod((t) => parseId(t, prefix));
/** `enum` over its words (`enumCell(['promote', 'hold', 'rollback'])`). */
export const enumCell = (values: readonly string[]): z.ZodMiniType<string, string> => cellZod((t) => parseEnum(t, values));
export const IntegerCell = integerCell();
export const NumberCell = numberCell();

/** The zod schema of a cell type; `cellSchema(type).safeParse(text)` agrees with `parseCell(type, text)`. */
export function cellSchema<K extends CellType['kind']>(type: Extract<CellType, { kind: K }>): z.ZodMiniType<CellValues[K], string> {
  return cellZod((text) => parseAny(type, text)) as z.ZodMiniType<CellValues[K], string>;
}
