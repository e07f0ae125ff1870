import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { describeProgram } from '../../../compiler/plan/program.js';
import { LLAMA_LAYER0, countKinds, fused, kernelsIn, llamaOnly, upTo } from '../models.js';

describe('GatedEpilogue', () => {
  it("computes SwiGLU's silu(gate)·up in the packed gate/up matmul: one output of the FFN width", () => {
    const g = fused(llamaOnly(), upTo('GatedEpilogue'));
    const layer = kernelsIn(g, LLAMA_LAYER0);
    const gateUp = layer.find((k) => k.kind === 'matmul' && k.params.parts.length === 2) as Kernel<'matmul'>;
    expect(gateUp.params.outputs).toHaveLength(1);
    expect(gateUp.params.outputs[0].width).toBe(128);
    expect(describeProgram(gateUp.params.outputs[0].program)).toBe('(silu(acc0)*acc1)');
    expect(countKinds(layer)['op:mul'] ?? 0).toBe(0);
  });
});
