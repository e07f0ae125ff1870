/**
 * The IR's manifest holds exactly the parameters the analysis counts (every stored tensor, used
 * or not), per component and in total, and reproduces the published totals.
 */
import { describe, expect, it } from 'vitest';
import { analyzeModel, findNode } from '../../compiler/analyze/index.js';
import { buildGraph, parametersByComponent, weightManifest } from '../../compiler/ir/index.js';
import { gpt2Decoder, llamaDecoder, model } from '../analyze/models.js';
import { familyModels } from './models.js';

function irParameters(m: Parameters<typeof buildGraph>[0]): number {
  const g = buildGraph(m).graph;
  if (g === undefined) throw new Error('did not build');
  return weightManifest(g).parameters;
}

describe('IR parameter count equals the analysis', () => {
  for (const [name, make] of familyModels) {
    it(`${name}: total and per component`, () => {
      const m = make();
      const g = buildGraph(m).graph!;
      const analysis = analyzeModel(m).params;
      expect(BigInt(weightManifest(g).parameters)).toBe(analysis.params);
      const parts = parametersByComponent(g);
      expect(BigInt(parts.get('decoder') ?? 0)).toBe(findNode(analysis, ['decoder'])?.params);
      for (const s of m.senses) {
        expect(BigInt(parts.get(`encoder:${s.name}`) ?? 0)).toBe(findNode(analysis, [s.name, 'encoder'])?.params);
        expect(BigInt(parts.get(`projector:${s.name}`) ?? 0)).toBe(findNode(analysis, [s.name, 'projector'])?.params);
      }
    });
  }

  // Published totals (keras-hub presets gpt2_base_en and llama2_7b_en).
  it('GPT-2 small has 124,439,808 parameters in the IR', () => {
    expect(irParameters(model(gpt2Decoder({ layers: 12, hidden: 768, heads: 12, ffn: 3072 })))).toBe(124_439_808);
  });
  it('LLaMA-2-7B has 6,738,415,616 parameters in the IR', () => {
    expect(irParameters(model(llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008 })))).toBe(6_738_415_616);
  });
});
