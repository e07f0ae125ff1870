#!/usr/bin/env node
// Benchmark and targets of the fusion planner (compiler/plan), from the built dist/:
//   - a LLaMA-style decoder layer in prefill: kernels (target ≤ 8);
//   - the seed model (specs/llava_avlm.mimo, prefill): kernels / unfused ops (≤ 40%), modeled
//     bytes fused / unfused (≤ 50%), arena / no-reuse sum (≤ 60%), arena / lower bound (≤ 110%);
//   - the same for one decode step, and the time to plan (median of --runs);
//   - ONNX Runtime's optimized graph of the same LLaMA layer (exported by PyTorch, opset 17) when
//     Python with torch is available (test/reference/ort-plan/).
// Usage: npm run build && node bench/plan.mjs [--runs N] [--no-ort]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = join(root, 'dist');
if (!existsSync(join(dist, 'compiler', 'plan', 'index.js'))) {
  process.stderr.write('bench/plan.mjs: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}
const runsFlag = process.argv.indexOf('--runs');
const runs = runsFlag > 0 ? Number(process.argv[runsFlag + 1]) : 3;
const load = (path) => import(pathToFileURL(join(dist, path)).href);
const { runPipeline } = await load('compiler/pipeline.js');
const { planModel } = await load('compiler/plan/index.js');

const pct = (a, b) => `${((100 * a) / b).toFixed(1)}%`;
const check = (ok) => (ok ? 'ok' : 'MISSED');
const gib = (n) => `${(n / 2 ** 30).toFixed(2)} GiB`;
const mib = (n) => `${(n / 2 ** 20).toFixed(1)} MiB`;

const { models, diagnostics } = await runPipeline([join(root, 'specs', 'llava_avlm.mimo')], { root });
if (diagnostics.some((d) => d.severity === 'error')) {
  process.stderr.write(`bench/plan.mjs: the seed spec has errors:\n${diagnostics.map((d) => `  ${d.code} ${d.message}`).join('\n')}\n`);
  process.exit(1);
}
const seed = models.find((m) => m.id === 'llava_avlm');

for (const mode of ['prefill', 'decode']) {
  const times = [];
  let plan;
  for (let r = 0; r < runs; r++) {
    const t0 = performance.now();
    plan = planModel(seed, { mode }).plan;
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  const s = plan.summary;
  const layer0 = plan.kernels.filter((k) => /^language_model\.model\.layers\.0(\.|$)/.test(k.scope));
  process.stdout.write(`\nseed llava_avlm, ${mode} (batch 1, ${plan.bindings.text} text tokens, sequence ${plan.bindings.seq}, ${plan.dtype}), planned in ${times[Math.floor(times.length / 2)].toFixed(0)} ms (median of ${runs})\n`);
  process.stdout.write(`  LLaMA decoder layer: ${layer0.length} kernels [${layer0.map((k) => k.label).join(' | ')}]${mode === 'prefill' ? `  target ≤ 8: ${check(layer0.length <= 8)}` : ''}\n`);
  const rows = [
    ['kernels / unfused ops', `${s.kernels} / ${s.ops_unfused}`, pct(s.kernels, s.ops_unfused), 0.4, s.kernels / s.ops_unfused],
    ['modeled bytes fused / unfused', `${gib(s.bytes_fused)} / ${gib(s.bytes_unfused)}`, pct(s.bytes_fused, s.bytes_unfused), 0.5, s.bytes_fused / s.bytes_unfused],
    ['arena / no-reuse sum', `${mib(s.arena_bytes)} / ${mib(s.naive_bytes)}`, pct(s.arena_bytes, s.naive_bytes), 0.6, s.arena_bytes / s.naive_bytes],
    ['arena / lower bound', `${mib(s.arena_bytes)} / ${mib(s.lower_bound_bytes)}`, pct(s.arena_bytes, s.lower_bound_bytes), 1.1, s.arena_bytes / s.lower_bound_bytes],
  ];
  for (const [name, values, ratio, limit, value] of rows) {
    const target = mode === 'prefill' ? `  target ≤ ${(limit * 100).toFixed(0)}%: ${check(value <= limit)}` : '';
    process.stdout.write(`  ${name.padEnd(31)} ${values.padEnd(34)} ${ratio.padStart(7)}${target}\n`);
  }
  process.stdout.write(`  modeled time on ${plan.cost.device}: ${s.estimated_ms.toFixed(2)} ms fused, ${s.unfused_estimated_ms.toFixed(2)} ms unfused\n`);
}

if (!process.argv.includes('--no-ort')) {
  const python = [process.env.MIMO_TORCH_PYTHON, '/usr/bin/python3', 'python3'].filter(Boolean).find((p) => spawnSync(p, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0);
  if (python === undefined) {
    process.stdout.write('\nONNX Runtime comparison skipped: no Python with torch (apt-get install -y python3-torch python3-numpy).\n');
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'mimo-bench-ort-'));
    try {
      const onnx = join(dir, 'layer.onnx');
      const exported = spawnSync(python, [join(root, 'test', 'reference', 'ort-plan', 'export_llama_layer.py'), onnx], { encoding: 'utf8' });
      if (exported.status !== 0) throw new Error(exported.stderr);
      const { optimizeAndCount } = await import(pathToFileURL(join(root, 'test', 'reference', 'ort-plan', 'count-ort-kernels.mjs')).href);
      const ort = await optimizeAndCount(onnx);
      const { llamaLayerModel } = await layerModel();
      const plan = planModel(llamaLayerModel, { text: 64 }).plan;
      const mimo = plan.kernels.filter((k) => /layers\.0(\.|$)/.test(k.scope));
      const constants = ort.before.ops.Constant ?? 0;
      process.stdout.write('\nOne LLaMA layer (hidden 256, 8 heads / 4 KV heads, SwiGLU 688, 64 tokens), PyTorch → ONNX opset 17:\n');
      process.stdout.write(`  ONNX export:             ${ort.before.nodes} nodes (${ort.before.nodes - constants} without Constant)\n`);
      process.stdout.write(`  ONNX Runtime 'all':      ${ort.after.nodes} nodes ${JSON.stringify(ort.after.ops)}\n`);
      process.stdout.write(`  mimo plan:               ${mimo.length} kernels [${mimo.map((k) => k.label).join(' | ')}]\n`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
}

/** The export's layer as a checked model (widths of export_llama_layer.py), without the test helpers. */
async function layerModel() {
  const llamaLayerModel = {
    id: 'ort_layer',
    name: 'ort_layer',
    decoder: {
      family: 'llama', preset: undefined, layers: 1, hidden: 256, heads: 8, kvHeads: 4, headDim: 32, ffn: 688, vocab: 1000, vocabTotal: 1000, context: 512,
      norm: { kind: 'rmsnorm', eps: 1e-5 }, mlp: 'swiglu', activation: 'silu', position: { kind: 'rope', theta: 10000 },
      tiedEmbeddings: false, attentionBias: false, mlpBias: false, frozen: false,
    },
    senses: [],
    textTokens: 64,
    sequenceLength: 64,
    dtype: 'float32',
    spans: new Map(),
  };
  return { llamaLayerModel };
}
