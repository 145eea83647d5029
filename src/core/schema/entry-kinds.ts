/** The entry kinds of `canon add` and the plugin's forms, one per canonical table. */
export const ENTRY_KINDS = ['status', 'decision', 'lesson', 'evidence', 'packet', 'query', 'trigger'] as const;
export type EntryKind = (typeof ENTRY_KINDS)[number];
