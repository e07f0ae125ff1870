/**
 * Generator contracts that need no device: the same descriptor gives the same bytes; operand
 * offsets only change the uniform words (so layers share one shader); operands in one buffer
 * share one binding, read_write when any is written; bad descriptors throw WgslDescriptorError
 * naming the kernel and the fix; plan lowering is deterministic and dedupes shaders.
 */
import { describe, expect, it } from 'vitest';
import { attentionKernel } from '../../compiler/wgsl/attention.js';
import { copyKernel } from '../../compiler/wgsl/copy.js';
import { elementwiseKernel } from '../../compiler/wgsl/elementwise.js';
import { matmulKernel } from '../../compiler/wgsl/matmul.js';
import { normKernel } from '../../compiler/wgsl/norm.js';
import { lowerPlanToWebGpu } from '../../compiler/wgsl/plan/lowerPlan.js';
import { PlanLoweringError } from '../../compiler/wgsl/plan/operands.js';
import { WgslDescriptorError, type TensorArg } from '../../compiler/wgsl/types.js';
import { planGraph } from '../../compiler/plan/index.js';
import { graphOf, gpt2Whisper, llamaOnly } from '../plan/models.js';

const t = (buffer: number, shape: number[], offset = 0): TensorArg => ({ buffer, shape, dtype: 'f32', offset });

function mm(aOffset: number, outOffset: number) {
  return matmulKernel({ a: t(0, [5, 8], aOffset), b: t(1, [6, 8]), transposeA: false, transposeB: true, m: 5, n: 6, k: 8, batch: [], outputs: [{ out: t(0, [5, 6], outOffset), width: 6, program: [{ op: 'acc', part: 0 }] }] });
}

describe('generators', () => {
  it('are pure: equal descriptors give equal bytes, offsets move only the uniforms', () => {
    const a = mm(0, 256);
    expect(mm(0, 256)).toEqual(a);
    const b = mm(512, 1024);
    expect(b.wgsl).toBe(a.wgsl);
    expect(b.uniforms).not.toEqual(a.uniforms);
    expect(b.uniforms.slice(0, 3)).toEqual([512, 0, 1024]);
  });

  it('give operands in one buffer one binding, read_write when one of them is written', () => {
    const k = mm(0, 256);
    expect(k.bindings).toEqual([
      { buffer: 0, access: 'read_write' },
      { buffer: 1, access: 'read' },
    ]);
    expect(k.wgsl.match(/var<storage/g)).toHaveLength(2);
    expect(k.wgsl).toContain('@group(0) @binding(2) var<uniform> P: Params;');
  });

  it('reject descriptors they cannot honour, naming the kernel', () => {
    expect(() => matmulKernel({ label: 'qkv', a: t(0, [5, 7]), b: t(1, [6, 8]), transposeA: false, transposeB: true, m: 5, n: 6, k: 8, batch: [], outputs: [{ out: t(2, [5, 6]), width: 6, program: [{ op: 'acc', part: 0 }] }] })).toThrow(
      new WgslDescriptorError('qkv', 'A is [5, 7], expected [..., 5, 8] broadcasting to batch []'),
    );
    expect(() => elementwiseKernel({ out: t(0, [3, 4]), loads: [t(1, [5])], program: [{ op: 'load', input: 0 }] })).toThrow(/load operand 0 \[5\] does not broadcast to \[3, 4\]/);
    expect(() => elementwiseKernel({ out: t(0, [3]), loads: [], program: [{ op: 'load', input: 0 }] })).toThrow(/loads operand 0 but only 0 are given/);
    expect(() => elementwiseKernel({ out: t(0, [3]), loads: [t(1, [3])], program: [{ op: 'load', input: 0 }, { op: 'add', a: 0, b: 1 }] })).toThrow(/instruction 1 reads register 1 before it is defined/);
    expect(() => normKernel({ fn: 'layernorm', eps: 1e-5, out: t(0, [2, 8]), loads: [t(1, [2, 8])], prologue: [{ op: 'load', input: 0 }], gamma: t(2, [8]) })).toThrow(/layernorm needs beta/);
    expect(() => attentionKernel({ q: t(0, [1, 3, 4, 8]), k: t(1, [1, 2, 4, 8]), v: t(2, [1, 2, 4, 8]), out: t(3, [1, 3, 4, 8]), scale: 1 })).toThrow(/heads 3 is not a multiple of kv heads 2/);
    expect(() => copyKernel({ out: t(0, [3, 5]), source: { kind: 'concat', inputs: [t(1, [3, 2]), t(2, [3, 2])], axis: 1 } })).toThrow(/concat inputs cover 4 of 5 along axis 1/);
    expect(() => copyKernel({ out: { ...t(0, [4]), dtype: 'i32' }, source: { kind: 'reshape', input: t(1, [2, 2]) } })).toThrow(/input is f32 but the output is i32/);
    expect(() => mm(-1, 0)).toThrow(/operand offset -1 is not a non-negative integer/);
  });
});

describe('plan lowering', () => {
  it('is deterministic, maps the arena to buffer 0 and each weight to its own buffer, and dedupes shaders', () => {
    const m = llamaOnly(2);
    const graph = graphOf(m);
    const bindings = { batch: 1, text: m.textTokens, seq: m.sequenceLength, past: 0, queries: m.sequenceLength };
    const { plan } = planGraph(graph, bindings, {});
    const a = lowerPlanToWebGpu(plan);
    expect(JSON.stringify(lowerPlanToWebGpu(plan))).toBe(JSON.stringify(a));
    expect(a.buffers[0].kind).toBe('arena');
    expect(a.buffers.filter((b) => b.kind === 'weight').map((b) => (b.kind === 'weight' ? b.weight : '')).sort()).toEqual(plan.buffers.filter((b) => b.kind === 'weight').map((b) => b.weight).sort());
    expect(new Set(a.shaders).size).toBe(a.shaders.length);
    expect(a.forward.every((d) => d.shader < a.shaders.length)).toBe(true);
    for (const d of [...a.prepare, ...a.forward]) expect(d.uniforms.length % 4).toBe(0);
  });

  it('refuses plans stored in bfloat16 with a clear error', () => {
    const m = gpt2Whisper();
    const bindings = { batch: 1, text: m.textTokens, seq: m.sequenceLength, past: 0, queries: m.sequenceLength };
    const { plan } = planGraph(graphOf(m), bindings, {});
    expect(() => lowerPlanToWebGpu(plan)).toThrow(PlanLoweringError);
    expect(() => lowerPlanToWebGpu(plan)).toThrow(/runs float32 plans; this plan stores bfloat16/);
  });
});
