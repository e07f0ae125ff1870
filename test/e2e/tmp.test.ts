import { it } from 'vitest';
import { runMimo } from '../cli/run-mimo.js';
it('demo', async () => {
  const t0 = Date.now();
  const r = await runMimo(['demo', '--backend', 'wasm', '--runs', '2', '--out', '.tmp/demo-test']);
  console.log(r.code, r.stdout, r.stderr, Date.now() - t0);
}, 600000);
