/** A user error that stops the command with exit status 2 and a one-line message (no stack trace). */
export class CannotRun extends Error {}
