import { test } from 'vitest';
import { runMimo } from '../cli/run-mimo.js';
test('run', async () => {
  for (const args of [['run', 'specs/tiny_avlm.mimo', '--runs', '2'], ['run', 'specs/tiny_avlm.mimo', '--plan', '--runs', '2'], ['run', 'specs/tiny_gpt2.mimo', '--plan', '--json'], ['run', 'specs/tiny_gpt2.mimo', '--backend', 'cpu']]) {
    const r = await runMimo(args);
    console.log(args.join(' '), r.code, '\n', r.stdout, r.stderr);
  }
}, 600000);
