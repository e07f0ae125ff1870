// The summary of one run.sh: a table on stdout and OUT/summary.json (the machine, the adapter
// Dawn used and, per bench, its command, exit status, wall time and `mimo bench --json` report).
//
// Usage (run.sh calls it): KIT_MODE=tiny|gpu node summary.mjs OUT WORK
//   WORK/cases.tsv: one line per bench, `name<TAB>exit status<TAB>wall seconds<TAB>arguments`;
//   WORK/gpus.txt: `nvidia-smi -L`'s lines (may be empty); WORK/adapter.json: probe.mjs's answer.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [out, work] = process.argv.slice(2);
if (out === undefined || work === undefined) {
  process.stderr.write('usage: KIT_MODE=tiny|gpu node summary.mjs OUT WORK\n');
  process.exit(2);
}

/** The bench's JSON report, or undefined when it wrote none (or something else). */
function readReport(name) {
  const path = join(out, `${name}.json`);
  if (!existsSync(path)) return undefined;
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8'));
    return Array.isArray(parsed?.results) && parsed.results.length === 2 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

const cases = readFileSync(join(work, 'cases.tsv'), 'utf8')
  .split('\n')
  .filter((line) => line.length > 0)
  .map((line) => {
    const [name, rc, wall, args] = line.split('\t');
    const status = Number(rc);
    // timeout(1) exits 124 when it stopped the bench, 137 when it had to kill it; run.sh writes -1 for a bench it skipped.
    return { name, args, exit_status: status, timed_out: status === 124 || status === 137, skipped: status === -1, wall_s: Number(wall), report: readReport(name) ?? null };
  });
const lines = (name) => (existsSync(join(work, name)) ? readFileSync(join(work, name), 'utf8').split('\n').filter((l) => l.trim().length > 0) : []);
/** The adapter probe.mjs printed last (run.sh may probe twice), or null. */
function probedAdapter() {
  try {
    return JSON.parse(lines('adapter.json').at(-1) ?? 'null')?.adapter ?? null;
  } catch {
    return null;
  }
}
const host = {
  mode: process.env.KIT_MODE ?? 'unknown',
  node: process.version,
  gpus: lines('gpus.txt'),
  adapter: probedAdapter(),
  vk_driver_files: process.env.VK_DRIVER_FILES ?? null,
};
writeFileSync(join(out, 'summary.json'), `${JSON.stringify({ ...host, cases }, null, 2)}\n`);

const ms = (value) => `${value.toFixed(2)} ms`;
const rows = [['bench', 'plan', 'tfjs op by op', 'speedup', 'dispatches', 'bytes (plan / tfjs)', 'max rel error', 'wall']];
for (const c of cases) {
  const r = c.report;
  if (r === null) {
    const why = c.skipped ? 'SKIPPED (no time left)' : c.timed_out ? 'TIMED OUT' : `FAILED (exit ${c.exit_status})`;
    rows.push([c.name, why, '', '', '', '', '', `${c.wall_s.toFixed(0)} s`]);
    continue;
  }
  const [plan, tfjs] = r.results;
  rows.push([
    c.name,
    ms(plan.median_ms),
    ms(tfjs.median_ms),
    `${r.speedup.toFixed(2)}x`,
    `${plan.dispatches} / ${tfjs.dispatches}`,
    `${(plan.peak_bytes / 1e6).toFixed(2)} / ${(tfjs.peak_bytes / 1e6).toFixed(2)} MB`,
    Math.max(plan.max_rel_error, tfjs.max_rel_error).toExponential(1),
    `${c.wall_s.toFixed(0)} s`,
  ]);
}
const widths = rows[0].map((_, i) => Math.max(...rows.map((row) => row[i].length)));
const devices = [...new Set(cases.map((c) => c.report?.device).filter((d) => d !== undefined))];
const tuned = [...new Set(cases.map((c) => c.report?.tuned_for).filter((t) => t !== undefined))];
process.stdout.write(`\nmimo bench on ${devices.join(', ') || 'no device'} (${host.mode} mode; GPU: ${host.gpus.join('; ') || 'none listed'}; kernels tuned for: ${tuned.join(', ') || 'unknown'})\n`);
for (const row of rows) process.stdout.write(`${row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ')}\n`);
process.exitCode = cases.every((c) => c.report !== null) ? 0 : 1;
