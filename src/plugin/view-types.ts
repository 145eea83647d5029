/** The plugin's view types (registered in main.ts and session/register-session.ts, opened by the controllers). */
export const STACK_VIEW_TYPE = 'canon-stack';
export const SESSION_VIEW_TYPE = 'canon-session';
