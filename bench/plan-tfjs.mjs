#!/usr/bin/env node
// Benchmark: the fused execution plan run by the tfjs plan executor (runtime/plan: tfjs fused ops)
// against the generated model run op by op (compiler/codegen over runtime/ layers), in ONE process
// on one tfjs backend (wasm by default), on the same seeded weights, prompt and media. For each
// model: warm-ups, then timed forwards alternating the two paths (so load on the machine hits both
// alike); reports median and min wall time per forward (logits read back), the tfjs kernels each
// forward dispatches (tf.profile; free kernels such as Reshape counted apart), the plan's kernels,
// and the peak tensor bytes of a forward. Checks first that both paths agree (max |Δ| / max |x|).
//
// Usage: npm run build && node bench/plan-tfjs.mjs [--runs 10] [--warmup 30] [--backend wasm|cpu]
//        [--only tiny|small] [--json]
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'cli', 'commands', 'run.js'))) {
  process.stderr.write('bench/plan-tfjs.mjs: dist/ is missing or stale; run `npm run build` first.\n');
  process.exit(2);
}
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const [{ runPipeline }, { buildGraph }, { planModel }, rt, planRt, run, demo] = await Promise.all([
  load('compiler/pipeline.js'),
  load('compiler/ir/index.js'),
  load('compiler/plan/index.js'),
  load('runtime/index.js'),
  load('runtime/plan/index.js'),
  load('cli/commands/run.js'),
  load('cli/commands/demo.js'),
]);

const flag = (name, fallback) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const runs = Number(flag('runs', '10'));
const warmup = Number(flag('warmup', '30'));
const backend = flag('backend', 'wasm');
const only = flag('only', undefined);
const json = process.argv.includes('--json');

// Tiny: the specs' tiny models. Small: the same structures ~4x wider and 2x deeper (--set).
const SMALL_AVLM = [
  'decoder.layers=4', 'decoder.hidden=256', 'decoder.heads=8', 'decoder.kv_heads=4', 'decoder.ffn=688',
  'vision.encoder.layers=4', 'vision.encoder.hidden=128', 'vision.encoder.heads=4', 'vision.encoder.ffn=512',
  'audio.encoder.layers=4', 'audio.encoder.hidden=128', 'audio.encoder.heads=4', 'audio.encoder.ffn=512',
];
const SMALL_GPT2 = [
  'decoder.layers=4', 'decoder.hidden=256', 'decoder.heads=8', 'decoder.ffn=1024', 'decoder.vocab=4096',
  'image.encoder.layers=4', 'image.encoder.hidden=128', 'image.encoder.heads=4', 'image.encoder.ffn=512',
];
const CASES = [
  { size: 'tiny', label: 'tiny_avlm', spec: 'specs/tiny_avlm.mimo', set: [] },
  { size: 'tiny', label: 'tiny_gpt2', spec: 'specs/tiny_gpt2.mimo', set: [] },
  { size: 'tiny', label: 'tiny_whisper_lm', spec: 'test/plan-exec/fixtures/tiny_whisper.mimo', set: [] },
  { size: 'small', label: 'small_avlm', spec: 'specs/tiny_avlm.mimo', set: SMALL_AVLM },
  { size: 'small', label: 'small_gpt2', spec: 'specs/tiny_gpt2.mimo', set: SMALL_GPT2 },
].filter((c) => only === undefined || c.size === only);

const info = await rt.initBackend(backend);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const relativeError = (a, b) => {
  let d = 0;
  let scale = 0;
  for (let i = 0; i < b.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    scale = Math.max(scale, Math.abs(b[i]));
  }
  return d / scale;
};

async function bench(c) {
  const result = await runPipeline([join(root, c.spec)], { root, cwd: root, overrides: c.set });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(`${c.label}: ${errors.map((d) => d.message).join('; ')}`);
  const model = result.models[0];
  const { graph } = buildGraph(model);
  const prompt = demo.demoPrompt(rt, model, 0).ids;
  const media = new Map(model.senses.map((s) => [s.name, demo.demoMedia(rt, s, 0)]));
  const inputs = { model, graph, weights: run.seededWeights(rt, graph, 0), expanded: run.expandPrompt(model, prompt), media, textTokens: prompt.length - model.senses.length };
  const { plan } = planModel(model, { text: inputs.textTokens });
  const params = graph.weights.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);

  const generated = await run.loadOpByOp(rt, inputs);
  const executor = planRt.createPlanExecutor(plan, inputs.weights);
  const feed = run.planInputs(plan, graph, inputs);
  const fused = async () => {
    const out = await executor.forward(feed);
    return { logits: out.outputs.logits, peak: out.peakBytes };
  };
  const unfused = async () => ({ logits: generated.forward(), peak: undefined });
  const once = async (f) => {
    const t = performance.now();
    const { logits } = await f();
    const data = await logits.data();
    const ms = performance.now() - t;
    logits.dispose();
    return { ms, data };
  };
  try {
    const a = await once(fused);
    const b = await once(unfused);
    const agreement = relativeError(a.data, b.data);
    const kernelsOf = async (f) => {
      const k = await planRt.countTfKernels(async () => (await f()).logits);
      return { work: k.total - k.free, free: k.free, peak: k.peakBytes };
    };
    for (let i = 0; i < warmup; i++) {
      await once(fused);
      await once(unfused);
    }
    const kf = await kernelsOf(fused);
    const ku = await kernelsOf(unfused);
    const tf = [];
    const tu = [];
    for (let i = 0; i < runs; i++) {
      tf.push((await once(fused)).ms);
      tu.push((await once(unfused)).ms);
    }
    return {
      model: c.label,
      size: c.size,
      params,
      seq: plan.bindings.seq,
      planKernels: plan.kernels.length,
      arenaBytes: plan.memory.arenaBytes,
      opsUnfused: plan.summary.ops_unfused,
      agreement,
      fused: { median: median(tf), min: Math.min(...tf), tfjsKernels: kf.work, freeKernels: kf.free, peakBytes: kf.peak },
      unfused: { median: median(tu), min: Math.min(...tu), tfjsKernels: ku.work, freeKernels: ku.free, peakBytes: ku.peak },
    };
  } finally {
    executor.dispose();
    await generated.dispose();
    rt.tf.dispose([...media.values()].map((m) => m.tensor));
  }
}

const rows = [];
for (const c of CASES) rows.push(await bench(c));

if (json) {
  process.stdout.write(`${JSON.stringify({ backend: info.detail, runs, warmup, cpus: cpus().length, loadavg: loadavg()[0], rows }, null, 2)}\n`);
} else {
  const fmt = (x) => x.toFixed(1);
  const mib = (b) => (b / 2 ** 20).toFixed(2);
  const header = ['model', 'params', 'seq', 'path', 'plan kernels', 'tfjs kernels', 'median ms', 'min ms', 'peak MiB', 'speedup'];
  const table = [header];
  for (const r of rows) {
    table.push([r.model, r.params.toLocaleString('en-US'), String(r.seq), 'fused plan', String(r.planKernels), String(r.fused.tfjsKernels), fmt(r.fused.median), fmt(r.fused.min), mib(r.fused.peakBytes), `${(r.unfused.median / r.fused.median).toFixed(2)}x`]);
    table.push(['', '', '', 'op by op', `(${r.opsUnfused} ops)`, String(r.unfused.tfjsKernels), fmt(r.unfused.median), fmt(r.unfused.min), mib(r.unfused.peakBytes), '']);
  }
  const widths = header.map((_, i) => Math.max(...table.map((row) => row[i].length)));
  const line = (row) => row.map((cell, i) => (i < 1 || i === 3 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  ');
  process.stdout.write(`plan-tfjs: ${info.detail}; ${runs} timed runs per path after ${warmup} warm-ups, alternating; ${cpus().length} CPUs, load average ${loadavg()[0].toFixed(1)}\n\n`);
  process.stdout.write(`${line(table[0])}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of table.slice(1)) process.stdout.write(`${line(row)}\n`);
  process.stdout.write(`\ntfjs kernels: backend kernels per forward (tf.profile), not counting free ones (Reshape, Identity); peak: most tensor bytes alive at once during a forward beyond those before it (tf.profile); speedup: op-by-op median / plan median.\n`);
  process.stdout.write(`the plans' own arenas (their memory plans, for comparison): ${rows.map((r) => `${r.model} ${mib(r.arenaBytes)} MiB`).join(', ')}\n`);
  process.stdout.write(`agreement (max |plan − op-by-op| / max |op-by-op| over all logits): ${rows.map((r) => `${r.model} ${r.agreement.toExponential(1)}`).join(', ')}\n`);
}
