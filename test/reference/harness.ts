import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { findTorchPython } from './python.js';

/** A host-side tensor: row-major values and a shape. */
export interface HostTensor {
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

/** One computation for the torch side: an `op` it knows, its inputs by name, and plain parameters. */
export interface ReferenceCase {
  readonly name: string;
  readonly op: string;
  readonly inputs: Readonly<Record<string, HostTensor>>;
  readonly params?: Readonly<Record<string, unknown>>;
}

export type ReferenceOutputs = ReadonlyMap<string, Readonly<Record<string, HostTensor>>>;

const SCRIPT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'torch_reference.py');

/**
 * Runs every case through `torch_reference.py` in one Python process: inputs go out as raw
 * little-endian .bin files plus a JSON manifest in a fresh temp folder, outputs come back the same
 * way. Returns outputs keyed by case name.
 */
export function runTorchReference(cases: readonly ReferenceCase[]): ReferenceOutputs {
  const python = findTorchPython();
  const dir = mkdtempSync(path.join(tmpdir(), 'mimo-torch-'));
  try {
    let fileIndex = 0;
    const manifest = cases.map((c) => ({
      name: c.name,
      op: c.op,
      params: c.params ?? {},
      inputs: Object.fromEntries(
        Object.entries(c.inputs).map(([key, t]) => {
          const file = `in_${fileIndex++}.bin`;
          const expected = t.shape.reduce((a, b) => a * b, 1);
          if (expected !== t.data.length) throw new Error(`reference case ${c.name}: input ${key} has ${t.data.length} values for shape [${t.shape.join(', ')}]`);
          writeFileSync(path.join(dir, file), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
          return [key, { file, shape: t.shape, dtype: t.data instanceof Int32Array ? 'int32' : 'float32' }];
        }),
      ),
    }));
    writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify({ cases: manifest }));
    const run = spawnSync(python, [SCRIPT, dir], { encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0) {
      throw new Error(`torch reference failed (${python} ${SCRIPT}, exit ${run.status ?? run.signal}):\n${run.stderr || run.error?.message}`);
    }
    const outputs = JSON.parse(readFileSync(path.join(dir, 'outputs.json'), 'utf8')) as {
      cases: { name: string; outputs: Record<string, { file: string; shape: number[] }> }[];
    };
    const result = new Map<string, Record<string, HostTensor>>();
    for (const c of outputs.cases) {
      const tensors: Record<string, HostTensor> = {};
      for (const [key, o] of Object.entries(c.outputs)) {
        const bytes = readFileSync(path.join(dir, o.file));
        tensors[key] = { shape: o.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) };
      }
      result.set(c.name, tensors);
    }
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Largest |a − b| over two equally shaped arrays (NaN anywhere → Infinity). */
export function maxAbsError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) throw new Error(`maxAbsError: ${actual.length} values vs ${expected.length}`);
  let worst = 0;
  for (let i = 0; i < actual.length; i++) {
    const e = Math.abs(actual[i] - expected[i]);
    if (!(e <= worst)) worst = Number.isNaN(e) ? Infinity : e;
  }
  return worst;
}
