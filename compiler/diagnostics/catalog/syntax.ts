import { entry } from './entry.js';

export const syntaxDiagnostics = {
  example: entry('MIMO1001', 'unexpected-character', 'error', 'unexpected character {char}', 'The lexer found a character that starts no token.'),
} as const;
