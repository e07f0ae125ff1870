import { matmulKernel } from '../../compiler/wgsl/matmul.js';
import { elementwiseKernel } from '../../compiler/wgsl/elementwise.js';
import { writeFileSync } from 'node:fs';
const m = 7, k = 13, n = 29;
const tiles = { t16x16r4c4k16: { threadsX: 16, threadsY: 16, rowsPerThread: 4, colsPerThread: 4, tileK: 16 }, t16x16r4c4k4: { threadsX: 16, threadsY: 16, rowsPerThread: 4, colsPerThread: 4, tileK: 4 }, t16x16r1c2k8: { threadsX: 16, threadsY: 16, rowsPerThread: 1, colsPerThread: 2, tileK: 8 }, t8x8r2c2k8: { threadsX: 8, threadsY: 8, rowsPerThread: 2, colsPerThread: 2, tileK: 8 } };
for (const [name, tile] of Object.entries(tiles)) {
const kern = matmulKernel({ tile, a: { buffer: 0, shape: [m, k], dtype: 'f32', offset: 0 }, b: { buffer: 1, shape: [n, k], dtype: 'f32', offset: 0 }, transposeA: false, transposeB: true, m, n, k, batch: [], outputs: [{ out: { buffer: 2, shape: [m, n], dtype: 'f32', offset: 0 }, width: n, program: [{ op: 'acc', part: 0 }] }] });
writeFileSync(`/tmp/mimo-scratch/mm_${name}.wgsl`, kern.wgsl);
}
const ew = elementwiseKernel({ out: { buffer: 2, shape: [3, 7, 13], dtype: 'f32', offset: 0 }, loads: [{ buffer: 0, shape: [3, 7, 13], dtype: 'f32', offset: 0 }], program: [{ op: 'load', input: 0 }, { op: 'activation', fn: 'gelu', a: 0 }] });
writeFileSync(`/tmp/mimo-scratch/ew.wgsl`, ew.wgsl);
