import { CannotRun } from './cannot-run';

/** What a file-system error code means, in words a user can act on. */
const CAUSES: Readonly<Record<string, string>> = {
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is used up',
  EACCES: 'permission denied',
  EPERM: 'the operation is not permitted',
  EROFS: 'the file system is read-only',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENOENT: 'there is no such file or folder',
  EEXIST: 'something is already there',
  ELOOP: 'it is a symbolic link',
  EMFILE: 'too many files are open',
  ENFILE: 'too many files are open',
  EIO: 'the device reported an input/output error',
  EBUSY: 'it is busy',
  ENAMETOOLONG: 'the name is too long',
  EXDEV: 'it is on another device',
  ENXIO: 'it is a special file with nothing behind it',
  EAGAIN: 'it is a special file that would block',
};

/** The error code of a Node file-system error, or null. */
export function errorCode(error: unknown): string | null {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : null;
}

/** `no space left on the device (ENOSPC)`: the cause of a file-system error as a phrase. */
export function describeCause(error: unknown): string {
  const code = errorCode(error);
  if (code === null) return error instanceof Error ? error.message : String(error);
  return `${CAUSES[code] ?? (error instanceof Error ? error.message.replace(/^[A-Z]+: /, '').replace(/, \w+ '.*'$/, '') : code)} (${code})`;
}

/**
 * A file-system failure as the one-sentence message of a CannotRun (exit 2): the path, the operation
 * and the cause, then what it left behind — never "internal error".
 */
export function fsFailure(operation: string, path: string, error: unknown, outcome = 'nothing was changed'): CannotRun {
  if (error instanceof CannotRun) return error;
  return new CannotRun(`cannot ${operation} \`${path}\`: ${describeCause(error)}; ${outcome}`);
}
