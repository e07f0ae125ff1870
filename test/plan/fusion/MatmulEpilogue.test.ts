import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { countKinds, fused, gpt2Whisper, kernelsIn, tinyAvlm, upTo } from '../models.js';

describe('MatmulEpilogue', () => {
  const g = fused(tinyAvlm(), upTo('MatmulEpilogue'));
  const programOps = (k: Kernel<'matmul'>): string[] => k.params.outputs.flatMap((o) => o.program.map((i) => (i.op === 'activation' ? i.fn : i.op)));

  it('puts the bias and the activation of fc1 into its epilogue', () => {
    const mlp = kernelsIn(g, /^vision_tower\.vision_model\.encoder\.layers\.0\.mlp/);
    const fc1 = mlp.find((k) => k.scope.endsWith('fc1')) as Kernel<'matmul'>;
    expect(fc1.kind).toBe('matmul');
    expect(programOps(fc1)).toEqual(['acc', 'load', 'add', 'quick_gelu']);
  });

  it('puts the residual add into the output projection and fc2', () => {
    const layer = kernelsIn(g, /^vision_tower\.vision_model\.encoder\.layers\.0(\.|$)/);
    expect(countKinds(layer)['op:add'] ?? 0).toBe(0);
  });

  it("inlines BEATs' DeepNorm scaling x·α into the residual of the epilogue", () => {
    const layer = kernelsIn(g, /^audio_tower\.encoder\.layers\.0(\.|$)/);
    const outProj = layer.find((k) => k.kind === 'matmul' && k.scope.endsWith('out_proj')) as Kernel<'matmul'>;
    expect(programOps(outProj)).toEqual(['acc', 'load', 'add', 'load', 'const', 'mul', 'add']);
    expect(countKinds(layer.filter((k) => k.scope === 'audio_tower.encoder.layers.0'))['op:mul'] ?? 0).toBe(0);
  });

  it("gives convolutions their epilogue (Whisper's conv1 + bias + gelu is one kernel)", () => {
    const w = fused(gpt2Whisper(), upTo('MatmulEpilogue'));
    const conv = w.kernels.filter((k) => k.kind === 'conv') as Kernel<'conv'>[];
    expect(conv.map((k) => k.params.bias)).toEqual([true, true]);
    expect(conv.map((k) => k.params.program.map((i) => (i.op === 'activation' ? i.fn : i.op)))).toEqual([
      ['acc', 'gelu'],
      ['acc', 'gelu'],
    ]);
  });
});
