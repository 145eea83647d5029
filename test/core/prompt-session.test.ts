import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { promptSessionOf, sessionScope } from '../../src/core/prompt/session-input';
import type { SessionRef } from '../../src/core/session/find-sessions';
import { readSessionNote } from '../../src/core/session/session-note';
import { reviewSession } from '../../src/core/session/review-session';
import { load } from '../helpers/memory-vault';
import { parseYaml } from '../../src/cli/parse-yaml';

const EXAMPLE = join(import.meta.dirname, '../../example-vault');
const PATH = 'sessions/2026-11-24 1405 Canary.md';

function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(EXAMPLE)) if (name.endsWith('.md')) files[name] = readFileSync(join(EXAMPLE, name), 'utf8');
  return files;
}

const note = (scope: string): string => [
  '---',
  'canon: session',
  'started: 2026-11-24T14:05',
  'objective: "Canary at 25 %"',
  'packets: ["P-4", "P-5"]',
  scope,
  'status: open',
  'ticks: []',
  'changes: ["Rollout windows or traffic policy"]',
  'gates: []',
  '---',
  '',
  '# Canary at 25 %',
  '',
].join('\n');

function ref(text: string): SessionRef {
  const read = readSessionNote(text, parseYaml);
  if (!read.ok) throw new Error(read.problem);
  return { path: PATH, text, session: read.session };
}

describe('the open session as the prompt takes it', () => {
  it("carries the note's objective, packets and scope, and the review's required updates and guardrail reading", () => {
    const { model } = load(exampleFiles());
    const open = ref(note('inScope: ["the handoff path", "cancellation"]\noutOfScope: the fallback path'));
    const review = reviewSession(model, PATH, open.session);
    expect(promptSessionOf(open, review)).toEqual({
      path: PATH,
      objective: 'Canary at 25 %',
      started: '2026-11-24T14:05',
      packets: ['P-4', 'P-5'],
      inScope: ['the handoff path', 'cancellation'],
      outOfScope: ['the fallback path'],
      required: review.status.required,
      guardrails: { status: review.guardrails.status, recommendation: review.guardrails.recommendation, reasons: review.guardrails.reasons },
    });
    expect(review.status.required.map((r) => r.change)).toEqual(['Rollout windows or traffic policy']);
  });

  it('reads a scope written as a block list, a single string or not at all', () => {
    const block = ref(note('inScope:\n  - the handoff path\n  - 25 %\noutOfScope: the fallback path'));
    expect([sessionScope(block, 'inScope'), sessionScope(block, 'outOfScope')]).toEqual([['the handoff path', '25 %'], ['the fallback path']]);
    const none = ref(note('tags: []'));
    expect([sessionScope(none, 'inScope'), sessionScope(none, 'outOfScope')]).toEqual([[], []]);
  });
});
