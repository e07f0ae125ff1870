/**
 * What the executor dispatches to tfjs-wasm (counted with tf.profile, not timed): matmuls run as
 * fused matmul+bias(+activation) kernels, every product (attention included) is unbatched — the
 * XNNPACK path —, each GELU keeps its exact form (one Erf per erf-GELU, one Tanh per tanh-GELU),
 * a forward dispatches fewer kernels than the generated model's op-by-op forward, and loading
 * copies no data with Identity (tfjs-wasm's Identity copies; a reshape shares).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { demoMedia, demoPrompt } from '../../cli/commands/demo.js';
import { expandPrompt, loadOpByOp, planInputs, seededWeights } from '../../cli/commands/run.js';
import { planModel } from '../../compiler/plan/index.js';
import * as rt from '../../runtime/index.js';
import { countTfKernels, createPlanExecutor } from '../../runtime/plan/index.js';
import type { PlanJson } from '../../runtime/plan/index.js';
import { plannedModel } from './harness.js';

const MATMULS = new Set(['BatchMatMul', '_FusedMatMul']);

function activations(plan: PlanJson, fn: string): number {
  let n = 0;
  for (const k of plan.kernels) {
    const programs = k.kind === 'matmul' ? k.params.outputs.map((o) => o.program) : k.kind === 'elementwise' || k.kind === 'conv' || k.kind === 'reduce' ? [k.params.program] : k.kind === 'norm' ? [k.params.prologue] : [];
    for (const p of programs) n += p.filter((i) => i.op === 'activation' && i.fn === fn).length;
  }
  return n;
}

describe.each([
  { spec: 'specs/tiny_avlm.mimo', id: 'tiny_avlm' },
  { spec: 'specs/tiny_gpt2.mimo', id: 'tiny_gpt2' },
])('$id on wasm', ({ spec, id }) => {
  let plan: PlanJson;
  let kernels: Awaited<ReturnType<typeof rt.tf.profile>>['kernels'];
  let fused: Awaited<ReturnType<typeof countTfKernels>>;
  let unfused: Awaited<ReturnType<typeof countTfKernels>>;
  let loadKernels: string[];

  beforeAll(async () => {
    await rt.initBackend('wasm');
    const { model, graph } = await plannedModel(spec, id);
    const prompt = demoPrompt(rt, model, 0).ids;
    const media = new Map(model.senses.map((s) => [s.name, demoMedia(rt, s, 0)]));
    const inputs = { model, graph, weights: seededWeights(rt, graph, 0), expanded: expandPrompt(model, prompt), media, textTokens: prompt.length - model.senses.length };
    plan = planModel(model, { text: inputs.textTokens }).plan as PlanJson;
    const loading = await rt.tf.profile(() => {
      createPlanExecutor(plan, inputs.weights).dispose();
      return [];
    });
    loadKernels = loading.kernels.map((k) => k.name);
    const executor = createPlanExecutor(plan, inputs.weights);
    const feed = planInputs(plan as never, graph, inputs);
    const generated = await loadOpByOp(rt, inputs);
    try {
      const info = await rt.tf.profile(async () => {
        const out = await executor.forward(feed);
        rt.tf.dispose(Object.values(out.outputs));
        return [];
      });
      kernels = info.kernels;
      fused = await countTfKernels(async () => (await executor.forward(feed)).outputs.logits);
      unfused = await countTfKernels(() => generated.forward());
    } finally {
      executor.dispose();
      await generated.dispose();
      rt.tf.dispose([...media.values()].map((m) => m.tensor));
    }
  });

  it('runs every biased matmul (or one whose LayerNorm shift folds into a bias) as one fused kernel', () => {
    const isBias = (shape: readonly number[]): boolean => shape.slice(0, -1).every((d) => d === 1);
    const biased = plan.kernels.filter(
      (k) =>
        k.kind === 'matmul' &&
        (k.params.prologue?.beta != null ||
          k.params.outputs.some((o) => {
            const [acc, load, add] = o.program;
            return acc?.op === 'acc' && load?.op === 'load' && add?.op === 'add' && isBias(k.inputs[load.input].shape);
          })),
    );
    expect(biased.length).toBeGreaterThan(0);
    expect(kernels.filter((k) => k.name === '_FusedMatMul').length).toBe(biased.length);
  });

  it('runs every product unbatched (XNNPACK-eligible), attention included', () => {
    const products = kernels.filter((k) => MATMULS.has(k.name));
    expect(products.length).toBeGreaterThan(0);
    // 2-D operands, or 3-D with a batch of one (how tfjs passes 2-D products to the fused kernel).
    const unbatched = (shape: number[] | undefined): boolean => shape !== undefined && (shape.length === 2 || (shape.length === 3 && shape[0] === 1));
    for (const k of products) expect(unbatched(k.inputShapes[0]) && unbatched(k.inputShapes[1]), `${k.name} ${JSON.stringify(k.inputShapes)}`).toBe(true);
  });

  it('keeps each GELU form exact: one Erf per erf-GELU, one Tanh per tanh-GELU', () => {
    expect(kernels.filter((k) => k.name === 'Erf').length).toBe(activations(plan, 'gelu'));
    expect(kernels.filter((k) => k.name === 'Tanh').length).toBe(activations(plan, 'gelu_tanh') + activations(plan, 'tanh'));
  });

  it('loads without copying data: weights it reads directly get a second handle, not a copy (wasm\'s Identity copies)', () => {
    expect(loadKernels.length).toBeGreaterThan(0);
    expect(loadKernels.filter((k) => k === 'Identity')).toEqual([]);
  });

  it('dispatches fewer tfjs kernels than the op-by-op forward', () => {
    const work = (c: typeof fused): number => c.total - c.free;
    expect(work(fused)).toBeLessThan(work(unfused));
  });
});
