import * as z from 'zod/mini';
import { describe, expect, it } from 'vitest';
import { PHASE_A } from '../../src/core/schema/preset';
import type { TableSchema as Table } from '../../src/core/schema/table-schema';
import { TableSchema } from '../../src/core/schema/table-zod';
import { ZOD_ENGLISH } from '../../src/core/schema/zod-english';

describe('the phase-a preset', () => {
  it('is what its zod schema gives: defaults filled in, key order, frozen enum values', () => {
    const parsed = z.array(TableSchema).parse(JSON.parse(JSON.stringify(PHASE_A.tables)), ZOD_ENGLISH);
    expect(PHASE_A.tables).toStrictEqual(parsed);
    expect(JSON.stringify(PHASE_A.tables)).toBe(JSON.stringify(parsed));
    const frozen = (tables: readonly Table[]): boolean[] =>
      tables.flatMap((t) => t.columns.flatMap((c) => (c.type.kind === 'enum' ? [Object.isFrozen(c.type.values)] : [])));
    expect(frozen(parsed)).toEqual([true, true, true]);
    expect(frozen(PHASE_A.tables)).toEqual(frozen(parsed));
  });
});
