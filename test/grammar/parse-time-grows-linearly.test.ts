/**
 * Parse time is linear in the input: 8 times the text takes about 8 times as long. The bound is
 * loose on purpose (garbage collection costs more on a larger heap, and other processes share the
 * CPU), but a quadratic parser would take 64 times as long: this proves complexity, not speed
 * (bench/parse.mjs measures speed). CPU time, median of 5 runs, after warming up on both sizes.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseSource } from '../../grammar/index.js';
import { specFiles } from './helpers.js';

const seed = specFiles().map((file) => readFileSync(file, 'utf8')).join('\n');

/** Whole specs, renamed apart, repeated until the text is at least `size` characters. */
function specText(size: number): string {
  const parts: string[] = [];
  let length = 0;
  for (let i = 0; length < size; i++) {
    const copy = seed.replace(/\b(model|variant|grid|zip) (\w+)/g, `$1 $2_${i}`);
    parts.push(copy);
    length += copy.length;
  }
  return parts.join('\n');
}

function cpuMilliseconds(run: () => void): number {
  const start = process.cpuUsage();
  run();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

function medianParseTime(text: string, runs: number): number {
  const times = Array.from({ length: runs }, () => cpuMilliseconds(() => parseSource(text, 'timed.mimo')));
  times.sort((a, b) => a - b);
  return times[Math.floor(runs / 2)];
}

const shapes: Record<string, (size: number) => string> = {
  'whole specs': specText,
  'one block of many entries': (size) => `model m {\n${'  layers 32\n'.repeat(Math.ceil(size / 12))}}\n`,
  'one long list': (size) => `grid g of m {\n  x in [${'1, '.repeat(Math.ceil(size / 3))}]\n}\n`,
  'text full of errors': (size) => 'model m { x = } @ '.repeat(Math.ceil(size / 18)),
};

describe('parse time grows linearly with the input', () => {
  for (const [name, make] of Object.entries(shapes)) {
    it(name, { timeout: 180_000 }, () => {
      const small = make(40_000);
      const large = make(320_000);
      medianParseTime(small, 3); // warm up the parser and the JIT
      medianParseTime(large, 1);
      const ratio = medianParseTime(large, 5) / Math.max(medianParseTime(small, 5), 1);
      expect(ratio).toBeLessThan(32);
    });
  }
});
