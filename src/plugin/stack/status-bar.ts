import type { StackSnapshot } from '../host';

/** The status-bar count (README "The Obsidian plugin"): problems of the stack; a click opens the stack view. */
export class StatusBar {
  constructor(
    private readonly el: HTMLElement,
    onClick: () => void,
  ) {
    el.addClass('canon-status', 'mod-clickable');
    el.setAttrs({ 'aria-label': 'Open the stack view', role: 'button', tabindex: '0' });
    el.addEventListener('click', onClick);
    el.addEventListener('keydown', (evt) => {
      if (evt.key !== 'Enter' && evt.key !== ' ') return;
      evt.preventDefault();
      onClick();
    });
    el.setText('Canon');
  }

  render(snapshot: StackSnapshot): void {
    const summary = problemSummary(snapshot);
    if (summary === null) return;
    this.el.setText(`Canon: ${summary}`);
    this.el.toggleClass('canon-has-errors', snapshot.configProblem !== null || (snapshot.result?.counts.error ?? 0) > 0);
  }
}

/**
 * The problem count in words — "2 errors, 1 warning", "no problems", "config broken" — or null before
 * the first check. The status bar shows it; where there is no status bar (mobile) the stack view's title does.
 */
export function problemSummary(snapshot: StackSnapshot): string | null {
  if (snapshot.configProblem !== null) return 'config broken';
  const counts = snapshot.result?.counts;
  if (!counts) return null;
  const parts: string[] = [];
  if (counts.error > 0) parts.push(`${counts.error} ${counts.error === 1 ? 'error' : 'errors'}`);
  if (counts.warning > 0) parts.push(`${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'}`);
  return parts.length === 0 ? 'no problems' : parts.join(', ');
}
