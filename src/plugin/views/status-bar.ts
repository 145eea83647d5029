import type { StackSnapshot } from '../host';

/** The status-bar count (SPEC §5): problems of the stack; a click opens the stack view. */
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
    if (snapshot.configProblem !== null) {
      this.el.setText('Canon: config broken');
      this.el.toggleClass('canon-has-errors', true);
      return;
    }
    const counts = snapshot.result?.counts;
    if (!counts) return;
    const parts: string[] = [];
    if (counts.error > 0) parts.push(`${counts.error} ${counts.error === 1 ? 'error' : 'errors'}`);
    if (counts.warning > 0) parts.push(`${counts.warning} ${counts.warning === 1 ? 'warning' : 'warnings'}`);
    this.el.setText(parts.length === 0 ? 'Canon: no problems' : `Canon: ${parts.join(', ')}`);
    this.el.toggleClass('canon-has-errors', counts.error > 0);
  }
}
