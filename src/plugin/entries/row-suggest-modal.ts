import { FuzzySuggestModal, type App, type FuzzyMatch } from 'obsidian';

/** A row the "Edit row…" command offers: its id and a few words of what it is. */
export interface RowChoice {
  id: string;
  /** The table (`Rollout Windows`). */
  section: string;
  /** The row's first text cell (a decision, a packet's goal), or its dates. */
  summary: string;
}

/** Asks for a row id, offering every row with an id in the stack (fuzzy-matched on id and summary). */
export class RowSuggestModal extends FuzzySuggestModal<RowChoice> {
  constructor(
    app: App,
    private readonly rows: readonly RowChoice[],
    private readonly choose: (row: RowChoice) => void,
  ) {
    super(app);
    this.setPlaceholder('Row to edit: type its ID or words from it…');
    this.emptyStateText = 'No row with that id.';
    this.setInstructions([
      { command: '↑↓', purpose: 'to move' },
      { command: '↵', purpose: 'to edit the row' },
      { command: 'esc', purpose: 'to dismiss' },
    ]);
  }

  getItems(): RowChoice[] {
    return [...this.rows];
  }

  getItemText(row: RowChoice): string {
    return `${row.id} ${row.summary}`;
  }

  override renderSuggestion(match: FuzzyMatch<RowChoice>, el: HTMLElement): void {
    const row = match.item;
    el.addClass('canon-row-suggestion');
    el.createSpan({ cls: 'canon-row-suggestion-id', text: row.id });
    el.createSpan({ cls: 'canon-row-suggestion-summary', text: ` ${row.summary}` });
    el.createEl('small', { cls: ['canon-row-suggestion-section', 'canon-muted'], text: ` ${row.section}` });
  }

  onChooseItem(row: RowChoice): void {
    this.choose(row);
  }
}
