/** An in-memory vault with a change history: start a session, add rows, tick, close — as the CLI would. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { planAppend } from '../../../src/core/edit/append-entry';
import { applyEdits } from '../../../src/core/edit/text-edit';
import type { EntryKind } from '../../../src/core/schema/table-schema';
import { findSessions, type SessionRef } from '../../../src/core/session/find-sessions';
import { planClose, type ClosePlan, type CloseRequest } from '../../../src/core/session/plan-close';
import { reviewSession } from '../../../src/core/session/review-session';
import { planStart } from '../../../src/core/session/start-session';
import { planTick, type TickPlan, type TickRequest } from '../../../src/core/session/tick-session';
import type { SessionReview } from '../../../src/core/session/types';
import type { CanonConfig } from '../../../src/core/config/config';
import type { Role } from '../../../src/core/stack/roles';
import { PHASE_A_TEMPLATES } from '../../../src/core/stack/templates';
import { FIXED_NOW, load, memoryVault } from '../../helpers/memory-vault';

export const EXAMPLE = join(import.meta.dirname, '../../../example-vault');
export const CONTROL = '00_DraganCorp_Program_Control_Center.md';
export const EVIDENCE = '04_Phase_A_Controlled_Rollout_Evidence_Log.md';
export const OPERATING = '05_Phase_A_Execution_Operating_Model.md';
export const PLAYBOOK = '03_Phase_A_CODER_VP_Observability_Playbook.md';
export const PLAN = '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md';

/** The example vault's notes (the five canonical ones and the notes they link to). */
export function exampleFiles(): Record<string, string> {
  const files: Record<string, string> = {};
  for (const name of readdirSync(EXAMPLE, { recursive: true, encoding: 'utf8' })) {
    const path = name.split('\\').join('/');
    if (path.endsWith('.md') && !path.startsWith('.')) files[path] = readFileSync(join(EXAMPLE, name), 'utf8');
  }
  return files;
}

/** The preset's templates (empty tables), for the roles given. */
export function templateFiles(roles: readonly Role[]): Record<string, string> {
  const files: Record<string, string> = {};
  for (const role of roles) files[PHASE_A_TEMPLATES[role].fileName] = PHASE_A_TEMPLATES[role].text(PHASE_A_TEMPLATES[role].title);
  return files;
}

/** A good Rollout Windows entry after the example's W-10. */
export const WINDOW = { Start: '2026-11-16 09:00', End: '2026-11-16 17:00', Traffic: '25%', Missions: '180', Fallbacks: '6', p95: '630', Events: 'vp.mission.failed=0', Decision: 'hold' };

/** 2026-11-24 16:30, local time: when the fixtures close. */
export const CLOSE_AT = new Date(2026, 10, 24, 16, 30);

export class SessionVault {
  constructor(readonly files: Record<string, string>, readonly config: Partial<CanonConfig> = {}) {}

  load() {
    return load(this.files, this.config);
  }

  start(objective = 'Ship the handoff', packets: string[] = [], now = FIXED_NOW): string {
    const plan = planStart(this.load().model, { objective, packets, now }, findSessions(memoryVault(this.files)).open, (p) => p in this.files);
    if (!plan.ok) throw new Error(plan.message);
    this.files[plan.path] = plan.text;
    return plan.path;
  }

  ref(): SessionRef {
    const [ref] = findSessions(memoryVault(this.files)).open;
    if (!ref) throw new Error('no open session');
    return ref;
  }

  add(kind: EntryKind, fields: Record<string, string>, now = FIXED_NOW): void {
    const { model, readOnly } = this.load();
    const plan = planAppend(model, readOnly, { kind, fields, now });
    if (!plan.ok) throw new Error(plan.errors.map((e) => e.message).join('; '));
    this.files[plan.path] = applyEdits(this.files[plan.path] ?? '', plan.edits);
  }

  review(): SessionReview {
    const ref = this.ref();
    return reviewSession(this.load().model, ref.path, ref.session);
  }

  tick(request: TickRequest): TickPlan {
    const ref = this.ref();
    const plan = planTick(this.load().model, ref, request);
    if (plan.ok) this.files[ref.path] = applyEdits(ref.text, plan.edits);
    return plan;
  }

  close(request: Partial<CloseRequest> = {}): ClosePlan {
    const { model, readOnly } = this.load();
    const plan = planClose(model, readOnly, this.ref(), { now: CLOSE_AT, force: false, texts: {}, ...request });
    if (plan.ok) for (const w of plan.writes) this.files[w.path] = applyEdits(this.files[w.path] ?? '', w.edits);
    return plan;
  }
}
