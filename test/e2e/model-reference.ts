/**
 * Runs test/e2e/model_reference.py (whole models in PyTorch, composed from the runtime's torch
 * reference layers) over the same manifest protocol as test/reference/harness.ts.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostTensor } from '../reference/harness.js';
import { findTorchPython } from '../reference/python.js';

const SCRIPT = join(import.meta.dirname, 'model_reference.py');

export function runModelReference(inputs: Readonly<Record<string, HostTensor>>, params: unknown): Record<string, HostTensor> {
  const dir = mkdtempSync(join(tmpdir(), 'mimo-model-'));
  try {
    const files = Object.entries(inputs).map(([key, t], i) => {
      writeFileSync(join(dir, `in_${i}.bin`), Buffer.from(t.data.buffer, t.data.byteOffset, t.data.byteLength));
      return [key, { file: `in_${i}.bin`, shape: t.shape, dtype: t.data instanceof Int32Array ? 'int32' : 'float32' }] as const;
    });
    writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ cases: [{ name: 'model', op: 'mimo_model', params, inputs: Object.fromEntries(files) }] }));
    const run = spawnSync(findTorchPython(), [SCRIPT, dir], { encoding: 'utf8', timeout: 300_000 });
    if (run.status !== 0) throw new Error(`model reference failed (exit ${run.status ?? run.signal}):\n${run.stderr || run.error?.message}`);
    const out = JSON.parse(readFileSync(join(dir, 'outputs.json'), 'utf8')) as { cases: { outputs: Record<string, { file: string; shape: number[] }> }[] };
    return Object.fromEntries(
      Object.entries(out.cases[0].outputs).map(([key, o]) => {
        const bytes = readFileSync(join(dir, o.file));
        return [key, { shape: o.shape, data: new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)) }];
      }),
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
