/**
 * Shapes carry the batch and prompt length as symbols, everything else is concrete; the seed's
 * sense token counts come out of the encoders themselves; the dim algebra is consistent.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { buildGraph, canonicalDim, dimsEqual, evalDim, evalShape, mulDims, numElements, type Graph } from '../../compiler/ir/index.js';
import { seedAvlm, tinyAvlm } from './models.js';

function zipOf(g: Graph) {
  const z = g.nodes.find((n) => n.op === 'zip');
  if (z === undefined || z.op !== 'zip') throw new Error('no zipper');
  return z;
}

describe('symbolic shapes', () => {
  it('inputs and logits of the seed', () => {
    const g = buildGraph(seedAvlm()).graph!;
    const inputs = Object.fromEntries(g.nodes.flatMap((n) => (n.op === 'input' ? [[n.attrs.name, n.shape]] : [])));
    expect(inputs).toEqual({
      input_ids: ['batch', 'seq'],
      attention_mask: ['batch', 'seq'],
      position_ids: ['batch', 'seq'],
      vision_pixel_values: ['batch', 8, 3, 224, 224],
      audio_fbank: ['batch', 2048, 128],
    });
    expect(g.nodes[g.outputs[0].node].shape).toEqual(['batch', 'seq', 32002]);
    expect(g.symbols.find((s) => s.name === 'seq')?.max).toBe(4096);
  });

  it('the seed zipper takes 8 x 256 video and 1024 audio embeddings of width 4096', () => {
    const g = buildGraph(seedAvlm()).graph!;
    const z = zipOf(g);
    expect(z.attrs.placeholders).toEqual([
      { sense: 'vision', tokenId: 32000, tokens: 2048 },
      { sense: 'audio', tokenId: 32001, tokens: 1024 },
    ]);
    expect(z.inputs.slice(2).map((i) => g.nodes[i].shape)).toEqual([
      ['batch', 2048, 4096],
      ['batch', 1024, 4096],
    ]);
  });

  it('frames fold into the batch inside the vision tower', () => {
    const g = buildGraph(tinyAvlm()).graph!;
    const conv = g.nodes.find((n) => n.op === 'conv2d' && n.scope.startsWith('vision_tower'));
    expect(conv?.shape).toEqual(['2*batch', 32, 4, 4]);
    expect(evalShape(conv!.shape, { batch: 3 })).toEqual([6, 32, 4, 4]);
  });

  it('every symbolic dim in every family uses only batch and seq', () => {
    for (const make of [tinyAvlm, seedAvlm]) {
      const g = buildGraph(make()).graph!;
      for (const n of g.nodes) for (const d of n.shape) if (typeof d === 'string') expect(d).toMatch(/^(\d+\*)?(batch|seq)(\*seq)?$/);
    }
  });

  it('dims: multiplication is canonical, commutative and evaluates to the product', () => {
    const dim = fc.oneof(fc.integer({ min: 1, max: 64 }), fc.constantFrom('batch', 'seq', '4*batch'));
    fc.assert(
      fc.property(dim, dim, fc.integer({ min: 1, max: 9 }), fc.integer({ min: 1, max: 9 }), (a, b, batch, seq) => {
        const ab = mulDims(a, b);
        expect(ab).toBe(mulDims(b, a));
        expect(canonicalDim(ab)).toBe(ab);
        const env = { batch, seq };
        expect(evalDim(ab, env)).toBe(evalDim(a, env) * evalDim(b, env));
        expect(dimsEqual(numElements([a, b]), ab)).toBe(true);
      }),
    );
    expect(canonicalDim('batch*8')).toBe('8*batch');
    expect(mulDims('batch', 1)).toBe('batch');
    expect(mulDims(2, 3)).toBe(6);
    expect(() => evalDim('batch', {})).toThrow(/batch/);
  });
});
