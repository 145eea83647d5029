import { describe, expect, it } from 'vitest';
import { defaultConfig, parseConfig, vaultPathProblem } from '../../src/core/config/config';

describe('canon.config.json', () => {
  it('fills every key with its default', () => {
    const result = parseConfig('{}');
    expect(result).toEqual({ ok: true, config: defaultConfig() });
    expect(defaultConfig()).toMatchObject({ preset: 'phase-a', folder: '', dateFormat: 'yyyy-MM-dd HH:mm', notes: {}, rules: {} });
  });

  it('accepts a full config', () => {
    const text = JSON.stringify({ preset: 'phase-a', folder: 'stack', notes: { 'evidence-log': 'stack/evidence.md' }, dateFormat: 'yyyy-MM-dd HH:mm', rules: { 'table/unknown-column': 'off', 'cell/type': 'warning' } });
    const result = parseConfig(text);
    expect(result.ok).toBe(true);
  });

  it('takes a dateFormat only when what it writes reads back as a datetime', () => {
    expect(parseConfig(`{"dateFormat": "yyyy-MM-dd'T'HH:mm:ss"}`).ok).toBe(true);
    const words = parseConfig('{\n  "dateFormat": "d MMMM yyyy"\n}');
    expect(words.ok ? '' : `${words.problems[0]?.line} ${words.problems[0]?.message}`).toMatch(/^2 dateFormat: .*is not a date format|^2 dateFormat: .*not a datetime Canon reads/);
    const slashes = parseConfig('{"dateFormat": "dd/MM/yyyy HH:mm"}');
    expect(slashes.ok ? '' : slashes.problems[0]?.message).toMatch(/writes `24\/11\/2026 14:05`, which is not a datetime Canon reads/);
  });

  it('takes liveChecks as on, off, or a list of rule families', () => {
    expect(parseConfig('{"liveChecks": false}').ok).toBe(true);
    const list = parseConfig('{"liveChecks": ["cell", "row"]}');
    expect(list.ok && list.config.liveChecks).toEqual(['cell', 'row']);
    const wrong = parseConfig('{"liveChecks": ["cells"]}');
    expect(wrong.ok ? '' : wrong.problems.map((p) => `${p.key}: ${p.message}`).join('; ')).toMatch(/^liveChecks/);
  });

  const bad: [string, string, RegExp][] = [
    ['invalid JSON', '{ "folder": ', /invalid JSON/],
    ['unknown top-level key', '{"folders": "x"}', /unknown key `folders`; expected one of preset, folder/],
    ['unknown role', '{"notes": {"evidence": "x.md"}}', /unknown key `evidence` in notes; expected one of control-center/],
    ['unknown rule', '{"rules": {"cell/typo": "off"}}', /unknown key `cell\/typo` in rules/],
    ['bad severity', '{"rules": {"cell/type": "loud"}}', /rules\.cell\/type: expected one of off, info, warning, error/],
    ['path leaving the vault', '{"notes": {"evidence-log": "../outside.md"}}', /notes\.evidence-log: `\.\.\/outside\.md` leaves the vault; expected a path inside the vault/],
    ['absolute path', '{"folder": "/etc"}', /folder: `\/etc` is absolute/],
    ['not a note', '{"notes": {"evidence-log": "log.txt"}}', /expected a path ending in \.md/],
    ['wrong preset', '{"preset": "phase-b"}', /preset/],
    ['wrong type', '{"folder": 3}', /folder/],
  ];
  it.each(bad)('reports %s, naming the key', (_name, text, message) => {
    const result = parseConfig(text);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.problems.map((p) => p.message).join('\n')).toMatch(message);
      for (const p of result.problems) expect(p.file).toBe('canon.config.json');
    }
  });

  it('points at the line of the offending key', () => {
    const result = parseConfig('{\n  "folder": "",\n  "notes": {\n    "evidence-log": "../x.md"\n  }\n}');
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.problems[0]?.line).toBe(4);
  });

  it('keeps paths inside the vault', () => {
    expect(vaultPathProblem('a/b/../c.md')).toBeNull();
    expect(vaultPathProblem('a/../../c.md')).toBe('leaves the vault');
    expect(vaultPathProblem('C:\\notes\\x.md')).toBe('is absolute');
    expect(vaultPathProblem('~/x.md')).toBe('is absolute');
  });
});
