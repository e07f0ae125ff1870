// Runs every benchmark under bench/ in turn, each in its own Node process, against the built dist/
// (`npm run build` first). Results are recorded by hand in docs/benchmarks.md with the machine and
// the load at the time: this machine is shared, so compare only figures taken in the same run.
// Usage: npm run bench [-- name ...]   (names: parse check-cold variants plan forward plan-tfjs)
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));
const all = ['parse', 'check-cold', 'variants', 'plan', 'forward', 'plan-tfjs'];
const chosen = process.argv.slice(2).length > 0 ? process.argv.slice(2) : all;
let failed = 0;
for (const name of chosen) {
  if (!all.includes(name)) {
    console.error(`unknown benchmark \`${name}\`; choose from ${all.join(', ')}`);
    process.exit(2);
  }
  console.log(`\n## ${name}\n`);
  const run = spawnSync(process.execPath, [join(here, `${name}.mjs`)], { stdio: 'inherit' });
  if (run.status !== 0) failed++;
}
process.exit(failed === 0 ? 0 : 1);
