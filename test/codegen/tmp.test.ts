import { it } from 'vitest';
import { writeFileSync, mkdirSync } from 'node:fs';
import { generateCode, typecheckGenerated } from '../../compiler/codegen/index.js';
import { tinyAvlm, gpt2Whisper, gpt2Siglip } from '../ir/models.js';
it('gen', () => {
  const r = generateCode([tinyAvlm(), gpt2Whisper(), gpt2Siglip()], { specPath: 'specs/tiny.mimo' });
  console.log(r.diagnostics.map((d) => d.message));
  mkdirSync('/tmp/gen', { recursive: true });
  for (const f of r.files) writeFileSync('/tmp/gen/' + f.path, f.text);
  const t0 = Date.now();
  const tc = typecheckGenerated(r.files, { runtimeEntry: process.cwd() + '/runtime/index.ts', runtimeImport: 'mimo/runtime', virtualDir: process.cwd() + '/.typecheck' });
  console.log(Date.now() - t0, tc.errors.slice(0, 30).join('\n'));
}, 120000);
