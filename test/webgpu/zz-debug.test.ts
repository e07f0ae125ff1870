import { it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import { decoderAttentionSites } from '../../compiler/plan/lower.js';
import { interpretGraph } from '../../compiler/plan/interpret/ir.js';
import { runKernel } from '../../compiler/plan/interpret/plan.js';
import { PlanStorage } from '../../compiler/plan/interpret/storage.js';
import type { Tensor } from '../../compiler/plan/interpret/tensor.js';
import type { PlanBindings } from '../../compiler/plan/types.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { WebGpuExecutor } from '../../runtime/webgpu/executor.js';
import { randomFeeds, relativeError } from '../plan/harness.js';
import { graphOf, llamaOnly, gpt2Whisper } from '../plan/models.js';
import { sliceAxis } from '../plan/semantics.js';
import { testGpu } from '../wgsl/harness.js';
it('debug', { timeout: 600_000 }, async () => {
  const m = process.env.M === 'w' ? gpt2Whisper() : llamaOnly(2);
  const graph = graphOf(m);
  const batch = 2;
  const seq = m.sequenceLength;
  const feeds = randomFeeds(graph, m, { batch, seq, seed: 11, leftPad: 3 });
  const bindings: PlanBindings = { batch, text: m.textTokens, seq, past: 0, queries: seq };
  const { plan } = planGraph(graph, bindings, {});
  const s = new PlanStorage(plan);
  for (const b of plan.buffers) if (b.kind === 'weight') { const st = s.store(b.id); (st.data as Float32Array).set(feeds.weights.get(b.weight!)!, st.base); }
  for (const k of plan.prepare) runKernel(k, s);
  for (const input of plan.inputs) s.write(input.operand, feeds.inputs.get(input.name)!);
  const { ctx, pipelines } = await testGpu();
  const full = lowerPlanToWebGpu(plan);
  for (let i = 0; i < plan.kernels.length; i++) {
    const k = plan.kernels[i];
    runKernel(k, s);
    const outs = k.outputs.map((o, j) => ({ name: `k${i}o${j}`, operand: o }));
    const program = { ...full, forward: full.forward.slice(0, i + 1), outputs: outs.map((o) => {
      const io = full.inputs[0]; void io;
      const b = plan.buffers[o.operand.buffer];
      const base = b.offset === undefined ? 0 : b.offset / 4;
      // find gpu buffer: arena 0 else by name
      const gpu = b.offset !== undefined ? 0 : full.buffers.findIndex((x) => x.name === b.name);
      return { name: o.name, buffer: gpu, dtype: b.dtype === 'int32' ? 'i32' as const : 'f32' as const, shape: o.operand.shape, view: { ...o.operand.view, offset: base + o.operand.view.offset } };
    }) };
    const exec = await WebGpuExecutor.create(ctx, program, feeds.weights, { pipelines, poison: true });
    const feed: Record<string, Float32Array | Int32Array> = {};
    for (const io of program.inputs) { const t = feeds.inputs.get(io.name)!; feed[io.name] = io.dtype === 'i32' ? Int32Array.from(t.data) : Float32Array.from(t.data); }
    const r = await exec.forward(feed);
    exec.destroy();
    for (const o of outs) {
      const want = s.access(o.operand).tensor();
      const err = relativeError({ shape: o.operand.shape, data: r.outputs[o.name] }, want);
      console.log(i, k.kind, k.label, o.name, err);
      if (!(err < 1e-4)) { console.log('FIRST BAD', JSON.stringify(k.params).slice(0, 800)); console.log(JSON.stringify(k.inputs.map((x) => [x.role, x.shape, x.view, plan.buffers[x.buffer].kind, plan.buffers[x.buffer].offset]))); console.log(JSON.stringify(k.outputs.map((x) => [x.role, x.shape, x.view, plan.buffers[x.buffer].kind, plan.buffers[x.buffer].offset]))); console.log(Array.from(r.outputs[o.name].slice(0, 20)), Array.from(want.data.slice(0, 20))); return; }
    }
  }
});
