import { entry } from './entry.js';

export const checkDiagnostics = {
  example: entry('MIMO3001', 'unknown-field', 'error', 'unknown field `{field}` in {where}', 'A block has an entry the language does not know.'),
} as const;
