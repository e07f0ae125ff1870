/**
 * Numbers for people: digits grouped by thousands, FLOPs with SI prefixes and bytes with binary
 * prefixes, rounded half up to hundredths, exact for BigInts of any size.
 */
import { describe, expect, it } from 'vitest';
import { formatBytes, formatFlops, groupDigits } from '../../compiler/analyze/index.js';

describe('format', () => {
  it('groups digits by thousands', () => {
    expect(groupDigits(0n)).toBe('0');
    expect(groupDigits(999n)).toBe('999');
    expect(groupDigits(1000n)).toBe('1,000');
    expect(groupDigits(6_738_415_616n)).toBe('6,738,415,616');
    expect(groupDigits(-1_234_567n)).toBe('-1,234,567');
    expect(groupDigits(3584)).toBe('3,584');
    expect(groupDigits(123_456_789_012_345_678_901n)).toBe('123,456,789,012,345,678,901');
  });

  it('prints FLOPs with SI prefixes', () => {
    expect(formatFlops(999n)).toBe('999 FLOP');
    expect(formatFlops(1000n)).toBe('1.00 kFLOP');
    expect(formatFlops(62_921_270_886_400n)).toBe('62.92 TFLOP');
    expect(formatFlops(1_995n)).toBe('2.00 kFLOP');
    expect(formatFlops(10n ** 21n)).toBe('1,000.00 EFLOP');
  });

  it('prints bytes with binary prefixes', () => {
    expect(formatBytes(1023n)).toBe('1023 B');
    expect(formatBytes(1024n)).toBe('1.00 KiB');
    expect(formatBytes(2_147_483_648n)).toBe('2.00 GiB');
    expect(formatBytes(13_476_831_232n)).toBe('12.55 GiB');
  });
});
