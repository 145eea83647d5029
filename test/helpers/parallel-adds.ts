/**
 * Many real `canon add` processes at once on one vault, and what ended up on disk: the shared part
 * of the concurrency test (test/cli/reliability.test.ts) and `npm run stress` (bench/stress.ts).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseNote } from '../../src/core/markdown/parse-note';
import { findSection, sectionTable } from '../../src/core/stack/sections';
import { canonBin } from './run-cli';

export interface ProcessRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `canon` bin without blocking the test's event loop (so many run at once). */
export function canonAsync(args: string[], env: Record<string, string> = {}): Promise<ProcessRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [canonBin(), ...args], { env: { ...process.env, NO_COLOR: '1', ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => { stdout += d.toString(); });
    child.stderr.on('data', (d: Buffer) => { stderr += d.toString(); });
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** One kind of entry the round adds: its note, section, id column (if any) and the fields for entry n. */
interface KindSpec {
  kind: string;
  note: string;
  section: string;
  id: string | null;
  marker: string;
  fields: (n: string) => string[];
}

export const KINDS: readonly KindSpec[] = [
  { kind: 'lesson', note: '00_DraganCorp_Program_Control_Center.md', section: 'Lessons Learned', id: null, marker: 'Lesson', fields: (n) => [`Lesson=stress ${n}`] },
  { kind: 'status', note: '00_DraganCorp_Program_Control_Center.md', section: 'Status Log', id: null, marker: 'Change', fields: (n) => [`Change=stress ${n}`, 'Summary=parallel add', 'Gates=G1'] },
  { kind: 'decision', note: '00_DraganCorp_Program_Control_Center.md', section: 'Decision Log', id: 'ID', marker: 'Decision', fields: (n) => [`Decision=stress ${n}`, 'Rationale=parallel add', 'Owner=ci', 'Status=proposed'] },
  { kind: 'packet', note: '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md', section: 'Work Packets', id: 'Packet', marker: 'Goal', fields: (n) => [`Goal=stress ${n}`, 'Verification=npm test', 'Expected Evidence=green', 'Status=planned'] },
  { kind: 'query', note: '03_Phase_A_CODER_VP_Observability_Playbook.md', section: 'Queries', id: null, marker: 'Name', fields: (n) => [`Name=stress ${n}`, 'Query=`count(*)`', 'Interpretation=a \\| b', 'Recovery=[[00_DraganCorp_Program_Control_Center]]'] },
  { kind: 'trigger', note: '04_Phase_A_Controlled_Rollout_Evidence_Log.md', section: 'Rollback Triggers', id: null, marker: 'Trigger', fields: (n) => [`Trigger=stress ${n}`, 'Metric=fallback rate', 'Condition=> 50%', 'Window=20 missions', 'Owner=ci', 'Response=roll back'] },
];

/**
 * Rollout windows must not overlap and stand in Start order, so parallel windows with made-up times
 * would be refused for their order (rightly): the evidence kind is used one at a time.
 */
export const EVIDENCE_KIND: KindSpec = {
  kind: 'evidence', note: '04_Phase_A_Controlled_Rollout_Evidence_Log.md', section: 'Rollout Windows', id: 'Window', marker: 'Notes',
  fields: (n) => ['Start=2026-11-16 09:00', 'End=2026-11-16 17:00', 'Traffic=25%', 'Missions=180', 'Fallbacks=6', 'p95=630', 'Decision=hold', `Notes=stress ${n}`],
};

/** Every entry kind. */
export const ALL_KINDS: readonly KindSpec[] = [...KINDS, EVIDENCE_KIND];

/** The outcome of one round: what the processes reported against what the notes hold. */
export interface RoundResult {
  processes: number;
  succeeded: number;
  /** Rows carrying a round marker, found in the notes after the round. */
  rowsFound: number;
  /** Problems: a reported row missing, a row nobody reported, a doubled id, a reported id that differs. */
  problems: string[];
  /** Exit statuses other than 0, with their stderr. */
  failures: string[];
  ms: number;
}

/** Starts `count` `canon add` processes at once (kinds in turn) and checks every reported row against the disk. */
export async function parallelRound(vault: string, count: number, tag: string, env: Record<string, string> = {}): Promise<RoundResult> {
  const started = performance.now();
  const jobs = Array.from({ length: count }, (_, i) => {
    const spec = KINDS[i % KINDS.length] as KindSpec;
    const n = `${tag}-${i}`;
    const args = ['add', spec.kind, '--vault', vault, '--format', 'json', ...spec.fields(n).flatMap((f) => ['--set', f])];
    return canonAsync(args, env).then((run) => ({ spec, n, run }));
  });
  const runs = await Promise.all(jobs);
  const ms = performance.now() - started;
  const problems: string[] = [];
  const failures = runs.filter((r) => r.run.status !== 0).map((r) => `${r.spec.kind} ${r.n}: exit ${r.run.status}: ${(r.run.stderr + r.run.stdout).trim()}`);
  let rowsFound = 0;
  for (const spec of KINDS) {
    const rows = tableRows(join(vault, spec.note), spec.section);
    const header = rows.header;
    const markerAt = header.indexOf(spec.marker);
    const idAt = spec.id === null ? -1 : header.indexOf(spec.id);
    const ids = rows.body.map((r) => r[idAt]);
    if (idAt >= 0 && new Set(ids).size !== ids.length) problems.push(`${spec.section}: ids are not unique (${ids.join(', ')})`);
    const mine = rows.body.filter((r) => (r[markerAt] ?? '').startsWith(`stress ${tag}-`));
    rowsFound += mine.length;
    for (const { n, run } of runs.filter((r) => r.spec === spec)) {
      const found = mine.filter((r) => r[markerAt] === `stress ${n}`);
      if (run.status !== 0) {
        if (found.length > 0) problems.push(`${spec.kind} ${n}: exit ${run.status}, yet its row is in the note`);
        continue;
      }
      if (found.length !== 1) {
        problems.push(`${spec.kind} ${n}: reported added, found ${found.length} times`);
        continue;
      }
      if (idAt >= 0) {
        const reported = (JSON.parse(run.stdout) as { row: Record<string, string> }).row[spec.id ?? ''];
        if (reported !== found[0]?.[idAt]) problems.push(`${spec.kind} ${n}: reported id ${reported}, the row has ${found[0]?.[idAt]}`);
      }
    }
  }
  const succeeded = runs.filter((r) => r.run.status === 0).length;
  return { processes: count, succeeded, rowsFound, problems, failures, ms };
}

/** The header and body cells (plain text) of a section's table, as Canon's parser reads them. */
export function tableRows(file: string, section: string): { header: string[]; body: string[][] } {
  const note = parseNote(readFileSync(file, 'utf8'));
  const heading = findSection(note, section);
  const table = heading ? sectionTable(note, heading) : null;
  return { header: table?.header.cells.map((c) => c.text) ?? [], body: table?.rows.map((r) => r.cells.map((c) => c.text)) ?? [] };
}
