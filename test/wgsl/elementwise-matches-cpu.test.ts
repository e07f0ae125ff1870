/**
 * Elementwise chains: every activation and arithmetic op, NumPy broadcasting of loads, strided
 * (transposed) operands, int32 loads, against a float64 CPU evaluation of the same program.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { elementwiseKernel } from '../../compiler/wgsl/elementwise.js';
import type { Instr } from '../../compiler/wgsl/types.js';
import { arg, logical, randomFloats, randomInts, relError, releaseGpu, runOne } from './harness.js';
import { broadcastRead, evalProgram, size, unravelIndex } from './reference.js';

afterAll(releaseGpu);

const ACTIVATIONS = ['gelu', 'gelu_tanh', 'quick_gelu', 'relu', 'silu', 'sigmoid', 'tanh'] as const;

describe('elementwise kernel', () => {
  it('evaluates a chain of every activation with broadcast loads on an odd shape', { timeout: 180_000 }, async () => {
    const shape = [3, 7, 13];
    const x = randomFloats(size(shape), 1, 3);
    const bias = randomFloats(13, 2);
    const scale = randomFloats(7, 3);
    // y = act_k(x * scale[:, None] + bias) for each activation, summed, then divided by a constant.
    const program: Instr[] = [
      { op: 'load', input: 0 },
      { op: 'load', input: 2 },
      { op: 'mul', a: 0, b: 1 },
      { op: 'load', input: 1 },
      { op: 'add', a: 2, b: 3 },
    ];
    let accReg = -1;
    for (const fn of ACTIVATIONS) {
      program.push({ op: 'activation', fn, a: 4 });
      if (accReg >= 0) {
        program.push({ op: 'add', a: accReg, b: program.length - 1 });
      }
      accReg = program.length - 1;
    }
    program.push({ op: 'const', value: 0.7 }, { op: 'div', a: accReg, b: program.length });
    const out = arg(9, shape);
    const kernel = elementwiseKernel({ out, loads: [arg(0, shape), arg(1, [13]), arg(2, [7, 1])], program });
    const [got] = await runOne(kernel, [{ id: 0, data: x }, { id: 1, data: bias }, { id: 2, data: scale }], [{ arg: out, words: size(shape) }]);
    const ref = Float64Array.from({ length: size(shape) }, (_, i) => {
      const idx = unravelIndex(i, shape);
      return evalProgram(program, (k) => [() => x[i], () => bias[idx[2]], () => broadcastRead(scale, [7, 1], idx)][k](), () => 0);
    });
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-5);
  });

  it('reads a transposed strided operand and an int32 operand, writing into a strided output', { timeout: 180_000 }, async () => {
    // a is stored [5, 4, 3] and read as [3, 5, 4] (transpose (2, 0, 1)); the output lands at
    // offset 11 of a larger buffer with row stride 6 (padding between rows).
    const stored = [5, 4, 3];
    const a = randomFloats(size(stored), 4);
    const aArg = arg(0, [3, 5, 4], { view: { shape: [3, 5, 4], strides: [1, 12, 3] } });
    const ids = randomInts(20, 5, -50, 50);
    const idsArg = arg(1, [5, 4], { dtype: 'i32' });
    const out = arg(2, [3, 20], { offset: 11, view: { shape: [3, 20], strides: [26, 1] } });
    const program: Instr[] = [{ op: 'load', input: 0 }, { op: 'load', input: 1 }, { op: 'mul', a: 0, b: 1 }];
    // the output is [3, 20] seen by the kernel as [3, 5, 4] through its view: reshape the view.
    const outArg = { ...out, shape: [3, 5, 4], view: { shape: [3, 5, 4], strides: [26, 4, 1] } };
    const kernel = elementwiseKernel({ out: outArg, loads: [aArg, idsArg], program });
    const [got] = await runOne(kernel, [{ id: 0, data: a }, { id: 1, data: ids }], [{ arg: outArg, words: 11 + 2 * 26 + 20 + 5 }]);
    const aLogical = logical(a, aArg);
    const ref = Float64Array.from({ length: 60 }, (_, i) => aLogical[i] * ids[i % 20]);
    expect(relError(got, ref)).toBeLessThanOrEqual(1e-6);
  });
});
