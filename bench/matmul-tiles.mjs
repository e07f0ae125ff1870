#!/usr/bin/env node
// Benchmark: one generated matmul kernel (A [M, K] × W [N, K]ᵀ, as the plan's linears) on this
// machine's WebGPU adapter, for the GPU tile presets and the CPU-fallback-adapter presets
// (chooseMatmulTile(m, 1, 'gpu' | 'cpu')), on the shapes of the small AVLM bench (prefill rows,
// a medium row count, a few rows, one decode row). Five dispatches per forward, median of five
// forwards after a warm-up, reported per kernel with GFLOP/s; each result is spot-checked
// against float64 dot products. Usage: npm run build && node bench/matmul-tiles.mjs
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
if (!existsSync(join(root, 'dist', 'compiler', 'wgsl', 'matmul.js'))) {
  process.stderr.write('bench/matmul-tiles.mjs: dist/ is missing; run `npm run build` first.\n');
  process.exit(2);
}
const { chooseMatmulTile, matmulKernel } = await import(join(root, 'dist', 'compiler', 'wgsl', 'matmul.js'));
const { acquireGpu, WebGpuExecutor } = await import(join(root, 'dist', 'runtime', 'webgpu', 'index.js'));

const SHAPES = [
  [128, 256, 1376],
  [128, 688, 256],
  [40, 256, 768],
  [4, 256, 1376],
  [1, 256, 1376],
  [1, 688, 256],
];
const DISPATCHES = 5;

const random = (n, seed) => {
  let a = seed >>> 0;
  return Float32Array.from({ length: n }, () => {
    a = (Math.imul(a, 1664525) + 1013904223) >>> 0;
    return a / 2 ** 31 - 1;
  });
};
const arg = (buffer, shape) => ({ buffer, shape, dtype: 'f32', offset: 0 });
const flat = (name, buffer, n) => ({ name, buffer, dtype: 'f32', shape: [n], view: { shape: [n], strides: [1], offset: 0 } });
const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];

const gpu = await acquireGpu();
process.stdout.write(`adapter: ${gpu.adapter.description || gpu.adapter.vendor} (fallback: ${gpu.adapter.fallback === true})\n\n`);
process.stdout.write('| M×K×N | tiles | ms / kernel | GFLOP/s | max abs error |\n| --- | --- | ---: | ---: | ---: |\n');
for (const [m, k, n] of SHAPES) {
  const a = random(m * k, 1);
  const w = random(n * k, 2);
  for (const adapter of ['gpu', 'cpu']) {
    const tile = chooseMatmulTile(m, 1, adapter);
    const kernel = matmulKernel({ a: arg(0, [m, k]), b: arg(1, [n, k]), transposeA: false, transposeB: true, m, n, k, batch: [], outputs: [{ out: arg(2, [m, n]), width: n, program: [{ op: 'acc', part: 0 }] }], tile });
    const dispatch = { label: 'matmul', shader: 0, workgroups: kernel.workgroups, bindings: kernel.bindings, uniforms: kernel.uniforms };
    const program = {
      format: 'mimo-webgpu',
      version: 1,
      label: 'matmul-tiles',
      shaders: [kernel.wgsl],
      buffers: [
        { kind: 'state', name: 'a', bytes: 4 * m * k },
        { kind: 'state', name: 'w', bytes: 4 * n * k },
        { kind: 'state', name: 'c', bytes: 4 * m * n },
      ],
      prepare: [],
      forward: Array.from({ length: DISPATCHES }, () => dispatch),
      inputs: [flat('a', 0, m * k), flat('w', 1, n * k)],
      outputs: [flat('c', 2, m * n)],
      hostSteps: [],
    };
    const exec = await WebGpuExecutor.create(gpu, program, new Map());
    const inputs = { a, w };
    const first = await exec.forward(inputs);
    const times = [];
    for (let i = 0; i < 5; i++) times.push((await exec.forward(inputs)).ms / DISPATCHES);
    exec.destroy();
    const c = first.outputs.c;
    let err = 0;
    for (let t = 0; t < 64; t++) {
      const i = (t * 7919) % m;
      const j = (t * 104729) % n;
      let ref = 0;
      for (let q = 0; q < k; q++) ref += a[i * k + q] * w[j * k + q];
      err = Math.max(err, Math.abs(ref - c[i * n + j]));
    }
    const ms = median(times);
    const shape = `${tile.threadsY}×${tile.threadsX} threads × ${tile.rowsPerThread}×${tile.colsPerThread}${tile.staged === false ? ', unstaged' : `, K by ${tile.tileK} staged`}`;
    process.stdout.write(`| ${m}×${k}×${n} | ${adapter}: ${shape} | ${ms.toFixed(2)} | ${((2 * m * n * k) / ms / 1e6).toFixed(2)} | ${err.toExponential(1)} |\n`);
  }
}
gpu.destroy();
