import { it } from 'vitest';
import { planGraph } from '../../compiler/plan/index.js';
import type { PlanBindings } from '../../compiler/plan/types.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { graphOf, gpt2Whisper, llamaOnly, tinyAvlm } from '../plan/models.js';
import { testGpu } from '../wgsl/harness.js';
it('compile times', { timeout: 900_000 }, async () => {
  const m = process.env.M === 'w' ? { ...gpt2Whisper(), dtype: 'float32' as const } : process.env.M === 'a' ? tinyAvlm() : llamaOnly(2);
  const graph = graphOf(m);
  const seq = m.sequenceLength;
  const bindings: PlanBindings = { batch: 2, text: m.textTokens, seq, past: 0, queries: seq };
  const { plan } = planGraph(graph, bindings, {});
  const prog = lowerPlanToWebGpu(plan);
  const { ctx } = await testGpu();
  const d = ctx.device;
  const all = [...prog.prepare, ...prog.forward];
  console.log('shaders', prog.shaders.length, 'dispatches', all.length);
  const done = new Set<number>();
  for (const disp of all) {
    if (done.has(disp.shader)) continue;
    done.add(disp.shader);
    const mod = d.createShaderModule({ code: prog.shaders[disp.shader] });
    const entries: GPUBindGroupLayoutEntry[] = disp.bindings.map((b, i) => ({ binding: i, visibility: 4, buffer: { type: b.access === 'read' ? 'read-only-storage' : 'storage' } }));
    entries.push({ binding: disp.bindings.length, visibility: 4, buffer: { type: 'uniform' } });
    const layout = d.createBindGroupLayout({ entries });
    const p = await d.createComputePipelineAsync({ layout: d.createPipelineLayout({ bindGroupLayouts: [layout] }), compute: { module: mod, entryPoint: 'main' } });
    const bufs = disp.bindings.map(() => d.createBuffer({ size: 1024, usage: 0x80 }));
    const u = d.createBuffer({ size: 256, usage: 0x40 });
    const bg = d.createBindGroup({ layout, entries: [...bufs.map((b, i) => ({ binding: i, resource: { buffer: b } })), { binding: bufs.length, resource: { buffer: u } }] });
    const c0 = process.cpuUsage(); const t0 = performance.now();
    const enc = d.createCommandEncoder(); const pass = enc.beginComputePass(); pass.setPipeline(p); pass.setBindGroup(0, bg); pass.dispatchWorkgroups(1); pass.end(); d.queue.submit([enc.finish()]); await d.queue.onSubmittedWorkDone();
    const c = process.cpuUsage(c0);
    console.log(disp.label.slice(0, 60).padEnd(60), 'wall', (performance.now() - t0).toFixed(0), 'cpu', ((c.user + c.system) / 1000).toFixed(0), 'lines', prog.shaders[disp.shader].split('\n').length);
  }
});
