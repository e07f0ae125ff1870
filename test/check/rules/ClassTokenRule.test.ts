import { describe, expect, it } from 'vitest';
import { runFixture } from '../harness.js';

describe('ClassTokenRule', () => {
  it('warns about drop_cls on an encoder without a class token', async () => {
    const { expected, actual, result } = await runFixture('check', 'ClassTokenRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.diagnostics[0].severity).toBe('warning');
    // A warning does not stop the model from being lifted; SigLIP gives (224 / 16)^2 tokens.
    expect(result.models[0].senses[0].tokens).toBe(196);
  });
});
