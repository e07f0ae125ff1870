import { it } from 'vitest';
import { writeFileSync } from 'node:fs';
import { generateGrammarArtifacts } from '../../grammar/scripts/generate.js';
it('gen', () => { const a = generateGrammarArtifacts(); writeFileSync('grammar/cst.d.ts', a.cstDts); });
