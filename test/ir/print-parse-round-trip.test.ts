/**
 * The text form is lossless: what `printGraph` writes, `parseGraph` reads back to an equal graph,
 * and printing that again gives the same bytes. Malformed text is rejected with its line number.
 */
import { describe, expect, it } from 'vitest';
import { buildGraph, IrParseError, parseGraph, printGraph, verifyGraph } from '../../compiler/ir/index.js';
import { familyModels, tinyAvlm } from './models.js';

describe('print / parse round trip', () => {
  for (const [name, make] of familyModels) {
    it(`${name}: parse(print(g)) equals g`, () => {
      const g = buildGraph(make()).graph!;
      const text = printGraph(g);
      const back = parseGraph(text);
      expect(back).toStrictEqual(g);
      expect(printGraph(back)).toBe(text);
      expect(verifyGraph(back)).toEqual([]);
    });
  }

  it('prints nodes with operands, attributes, type, category and scope', () => {
    const text = printGraph(buildGraph(tinyAvlm()).graph!);
    expect(text).toMatch(/^graph "tiny_avlm" version 1\n/);
    expect(text).toContain('symbol seq max 512 ');
    expect(text).toMatch(/%\d+ = matmul\(%\d+, %\d+\) \{"transposeA":false,"transposeB":true\} : float32\[batch, seq, 64\] out_elementwise_fusable @language_model\.model\.layers\.0\.self_attn\.q_proj\n/);
    expect(text).toMatch(/%\d+ = reshape\(%3\) \{\} : float32\[2\*batch, 3, 32, 32\] injective @vision_tower\.vision_model\n/);
    expect(text).toMatch(/output "logits" = %\d+\n$/);
  });

  it('rejects malformed text with the line number', () => {
    const text = printGraph(buildGraph(tinyAvlm()).graph!).split('\n');
    const bad = [...text.slice(0, 5), '%5 = matmul(%1 %2) {} : float32[1] injective', ...text.slice(5)].join('\n');
    expect(() => parseGraph(bad)).toThrow(IrParseError);
    expect(() => parseGraph(bad)).toThrow(/^line 6:/);
    expect(() => parseGraph('graph "x" version 9\n')).toThrow(/version 9/);
    expect(() => parseGraph(text.map((l) => l.replace('[batch, seq]', '[batch, seq*batch*1x]')).join('\n'))).toThrow(/malformed dim/);
  });
});
