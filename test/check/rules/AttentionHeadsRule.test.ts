import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('AttentionHeadsRule', () => {
  it('reports the fixture\'s head counts that do not divide', async () => {
    const { expected, actual } = await runFixture('check', 'AttentionHeadsRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('accepts grouped-query attention with kv heads dividing heads', async () => {
    const result = await runSpec(baseSpec({ decoder: '    layers 2 hidden 64 heads 8 kv_heads 2 ffn 128 vocab 1000 context 512' }));
    expect(problems(result)).toEqual([]);
    expect(result.models[0].decoder.kvHeads).toBe(2);
  });

  it('blames the user line, not the preset, and shows the other value', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b") { hidden 4100 }\n}\n');
    const d = result.diagnostics[0];
    expect(problems(result)).toEqual(['MIMO3011 2:40 decoder: 32 heads do not divide the width 4100']);
    expect(d.related.map((r) => r.span.file)).toEqual(['mimo:presets/llama.yaml']);
  });
});
