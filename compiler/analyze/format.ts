/**
 * Numbers for people: exact integers with thousands separators, FLOPs with SI prefixes, bytes
 * with binary prefixes. Deterministic (no locale): the same input always prints the same text.
 */

/** `6738415616n` -> `6,738,415,616`. */
export function groupDigits(value: bigint | number): string {
  const text = (typeof value === 'bigint' ? value : BigInt(Math.trunc(value))).toString();
  const negative = text.startsWith('-');
  const digits = negative ? text.slice(1) : text;
  const grouped = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return negative ? `-${grouped}` : grouped;
}

/** `value / 10^(3k)` (or `2^(10k)`) with two decimals, computed in BigInt so huge values stay exact. */
function scaled(value: bigint, base: bigint, units: readonly string[]): string {
  let unit = 0;
  let divisor = 1n;
  while (unit + 1 < units.length && value >= divisor * base) {
    divisor *= base;
    unit += 1;
  }
  if (unit === 0) return `${value} ${units[0]}`;
  // Round half up to hundredths.
  const hundredths = (value * 100n + divisor / 2n) / divisor;
  const whole = hundredths / 100n;
  const fraction = (hundredths % 100n).toString().padStart(2, '0');
  return `${groupDigits(whole)}.${fraction} ${units[unit]}`;
}

/** `62921270886400n` -> `62.92 TFLOP`. */
export function formatFlops(value: bigint): string {
  return scaled(value, 1000n, ['FLOP', 'kFLOP', 'MFLOP', 'GFLOP', 'TFLOP', 'PFLOP', 'EFLOP']);
}

/** `2147483648n` -> `2.00 GiB`. */
export function formatBytes(value: bigint): string {
  return scaled(value, 1024n, ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB']);
}
