import { describe, expect, it } from 'vitest';
import { ConfigSchema, defaultConfig } from '../../src/core/config/config';

describe('defaultConfig', () => {
  it('is what the schema gives for an empty config, key order included', () => {
    expect(defaultConfig()).toStrictEqual(ConfigSchema.parse({}));
    expect(JSON.stringify(defaultConfig())).toBe(JSON.stringify(ConfigSchema.parse({})));
  });

  it('is a fresh object each time', () => {
    const a = defaultConfig();
    const b = defaultConfig();
    expect(a).not.toBe(b);
    expect(a.notes).not.toBe(b.notes);
    expect(a.rules).not.toBe(b.rules);
  });
});
