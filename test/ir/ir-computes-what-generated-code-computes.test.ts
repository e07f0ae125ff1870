/**
 * The IR means what the generated code does: interpreting a model's graph op by op (test/ir/
 * interpret.ts, written from the op semantics) gives the logits the generated module gives for
 * the same weights, media and pre-expanded prompt — for every family. The generated code in turn
 * matches PyTorch (test/e2e), so the IR the planner lowers is numerically the model.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCode, importGenerated } from '../../compiler/codegen/index.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { initBackend, tf } from '../../runtime/index.js';
import { maxAbsError } from '../reference/harness.js';
import { SeededRandom } from '../reference/random.js';
import { normal, toSource, toTf, weightsFor } from '../reference/tensors.js';
import { ROOT, RUNTIME_SOURCE, specModels } from '../codegen/helpers.js';
import type { GeneratedClass } from '../e2e/load-generated.js';
import { interpret } from './interpret.js';
import { gpt2Siglip, gpt2Whisper } from './models.js';

const models: [string, () => Promise<CheckedModel>][] = [
  ['tiny_avlm: LLaMA (GQA, RoPE) + CLIP video + BEATs', async () => (await specModels('tiny_avlm.mimo'))[0]],
  ['tiny_gpt2: GPT-2 + SigLIP image, affine projector', async () => (await specModels('tiny_gpt2.mimo'))[0]],
  ['GPT-2 + Whisper', async () => ({ ...gpt2Whisper(), dtype: 'float32' })],
  ['GPT-2 untied + SigLIP pooled, MLP depth 3', async () => ({ ...gpt2Siglip(), dtype: 'float32' })],
];

const scratch = join(ROOT, '.tmp', `ir-interp-${process.pid}`);

beforeAll(async () => {
  await initBackend('wasm');
});
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('interpreting the IR gives the generated code’s logits', () => {
  models.forEach(([title, load], index) => {
    it(title, async () => {
      const model = await load();
      const generated = generateCode([model]);
      const g = generated.models[0];
      const module = await importGenerated(generated.files, join(scratch, String(index)), g.file, { runtimeImport: 'mimo/runtime', runtimeEntry: RUNTIME_SOURCE });
      const Model = module[g.className] as GeneratedClass;
      const rng = new SeededRandom(100 + index);
      const weights = toSource(weightsFor(rng, Object.fromEntries(Model.manifest.map((w) => [w.name, w.shape]))));
      const inputs = new Map<string, tf.Tensor>();
      const senseInputs: Record<string, unknown> = {};
      for (const node of g.graph.nodes) {
        if (node.op !== 'input' || node.attrs.sense === undefined) continue;
        const t = toTf(normal(rng, node.shape.map((d) => (d === 'batch' ? 1 : (d as number)))));
        inputs.set(node.attrs.name, t);
        senseInputs[g.senseKeys[model.senses.findIndex((s) => s.name === node.attrs.sense)]] = t;
      }
      const ids = [1, 5, ...model.senses.flatMap((s) => Array<number>(s.tokens).fill(s.token.id)), 9, 3];
      inputs.set('input_ids', tf.tensor2d([ids], undefined, 'int32'));
      inputs.set('attention_mask', tf.ones([1, ids.length], 'int32'));
      inputs.set('position_ids', tf.tensor2d([ids.map((_, i) => i)], undefined, 'int32'));

      const ir = interpret(g.graph, { inputs, weights }).get('logits')!;
      const instance = Model.load(weights);
      const out = instance.forward({ ...senseInputs, inputIds: inputs.get('input_ids') }, { convention: 'preexpanded' });
      expect(ir.shape).toEqual(out.logits.shape);
      const expected = out.logits.dataSync();
      const scale = Math.max(1, ...Array.from(expected, Math.abs));
      expect(maxAbsError(ir.dataSync(), expected) / scale).toBeLessThan(1e-4);
      instance.dispose();
      tf.dispose([ir, out.logits, out.attentionMask, ...inputs.values(), ...weights.values()]);
    }, 120_000);
  });
});
