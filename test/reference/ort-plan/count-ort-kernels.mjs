#!/usr/bin/env node
// Counts the nodes of one exported LLaMA layer before and after ONNX Runtime's graph optimizer
// (onnxruntime-node, graphOptimizationLevel 'all', written back with optimizedModelFilePath),
// by reading the op_type of every node of the ONNX protobuf with a minimal wire-format reader.
// Usage: node count-ort-kernels.mjs layer.onnx [--json]
// (export_llama_layer.py writes layer.onnx; bench/plan.mjs runs both and prints the comparison.)
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Reads protobuf fields of one message: [{ field, wire, value }] (value: number or Uint8Array). */
export function readFields(bytes) {
  const fields = [];
  let pos = 0;
  const varint = () => {
    let result = 0;
    let shift = 0;
    for (;;) {
      const b = bytes[pos++];
      result += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return result;
      shift += 7;
    }
  };
  while (pos < bytes.length) {
    const key = varint();
    const field = Math.floor(key / 8);
    const wire = key & 7;
    if (wire === 0) fields.push({ field, wire, value: varint() });
    else if (wire === 1) {
      fields.push({ field, wire, value: bytes.subarray(pos, pos + 8) });
      pos += 8;
    } else if (wire === 2) {
      const n = varint();
      fields.push({ field, wire, value: bytes.subarray(pos, pos + n) });
      pos += n;
    } else if (wire === 5) {
      fields.push({ field, wire, value: bytes.subarray(pos, pos + 4) });
      pos += 4;
    } else throw new Error(`unsupported protobuf wire type ${wire}`);
  }
  return fields;
}

const text = (b) => new TextDecoder().decode(b);

/** op types (domain-qualified when not the default domain) of ModelProto.graph (7) → GraphProto.node (1). */
export function nodeOpTypes(modelBytes) {
  const graph = readFields(modelBytes).find((f) => f.field === 7);
  if (graph === undefined) throw new Error('no graph in the model');
  return readFields(graph.value)
    .filter((f) => f.field === 1)
    .map((node) => {
      const parts = readFields(node.value);
      const op = parts.find((f) => f.field === 4);
      const domain = parts.find((f) => f.field === 7);
      const d = domain === undefined ? '' : text(domain.value);
      return `${d === '' || d === 'ai.onnx' ? '' : `${d}.`}${text(op.value)}`;
    });
}

export function histogram(ops) {
  const out = {};
  for (const op of ops) out[op] = (out[op] ?? 0) + 1;
  return Object.fromEntries(Object.entries(out).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
}

export async function optimizeAndCount(modelPath) {
  const ort = await import('onnxruntime-node');
  const dir = mkdtempSync(join(tmpdir(), 'mimo-ort-'));
  try {
    const optimized = join(dir, 'optimized.onnx');
    const session = await ort.InferenceSession.create(modelPath, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized, executionProviders: ['cpu'] });
    await session.release?.();
    const before = nodeOpTypes(readFileSync(modelPath));
    const after = nodeOpTypes(readFileSync(optimized));
    return { before: { nodes: before.length, ops: histogram(before) }, after: { nodes: after.length, ops: histogram(after) } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const path = process.argv[2];
  if (path === undefined) {
    process.stderr.write('usage: node count-ort-kernels.mjs layer.onnx [--json]\n');
    process.exit(2);
  }
  const result = await optimizeAndCount(path);
  if (process.argv.includes('--json')) process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  else {
    process.stdout.write(`unoptimized: ${result.before.nodes} nodes ${JSON.stringify(result.before.ops)}\n`);
    process.stdout.write(`ORT 'all':   ${result.after.nodes} nodes ${JSON.stringify(result.after.ops)}\n`);
  }
}
