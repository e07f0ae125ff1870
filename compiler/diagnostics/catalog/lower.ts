import { entry } from './entry.js';

export const lowerDiagnostics = {
  example: entry('MIMO4001', 'unsupported-family', 'error', 'cannot lower {what}: {reason}', 'A model uses a feature the lowering does not support.'),
} as const;
