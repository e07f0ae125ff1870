import { describe, expect, it } from 'vitest';
import { baseSpec, problems, runFixture, runSpec } from '../harness.js';

describe('ValueTypesRule', () => {
  it('reports every wrong type and range of the fixture', async () => {
    const { expected, actual } = await runFixture('check', 'ValueTypesRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('offers to remove quotes around a name', async () => {
    const result = await runSpec(baseSpec({ model: '  dtype "float16"' }));
    const d = result.diagnostics[0];
    expect(d.code).toBe('MIMO3004');
    expect(d.fix?.replacement).toBe('float16');
  });

  it('points at a preset value overridden by a variant line', async () => {
    const result = await runSpec(baseSpec({ extra: 'variant bad of m {\n  decoder.heads = -4\n}' }));
    expect(problems(result)).toEqual(['MIMO3005 14:19 `heads` must be a positive integer, found -4']);
    expect(result.diagnostics[0].related.map((r) => r.message)).toEqual(['while checking `m/bad`']);
  });

  it('accepts an integer written with an exponent and arithmetic', async () => {
    const result = await runSpec(baseSpec({ decoder: '    layers 2 hidden 32 * 2 heads 4 kv_heads 4 ffn 128 vocab 1e3 context 512' }));
    expect(problems(result)).toEqual([]);
    expect(result.models[0].decoder.vocab).toBe(1000);
    expect(result.models[0].decoder.hidden).toBe(64);
  });
});
