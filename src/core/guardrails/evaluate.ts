import type { Condition } from '../schema/cell-type';
import { aggregateMessage, consecutiveMessage, formatCondition, missionsMessage, unreadMessage } from './describe';
import { holds, metricInfo, nearThreshold, round2, thresholdFor, type MetricInfo } from './metric-info';
import { aggregate, boundsOf, holdingIn, idsIn, missionsIn, select, SeriesBuilder, usableBefore, type Selection, type Series } from './series';
import { drain, ROWS_PER_STEP, type Steps } from '../steps';
import type { GuardrailReport, Recommendation, TriggerResult, TriggerRow, TriggerStatus, WindowRow } from './types';

/** A trigger ready to evaluate over any prefix of the windows; or its result when it never can be. */
type Prepared = { kind: 'ready'; trigger: TriggerRow; condition: Condition; threshold: number; series: Series } | { kind: 'unknown'; result: TriggerResult };

const RANK: Record<TriggerStatus, number> = { unknown: 0, ok: 1, warn: 2, breach: 3 };

function unknown(trigger: TriggerRow, metric: string, threshold: number, message: string): TriggerResult {
  return { trigger: trigger.trigger, metric, status: 'unknown', observed: null, threshold, windows: [], message, line: trigger.line };
}

/** What a trigger is judged with, before its series is built. */
type Plan = { kind: 'ready'; trigger: TriggerRow; condition: Condition; threshold: number; builder: SeriesBuilder } | { kind: 'unknown'; result: TriggerResult };

/**
 * The windows triggers are evaluated over, by table index: an array of read rows, or a bound table's
 * values read row by row (see read-rows.ts) without an object per window.
 */
export interface WindowSource {
  readonly length: number;
  /** Window `i` as the metrics read it (an object that may be reused for the next call), or undefined for a hole. */
  window(i: number): WindowRow | undefined;
  /** The id of window `i`. */
  id(i: number): string;
  /** The Decision of window `i` (undefined for a hole or an unread decision). */
  decision(i: number): WindowRow['decision'];
  /** Window `i` as an object of its own, for a result. */
  row(i: number): WindowRow;
}

/** The windows of an array of rows. */
export function arrayWindows(windows: readonly WindowRow[]): WindowSource {
  return {
    length: windows.length,
    window: (i) => (i in windows ? windows[i] : undefined),
    id: (i) => (windows[i] as WindowRow).id,
    decision: (i) => (i in windows ? windows[i]?.decision : undefined),
    row: (i) => windows[i] as WindowRow,
  };
}

function plan(trigger: TriggerRow, windows: WindowSource): Plan {
  const { metric, condition, window } = trigger;
  const label = metric?.label ?? trigger.metricText;
  if (!metric || !condition || !window) {
    return { kind: 'unknown', result: unknown(trigger, label, condition?.value ?? NaN, unreadMessage(trigger)) };
  }
  const info = metricInfo(metric);
  const fit = thresholdFor(info, condition);
  if (!('threshold' in fit)) {
    const message = `\`${formatCondition(condition)}\` does not apply to ${info.name}; expected ${fit.expected}: unknown`;
    return { kind: 'unknown', result: unknown(trigger, label, condition.value, message) };
  }
  const { threshold } = fit;
  const builder = new SeriesBuilder(info, window, windows.length, (i) => windows.id(i), (v) => holds(v, condition.comparator, threshold));
  return { kind: 'ready', trigger, condition, threshold, builder };
}

/** Each trigger ready to evaluate (its series built in one pass over the windows for all triggers), or its result. */
function* prepareAll(triggers: TriggerRow[], windows: WindowSource): Steps<Prepared[]> {
  const plans = triggers.map((t) => plan(t, windows));
  const builders = plans.flatMap((p) => (p.kind === 'ready' ? [p.builder] : []));
  for (let i = 0; i < windows.length; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const row = windows.window(i);
    if (row === undefined) continue; // a hole, skipped as forEach would
    for (const builder of builders) builder.add(row, i);
  }
  return plans.map((p) => (p.kind === 'ready' ? { kind: 'ready', trigger: p.trigger, condition: p.condition, threshold: p.threshold, series: p.builder.finish() } : p));
}

function* prepare(trigger: TriggerRow, windows: WindowRow[]): Steps<Prepared> {
  return (yield* prepareAll([trigger], arrayWindows(windows)))[0] as Prepared;
}

function noRows(info: MetricInfo, anyWindows: boolean, countsMissions: boolean): string {
  if (!anyWindows) return `${info.name}: no rollout windows yet: unknown`;
  const needs = countsMissions && !info.needs.includes('Missions') ? `${info.needs} and Missions` : info.needs;
  return `${info.name}: no rollout window has a valid ${needs}: unknown`;
}

type Ready = Extract<Prepared, { kind: 'ready' }>;

/** A trigger's status over a table prefix, before any window ids are listed (most verdicts are discarded). */
interface Verdict {
  status: TriggerStatus;
  observed: number;
  selection: Selection;
  holding: number;
}

/** Judges a prepared trigger over the windows at table index `< end`; null when no usable row lies there. */
function judgeAt(prepared: Ready, end: number): Verdict | null {
  const { condition, threshold, series } = prepared;
  const to = usableBefore(series, end);
  if (to === 0) return null;
  const selection = select(series, to);
  if (series.window.kind === 'consecutive') {
    const holding = holdingIn(series, selection);
    const size = selection.to - selection.from;
    const status: TriggerStatus = holding === size && size >= series.window.n ? 'breach' : holding > 0 ? 'warn' : 'ok';
    return { status, observed: round2(series.values[to - 1] ?? 0), selection, holding };
  }
  const observed = round2(aggregate(series, selection));
  const status: TriggerStatus = holds(observed, condition.comparator, threshold)
    ? 'breach'
    : nearThreshold(observed, condition.comparator, threshold) ? 'warn' : 'ok';
  return { status, observed, selection, holding: 0 };
}

/** Whether `judgeAt(prepared, end)` says breach, without building the verdict (most promoted windows are not in breach). */
function breachAt(prepared: Ready, end: number): boolean {
  const { condition, threshold, series } = prepared;
  const to = usableBefore(series, end);
  if (to === 0) return false;
  const selection = select(series, to);
  if (series.window.kind === 'consecutive') {
    const size = selection.to - selection.from;
    return holdingIn(series, selection) === size && size >= series.window.n;
  }
  return holds(round2(aggregate(series, selection)), condition.comparator, threshold);
}

/** The result of a prepared trigger over the windows at table index `< end`. */
function evaluateAt(prepared: Ready, end: number, verdict = judgeAt(prepared, end)): TriggerResult {
  const { trigger, condition, threshold, series } = prepared;
  const { info, window } = series;
  const base = { trigger: trigger.trigger, metric: trigger.metric?.label ?? trigger.metricText, threshold, line: trigger.line };
  if (!verdict) return { ...base, status: 'unknown', observed: null, windows: [], message: noRows(info, end > 0, series.countsMissions) };
  const { status, observed, selection, holding } = verdict;
  const ids = idsIn(series, selection);
  if (window.kind === 'consecutive') {
    return { ...base, status, observed, windows: ids, message: consecutiveMessage(info, observed, ids, holding, window.n, condition, status) };
  }
  if (window.kind !== 'missions') {
    return { ...base, status, observed, windows: ids, message: aggregateMessage(info, observed, ids, missionsIn(series, selection), condition, status) };
  }
  // `<n> missions`: the oldest window may be taken in part, and rates and counts carry the range the totals allow
  const found = boundsOf(series, selection);
  const bounds = found ? { low: round2(found.low), high: round2(found.high) } : null;
  const partial = selection.part > 0
    ? { window: ids[0] ?? '', taken: selection.part, missions: (series.missions[selection.from + 1] ?? 0) - (series.missions[selection.from] ?? 0) }
    : null;
  const cover = { n: Math.max(1, Math.floor(window.n)), missions: missionsIn(series, selection) ?? 0, partial, bounds };
  const result: TriggerResult = { ...base, status, observed, windows: ids, message: missionsMessage(info, observed, ids, cover, condition, status) };
  if (bounds) result.bounds = bounds;
  if (partial) result.partial = partial;
  return result;
}

/** Evaluates one Rollback Triggers row over the Rollout Windows rows (newest last). */
export function evaluateTrigger(trigger: TriggerRow, windows: WindowRow[]): TriggerResult {
  return drain(evaluateTriggerSteps(trigger, windows));
}

function* evaluateTriggerSteps(trigger: TriggerRow, windows: WindowRow[]): Steps<TriggerResult> {
  const prepared = yield* prepare(trigger, windows);
  return prepared.kind === 'ready' ? evaluateAt(prepared, windows.length) : prepared.result;
}

/** The worst status (unknown < ok < warn < breach); all-unknown, or no triggers, is `unknown`. */
export function overallStatus(results: readonly TriggerResult[]): TriggerStatus {
  let worst: TriggerStatus = 'unknown';
  for (const r of results) if (RANK[r.status] > RANK[worst]) worst = r.status;
  return worst;
}

/** `rollback` on any breach, `hold` on any warn or unknown (or no triggers), else `promote`. */
export function recommend(results: readonly TriggerResult[]): Recommendation {
  if (results.some((r) => r.status === 'breach')) return 'rollback';
  if (results.length === 0 || results.some((r) => r.status !== 'ok')) return 'hold';
  return 'promote';
}

/** Evaluates every trigger (README "Command line"): per-trigger results, the overall status, the recommendation and its reasons. */
export function evaluateTriggers(triggers: TriggerRow[], windows: WindowRow[]): GuardrailReport {
  return drain(evaluateTriggersSteps(triggers, windows));
}

/** `evaluateTriggers` as work that can pause between slices of windows. */
export function* evaluateTriggersSteps(triggers: TriggerRow[], windows: WindowRow[]): Steps<GuardrailReport> {
  const results: TriggerResult[] = [];
  for (const trigger of triggers) results.push(yield* evaluateTriggerSteps(trigger, windows));
  return report(results);
}

/** Every window whose Decision is `promote` while a trigger was in breach over the windows up to and including it. */
export function findPromoteInBreach(triggers: TriggerRow[], windows: WindowRow[]): PromotedInBreach[] {
  return onlyPromoted(drain(findDecidedInBreachSteps(triggers, arrayWindows(windows))));
}

function onlyPromoted(found: readonly DecidedInBreach[]): PromotedInBreach[] {
  return found.filter((f) => f.decision === 'promote').map(({ window, breaches }) => ({ window, breaches }));
}

/** A window promoted while triggers were in breach, with those triggers' results. */
export type PromotedInBreach = { window: WindowRow; breaches: TriggerResult[] };

/** A window promoted or held while triggers were in breach (their response is a rollback), with those triggers' results. */
export type DecidedInBreach = PromotedInBreach & { decision: 'promote' | 'hold' };

/**
 * Every window whose Decision is `promote` or `hold` while a trigger was in breach over the windows
 * up to and including it (README "Command line": `guardrail/promote-in-breach`, `guardrail/hold-in-breach`), as
 * work that can pause between slices of windows.
 */
export function* findDecidedInBreachSteps(triggers: TriggerRow[], windows: WindowSource): Steps<DecidedInBreach[]> {
  const ready = (yield* prepareAll(triggers, windows)).filter((p) => p.kind === 'ready');
  const found: DecidedInBreach[] = [];
  for (let i = 0; i < windows.length; i++) {
    if (i % ROWS_PER_STEP === ROWS_PER_STEP - 1) yield;
    const decision = windows.decision(i);
    if (decision !== 'promote' && decision !== 'hold') continue;
    let breaches: TriggerResult[] | null = null;
    for (const p of ready) {
      if (!breachAt(p, i + 1)) continue;
      const verdict = judgeAt(p, i + 1);
      if (verdict?.status === 'breach') (breaches ??= []).push(evaluateAt(p, i + 1, verdict));
    }
    if (breaches) found.push({ window: windows.row(i), decision, breaches });
  }
  return found;
}

/** `evaluateTriggers` over any window source, every trigger's series built in one pass (a check of a long table). */
export function* evaluateTriggersInSteps(triggers: TriggerRow[], windows: WindowSource): Steps<GuardrailReport> {
  const prepared = yield* prepareAll(triggers, windows);
  const results = prepared.map((p) => (p.kind === 'ready' ? evaluateAt(p, windows.length) : p.result));
  return report(results);
}

function report(results: TriggerResult[]): GuardrailReport {
  const reasons = results.filter((r) => r.status !== 'ok').map((r) => (r.trigger ? `${r.trigger}: ${r.message}` : r.message));
  return { status: overallStatus(results), recommendation: recommend(results), reasons, triggers: results };
}
