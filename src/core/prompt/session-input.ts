/** The open session as the prompts take it, from its note and its review (what `session status` shows). */
import type { SessionRef } from '../session/find-sessions';
import type { SessionReview } from '../session/types';
import type { PromptSession } from './prompt-context';

/**
 * A scope list of the session (`inScope`, `outOfScope` in its frontmatter: lists of strings, the
 * scope lock of `session start --in-scope/--out-of-scope`); none when the read session has no such key.
 */
export function sessionScope(ref: SessionRef, key: 'inScope' | 'outOfScope'): string[] {
  const read: unknown = (ref.session as Partial<Record<string, unknown>>)[key];
  if (typeof read === 'string') return [read];
  return Array.isArray(read) ? read.filter((v): v is string => typeof v === 'string') : [];
}

/** The open session's prompt input: objective, packets, scope, required updates and the guardrail reading. */
export function promptSessionOf(ref: SessionRef, review: SessionReview): PromptSession {
  return {
    path: ref.path,
    objective: ref.session.objective,
    started: ref.session.started,
    packets: [...ref.session.packets],
    inScope: sessionScope(ref, 'inScope'),
    outOfScope: sessionScope(ref, 'outOfScope'),
    required: review.status.required,
    guardrails: { status: review.guardrails.status, recommendation: review.guardrails.recommendation, reasons: review.guardrails.reasons },
  };
}
