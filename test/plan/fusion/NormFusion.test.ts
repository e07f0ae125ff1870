import { describe, expect, it } from 'vitest';
import type { Kernel } from '../../../compiler/plan/graph.js';
import { describeProgram } from '../../../compiler/plan/program.js';
import { countKinds, fused, gpt2Whisper, upTo } from '../models.js';

describe('NormFusion', () => {
  const g = fused(gpt2Whisper(), upTo('NormFusion'));
  const norms = g.kernels.filter((k) => k.kind === 'norm') as Kernel<'norm'>[];

  it('turns every LayerNorm into a norm kernel', () => {
    expect(countKinds(g.kernels)['op:layernorm'] ?? 0).toBe(0);
    expect(norms.length).toBeGreaterThan(0);
  });

  it("takes GPT-2's token + position embedding add into ln_1 and writes the sum for the residual", () => {
    const ln1 = norms.find((k) => k.scope === 'language_model.transformer.h.0.ln_1');
    expect(ln1?.params.writeSum).toBe(true);
    expect(describeProgram(ln1?.params.prologue ?? [])).toBe('(in0+in1)');
    expect(ln1?.outputs).toHaveLength(2);
  });
});
