import { tf } from '../backend/tf.js';
import { activation } from '../layers/activation.js';
import { attention, type AttentionLowering } from '../layers/attention.js';
import { linear, type Linear } from '../layers/linear.js';
import { layerNorm, type LayerNormWeights } from '../layers/norm.js';
import type { DecoderBlockConfig, DecoderBlockOutput, DecoderBlockState } from './types.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `GPT2Block` parameters (names under `h.{i}.`); `c_*` are `Conv1D`, kernels `[in, out]`. */
export interface Gpt2BlockWeights {
  readonly ln_1: LayerNormWeights;
  readonly attn: { readonly c_attn: Linear; readonly c_proj: Linear };
  readonly ln_2: LayerNormWeights;
  readonly mlp: { readonly c_fc: Linear; readonly c_proj: Linear };
}

export function loadGpt2BlockWeights(source: WeightSource, prefix: string, cfg: Pick<DecoderBlockConfig, 'hidden'> & { readonly ffn: number }): Gpt2BlockWeights {
  const reader = new WeightReader(source, prefix);
  const d = cfg.hidden;
  return {
    ln_1: reader.layerNorm('ln_1', d),
    attn: { c_attn: reader.conv1dLinear('attn.c_attn', d, 3 * d, true), c_proj: reader.conv1dLinear('attn.c_proj', d, d, true) },
    ln_2: reader.layerNorm('ln_2', d),
    mlp: { c_fc: reader.conv1dLinear('mlp.c_fc', d, cfg.ffn, true), c_proj: reader.conv1dLinear('mlp.c_proj', cfg.ffn, d, true) },
  };
}

/**
 * One GPT-2 block (HF `GPT2Block`): pre-LN causal self-attention with a fused qkv projection,
 * then a pre-LN MLP (`gelu_new`, i.e. `gelu_tanh`). Learned positions are added by the caller.
 */
export function gpt2Block(
  x: tf.Tensor3D,
  w: Gpt2BlockWeights,
  cfg: DecoderBlockConfig,
  state: DecoderBlockState = {},
  lowering?: AttentionLowering,
): DecoderBlockOutput {
  if (cfg.kvHeads !== cfg.heads) throw new Error(`gpt2Block: GPT-2 has no grouped-query attention (heads ${cfg.heads}, kvHeads ${cfg.kvHeads})`);
  return tf.tidy(() => {
    const d = cfg.hidden;
    const h = layerNorm(x, w.ln_1, cfg.norm.eps);
    const qkv = linear(h, w.attn.c_attn) as tf.Tensor3D;
    const [q, kNew, vNew] = tf.split(qkv, [d, d, d], 2) as [tf.Tensor3D, tf.Tensor3D, tf.Tensor3D];
    const key = state.past === undefined ? kNew : (tf.concat([state.past.key, kNew], 1) as tf.Tensor3D);
    const value = state.past === undefined ? vNew : (tf.concat([state.past.value, vNew], 1) as tf.Tensor3D);
    const attended = attention(q, key, value, {
      heads: cfg.heads,
      kvHeads: cfg.heads,
      headDim: cfg.headDim,
      causal: true,
      attentionMask: state.attentionMask,
      lowering,
    });
    const afterAttention = tf.add(x, linear(attended, w.attn.c_proj));
    const m = linear(activation(linear(layerNorm(afterAttention, w.ln_2, cfg.norm.eps), w.mlp.c_fc), cfg.activation), w.mlp.c_proj);
    return { hidden: tf.add(afterAttention, m) as tf.Tensor3D, present: { key, value } };
  });
}
