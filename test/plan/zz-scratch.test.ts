import { test } from 'vitest';
import { main } from '../../cli/main.js';
function cap() { let text = ''; return { write: (t: string) => { text += t; }, isTTY: false, get text() { return text; } }; }
test('scratch', async () => {
  for (const argv of [['plan', 'specs/llava_avlm.mimo'], ['plan', 'specs/tiny_avlm.mimo', '--decode', '--json', '--target', 'cpu', '-o', '/tmp/p.json', '--html', '/tmp/p.html'], ['plan', '--read', '/tmp/p.json'], ['plan', 'specs/tiny_avlm.mimo', '--seq', '500'], ['plan', 'specs/tiny_avlm.mimo', '--target', 'tpu']]) {
    const out = cap(); const err = cap();
    const t = performance.now();
    const code = await main(argv, { stdout: out, stderr: err, cwd: process.cwd(), env: {} });
    console.log(argv.join(' '), code, (performance.now() - t).toFixed(0), 'ms\n', out.text.slice(0, 3000), '\nERR', err.text.slice(0, 1500));
  }
}, 120000);
