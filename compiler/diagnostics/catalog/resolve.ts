import { entry } from './entry.js';

export const resolveDiagnostics = {
  example: entry('MIMO2001', 'import-not-found', 'error', 'cannot import `{path}`: no such file', 'An import names a file that does not exist.'),
} as const;
