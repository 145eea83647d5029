import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellType, LinkRef } from '../../src/core/schema/cell-type';
import { parseCell, quote } from '../../src/core/schema/parse-cell';

const local = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date => new Date(y, m - 1, d, h, mi, s, ms);
const utc = (y: number, m: number, d: number, h = 0, mi = 0, s = 0, ms = 0): Date => new Date(Date.UTC(y, m - 1, d, h, mi, s, ms));
const wiki = (target: string, heading: string | null, alias: string | null, raw: string): LinkRef => ({ kind: 'wiki', target, heading, alias, raw });
const rowId = (id: string, raw = id): LinkRef => ({ kind: 'row-id', id, raw });

interface Table {
  type: CellType;
  accept: [string, unknown][];
  /** Text, and a fragment of the message it must give. */
  reject: [string, string][];
}

const STATUS = ['proposed', 'accepted', 'superseded', 'rejected'] as const;
const PACKET_STATUS = ['planned', 'in-progress', 'done', 'blocked'] as const;

const TABLES: Record<string, Table> = {
  datetime: {
    type: { kind: 'datetime' },
    accept: [
      ['2026-03-07 08:00', local(2026, 3, 7, 8, 0)],
      ['2026-03-07 08:00:59', local(2026, 3, 7, 8, 0, 59)],
      ['2024-02-29 23:59', local(2024, 2, 29, 23, 59)],
      ['2000-02-29 00:00', local(2000, 2, 29)],
      ['2026-03-07 08:00Z', utc(2026, 3, 7, 8, 0)],
      ['2026-03-07 08:00 +02:00', utc(2026, 3, 7, 6, 0)],
      ['2026-03-07 08:00:30+0200', utc(2026, 3, 7, 6, 0, 30)],
      ['2026-03-07 08:00-05:30', utc(2026, 3, 7, 13, 30)],
      ['2026-03-07T08:00', local(2026, 3, 7, 8, 0)],
      ['2026-03-07T08:00:00Z', utc(2026, 3, 7, 8, 0)],
      ['2026-03-07T08:00:00.250+01:00', utc(2026, 3, 7, 7, 0, 0, 250)],
      ['2026-03-07T00:30:00-02', utc(2026, 3, 7, 2, 30)],
      ['2026-03-07   08:00', local(2026, 3, 7, 8, 0)],
      ['2026-03-07\u00a008:00', local(2026, 3, 7, 8, 0)],
      ['  2026-03-07 08:00  ', local(2026, 3, 7, 8, 0)],
    ],
    reject: [
      ['2026-13-07 08:00', '`2026-13-07 08:00` is not a datetime; expected yyyy-MM-dd HH:mm'],
      ['2026-02-30 08:00', 'not a datetime'],
      ['2026-02-29 08:00', 'not a datetime'], // not a leap year
      ['1900-02-29 08:00', 'not a datetime'], // century rule
      ['2026-03-07 24:00', 'not a datetime'],
      ['2026-03-07 08:60', 'not a datetime'],
      ['2026-03-07 08:00:60', 'not a datetime'],
      ['2026-03-07', 'not a datetime'], // a date alone is not a datetime
      ['2026-3-7 8:00', 'not a datetime'],
      ['07.03.2026 08:00', 'not a datetime'],
      ['2026-03-07 08:00 +25:00', 'not a datetime'],
      ['2026-03-07 08:00 CET', 'not a datetime'],
      ['2026-00-07 08:00', 'not a datetime'],
      ['2026-03-00 08:00', 'not a datetime'],
      ['NaN', 'not a datetime'],
      ['', 'the empty cell is not a datetime'],
    ],
  },
  date: {
    type: { kind: 'date' },
    accept: [
      ['2026-03-07', local(2026, 3, 7)],
      ['2024-02-29', local(2024, 2, 29)],
      ['2000-02-29', local(2000, 2, 29)],
      ['2026-12-31', local(2026, 12, 31)],
      ['2026-03-07 08:00', local(2026, 3, 7, 8, 0)],
      ['2026-03-07T08:00:00Z', utc(2026, 3, 7, 8, 0)],
      ['0099-01-01', (() => { const d = local(2000, 1, 1); d.setFullYear(99); return d; })()],
    ],
    reject: [
      ['2026-02-29', '`2026-02-29` is not a date; expected yyyy-MM-dd'],
      ['2100-02-29', 'not a date'],
      ['2026-04-31', 'not a date'],
      ['2026-13-01', 'not a date'],
      ['26-03-07', 'not a date'],
      ['2026/03/07', 'not a date'],
      ['2026-03-07 25:00', 'not a date'],
      ['today', 'not a date'],
    ],
  },
  percent: {
    type: { kind: 'percent' },
    accept: [['3.2', 3.2], ['3.2%', 3.2], ['3.2 %', 3.2], ['0', 0], ['100', 100], ['100%', 100], ['0.05%', 0.05], ['3.2\u00a0%', 3.2], ['-0', 0]],
    reject: [
      ['100.01%', '`100.01%` is out of range; expected a percent from 0 to 100'],
      ['-1%', 'out of range'],
      ['1e1', 'not a percent'],
      ['NaN', 'not a percent'],
      ['%', 'not a percent'],
      ['3,2%', 'not a percent'],
      ['3.2%%', 'not a percent'],
      ['.5', 'not a percent'],
      ['five', 'not a percent'],
    ],
  },
  integer: {
    type: { kind: 'integer', min: 0 },
    accept: [['0', 0], ['42', 42], ['1,200', 1200], ['1,234,567', 1234567], ['007', 7], ['+5', 5], ['-0', 0], ['999', 999]],
    reject: [
      ['1,20', '`1,20` is not an integer; expected a whole number'],
      ['-3', '`-3` is below the minimum; expected an integer ≥ 0'],
      ['1.5', 'not an integer'],
      ['1e3', 'not an integer'],
      ['NaN', 'not an integer'],
      ['Infinity', 'not an integer'],
      ['1 200', 'not an integer'],
      ['0,123', 'not an integer'],
      ['1,2000', 'not an integer'],
      ['99999999999999999999', 'not an integer'],
    ],
  },
  number: {
    type: { kind: 'number', min: 0 },
    accept: [['850', 850], ['850.5', 850.5], ['1,200.25', 1200.25], ['0', 0], ['0.001', 0.001], ['12,345', 12345]],
    reject: [
      ['-0.5', 'is below the minimum; expected a number ≥ 0'],
      ['1e3', '`1e3` is not a number; expected a plain decimal'],
      ['NaN', 'not a number'],
      ['850ms', 'not a number'],
      ['1,20.5', 'not a number'],
      ['5.', 'not a number'],
      ['0x10', 'not a number'],
    ],
  },
  id: {
    type: { kind: 'id', prefix: 'W' },
    accept: [['W-1', 1], ['W-12', 12], ['w-12', 12], ['W-100000', 100000], ['W-9', 9], ['W-2026', 2026]],
    reject: [
      ['W-0', '`W-0` is not an id; expected W-<n> with n a positive integer'],
      ['W12', 'not an id'],
      ['W-01', 'not an id'],
      ['W-', 'not an id'],
      ['D-12', 'not an id'],
      ['W–12', 'not an id'], // en dash
      ['W-1.5', 'not an id'],
      ['W--3', 'not an id'],
      ['W-99999999999999999999', 'not an id'],
    ],
  },
  enum: {
    type: { kind: 'enum', values: STATUS },
    accept: [['proposed', 'proposed'], ['Accepted', 'accepted'], ['SUPERSEDED', 'superseded'], ['rejected', 'rejected'], ['ProPosed', 'proposed'], ['  accepted ', 'accepted']],
    reject: [
      ['maybe', '`maybe` is not a listed value; expected one of proposed, accepted, superseded, rejected'],
      ['accept', 'not a listed value'],
      ['proposed, accepted', 'not a listed value'],
      ['propose d', 'not a listed value'],
      ['—', 'not a listed value'],
      ['accepted.', 'not a listed value'],
    ],
  },
  'enum with separators': {
    type: { kind: 'enum', values: PACKET_STATUS },
    accept: [['in-progress', 'in-progress'], ['In Progress', 'in-progress'], ['in_progress', 'in-progress'], ['IN-PROGRESS', 'in-progress'], ['done', 'done'], ['Blocked', 'blocked']],
    reject: [['inprogress', 'not a listed value'], ['in progress!', 'not a listed value'], ['todo', 'not a listed value'], ['done done', 'not a listed value'], ['plan', 'not a listed value'], ['1', 'not a listed value']],
  },
  gates: {
    type: { kind: 'gates' },
    accept: [
      ['G1', ['G1']], ['G1, G2', ['G1', 'G2']], ['g1 g3 G5', ['G1', 'G3', 'G5']], ['G2,G4', ['G2', 'G4']], ['G1; G2', ['G1', 'G2']],
      ['G1-G5', ['G1', 'G2', 'G3', 'G4', 'G5']], ['G2–G3', ['G2', 'G3']], ['—', []], ['-', []], ['none', []], ['None', []],
    ],
    reject: [
      ['G6', '`G6` is not a gate; expected G1…G5'],
      ['G1, G1', '`G1, G1` repeats G1; expected each gate at most once'],
      ['G1-G3 G2', 'repeats G2'],
      ['G0', 'not a gate'],
      ['gate 1', 'not a gate'],
      ['G3-G1', 'not a gate'],
      ['G1 and G2', 'not a gate'],
      ['G12', 'not a gate'],
      [',', 'not a gate list'],
    ],
  },
  links: {
    type: { kind: 'links' },
    accept: [
      ['', []],
      ['—', []],
      ['[[04 Evidence Log]]', [wiki('04 Evidence Log', null, null, '[[04 Evidence Log]]')]],
      ['[[04 Evidence Log#Rollout Windows]]', [wiki('04 Evidence Log', 'Rollout Windows', null, '[[04 Evidence Log#Rollout Windows]]')]],
      ['[[04 Evidence Log#Rollout Windows|windows]]', [wiki('04 Evidence Log', 'Rollout Windows', 'windows', '[[04 Evidence Log#Rollout Windows|windows]]')]],
      ['[[note|alias]]', [wiki('note', null, 'alias', '[[note|alias]]')]],
      ['[[#Local heading]]', [wiki('', 'Local heading', null, '[[#Local heading]]')]],
      ['W-12', [rowId('W-12')]],
      ['W-12, D-3; P-2 w-4', [rowId('W-12'), rowId('D-3'), rowId('P-2'), rowId('W-4', 'w-4')]],
      ['[[a]], W-1', [wiki('a', null, null, '[[a]]'), rowId('W-1')]],
      ['[[a]][[b]]', [wiki('a', null, null, '[[a]]'), wiki('b', null, null, '[[b]]')]],
      ['[[sessions/2026-03-07 0800 ship it]]', [wiki('sessions/2026-03-07 0800 ship it', null, null, '[[sessions/2026-03-07 0800 ship it]]')]],
    ],
    reject: [
      ['see W-12', '`see` is not a link; expected [[note]]'],
      ['[[a]] foo', '`foo` is not a link'],
      ['[[unclosed', '`[[unclosed` is not a link'],
      ['[[]]', '`[[]]` is not a link'],
      ['[[a[b]]', 'not a link'],
      ['W-0', '`W-0` is not a link'],
      ['W12', 'not a link'],
      ['https://example.com', 'not a link'],
      ['[[a]]x', '`x` is not a link'],
    ],
  },
  events: {
    type: { kind: 'events' },
    accept: [
      ['', new Map()],
      ['—', new Map()],
      ['vp.mission.failed=2', new Map([['vp.mission.failed', 2]])],
      ['vp.mission.failed=2, vp.mission.completed=118', new Map([['vp.mission.failed', 2], ['vp.mission.completed', 118]])],
      ['a=1; b=0', new Map([['a', 1], ['b', 0]])],
      ['vp.x = 3 ,', new Map([['vp.x', 3]])],
      ['ns:evt-1=4', new Map([['ns:evt-1', 4]])],
      ['A_b.c=0007', new Map([['A_b.c', 7]])],
    ],
    reject: [
      ['vp.x=2, vp.x=3', '`vp.x` is repeated; expected each event once per window'],
      ['vp.x', '`vp.x` is not an event count; expected name=count'],
      ['vp.x=-1', 'not an event count'],
      ['vp.x=1.5', 'not an event count'],
      ['vp.x=1e3', 'not an event count'],
      ['1vp=2', 'not an event count'],
      ['vp x=2', 'not an event count'],
      ['=2', 'not an event count'],
      ['vp.x=2 vp.y=3', 'not an event count'],
    ],
  },
  metric: {
    type: { kind: 'metric' },
    accept: [
      ['fallback rate', { kind: 'column', column: 'fallback rate', label: 'fallback rate' }],
      ['Fallback-Rate', { kind: 'column', column: 'fallback rate', label: 'Fallback-Rate' }],
      ['fallbacks rate', { kind: 'column', column: 'fallback rate', label: 'fallbacks rate' }],
      ['fallback rate (%)', { kind: 'column', column: 'fallback rate', label: 'fallback rate (%)' }],
      ['p95', { kind: 'column', column: 'p95', label: 'p95' }],
      ['P95 latency', { kind: 'column', column: 'p95', label: 'P95 latency' }],
      ['p95 (ms)', { kind: 'column', column: 'p95', label: 'p95 (ms)' }],
      ['Missions', { kind: 'column', column: 'missions', label: 'Missions' }],
      ['fallbacks', { kind: 'column', column: 'fallbacks', label: 'fallbacks' }],
      ['traffic', { kind: 'column', column: 'traffic', label: 'traffic' }],
      ['vp.mission.failed', { kind: 'event', name: 'vp.mission.failed', label: 'vp.mission.failed' }],
      ['ns:a.b-c', { kind: 'event', name: 'ns:a.b-c', label: 'ns:a.b-c' }],
    ],
    reject: [
      ['latency', '`latency` is not a metric; expected fallback rate, p95'],
      ['fallback', 'not a metric'],
      ['p99', 'not a metric'],
      ['vp mission failed', 'not a metric'],
      ['.failed', 'not a metric'],
      ['1.5', 'not a metric'],
      ['vp.mission.failed=2', 'not a metric'],
    ],
  },
  condition: {
    type: { kind: 'condition' },
    accept: [
      ['> 10%', { comparator: '>', value: 10, unit: '%' }],
      ['>10%', { comparator: '>', value: 10, unit: '%' }],
      ['>= 800 ms', { comparator: '>=', value: 800, unit: 'ms' }],
      ['≥ 800ms', { comparator: '>=', value: 800, unit: 'ms' }],
      ['> 0', { comparator: '>', value: 0, unit: null }],
      ['< 50', { comparator: '<', value: 50, unit: null }],
      ['<= 2.5 s', { comparator: '<=', value: 2.5, unit: 's' }],
      ['≤ 1,200 MS', { comparator: '<=', value: 1200, unit: 'ms' }],
      ['= 0', { comparator: '=', value: 0, unit: null }],
      ['== 3', { comparator: '=', value: 3, unit: null }],
      ['⩾ 1', { comparator: '>=', value: 1, unit: null }],
      ['> 10 %', { comparator: '>', value: 10, unit: '%' }],
    ],
    reject: [
      ['10%', '`10%` is not a condition; expected a comparator and a number'],
      ['> 1e3', 'not a condition'],
      ['> NaN', 'not a condition'],
      ['>> 10', 'not a condition'],
      ['> 10 minutes', 'not a condition'],
      ['=> 10', 'not a condition'],
      ['> ten', 'not a condition'],
      ['>', 'not a condition'],
      ['> 10%%', 'not a condition'],
    ],
  },
  window: {
    type: { kind: 'window' },
    accept: [
      ['200 missions', { kind: 'missions', n: 200 }],
      ['1 mission', { kind: 'missions', n: 1 }],
      ['1,000 Missions', { kind: 'missions', n: 1000 }],
      ['3 windows', { kind: 'windows', n: 3 }],
      ['1 window', { kind: 'windows', n: 1 }],
      ['last 3 windows', { kind: 'windows', n: 3 }],
      ['3 consecutive windows', { kind: 'consecutive', n: 3 }],
      ['2  Consecutive  Windows', { kind: 'consecutive', n: 2 }],
    ],
    reject: [
      ['0 windows', '`0 windows` is not a window; expected <n> missions'],
      ['-3 windows', 'not a window'],
      ['3', 'not a window'],
      ['windows', 'not a window'],
      ['3 days', 'not a window'],
      ['1.5 windows', 'not a window'],
      ['3 consecutive', 'not a window'],
      ['1,00 missions', 'not a window'],
    ],
  },
  text: {
    type: { kind: 'text' },
    accept: [['a', 'a'], ['Fallback spike', 'Fallback spike'], ['`code` and | pipes', '`code` and | pipes'], ['—', '—'], ['0', '0'], [' padded ', 'padded']],
    reject: [['', 'the empty cell is not text'], ['   ', 'the empty cell is not text']],
  },
};

for (const [name, table] of Object.entries(TABLES)) {
  describe(`parseCell: ${name}`, () => {
    it.each(table.accept)('accepts %j', (text, value) => {
      expect(parseCell(table.type, text)).toEqual({ ok: true, value });
    });
    it.each(table.reject)('rejects %j', (text, fragment) => {
      const result = parseCell(table.type, text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.message).toContain(fragment);
    });
  });
}

describe('messages', () => {
  it('quote found text in backticks, cut past 60 characters', () => {
    expect(quote('abc')).toBe('`abc`');
    expect(quote('x'.repeat(61))).toBe(`\`${'x'.repeat(60)}…\``);
    expect(quote('x'.repeat(60))).toBe(`\`${'x'.repeat(60)}\``);
    const long = parseCell({ kind: 'datetime' }, 'y'.repeat(100));
    expect(long).toEqual({ ok: false, message: `\`${'y'.repeat(60)}…\` is not a datetime; expected yyyy-MM-dd HH:mm` });
  });

  it('every rejection message says what was expected', () => {
    for (const table of Object.values(TABLES)) {
      for (const [text] of table.reject) {
        const result = parseCell(table.type, text);
        if (!result.ok) expect(result.message).toMatch(/^(`[^]*`|the empty cell) [^;]+; expected .+/);
      }
    }
  });
});

const ALL_TYPES: CellType[] = [
  { kind: 'text' }, { kind: 'datetime' }, { kind: 'date' }, { kind: 'percent' }, { kind: 'integer', min: 0 }, { kind: 'integer' },
  { kind: 'number', min: 0 }, { kind: 'id', prefix: 'W' }, { kind: 'id', prefix: '' }, { kind: 'enum', values: STATUS }, { kind: 'enum', values: [] },
  { kind: 'gates' }, { kind: 'links' }, { kind: 'events' }, { kind: 'metric' }, { kind: 'condition' }, { kind: 'window' },
];

// Strings biased towards the characters the grammars care about, plus anything at all.
const cellText = fc.oneof(
  fc.string({ unit: fc.constantFrom(...'0123456789-:., %=<>≥≤[]|#;WGgTZ+e\u00a0'.split('')), maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.string({ unit: 'binary', maxLength: 30 }),
);

describe('parseCell never throws', () => {
  it.each(ALL_TYPES.map((t) => [JSON.stringify(t), t] as const))('for %s', (_, type) => {
    fc.assert(
      fc.property(cellText, (text) => {
        // A value, or a message in the one shape (found; expected), whatever the text.
        const result = parseCell(type, text);
        if (result.ok) expect(result.value).not.toBeUndefined();
        else expect(result.message).toMatch(/^(`[^]*`|the empty cell) [^;]+; expected .+/);
      }),
      { numRuns: 500 },
    );
  });

  it('accepted numbers are finite', () => {
    fc.assert(
      fc.property(cellText, (text) => {
        for (const type of [{ kind: 'percent' }, { kind: 'integer' }, { kind: 'number' }] as const) {
          const result = parseCell(type, text);
          if (result.ok) expect(Number.isFinite(result.value)).toBe(true);
        }
      }),
    );
  });

  it('accepted dates are valid instants', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1000, 0, 1)), max: new Date(Date.UTC(9000, 0, 1)), noInvalidDate: true }), (date) => {
        const iso = date.toISOString(); // 2026-03-07T08:00:00.000Z
        const result = parseCell({ kind: 'datetime' }, iso);
        expect(result).toEqual({ ok: true, value: date });
      }),
    );
  });
});
