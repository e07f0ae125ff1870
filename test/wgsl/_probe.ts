import { matmulKernel } from '../../compiler/wgsl/matmul.js';
import { acquireGpu } from '../../runtime/webgpu/device.js';
import { WebGpuExecutor } from '../../runtime/webgpu/executor.js';
import type { GpuProgram } from '../../runtime/webgpu/program.js';
const ctx = await acquireGpu();
const m = 7, k = 13, n = 29;
const kern = matmulKernel({ a: { buffer: 0, shape: [m, k], dtype: 'f32', offset: 0 }, b: { buffer: 1, shape: [n, k], dtype: 'f32', offset: 0 }, transposeA: false, transposeB: true, m, n, k, batch: [], outputs: [{ out: { buffer: 2, shape: [m, n], dtype: 'f32', offset: 0 }, width: n, program: [{ op: 'acc', part: 0 }] }] });
const prog: GpuProgram = { format: 'mimo-webgpu', version: 1, label: 'p', shaders: [kern.wgsl], buffers: [0,1,2].map((i) => ({ kind: 'state' as const, name: 'b' + i, bytes: 4 * [m*k, n*k, m*n][i] })),
  prepare: [], forward: [{ label: 'mm', shader: 0, workgroups: kern.workgroups, bindings: kern.bindings, uniforms: kern.uniforms }],
  inputs: [0,1].map((i) => ({ name: 'x' + i, buffer: i, dtype: 'f32' as const, shape: [[m*k, n*k][i]], view: { shape: [[m*k, n*k][i]], strides: [1], offset: 0 } })),
  outputs: [{ name: 'y', buffer: 2, dtype: 'f32', shape: [m*n], view: { shape: [m*n], strides: [1], offset: 0 } }], hostSteps: [] };
let t = performance.now();
const ex = await WebGpuExecutor.create({ ...ctx, timestamps: process.env.TS === "1" }, prog, new Map(), { poison: true });
console.log('create', performance.now() - t);
for (let i = 0; i < 5; i++) {
  t = performance.now();
  const r = await ex.forward({ x0: new Float32Array(m*k).fill(1), x1: new Float32Array(n*k).fill(1) });
  console.log('forward', performance.now() - t, r.ms, r.gpuMs, (r.outputs.y as Float32Array)[0]);
}
ex.destroy();
ctx.destroy();
