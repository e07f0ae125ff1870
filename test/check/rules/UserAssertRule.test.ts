import { describe, expect, it } from 'vitest';
import { problems, runFixture, runSpec } from '../harness.js';

const spec = 'model m {\n  decoder gpt2("small")\n}\n';

describe('UserAssertRule', () => {
  it('reports the fixture\'s failing and invalid asserts with both sides\' values', async () => {
    const { expected, actual } = await runFixture('check', 'UserAssertRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
  });

  it('compares parameter counts exactly (GPT-2 small = 124,439,808)', async () => {
    const pass = await runSpec(`${spec}assert m.params == 124439808\nassert m.params.trainable == m.params\n`);
    expect(problems(pass)).toEqual([]);
    const fail = await runSpec(`${spec}assert m.params == 124439809 "exact"\n`);
    expect(problems(fail)).toEqual(['MIMO3029 4:1 assertion failed: m.params = 124,439,808 is not 124,439,809 (exact)']);
  });

  it('rejects an assert that is not a comparison and a comparison of a string with a number', async () => {
    const result = await runSpec(`${spec}assert m.params\nassert m.dtype == 3\nassert m.dtype == "bfloat16"\n`);
    expect(problems(result)).toEqual([
      'MIMO3030 4:8 cannot evaluate assertion: an assertion must be a comparison',
      'MIMO3030 5:8 cannot evaluate assertion: cannot compare a string with a number',
    ]);
  });

  it('does not evaluate asserts about models with errors', async () => {
    const result = await runSpec('model m {\n  decoder gpt2("small") { heads 5 }\n}\nassert m.params > 0\n');
    expect(result.diagnostics.map((d) => d.code)).toEqual(['MIMO3011', 'MIMO3012', 'MIMO3036']);
  });
});
