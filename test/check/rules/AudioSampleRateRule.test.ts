import { describe, expect, it } from 'vitest';
import { runFixture } from '../harness.js';

describe('AudioSampleRateRule', () => {
  it('warns about Whisper at a rate other than 16 kHz', async () => {
    const { expected, actual, result } = await runFixture('check', 'AudioSampleRateRule.mimo');
    expect(expected.length).toBeGreaterThan(0);
    expect(actual).toEqual(expected);
    expect(result.diagnostics[0].severity).toBe('warning');
  });
});
