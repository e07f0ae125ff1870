/**
 * The plan interpreter: runs a plan's `prepare` kernels once, writes the graph inputs into their
 * arena places (and the past rows of KV caches), runs every kernel in order with its kind's own
 * algorithm (kernels/), and reads the outputs back through their views.
 */
import type { Plan, PlanKernel } from '../types.js';
import { runAttention } from './kernels/attention.js';
import { runConv } from './kernels/conv.js';
import { runElementwise } from './kernels/elementwise.js';
import { runEmbedZip } from './kernels/embedZip.js';
import { runMatmul } from './kernels/matmul.js';
import { runNorm } from './kernels/norm.js';
import { runOp } from './kernels/op.js';
import { runReduce } from './kernels/reduce.js';
import type { Feeds } from './ir.js';
import { InterpretError } from './ops.js';
import { PlanStorage } from './storage.js';
import type { Tensor } from './tensor.js';
import { size } from './tensor.js';

export function runKernel(k: PlanKernel, s: PlanStorage): void {
  switch (k.kind) {
    case 'matmul':
      return runMatmul(k, s);
    case 'conv':
      return runConv(k, s);
    case 'attention':
      return runAttention(k, s);
    case 'norm':
      return runNorm(k, s);
    case 'elementwise':
      return runElementwise(k, s);
    case 'reduce':
      return runReduce(k, s);
    case 'embed_zip':
      return runEmbedZip(k, s);
    case 'op':
      return runOp(k, s);
  }
}

export function interpretPlan(plan: Plan, feeds: Feeds): ReadonlyMap<string, Tensor> {
  const s = new PlanStorage(plan);
  for (const b of plan.buffers) {
    if (b.kind !== 'weight') continue;
    const data = feeds.weights.get(b.weight ?? '');
    if (data === undefined || data.length !== size(b.shape)) throw new InterpretError(`weight \`${b.weight}\` is missing or has the wrong size`);
    const store = s.store(b.id);
    (store.data as Float32Array).set(data, store.base);
  }
  for (const k of plan.prepare) runKernel(k, s);
  for (const input of plan.inputs) {
    const t = feeds.inputs.get(input.name);
    if (t === undefined) throw new InterpretError(`no value for input \`${input.name}\``);
    s.write(input.operand, t);
  }
  for (const k of plan.kernels) runKernel(k, s);
  return new Map(plan.outputs.map((o) => [o.name, s.access(o.operand).tensor()]));
}
