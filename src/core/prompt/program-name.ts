/** The program's name the prompts carry: config `program`, else the control center's title, else the preset's. */
import { pathOf, type StackModel } from '../stack/model';
import { PHASE_A_PROGRAM, titleFromFileName } from '../stack/templates';

/** The name and where it came from. */
export interface ProgramName {
  name: string;
  from: 'config' | 'control-center' | 'preset';
}

// The preset names the control center `<program> Program Control Center`; the suffix is what the
// note is, not the program. A leading `00.` / `00 -` numbering is the stack's order, not the name.
const SUFFIX = /[\s\-–—:|]*\b(?:program\s+)?control\s+cent(?:er|re)\s*$/i;
const NUMBER = /^\d+(?:\.\d+)*\s*[.)\-–—:]?\s+/;

/** A control center title without its numbering and its "Program Control Center" suffix; empty when nothing else is left. */
export function programFromTitle(title: string): string {
  return title.trim().replace(NUMBER, '').replace(SUFFIX, '').trim();
}

/** Config `program` first, then the control center's level-1 heading (else its file name), then the preset's name. */
export function programName(model: StackModel): ProgramName {
  const configured = model.config.program?.trim();
  if (configured) return { name: configured, from: 'config' };
  const path = pathOf(model, 'control-center');
  if (path !== null) {
    const title = model.notes.get(path)?.headings.find((h) => h.level === 1)?.text ?? titleFromFileName(path.split('/').pop() ?? path);
    const name = programFromTitle(title);
    if (name !== '') return { name, from: 'control-center' };
  }
  return { name: PHASE_A_PROGRAM, from: 'preset' };
}
