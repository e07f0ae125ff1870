#!/usr/bin/env node
// Benchmark: cold `mimo check specs/llava_avlm.mimo` through the built CLI (bin/mimo, dist/), in a
// fresh process each time, against Node's own start-up (`node -e 0`) and `mimo --version` measured
// in the same run, interleaved, so all three see the same machine load. Reports the median (and
// range) of wall time and of the process's CPU time (user + system, read by a tiny preload at
// exit). The target is under 300 ms wall on an idle machine; on a busy one compare CPU times.
// Usage: npm run build && node bench/check-cold.mjs [--runs N]
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const cli = join(root, 'bin', 'mimo');
if (!existsSync(join(root, 'dist', 'cli', 'main.js'))) {
  process.stderr.write('bench/check-cold.mjs: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 15;
if (!Number.isInteger(runs) || runs < 1) {
  process.stderr.write('bench/check-cold.mjs: --runs takes a positive integer\n');
  process.exit(2);
}

// Writes the process's CPU time (µs) to fd 3 as it exits: getrusage covers the whole process,
// Node's bootstrap included.
const cpuProbe = `data:text/javascript,${encodeURIComponent(
  "import { writeSync } from 'node:fs'; process.on('exit', () => { const u = process.cpuUsage(); writeSync(3, String(u.user + u.system)); });",
)}`;

const cases = [
  { label: 'node -e 0 (Node start-up)', args: ['-e', '0'], expect: '' },
  { label: 'mimo --version', args: [cli, '--version'], expect: undefined },
  { label: 'mimo check specs/llava_avlm.mimo', args: [cli, 'check', 'specs/llava_avlm.mimo'], expect: '1 file checked: no problems found\n' },
];

function once(c) {
  const start = process.hrtime.bigint();
  const child = spawnSync(process.execPath, ['--import', cpuProbe, ...c.args], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  const wall = Number(process.hrtime.bigint() - start) / 1e6;
  if (child.status !== 0 || (c.expect !== undefined && child.stdout !== c.expect)) {
    throw new Error(`${c.label} failed (exit ${child.status}):\n${child.stdout}${child.stderr}`);
  }
  return { wall, cpu: Number(child.output[3]) / 1000 };
}

const load = loadavg();
for (const c of cases) once(c); // warm the file cache
const samples = cases.map(() => ({ wall: [], cpu: [] }));
for (let i = 0; i < runs; i += 1) {
  cases.forEach((c, k) => {
    const { wall, cpu } = once(c);
    samples[k].wall.push(wall);
    samples[k].cpu.push(cpu);
  });
}

const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};
const cell = (values) => `${median(values).toFixed(0)} (${Math.min(...values).toFixed(0)}-${Math.max(...values).toFixed(0)})`;
const rows = [['', 'wall ms, median (range)', 'CPU ms, median (range)']];
cases.forEach((c, k) => rows.push([c.label, cell(samples[k].wall), cell(samples[k].cpu)]));
const check = samples[2];
const node = samples[0];
rows.push(['check minus Node start-up (medians)', (median(check.wall) - median(node.wall)).toFixed(0), (median(check.cpu) - median(node.cpu)).toFixed(0)]);
const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
const lines = rows.map((r) => r.map((text, i) => (i === 0 ? text.padEnd(widths[i]) : text.padStart(widths[i]))).join('  '));
const wall = median(check.wall);
process.stdout.write(
  [
    `cold start, ${runs} interleaved runs each; load average ${load.map((l) => l.toFixed(1)).join(' ')} (before) ${loadavg().map((l) => l.toFixed(1)).join(' ')} (after)`,
    ...lines,
    `mimo check median wall ${wall.toFixed(0)} ms: ${wall < 300 ? 'OK' : 'OVER'} the 300 ms target (meant for an idle machine; under load the CPU column is the fair comparison)`,
    '',
  ].join('\n'),
);
