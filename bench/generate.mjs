// Generates a valid five-note Canon stack of a chosen size, for the benchmark (bench/run.mjs).
// Same shape as example-vault/; the evidence log's Rollout Windows table has `rows` rows whose
// arithmetic is consistent (rate = fallbacks / missions, ordered non-overlapping windows) and whose
// Decision never reads `promote` while a rollback trigger is in breach (README "Command line", evaluated here).
// Usage as a script: node bench/generate.mjs DIR ROWS [STATUS_ROWS]
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NOTES = {
  'control-center': '00_DraganCorp_Program_Control_Center',
  'implementation-plan': '02_Phase_A_Persistent_CODER_VP_Implementation_Plan',
  'observability-playbook': '03_Phase_A_CODER_VP_Observability_Playbook',
  'evidence-log': '04_Phase_A_Controlled_Rollout_Evidence_Log',
  'operating-model': '05_Phase_A_Execution_Operating_Model',
};

/** The rollback triggers written into the generated evidence log (and evaluated while generating). */
export const TRIGGERS = [
  { trigger: 'Fallback rate over rolling 20 missions', metric: 'fallback rate', condition: '> 10%', window: '20 missions', owner: 'Mara (VP on-call)', response: 'Roll traffic back one step; open a packet for the fallback cause.' },
  { trigger: 'Latency regression', metric: 'p95', condition: '>= 800 ms', window: '3 windows', owner: 'Ivo (platform lead)', response: 'Hold traffic; run *p95 by stage*; roll back if the next window is still at or above 800 ms.' },
  { trigger: 'Sustained mission failures', metric: 'vp.mission.failed', condition: '> 0', window: '3 consecutive windows', owner: 'Mara (VP on-call)', response: 'Roll back to 5 %; run *Failed missions* and attach the traces.' },
  { trigger: 'Continuity regression', metric: 'vp.continuity.lost', condition: '> 0', window: '20 missions', owner: 'Dragan (program owner)', response: 'Roll back one step; no promotion until a packet explains the loss.' },
];

// Windows: 12 a day, on the hour from 06:00 to 17:00, 50 minutes long (daytime only, so no
// daylight-saving gap or overlap can reorder them in any time zone), starting 2014-01-01.
const SLOTS_PER_DAY = 12;
const FIRST_HOUR = 6;
const WINDOW_MINUTES = 50;
const EPOCH = Date.UTC(2014, 0, 1);

/** Deterministic PRNG (mulberry32), so every run benchmarks the same bytes. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pad = (n) => String(n).padStart(2, '0');
/** `yyyy-MM-dd HH:mm` of a UTC instant, read as wall-clock time. */
function formatMinute(ms) {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}`;
}
const formatDay = (ms) => formatMinute(ms).slice(0, 10);

/** Start instant of window index i (0-based). */
export function windowStart(i) {
  const day = Math.floor(i / SLOTS_PER_DAY);
  const hour = FIRST_HOUR + (i % SLOTS_PER_DAY);
  return EPOCH + day * 86_400_000 + hour * 3_600_000;
}
const windowEnd = (i) => windowStart(i) + WINDOW_MINUTES * 60_000;

/** Start and End of the window after `rows` windows: what an appended row can use. */
export function nextWindow(rows) {
  return { id: `W-${rows + 1}`, start: formatMinute(windowStart(rows)), end: formatMinute(windowEnd(rows)) };
}

const NOTE_PLAIN = [
  'Clean window.',
  'Within all triggers.',
  'Traffic steady; no anomalies.',
  'Session reuse above 95 %.',
  'Fallbacks from one noisy tenant.',
  'Deploy during the window; watched p95.',
];

// The Notes users write: wiki links with an escaped alias pipe, row ids, inline code holding escaped
// pipes (a query), emphasis. Each text names its own window and figures, so that no cache of
// distinct cell texts can make a long table cheap (a benchmark whose cells repeat flatters).
const EVIDENCE = (alias) => `[[${NOTES['evidence-log']}#Rollout Windows\\|${alias}]]`;
const QUERIES = (alias) => `[[${NOTES['observability-playbook']}#Queries\\|${alias}]]`;
const NOTE_MARKUP = [
  (x) => `Ran \`events \\| where window == "W-${x.i + 1}" \\| count\` after the deploy; see ${EVIDENCE(`W-${x.i + 1}`)}.`,
  (x) => `*Hold* per D-${1 + (x.i % 5)}: p95 ${x.p95} ms, \`spans \\| where stage == "startup"\` dominated.`,
  (x) => `**Manual** check against W-${Math.max(1, x.i)}: \`vp.mission.failed \\| count\` = ${x.failed}.`,
  (x) => `Fallbacks ${x.fallbacks} of ${x.missions}; query in ${QUERIES('the playbook')}: \`events \\| where name == "vp.mission.fallback"\`.`,
  (x) => `_Cold session cache_ after P-${1 + (x.i % 6)}; \`cache \\| warm --window W-${x.i + 1}\` re-run, see ${EVIDENCE('evidence')}.`,
  (x) => `${x.missions} missions, \`vp.mission.completed \\| sum\` = ${x.missions - x.failed}; *no* anomaly (W-${x.i + 1}).`,
];

/**
 * The trigger evaluation of README "Command line" over windows[0..i], for the generator's own four triggers. Every
 * window holds at least 25 missions (Traffic ≥ 5), so "the last 20 missions" lie in the newest window
 * alone and its pro-rata share reads as its own rate.
 */
function worstStatus(w, i) {
  const statuses = [];
  // 20 missions: the newest windows whose missions add up to at least 20.
  let missions = 0;
  let fallbacks = 0;
  let lost = 0;
  for (let k = i; k >= 0 && missions < 20; k--) {
    missions += w[k].missions;
    fallbacks += w[k].fallbacks;
    lost += w[k].lost;
  }
  const rate = missions === 0 ? 0 : (100 * fallbacks) / missions;
  statuses.push(rate > 10 ? 'breach' : rate > 8 ? 'warn' : 'ok');
  statuses.push(lost > 0 ? 'breach' : 'ok');
  // 3 windows: the maximum p95.
  const last3 = w.slice(Math.max(0, i - 2), i + 1);
  const p95 = Math.max(...last3.map((x) => x.p95));
  statuses.push(p95 >= 800 ? 'breach' : p95 >= 640 ? 'warn' : 'ok');
  // 3 consecutive windows of failures.
  const failing = last3.filter((x) => x.failed > 0).length;
  statuses.push(last3.length === 3 && failing === 3 ? 'breach' : failing > 0 ? 'warn' : 'ok');
  return statuses.includes('breach') ? 'breach' : statuses.includes('warn') ? 'warn' : 'ok';
}

/** The Rollout Windows rows, as data. */
export function generateWindows(rows, seed = 42) {
  const rand = prng(seed);
  const w = [];
  let failureRun = 0;
  for (let i = 0; i < rows; i++) {
    const traffic = 5 + 5 * Math.min(4, Math.floor((i * 5) / rows));
    const missions = traffic * 5 + Math.floor(rand() * 25);
    const spike = rand() < 0.02;
    const fallbacks = Math.min(missions, Math.floor(missions * (spike ? 0.09 + rand() * 0.06 : rand() * 0.06)));
    const p95 = rand() < 0.015 ? 800 + Math.floor(rand() * 120) : 540 + Math.floor(rand() * 110);
    // Failures come in short runs now and then, so that the consecutive-windows trigger both warns and breaches.
    if (failureRun > 0) failureRun--;
    else if (rand() < 0.03) failureRun = 1 + Math.floor(rand() * 3);
    const failed = failureRun > 0 ? 1 + Math.floor(rand() * 2) : 0;
    const lost = rand() < 0.002 ? 1 : 0;
    w.push({ i, traffic, missions, fallbacks, p95, failed, lost });
    const status = worstStatus(w, i);
    const row = w[i];
    row.decision = status === 'breach' ? 'rollback' : status === 'warn' ? 'hold' : rand() < 0.6 ? 'promote' : 'hold';
    // Most Notes hold markup (links, inline code with escaped pipes, emphasis); some are plain or empty.
    const r = rand();
    row.notes = r < 0.8 ? NOTE_MARKUP[i % NOTE_MARKUP.length](row) : r < 0.9 ? NOTE_PLAIN[i % NOTE_PLAIN.length] : '';
    // A window that broadens traffic names the decision behind it (README "Command line", guardrail/broaden-unguarded).
    if (i > 0 && traffic > w[i - 1].traffic) row.notes = `Broadened to ${traffic} % under D-4. ${row.notes}`.trimEnd();
  }
  return w;
}

/** One Rollout Windows table line. */
function windowLine(x) {
  const rate = x.missions === 0 ? '0.00' : ((100 * x.fallbacks) / x.missions).toFixed(2);
  const events = `vp.mission.failed=${x.failed}, vp.mission.completed=${x.missions - x.failed}, vp.continuity.lost=${x.lost}`;
  return `| W-${x.i + 1} | ${formatMinute(windowStart(x.i))} | ${formatMinute(windowEnd(x.i))} | ${x.traffic}% | ${x.missions} | ${x.fallbacks} | ${rate}% | ${x.p95} | ${events} | ${x.decision} | ${x.notes} |`;
}

const frontmatter = (role, updated) => `---\ncanon: ${role}\ntags:\n  - phase-a\n  - canonical\nupdated: ${updated}\n---\n`;
const table = (header, lines) => [`| ${header.join(' | ')} |`, `| ${header.map(() => '---').join(' | ')} |`, ...lines].join('\n');

function evidenceLog(windows, updated) {
  // The Response cells link the playbook's queries and quote one (escaped pipes), as teams write them.
  const triggers = TRIGGERS.map((t, k) => `| ${t.trigger} | ${t.metric} | ${t.condition} | ${t.window} | ${t.owner} | ${t.response} See ${QUERIES(['fallback query', 'p95 by stage', 'failed missions', 'continuity query'][k])}, \`events \\| where name == "${t.metric}"\`. | ${k < 2 ? 'Every window, read at its end' : 'Hourly during a window'} |`);
  return `${frontmatter('evidence-log', updated)}
# Phase A — Controlled Rollout Evidence Log

Every rollout window with its measured evidence and the decision taken; the queries are in
[[${NOTES['observability-playbook']}#Queries]].

## Rollback Triggers

${table(['Trigger', 'Metric', 'Condition', 'Window', 'Owner', 'Response', 'Cadence'], triggers)}

## Rollout Windows

One row per observation window, ordered by start.

${table(['Window', 'Start', 'End', 'Traffic', 'Missions', 'Fallbacks', 'Fallback Rate', 'p95 (ms)', 'Events', 'Decision', 'Notes'], windows.map(windowLine))}

## Current Recommendation

Generated for the benchmark; see \`canon guardrails\`.
`;
}

const CHANGES = ['Rollout window captured', 'Hold after latency warning', 'Cache warm-up tuned', 'Fallback cause fixed', 'Traffic step', 'Playbook query added', 'Handoff retry tuned'];

function statusLines(statusRows, rows, rand) {
  const lines = [];
  let lastK = -1;
  let sameK = 0;
  for (let j = 0; j < statusRows; j++) {
    const k = Math.floor((j * rows) / statusRows);
    sameK = k === lastK ? sameK + 1 : 0;
    lastK = k;
    const date = formatMinute(windowEnd(k) + (1 + sameK) * 60_000);
    const gates = ['G1', 'G2', 'G3', 'G4', 'G5'].filter(() => rand() < 0.5);
    const r = rand();
    // Links cells: row ids and wiki links (escaped alias pipe), often several; summaries with inline code holding escaped pipes.
    const evidence =
      r < 0.3 ? `W-${k + 1}` : r < 0.6 ? `${EVIDENCE(`W-${k + 1}`)}, W-${k + 1}` : r < 0.7 ? `P-${1 + (j % 6)}, ${QUERIES('queries')}` : r < 0.9 ? `D-${1 + (j % 5)}, W-${k + 1}` : '';
    const change = CHANGES[j % CHANGES.length];
    const summary = r < 0.7
      ? `${change} at W-${k + 1}; \`events \\| where window == "W-${k + 1}" \\| summarize count()\` *checked*.`
      : `${change} at W-${k + 1}; **guardrails** evaluated per D-${1 + (j % 5)}.`;
    lines.push(`| ${date} | ${change} | ${summary} | ${gates.length ? gates.join(', ') : '—'} | ${evidence} |`);
  }
  return lines;
}

function controlCenter(statusRows, rows, rand, updated) {
  const n = NOTES;
  const decisions = [
    '| D-1 | 2013-12-02 | Keep the CODER VP session alive across missions, behind `vp.persistent`. | Cold starts dominate mission latency (`spans \\| where stage == "startup"`). | Dragan | accepted | |',
    `| D-2 | 2013-12-09 | Broaden on a fixed schedule: +5 % traffic per day. | Simple to operate for a first canary; see ${EVIDENCE('the windows')}. | Ivo | superseded | |`,
    '| D-3 | 2013-12-12 | Canary only with the written rollback triggers of 04 in place (G5). | No broadening without rollback conditions. | Mara | accepted | |',
    '| D-4 | 2013-12-19 | Promote only when every rollback trigger is ok. | A fixed schedule would promote through warnings. | Ivo | accepted | D-2 |',
    '| D-5 | 2013-12-20 | Hold at 25 % for a week before Phase B. | Longer continuity sample needed. | Dragan | proposed | |',
  ];
  const lessons = [
    '| 2013-12-10 | Events without a mission id cannot be joined to fallbacks. | Every `vp.mission.*` event carries `mission_id`. |',
    `| 2013-12-14 | Short 5 % windows give fewer than 20 missions (W-1). | Run 5 % windows for a full day; count with \`events \\| where name == "vp.mission.completed"\` and ${QUERIES('the playbook')}. |`,
    '| 2013-12-18 | A cold cache after deploy pushes p95 up for one window. | Warm the cache on deploy (P-3). |',
    '| 2013-12-21 | Writing the Decision before the guardrails invites bias. | |',
  ];
  return `${frontmatter('control-center', updated)}
# DraganCorp Program Control Center

Status, decisions and lessons; process in [[${n['operating-model']}]], evidence in [[${n['evidence-log']}]].

## 1) Status Log

${table(['Date', 'Change', 'Summary', 'Gates', 'Evidence'], statusLines(statusRows, rows, rand))}

## 2) Decision Log

${table(['ID', 'Date', 'Decision', 'Rationale', 'Owner', 'Status', 'Supersedes'], decisions)}

## 3) Lessons Learned

${table(['Date', 'Lesson', 'Action'], lessons)}

## 4) Checklist Status

- [x] Rollback triggers written with owners (G5)
- [ ] Phase B go/no-go decision recorded
`;
}

function implementationPlan(updated) {
  const packets = [
    `| P-1 | Persist the VP session between missions. | \`src/vp/session-store.ts\` | \`npm test -- session-store \\| tee session.log\` | Session reused across 3 missions (W-1, ${EVIDENCE('evidence')}). | done |`,
    '| P-2 | Emit `vp.mission.*` events with the mission id. | `src/vp/events.ts` | `npm run probe:events` | Events visible per window. | done |',
    '| P-3 | Warm the session cache on deploy. | `src/vp/cache-warmup.ts` | `npm run probe:warmup` | First-window p95 under 650 ms. | done |',
    '| P-4 | Cancellation-safe handoff. | `src/vp/handoff.ts` | `npm test -- handoff` | No `handoff_timeout` over 3 windows. | in-progress |',
    '| P-5 | Propagate cancellation within 2 s. | | `npm run probe:cancel` | 20 of 20 probe runs under 2 s. | planned |',
    '| P-6 | Retire the fallback path. | `src/vp/fallback.ts` | `npm test` | Fallback 0 % for a week. | blocked |',
  ];
  return `${frontmatter('implementation-plan', updated)}
# Phase A — Persistent CODER VP Implementation Plan

Packets and their verification; status in [[${NOTES['control-center']}]].

## Work Packets

${table(['Packet', 'Goal', 'Files', 'Verification', 'Expected Evidence', 'Status'], packets)}
`;
}

function playbook(updated) {
  const queries = [
    '| Fallback rate per window | `events \\| where name == "vp.mission.fallback" \\| summarize count() by window` | Above 8 % is the warning band. | Check the session store; roll back one step on breach. |',
    '| Failed missions | `events \\| where name == "vp.mission.failed" \\| project ts, mission_id, reason` | Three consecutive windows breach. | Group by reason; roll back to 5 % on breach. |',
    '| p95 by stage | `spans \\| where service == "coder-vp" \\| summarize percentile(duration_ms, 95) by stage` | Startup above 300 ms: cold cache. | Re-run the warm-up job. |',
    `| Continuity loss | \`events \\| where name == "vp.continuity.lost"\` | Any row is a regression. | Roll back one step; record it in ${EVIDENCE('the evidence log')} (*W-n*). |`,
  ];
  return `${frontmatter('observability-playbook', updated)}
# Phase A — CODER VP Observability Playbook

Queries for the triggers of [[${NOTES['evidence-log']}#Rollback Triggers]].

## Queries

${table(['Name', 'Query', 'Interpretation', 'Recovery'], queries)}
`;
}

function operatingModel() {
  // The example vault's operating model when it is there (the real text, code blocks included).
  const example = fileURLToPath(new URL(`../example-vault/${NOTES['operating-model']}.md`, import.meta.url));
  if (existsSync(example)) return readFileSync(example, 'utf8');
  return `${frontmatter('operating-model', '2014-01-01')}
# Phase A Execution Operating Model

## Trigger matrix

| If you change... | You must update... |
|---|---|
| Rollout windows or traffic policy | \`04\` evidence log + \`00\` status log |

## Session close checklist

- [ ] Code behavior validated.
- [ ] Relevant tests/probes run.
- [ ] Rollout evidence captured (if applicable).
- [ ] \`04\` updated with new window(s) and decision notes.
- [ ] \`00\` updated (status/decision/lessons as needed).
- [ ] Commits are scoped and understandable.
- [ ] Open risks and next actions are explicit.
`;
}

/**
 * Writes a valid five-note stack into `dir` (created if needed) with `rows` Rollout Windows rows and
 * a Status Log of `statusRows` rows (default 300, at most five per window). Returns what it wrote.
 */
export function generateStack(dir, rows, { statusRows = 300, seed = 42 } = {}) {
  if (!Number.isInteger(rows) || rows < 1) throw new Error(`rows must be a positive integer, got ${rows}`);
  const status = Math.min(statusRows, rows * 5);
  mkdirSync(dir, { recursive: true });
  const windows = generateWindows(rows, seed);
  const updated = formatDay(windowEnd(rows - 1));
  const rand = prng(seed + 1);
  const files = {
    [NOTES['control-center']]: controlCenter(status, rows, rand, updated),
    [NOTES['implementation-plan']]: implementationPlan(updated),
    [NOTES['observability-playbook']]: playbook(updated),
    [NOTES['evidence-log']]: evidenceLog(windows, updated),
    [NOTES['operating-model']]: operatingModel(),
  };
  let bytes = 0;
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(dir, `${name}.md`), text);
    bytes += Buffer.byteLength(text);
  }
  const decisions = { promote: 0, hold: 0, rollback: 0 };
  for (const w of windows) decisions[w.decision]++;
  return { dir, rows, statusRows: status, bytes, decisions, next: nextWindow(rows), evidenceLog: join(dir, `${NOTES['evidence-log']}.md`) };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const [dir, rows, statusRows] = process.argv.slice(2);
  if (!dir || !rows) {
    console.error('usage: node bench/generate.mjs DIR ROWS [STATUS_ROWS]');
    process.exit(2);
  }
  const result = generateStack(dir, Number(rows), statusRows ? { statusRows: Number(statusRows) } : {});
  console.log(JSON.stringify(result));
}
