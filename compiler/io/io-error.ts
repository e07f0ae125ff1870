/**
 * Turns a Node.js file-system error into a diagnostic with a plain-language reason, so users see
 * "permission denied" rather than an errno dump or a stack trace.
 */
import { createDiagnostic } from '../diagnostics/create.js';
import { ioDiagnostics } from '../diagnostics/catalog/io.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { fileStartSpan } from './file-span.js';

const reasons: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  ENOTDIR: 'a component of the path is not a directory',
  ELOOP: 'too many levels of symbolic links',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
  ENFILE: 'too many open files in the system',
  EIO: 'an input/output error occurred',
  ENOSPC: 'no space left on the device',
  EROFS: 'the file system is read-only',
  EDQUOT: 'the disk quota is exceeded',
  EBUSY: 'the file is busy',
  EEXIST: 'the file already exists',
  EINVAL: 'invalid argument',
  ENOENT: 'no such file or directory',
  EISDIR: 'it is a directory',
  EXDEV: 'cannot rename across file systems',
};

/** The errno code (`ENOENT`, ...) of a file-system error, if it has one. */
export function errorCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/** A short, human reason for a file-system error. */
export function describeIoError(error: unknown): string {
  const code = errorCode(error);
  if (code !== undefined && reasons[code] !== undefined) return reasons[code];
  if (code !== undefined) return `system error ${code}`;
  return error instanceof Error ? error.message : String(error);
}

/** The diagnostic for a file that could not be read. `path` is shown verbatim. */
export function readErrorDiagnostic(path: string, error: unknown): Diagnostic {
  const span = fileStartSpan(path);
  switch (errorCode(error)) {
    case 'ENOENT':
      return createDiagnostic(ioDiagnostics.fileNotFound, span, { path }, {
        help: 'check the spelling; relative paths are resolved against the current directory',
      });
    case 'EISDIR':
      return createDiagnostic(ioDiagnostics.pathIsDirectory, span, { path }, {
        help: 'name the .mimo files inside it instead, e.g. `mimo check dir/*.mimo`',
      });
    default:
      return createDiagnostic(ioDiagnostics.fileUnreadable, span, { path, reason: describeIoError(error) }, {
        help: 'check that the file exists and that you may read it',
      });
  }
}

/** The diagnostic for a file that could not be written. `path` is shown verbatim. */
export function writeErrorDiagnostic(path: string, error: unknown): Diagnostic {
  return createDiagnostic(ioDiagnostics.fileUnwritable, fileStartSpan(path), { path, reason: describeIoError(error) }, {
    help: 'check that the directory exists and that you may write to it; the original file was left as it was',
  });
}
