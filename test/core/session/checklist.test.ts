import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseNote } from '../../../src/core/markdown/parse-note';
import { checklistFromNote, readChecklist } from '../../../src/core/session/checklist';
import { PHASE_A_SESSION_CHECKLIST } from '../../../src/core/stack/templates';
import { load } from '../../helpers/memory-vault';
import { exampleFiles, OPERATING, templateFiles } from './session-vault';

const REQUIRED = ['control-center', 'implementation-plan', 'observability-playbook', 'evidence-log'] as const;

function withOperatingModel(text: string): Record<string, string> {
  return { ...templateFiles(REQUIRED), '05_Model.md': text };
}

describe('session close checklist', () => {
  it("reads the example vault's operating model (a task list under `10) Session close checklist`)", () => {
    const source = readChecklist(load(exampleFiles()).model);
    expect(source).toMatchObject({ source: 'note', path: OPERATING, line: expect.any(Number) as unknown });
    expect(source.items).toEqual(PHASE_A_SESSION_CHECKLIST);
  });

  it('reads a numbered list under any heading containing the words, after a paragraph; nested items, continuations and code are handled; a bullet list after it is not read', () => {
    const note = [
      '# Model', '', '## 10) Session Close Checklist (operator)', '', 'Before ending a session, verify:', '',
      '```md', '- [ ] not an item (code)', '```', '',
      '1. Tests run', '   with their output attached.', '2. [x] `04` updated', '   - a nested note, not an item', '3) Risks explicit', '- a bullet list after it: another list',
      '', '## Next', '- not in the section',
    ].join('\n');
    const found = checklistFromNote(parseNote(note));
    expect(found?.items).toEqual(['Tests run with their output attached.', '`04` updated', 'Risks explicit']);
    expect(found?.line).toBe(3);
  });

  it('reads the markdown fixture (two task items)', () => {
    const text = readFileSync(join(import.meta.dirname, '../../fixtures/markdown/operating-model.md'), 'utf8');
    expect(readChecklist(load(withOperatingModel(text)).model).items).toEqual([
      '`04` updated with new window(s) and decision notes.',
      '`00` Status Log has an entry for this session.',
    ]);
  });

  it.each([
    ['the operating model is missing', templateFiles(REQUIRED)],
    ['it has no checklist section', withOperatingModel('---\ncanon: operating-model\n---\n# Model\n\n## Gates\n\n- G1\n')],
    ['its section has no list', withOperatingModel('# Model\n\n## Session close checklist\n\nJust prose.\n')],
  ])("falls back to the preset's seven items when %s", (_, files) => {
    const source = readChecklist(load(files).model);
    expect(source).toEqual({ items: [...PHASE_A_SESSION_CHECKLIST], source: 'preset', path: null, line: null });
    expect(source.items).toHaveLength(7);
  });
});
