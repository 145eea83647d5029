/** Note templates of the `phase-a` preset: what `canon init` and "create missing canonical notes" write. */
import { PHASE_A } from '../schema/preset';
import type { EntryKind } from '../schema/table-schema';
import type { Role } from './roles';

/** The program name the preset's file names and meta prompt carry (operating model §2 and §8). */
export const PHASE_A_PROGRAM = 'DraganCorp';

/** The operating model's session close checklist (§10), in order; stands in when that note has none. */
export const PHASE_A_SESSION_CHECKLIST: readonly string[] = [
  'Code behavior validated.',
  'Relevant tests/probes run.',
  'Rollout evidence captured (if applicable).',
  '`04` updated with new window(s) and decision notes.',
  '`00` updated (status/decision/lessons as needed).',
  'Commits are scoped and understandable.',
  'Open risks and next actions are explicit.',
];

/** One row of the operating model's trigger matrix (§6), as written there. */
export interface TriggerMatrixRow {
  change: string;
  update: string;
}

/** The operating model's trigger matrix (§6); stands in when that note has none. */
export const PHASE_A_TRIGGER_MATRIX: readonly TriggerMatrixRow[] = [
  { change: 'Runtime behavior, routing, cancellation, recovery', update: '`00` status log + `00` decision log (if governance changed)' },
  { change: 'Rollout windows or traffic policy', update: '`04` evidence log + `00` status log' },
  { change: 'New operational query/process', update: '`03` observability playbook' },
  { change: 'Strategic acceptance or phase direction', update: '`00` decision log + checklist status' },
];

/** The preset's file name for each role (operating model §2). */
export const PHASE_A_FILE_NAMES: Readonly<Record<Role, string>> = {
  'control-center': `00_${PHASE_A_PROGRAM}_Program_Control_Center.md`,
  'implementation-plan': '02_Phase_A_Persistent_CODER_VP_Implementation_Plan.md',
  'observability-playbook': '03_Phase_A_CODER_VP_Observability_Playbook.md',
  'evidence-log': '04_Phase_A_Controlled_Rollout_Evidence_Log.md',
  'operating-model': '05_Phase_A_Execution_Operating_Model.md',
};

/** The meta prompt's objective line as the operating model writes it (§8): `canon prompt` fills it in. */
export const OBJECTIVE_PLACEHOLDER = '[INSERT CURRENT OBJECTIVE]';

/** What the meta prompt is filled with: the objective and the vault's note names for the four roles. */
export interface MetaPromptInput {
  objective?: string;
  notes?: Partial<Record<Role, string>>;
  program?: string;
}

/** The operating model's meta prompt (§8), with the objective and note names filled in. */
export function renderMetaPrompt(input: MetaPromptInput = {}): string {
  const note = (role: Role): string => input.notes?.[role] ?? PHASE_A_FILE_NAMES[role];
  const objective = input.objective?.trim() ? input.objective.trim() : OBJECTIVE_PLACEHOLDER;
  return [
    `You are the implementation operator for ${input.program ?? PHASE_A_PROGRAM} Phase A.`,
    '',
    'Objective:',
    `- ${objective}`,
    '',
    'Constraints:',
    '- Work in small, logically scoped packets.',
    '- Do not mix unrelated refactors.',
    '- Prefer root-cause fixes over band-aids.',
    '',
    'Required process:',
    '1) Read and honor canonical docs:',
    `   - ${note('control-center')}`,
    `   - ${note('implementation-plan')}`,
    `   - ${note('observability-playbook')}`,
    `   - ${note('evidence-log')}`,
    '2) Propose packetized plan (2-6 packets).',
    '3) For each packet:',
    '   - implement,',
    '   - run targeted verification,',
    '   - report pass/fail with concrete evidence.',
    '4) If rollout-impacting, capture objective metrics and append evidence row(s).',
    '5) Keep documentation synchronized:',
    '   - update 04 evidence,',
    '   - update 00 status,',
    '   - update 00 decisions if governance changed,',
    '   - update 00 lessons.',
    '6) Use clean, scoped commits only.',
    '',
    'Enforcement gates (must pass before marking complete):',
    '- G1 Functional behavior confirmed',
    '- G2 Regression checks pass',
    '- G3 Observability signal captured',
    '- G4 Documentation synchronized',
    '- G5 Rollout safety/rollback conditions documented',
    '',
    'Output format each cycle:',
    '- What changed',
    '- Verification commands + outcomes',
    '- Evidence captured',
    '- Docs updated',
    '- Risks/next guardrail checks',
  ].join('\n');
}

/** The operating model's short meta prompt (§9, fast mode) as the preset writes it, for a program. */
export function presetShortPrompt(program: string = PHASE_A_PROGRAM): string {
  return `Follow the ${program} Phase A operating model: packetized changes, immediate verification, evidence-first rollout decisions, and mandatory doc sync (00/03/04). No change is complete without tests/probes + updated evidence/status/decision logs when applicable.`;
}

/** A section of a template: its heading, one line of guidance, then a preset table or free text. */
interface TemplateSection {
  heading: string;
  guidance: string;
  table?: EntryKind;
  body?: string;
}

/** A canonical note the preset can create. */
export interface NoteTemplate {
  role: Role;
  /** The preset's file name, prefix included. */
  fileName: string;
  /** The default title (the file name without prefix, extension and underscores). */
  title: string;
  /** The whole note, LF line endings, with `title` as its level-1 heading. */
  text: (title: string) => string;
}

/** `00_DraganCorp_Program_Control_Center.md` → `DraganCorp Program Control Center`. */
export function titleFromFileName(fileName: string): string {
  return fileName
    .replace(/\.md$/i, '')
    .replace(/^\d+[_\-. ]/, '')
    .replace(/_/g, ' ')
    .trim();
}

/** A preset table with its header row and alignment row only. */
export function tableSkeleton(kind: EntryKind): string {
  const schema = PHASE_A.tables.find((t) => t.kind === kind);
  if (!schema) throw new Error(`preset ${PHASE_A.name} has no ${kind} table`);
  const names = schema.columns.map((c) => c.name);
  return [`| ${names.join(' | ')} |`, `| ${names.map(() => '---').join(' | ')} |`].join('\n');
}

const wiki = (role: Role): string => `[[${PHASE_A_FILE_NAMES[role].replace(/\.md$/, '')}]]`;

const SECTIONS: Readonly<Record<Role, { intro: string; sections: readonly TemplateSection[] }>> = {
  'control-center': {
    intro: `Program status, decisions, lessons and governance. How this note is kept true is written in ${wiki('operating-model')}.`,
    sections: [
      { heading: 'Status Log', table: 'status', guidance: 'One row per meaningful change, newest last: the gates it passed (G1–G5) and links to its evidence (notes, headings or row ids such as `W-3`).' },
      { heading: 'Decision Log', table: 'decision', guidance: 'Governance and strategy decisions `D-1`, `D-2`, …; a decision that replaces another names it under Supersedes, and the older one then reads `superseded`.' },
      { heading: 'Lessons Learned', table: 'lesson', guidance: 'What the work taught, and the action taken so that it sticks.' },
      { heading: 'Checklist Status', guidance: 'Phase milestones as a task list; tick one when the decision or evidence behind it is recorded.', body: '- [ ] Rollback triggers written with owners (G5)' },
    ],
  },
  'implementation-plan': {
    intro: `The implementation blueprint: what changes, in which packets, and how each packet proves itself. Status lives in ${wiki('control-center')}.`,
    sections: [
      { heading: 'Objective', guidance: 'The concrete objective of the phase, and what is in and out of scope.' },
      { heading: 'Work Packets', table: 'packet', guidance: 'Two to six small packets `P-1`, `P-2`, …, each with its files, verification command and expected evidence; a packet is done when gates G1–G5 pass.' },
      { heading: 'Verification Ladder', guidance: 'Unit or local check first, then an integration probe if runtime behaviour changed, then an operational snapshot if rollout or metrics changed.' },
    ],
  },
  'observability-playbook': {
    intro: `Operational queries, how to read them, and the recovery steps. Every rollback trigger of ${wiki('evidence-log')} should have a query here.`,
    sections: [
      { heading: 'Signals', guidance: 'The events and metrics the rollout is judged on (fallbacks, latency, failure events).' },
      { heading: 'Queries', table: 'query', guidance: 'One row per query: what to run (inline code; write a pipe inside a cell as `\\|`), how to interpret it, and how to recover.' },
    ],
  },
  'evidence-log': {
    intro: `Every rollout window with its measured evidence and the decision taken. Decisions follow the rollback triggers below; the queries are in ${wiki('observability-playbook')}.`,
    sections: [
      { heading: 'Rollback Triggers', table: 'trigger', guidance: 'Written rollback conditions (gate G5), e.g. `fallback rate` `> 10%` over `20 missions`, or `vp.mission.failed` `> 0` over `3 consecutive windows`, each with an owner and a response.' },
      { heading: 'Rollout Windows', table: 'evidence', guidance: 'One row per observation window `W-1`, `W-2`, …, ordered by start: traffic, missions, fallbacks, fallback rate (fallbacks / missions, in percent), p95 in ms, event counts and the decision.' },
      { heading: 'Current Recommendation', guidance: 'The latest promote / hold / rollback recommendation and the evidence behind it.' },
    ],
  },
  'operating-model': {
    intro: 'How development runs here: small packets, immediate verification, evidence-first rollout decisions, and docs kept in sync.',
    sections: [
      {
        heading: 'Canonical document stack',
        guidance: 'The notes to keep aligned:',
        body: (['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log'] as const).map((r, i) => `${i + 1}. ${wiki(r)}`).join('\n'),
      },
      {
        heading: 'Enforcement gates',
        guidance: 'A packet is not done until all gates pass:',
        body: ['G1 Functional: the intended behaviour is observed.', 'G2 Regression: relevant tests pass (or a justified exception is recorded).', 'G3 Observability: metrics and logs give enough signal to evaluate safety.', 'G4 Documentation: canonical docs updated to match reality.', 'G5 Rollout safety: explicit rollback conditions are documented and monitored.'].map((g) => `- ${g}`).join('\n'),
      },
      {
        heading: 'Trigger matrix',
        guidance: 'If a future operator could be misled without a doc update, the update is mandatory.',
        body: ['| If you change... | You must update... |', '|---|---|', ...PHASE_A_TRIGGER_MATRIX.map((r) => `| ${r.change} | ${r.update} |`)].join('\n'),
      },
      {
        heading: 'Session close checklist',
        guidance: 'Before ending a session, the operator verifies:',
        body: PHASE_A_SESSION_CHECKLIST.map((item) => `- [ ] ${item}`).join('\n'),
      },
      {
        heading: 'Meta prompt',
        guidance: 'The instruction block for an AI coder, the team\'s to edit. `canon prompt` prints it with the objective filled in and the open session appended.',
        body: ['```text', renderMetaPrompt(), '```'].join('\n'),
      },
      {
        heading: 'Short meta prompt',
        guidance: 'Fast mode, for a small change (`canon prompt --short`).',
        body: ['```text', presetShortPrompt(), '```'].join('\n'),
      },
    ],
  },
};

function renderNote(role: Role, title: string): string {
  const { intro, sections } = SECTIONS[role];
  const parts = [`---\ncanon: ${role}\n---`, `# ${title}`, intro];
  for (const s of sections) {
    parts.push(`## ${s.heading}`, s.guidance);
    if (s.table) parts.push(tableSkeleton(s.table));
    if (s.body) parts.push(s.body);
  }
  return `${parts.join('\n\n')}\n`;
}

function template(role: Role): NoteTemplate {
  const fileName = PHASE_A_FILE_NAMES[role];
  return { role, fileName, title: titleFromFileName(fileName), text: (title) => renderNote(role, title) };
}

/** The `phase-a` templates, one per role. */
export const PHASE_A_TEMPLATES: Readonly<Record<Role, NoteTemplate>> = {
  'control-center': template('control-center'),
  'implementation-plan': template('implementation-plan'),
  'observability-playbook': template('observability-playbook'),
  'evidence-log': template('evidence-log'),
  'operating-model': template('operating-model'),
};
