/**
 * Numerics: the generated model code (encoders, projectors, zipper, decoder, head) computes what
 * a PyTorch implementation of the same checked model computes from the same Hugging Face-named
 * weights — each sense's embeddings and the logits at every position, within the runtime's fp32
 * tolerance, on wasm and cpu. The torch side (model_reference.py) is composed from the layer
 * functions of test/reference/torch_reference.py, written independently of the runtime.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateCode, importGenerated } from '../../compiler/codegen/index.js';
import type { CheckedModel } from '../../compiler/model/types.js';
import { initBackend, tf } from '../../runtime/index.js';
import { maxAbsError, type HostTensor } from '../reference/harness.js';
import { SeededRandom } from '../reference/random.js';
import { TOLERANCE } from '../reference/suite.js';
import { normal, toSource, toTf, weightsFor } from '../reference/tensors.js';
import { ROOT, RUNTIME_SOURCE, specModels } from '../codegen/helpers.js';
import { gpt2Siglip, gpt2Whisper } from '../ir/models.js';
import { runModelReference } from './model-reference.js';
import type { GeneratedClass } from './load-generated.js';

interface Case {
  readonly title: string;
  readonly model: CheckedModel;
  readonly Model: GeneratedClass;
  readonly senseKeys: readonly string[];
  readonly weights: Record<string, HostTensor>;
  readonly media: Record<string, HostTensor>;
  /** Prompt with one placeholder per sense, and the same prompt pre-expanded. */
  readonly prompt: number[];
  readonly expanded: number[];
  reference: Record<string, HostTensor>;
}

const cases: Case[] = [];
const scratch = join(ROOT, '.tmp', `torch-${process.pid}`);
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

async function prepare(title: string, model: CheckedModel, seed: number): Promise<Case> {
  const generated = generateCode([model]);
  const g = generated.models[0];
  const module = await importGenerated(generated.files, join(scratch, String(cases.length)), g.file, { runtimeImport: 'mimo/runtime', runtimeEntry: RUNTIME_SOURCE });
  const Model = module[g.className] as GeneratedClass;
  const rng = new SeededRandom(seed);
  const weights = weightsFor(rng, Object.fromEntries(Model.manifest.map((w) => [w.name, w.shape])));
  const media: Record<string, HostTensor> = {};
  for (const [k, spec] of g.graph.nodes.flatMap((n) => (n.op === 'input' && n.attrs.sense !== undefined ? [[n.attrs.sense, n.shape] as const] : [])).entries()) {
    void k;
    media[`${spec[0]}_media`] = normal(rng, spec[1].map((d) => (d === 'batch' ? 1 : (d as number))));
  }
  const text = (n: number): number[] => Array.from({ length: n }, () => 2 + Math.floor(rng.uniform() * (model.decoder.vocab - 2)));
  const head = text(3);
  const tail = text(4);
  const prompt = [...head, ...model.senses.map((s) => s.token.id), ...tail];
  const expanded = [...head, ...model.senses.flatMap((s) => Array<number>(s.tokens).fill(s.token.id)), ...tail];
  const params = { decoder: model.decoder, senses: model.senses.map((s) => ({ name: s.name, encoder: s.encoder, projector: s.projector, tokenId: s.token.id })) };
  const reference = runModelReference({ ...weights, ...media, input_ids: { shape: [1, expanded.length], data: Int32Array.from(expanded) } }, params);
  return { title, model, Model, senseKeys: g.senseKeys, weights, media, prompt, expanded, reference };
}

const MODELS: readonly [string, () => Promise<CheckedModel>, number][] = [
  ['tiny_avlm (LLaMA GQA + CLIP video + BEATs)', async () => (await specModels('tiny_avlm.mimo'))[0], 11],
  ['tiny_gpt2 (GPT-2 + SigLIP image, affine)', async () => (await specModels('tiny_gpt2.mimo'))[0], 12],
  ['GPT-2 + Whisper (affine)', async () => ({ ...gpt2Whisper(), dtype: 'float32' }), 13],
  ['GPT-2 untied + SigLIP pooled, MLP depth 3', async () => ({ ...gpt2Siglip(), dtype: 'float32' }), 14],
];

beforeAll(async () => {
  for (const [title, load, seed] of MODELS) cases.push(await prepare(title, await load(), seed));
}, 600_000);

function check(actual: tf.Tensor, expected: HostTensor, what: string): number {
  expect(actual.shape, what).toEqual(expected.shape);
  const scale = Math.max(1, ...Array.from(expected.data, Math.abs));
  const error = maxAbsError(actual.dataSync(), expected.data) / scale;
  expect(error, `${what}: max abs error / max(1, max |torch|)`).toBeLessThanOrEqual(TOLERANCE);
  return error;
}

for (const backend of ['wasm', 'cpu'] as const) {
  describe(`generated models match torch on ${backend}`, () => {
    const errors: string[] = [];
    beforeAll(async () => {
      await initBackend(backend);
    });
    afterAll(() => {
      if (process.env.MIMO_REPORT_ERRORS) console.log(`[relative max error vs torch, ${backend}]\n${errors.join('\n')}`);
    });
    MODELS.forEach(([title], index) => {
      it(`${title}: sense embeddings and logits (both placeholder conventions)`, () => {
        const c = cases[index];
        const source = toSource(c.weights);
        const model = c.Model.load(source);
        const inputs: Record<string, unknown> = {};
        c.model.senses.forEach((s, k) => (inputs[c.senseKeys[k]] = toTf(c.media[`${s.name}_media`])));
        c.model.senses.forEach((s, k) => {
          const encode = model[`encode${s.name[0].toUpperCase()}${s.name.slice(1)}`] as (m: unknown) => tf.Tensor;
          const embeds = encode.call(model, inputs[c.senseKeys[k]]);
          errors.push(`${c.title} ${s.name}: ${check(embeds, c.reference[s.name], `${c.title} ${s.name} embeddings`).toExponential(2)}`);
          embeds.dispose();
        });
        const expand = model.forward({ ...inputs, inputIds: tf.tensor2d([c.prompt], undefined, 'int32') });
        errors.push(`${c.title} logits: ${check(expand.logits, c.reference.logits, `${c.title} logits`).toExponential(2)}`);
        const pre = model.forward({ ...inputs, inputIds: tf.tensor2d([c.expanded], undefined, 'int32') }, { convention: 'preexpanded' });
        check(pre.logits, c.reference.logits, `${c.title} logits (pre-expanded)`);
        model.dispose();
        tf.dispose([expand.logits, expand.attentionMask, pre.logits, pre.attentionMask, ...source.values(), ...(Object.values(inputs) as tf.Tensor[])]);
      }, 120_000);
    });
  });
}
