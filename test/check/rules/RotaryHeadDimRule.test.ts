import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

describe('RotaryHeadDimRule', () => {
  it('reports the fixture\'s odd rotary head width', async () => {
    const { expected, actual } = await runFixture('check', 'RotaryHeadDimRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('allows an odd head width with learned positions', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b") { hidden 4095 heads 35 kv_heads 35 position learned }\n}\n');
    expect(problems(result)).toEqual([]);
    expect(result.models[0].decoder.headDim).toBe(117);
  });
});
