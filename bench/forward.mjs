#!/usr/bin/env node
/**
 * Forward latency of mimo's generated model code on tfjs-wasm, against a hand-written
 * tf.layers (functional `tf.model`) equivalent of the same decoder, in the same process.
 *
 * Build first (`npm run build`), then:
 *   node bench/forward.mjs [--warmup 30] [--runs 20] [--tokens 64] [--full-runs 3] [--no-full]
 *
 * Decoders (text-only prompt of --tokens ids, batch 1, fp32): the decoder of `llava_avlm/tiny`
 * (specs/llava_avlm.mimo) and a ~50M-parameter variant of it (--set decoder.layers=6 hidden=512
 * heads=8 kv_heads=8 ffn=1376). Each is timed three ways: the generated `forward` (logits at every
 * position), the generated `nextTokenLogits` (head at the last position only), and the tf.layers
 * model's `predict` (logits at every position); logits are read back inside the timing. Medians of
 * --runs after --warmup passes (tfjs-wasm settles after about 30). The max |difference| of the
 * two implementations' logits is printed as the equivalence check.
 *
 * Then, unless --no-full, the whole `llava_avlm/tiny` (8 video frames, 20.5 s of audio, 3084 zipped
 * positions) through `nextTokenLogits`: median of --full-runs after one warm-up.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const dist = (p) => pathToFileURL(join(root, 'dist', p)).href;
const { runPipeline } = await import(dist('compiler/pipeline.js'));
const { generateCode, importGenerated, runtimeRunEntry } = await import(dist('compiler/codegen/index.js'));
const rt = await import(dist('runtime/index.js'));
const { tf } = rt;

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(args[i + 1]);
};
const WARMUP = option('warmup', 30);
const RUNS = option('runs', 20);
const TOKENS = option('tokens', 64);
const FULL_RUNS = option('full-runs', 3);
const FULL = !args.includes('--no-full');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

function time(fn, warmup, runs) {
  for (let i = 0; i < warmup; i++) fn();
  const times = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    fn();
    times.push(performance.now() - t);
  }
  return { median: median(times), min: Math.min(...times), max: Math.max(...times) };
}

// ---- the models --------------------------------------------------------------------------------

const FIFTY_M = ['decoder.layers=6', 'decoder.hidden=512', 'decoder.heads=8', 'decoder.kv_heads=8', 'decoder.ffn=1376'];

async function checkedTiny(overrides) {
  const result = await runPipeline([join(root, 'specs', 'llava_avlm.mimo')], { root, cwd: root, overrides });
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (errors.length > 0) throw new Error(errors.map((d) => d.message).join('\n'));
  return result.models.find((m) => m.id === 'llava_avlm/tiny');
}

const work = mkdtempSync(join(tmpdir(), 'mimo-bench-'));

/** Generates, imports and loads a checked model with seeded weights; returns the instance and its weights. */
async function load(model, name) {
  const generated = generateCode([model]);
  const g = generated.models[0];
  const module = await importGenerated(generated.files, join(work, name), g.file, { runtimeImport: 'mimo/runtime', runtimeEntry: runtimeRunEntry() });
  const Model = module[g.className];
  const init = rt.initWeights(Model.manifest, 1);
  const source = new Map([...init].map(([k, v]) => [k, tf.tensor(v.data, v.shape)]));
  return { instance: Model.load(source), source, senseKeys: g.senseKeys, params: Model.manifest.reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0) };
}

// ---- the tf.layers equivalent of a LLaMA decoder -----------------------------------------------

class RmsNorm extends tf.layers.Layer {
  static className = 'BenchRmsNorm';
  constructor(config) {
    super(config);
    this.eps = config.eps;
  }
  build(inputShape) {
    this.gamma = this.addWeight('gamma', [inputShape[inputShape.length - 1]], 'float32', tf.initializers.ones());
    this.built = true;
  }
  call(inputs) {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      return tf.mul(tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), this.eps))), this.gamma.read());
    });
  }
  getConfig() {
    return { ...super.getConfig(), eps: this.eps };
  }
}

/** Causal grouped-query self-attention with rotate-half RoPE on already projected q, k, v. */
class CausalAttention extends tf.layers.Layer {
  static className = 'BenchCausalAttention';
  constructor(config) {
    super(config);
    Object.assign(this, { heads: config.heads, kvHeads: config.kvHeads, headDim: config.headDim, theta: config.theta });
  }
  computeOutputShape(inputShape) {
    return inputShape[0];
  }
  call(inputs) {
    return tf.tidy(() => {
      const [q, k, v] = inputs;
      const [b, t] = q.shape;
      const { heads, kvHeads, headDim: d, theta } = this;
      const inv = tf.tensor1d(Array.from({ length: d / 2 }, (_, i) => 1 / Math.pow(theta, (2 * i) / d)));
      const freqs = tf.mul(tf.reshape(tf.range(0, t), [t, 1]), inv);
      const emb = tf.concat([freqs, freqs], -1);
      const cos = tf.reshape(tf.cos(emb), [1, 1, t, d]);
      const sin = tf.reshape(tf.sin(emb), [1, 1, t, d]);
      const rope = (x) => {
        const first = tf.slice(x, [0, 0, 0, 0], [-1, -1, -1, d / 2]);
        const second = tf.slice(x, [0, 0, 0, d / 2], [-1, -1, -1, d / 2]);
        return tf.add(tf.mul(x, cos), tf.mul(tf.concat([tf.neg(second), first], -1), sin));
      };
      const split = (x, n) => tf.transpose(tf.reshape(x, [b, t, n, d]), [0, 2, 1, 3]);
      const repeat = (x) => (kvHeads === heads ? x : tf.reshape(tf.tile(tf.expandDims(x, 2), [1, 1, heads / kvHeads, 1, 1]), [b, heads, t, d]));
      const qh = rope(split(q, heads));
      const kh = repeat(rope(split(k, kvHeads)));
      const vh = repeat(split(v, kvHeads));
      const scores = tf.mul(tf.matMul(qh, kh, false, true), 1 / Math.sqrt(d));
      const mask = tf.mul(tf.sub(1, tf.linalg.bandPart(tf.ones([t, t]), -1, 0)), -1e9);
      const probs = tf.softmax(tf.add(scores, mask));
      return tf.reshape(tf.transpose(tf.matMul(probs, vh), [0, 2, 1, 3]), [b, t, heads * d]);
    });
  }
  getConfig() {
    return { ...super.getConfig(), heads: this.heads, kvHeads: this.kvHeads, headDim: this.headDim, theta: this.theta };
  }
}
tf.serialization.registerClass(RmsNorm);
tf.serialization.registerClass(CausalAttention);

/** The decoder as a functional tf.model, weights copied from the HF-named source (dense kernels = Wᵀ). */
function layersDecoder(cfg, source, tokens) {
  const w = (name) => source.get(`language_model.${name}`);
  const T = (name) => tf.transpose(w(name));
  const ids = tf.input({ shape: [tokens], dtype: 'int32' });
  const embedding = tf.layers.embedding({ inputDim: cfg.vocabTotal, outputDim: cfg.hidden });
  let x = embedding.apply(ids);
  const assign = [[embedding, [w('model.embed_tokens.weight')]]];
  const dense = (units, name) => {
    const layer = tf.layers.dense({ units, useBias: false });
    assign.push([layer, [T(`${name}.weight`)]]);
    return layer;
  };
  const norm = (name) => {
    const layer = new RmsNorm({ eps: cfg.norm.eps });
    assign.push([layer, [w(`${name}.weight`)]]);
    return layer;
  };
  const kv = cfg.kvHeads * cfg.headDim;
  for (let i = 0; i < cfg.layers; i++) {
    const p = `model.layers.${i}`;
    const h = norm(`${p}.input_layernorm`).apply(x);
    const q = dense(cfg.heads * cfg.headDim, `${p}.self_attn.q_proj`).apply(h);
    const k = dense(kv, `${p}.self_attn.k_proj`).apply(h);
    const v = dense(kv, `${p}.self_attn.v_proj`).apply(h);
    const a = new CausalAttention({ heads: cfg.heads, kvHeads: cfg.kvHeads, headDim: cfg.headDim, theta: cfg.position.theta }).apply([q, k, v]);
    x = tf.layers.add().apply([x, dense(cfg.hidden, `${p}.self_attn.o_proj`).apply(a)]);
    const h2 = norm(`${p}.post_attention_layernorm`).apply(x);
    const gate = tf.layers.activation({ activation: 'swish' }).apply(dense(cfg.ffn, `${p}.mlp.gate_proj`).apply(h2));
    const up = dense(cfg.ffn, `${p}.mlp.up_proj`).apply(h2);
    x = tf.layers.add().apply([x, dense(cfg.hidden, `${p}.mlp.down_proj`).apply(tf.layers.multiply().apply([gate, up]))]);
  }
  x = norm('model.norm').apply(x);
  const logits = dense(cfg.vocabTotal, 'lm_head').apply(x);
  const model = tf.model({ inputs: ids, outputs: logits });
  for (const [layer, weights] of assign) layer.setWeights(weights);
  return model;
}

// ---- run ----------------------------------------------------------------------------------------

const backend = await rt.initBackend('wasm');
console.log(`backend: ${backend.detail}; ${WARMUP} warm-ups, median of ${RUNS} runs; prompt ${TOKENS} text tokens, batch 1, fp32`);
console.log('');

const rows = [];
for (const [label, overrides] of [['llava_avlm/tiny decoder', []], ['~50M variant decoder', FIFTY_M]]) {
  const tiny = await checkedTiny(overrides);
  const decoderOnly = { ...tiny, senses: [], sequenceLength: tiny.textTokens };
  const { instance, source, params } = await load(decoderOnly, label.replace(/\W+/g, '_'));
  const layers = layersDecoder(tiny.decoder, source, TOKENS);
  const ids = tf.tensor2d([Array.from({ length: TOKENS }, (_, i) => 1 + ((i * 7919) % (tiny.decoder.vocab - 1)))], [1, TOKENS], 'int32');

  const ours = instance.forward({ inputIds: ids });
  const theirs = layers.predict(ids);
  const diff = tf.max(tf.abs(tf.sub(ours.logits, theirs))).dataSync()[0];
  tf.dispose([ours.logits, ours.attentionMask, theirs]);

  const generatedFull = time(() => {
    const out = instance.forward({ inputIds: ids });
    out.logits.dataSync();
    tf.dispose([out.logits, out.attentionMask]);
  }, WARMUP, RUNS);
  const generatedNext = time(() => {
    const out = instance.nextTokenLogits({ inputIds: ids });
    out.dataSync();
    out.dispose();
  }, WARMUP, RUNS);
  const layersFull = time(() => {
    const out = layers.predict(ids);
    out.dataSync();
    out.dispose();
  }, WARMUP, RUNS);
  const d = tiny.decoder;
  rows.push({ label, params, d, generatedFull, generatedNext, layersFull, diff });
  console.log(`${label}: ${params.toLocaleString('en-US')} parameters (${d.layers} layers, hidden ${d.hidden}, ${d.heads} heads, ffn ${d.ffn}, vocab ${d.vocabTotal})`);
  console.log(`  generated forward (all logits)      ${generatedFull.median.toFixed(2)} ms  (min ${generatedFull.min.toFixed(2)}, max ${generatedFull.max.toFixed(2)})`);
  console.log(`  generated nextTokenLogits           ${generatedNext.median.toFixed(2)} ms  (min ${generatedNext.min.toFixed(2)}, max ${generatedNext.max.toFixed(2)})`);
  console.log(`  tf.layers model.predict (all logits) ${layersFull.median.toFixed(2)} ms  (min ${layersFull.min.toFixed(2)}, max ${layersFull.max.toFixed(2)})`);
  console.log(`  generated / tf.layers (all logits): ${(generatedFull.median / layersFull.median).toFixed(2)}x; max |logit difference| ${diff.toExponential(2)}`);
  console.log('');
  instance.dispose();
  layers.dispose();
  tf.dispose([ids, ...source.values()]);
}

if (FULL) {
  const tiny = await checkedTiny([]);
  const { instance, source, senseKeys } = await load(tiny, 'full');
  const inputs = { inputIds: tf.tensor2d([[1, 5, 9, 12, 32000, 32001, 7, 8, 9, 10, 11, 12, 13, 14]], undefined, 'int32') };
  tiny.senses.forEach((s, k) => {
    const shape = s.input.kind === 'video' ? [1, s.input.frames, 3, s.input.size, s.input.size] : [1, 2048, s.encoder.melBins];
    inputs[senseKeys[k]] = tf.randomNormal(shape, 0, 1, 'float32', 3);
  });
  const full = time(() => {
    const out = instance.nextTokenLogits(inputs);
    out.dataSync();
    out.dispose();
  }, 1, FULL_RUNS);
  console.log(`llava_avlm/tiny whole model (8 frames + 20.5 s audio, 3084 zipped positions), nextTokenLogits: ${full.median.toFixed(0)} ms median of ${FULL_RUNS} (min ${full.min.toFixed(0)}, max ${full.max.toFixed(0)})`);
  instance.dispose();
  tf.dispose([...Object.values(inputs), ...source.values()]);
}
rmSync(work, { recursive: true, force: true });
