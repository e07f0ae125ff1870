import { entry } from './entry.js';

export const ioDiagnostics = {
  example: entry('MIMO0001', 'file-not-found', 'error', 'cannot read `{path}`: no such file', 'A file named on the command line or imported does not exist.'),
} as const;
