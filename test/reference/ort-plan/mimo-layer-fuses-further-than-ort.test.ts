/**
 * The ONNX Runtime comparison: one LLaMA layer exported by PyTorch (opset 17, no contrib ops) and
 * optimized by onnxruntime-node at level 'all', against mimo's plan of the same layer. Counts come
 * from the optimized model file's nodes (a minimal protobuf reader); README.md here explains each
 * difference.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { planModel } from '../../../compiler/plan/index.js';
import { findTorchPython } from '../python.js';
import { nodeOpTypes, optimizeAndCount, readFields } from './count-ort-kernels.mjs';
import { LAYER, ortLayerModel } from './layer.js';

const dir = mkdtempSync(join(tmpdir(), 'mimo-ort-layer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('mimo vs ONNX Runtime on one LLaMA layer', () => {
  it('reads protobuf varints, strings and nested messages', () => {
    // ModelProto { graph (7) { node (1) { op_type (4): "Add" } node { op_type: "Relu", domain (7): "com.x" } } }
    const node = (op: string, domain?: string): number[] => {
      const opBytes = [...new TextEncoder().encode(op)];
      const body = [0x22, opBytes.length, ...opBytes];
      if (domain !== undefined) {
        const d = [...new TextEncoder().encode(domain)];
        body.push(0x3a, d.length, ...d);
      }
      return [0x0a, body.length, ...body];
    };
    const graph = [...node('Add'), ...node('Relu', 'com.x')];
    const model = new Uint8Array([0x08, 0x96, 0x01, 0x3a, graph.length, ...graph]);
    expect(readFields(model)[0]).toEqual({ field: 1, wire: 0, value: 150 });
    expect(nodeOpTypes(model)).toEqual(['Add', 'com.x.Relu']);
  });

  it('ORT’s optimizer leaves several times more kernels than mimo’s plan of the same layer', async () => {
    const onnx = join(dir, 'layer.onnx');
    const script = fileURLToPath(new URL('./export_llama_layer.py', import.meta.url));
    const exported = spawnSync(findTorchPython(), [script, onnx], { encoding: 'utf8', timeout: 600_000 });
    expect(exported.status, exported.stderr).toBe(0);
    const ort = await optimizeAndCount(onnx);
    const compute = (ops: Readonly<Record<string, number>>): number => Object.entries(ops).reduce((s, [op, n]) => s + (op === 'Constant' ? 0 : n), 0);
    expect(compute(ort.before.ops)).toBeGreaterThan(45);
    expect(ort.after.nodes).toBeLessThan(ort.before.nodes);
    // ORT fuses the norms and the k-transpose into FusedMatMul, but keeps attention as ops.
    expect(ort.after.ops.SimplifiedLayerNormalization).toBe(2);
    expect(ort.after.ops.Softmax).toBe(1);
    const { plan } = planModel(ortLayerModel(), { text: LAYER.seq });
    const layer = plan!.kernels.filter((k) => /layers\.0(\.|$)/.test(k.scope));
    expect(layer.map((k) => k.kind)).toEqual(['matmul', 'attention', 'matmul', 'matmul', 'matmul']);
    expect(ort.after.nodes).toBeGreaterThan(4 * layer.length);
  }, 600_000);
});
