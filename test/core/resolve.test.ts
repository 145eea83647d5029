import { describe, expect, it } from 'vitest';
import { defaultConfig, type CanonConfig } from '../../src/core/config/config';
import { PHASE_A } from '../../src/core/schema/preset';
import { resolveStack, type NoteEntry } from '../../src/core/stack/resolve';

const stack = ['00_Control.md', '02_Plan.md', '03_Playbook.md', '04_Evidence.md', '05_Model.md'];
const entries = (paths: string[], extra: Partial<Record<string, string>> = {}): NoteEntry[] =>
  paths.map((path) => (extra[path] ? { path, canon: extra[path], canonLine: 2 } : { path }));
const resolve = (notes: NoteEntry[], config: Partial<CanonConfig> = {}) => resolveStack(notes, { ...defaultConfig(), ...config }, PHASE_A);
const pathOf = (r: ReturnType<typeof resolve>, role: string) => r.docs.find((d) => d.role === role)?.path;

describe('resolveStack', () => {
  it('finds every role by file-name prefix', () => {
    const r = resolve(entries(stack));
    expect(r.docs.map((d) => d.path)).toEqual(stack);
    expect(r.diagnostics).toEqual([]);
  });

  it('accepts `_`, `-`, `.` and a space after the prefix, but not a digit', () => {
    const r = resolve(entries(['00-Control.md', '02 Plan.md', '03.Playbook.md', '04_Evidence.md', '050_Other.md']));
    expect(pathOf(r, 'control-center')).toBe('00-Control.md');
    expect(pathOf(r, 'implementation-plan')).toBe('02 Plan.md');
    expect(pathOf(r, 'observability-playbook')).toBe('03.Playbook.md');
    expect(pathOf(r, 'operating-model')).toBeNull();
  });

  it('prefers frontmatter over config over prefix', () => {
    const notes = entries([...stack, 'logs/evidence.md', 'other.md'], { 'logs/evidence.md': 'evidence-log' });
    const r = resolve(notes, { notes: { 'implementation-plan': 'other.md' } });
    expect(pathOf(r, 'evidence-log')).toBe('logs/evidence.md');
    expect(pathOf(r, 'implementation-plan')).toBe('other.md');
    expect(r.diagnostics).toEqual([]);
  });

  it('does not take a note claimed for another role by its prefix', () => {
    const r = resolve(entries(stack, { '04_Evidence.md': 'control-center' }));
    expect(pathOf(r, 'control-center')).toBe('04_Evidence.md');
    expect(pathOf(r, 'evidence-log')).toBeNull();
    expect(r.diagnostics.map((d) => d.rule)).toContain('doc/missing');
  });

  it('reports two notes claiming one role, on both', () => {
    const r = resolve(entries([...stack, 'x.md', 'y.md'], { 'x.md': 'evidence-log', 'y.md': 'evidence-log' }));
    const dups = r.diagnostics.filter((d) => d.rule === 'doc/duplicate-role');
    expect(dups.map((d) => d.path)).toEqual(['x.md', 'y.md']);
    expect(dups[0]?.line).toBe(2);
    expect(dups[0]?.message).toMatch(/both claim the evidence log role/);
  });

  it('reports two prefix matches at the same depth', () => {
    const r = resolve(entries([...stack, '04_Other.md']));
    expect(r.diagnostics.filter((d) => d.rule === 'doc/duplicate-role')).toHaveLength(2);
  });

  it('prefers the shallowest prefix match when no folder is set', () => {
    const r = resolve(entries([...stack, 'archive/04_Old.md']));
    expect(pathOf(r, 'evidence-log')).toBe('04_Evidence.md');
    expect(r.diagnostics).toEqual([]);
  });

  it('looks only inside the configured folder', () => {
    const r = resolve(entries([...stack.map((p) => `stack/${p}`), '00_Elsewhere.md']), { folder: 'stack/' });
    expect(pathOf(r, 'control-center')).toBe('stack/00_Control.md');
  });

  it('reports missing required roles as errors and a missing operating model as a warning', () => {
    const r = resolve(entries(['00_Control.md']));
    const missing = r.diagnostics.filter((d) => d.rule === 'doc/missing');
    expect(missing.map((d) => d.severity)).toEqual(['error', 'error', 'error', 'warning']);
    expect(missing[2]?.message).toMatch(/no note plays the evidence log role; expected `04_\*\.md`/);
  });

  it('warns about an unknown role in frontmatter but ignores session notes', () => {
    const r = resolve(entries([...stack, 'a.md', 'sessions/s.md'], { 'a.md': 'evidnce-log', 'sessions/s.md': 'session' }));
    expect(r.diagnostics.map((d) => [d.rule, d.path])).toEqual([['doc/unknown-role', 'a.md']]);
  });
});
