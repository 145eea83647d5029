import { describe, expect, it } from 'vitest';
import { ConfigSchema, defaultConfig, parseConfig } from '../../src/core/config/config';

describe('canon.config.json `program`', () => {
  it('is optional, absent by default, and taken as written', () => {
    expect(parseConfig('{}')).toEqual({ ok: true, config: defaultConfig() });
    expect('program' in ConfigSchema.parse({})).toBe(false);
    const parsed = parseConfig('{ "program": "Vega Labs" }');
    expect(parsed.ok && parsed.config.program).toBe('Vega Labs');
  });

  it('is refused when empty, on several lines or not a string, naming the line and what was expected', () => {
    const messages = (text: string): string[] => {
      const result = parseConfig(text);
      return result.ok ? [] : result.problems.map((p) => `${p.line} ${p.key}: ${p.message}`);
    };
    expect(messages('{\n  "folder": "",\n  "program": "  "\n}')).toEqual([
      "3 program: program: the name is empty; expected the program's name (such as `DraganCorp`), or no `program` key for the control center's title",
    ]);
    expect(messages('{ "program": "Vega\\nLabs" }')).toEqual(["1 program: program: `Vega\\nLabs` holds a line break; expected the program's name on one line"]);
    expect(messages('{ "program": 7 }')[0]).toMatch(/^1 program: program: .*string/i);
  });
});
