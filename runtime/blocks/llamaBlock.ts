import { tf } from '../backend/tf.js';
import { silu } from '../layers/activation.js';
import { attention, type AttentionLowering } from '../layers/attention.js';
import { linear, type Linear } from '../layers/linear.js';
import { rmsNorm, type RmsNormWeights } from '../layers/norm.js';
import { positionIdsFrom } from '../layers/positions.js';
import { applyRope, ropeTables } from '../layers/rope.js';
import type { DecoderBlockConfig, DecoderBlockOutput, DecoderBlockState } from './types.js';
import { WeightReader, type WeightSource } from './weights.js';

/** HF `LlamaDecoderLayer` parameters (names under `model.layers.{i}.`). */
export interface LlamaBlockWeights {
  readonly input_layernorm: RmsNormWeights;
  readonly self_attn: { readonly q_proj: Linear; readonly k_proj: Linear; readonly v_proj: Linear; readonly o_proj: Linear };
  readonly post_attention_layernorm: RmsNormWeights;
  readonly mlp: { readonly gate_proj: Linear; readonly up_proj: Linear; readonly down_proj: Linear };
}

export function loadLlamaBlockWeights(source: WeightSource, prefix: string, cfg: DecoderBlockConfig & { readonly ffn: number }): LlamaBlockWeights {
  const reader = new WeightReader(source, prefix);
  const { hidden: d, heads, kvHeads, headDim, ffn } = cfg;
  const ab = cfg.attentionBias ?? false;
  const mb = cfg.mlpBias ?? false;
  return {
    input_layernorm: reader.rmsNorm('input_layernorm', d),
    self_attn: {
      q_proj: reader.linear('self_attn.q_proj', d, heads * headDim, ab),
      k_proj: reader.linear('self_attn.k_proj', d, kvHeads * headDim, ab),
      v_proj: reader.linear('self_attn.v_proj', d, kvHeads * headDim, ab),
      o_proj: reader.linear('self_attn.o_proj', heads * headDim, d, ab),
    },
    post_attention_layernorm: reader.rmsNorm('post_attention_layernorm', d),
    mlp: {
      gate_proj: reader.linear('mlp.gate_proj', d, ffn, mb),
      up_proj: reader.linear('mlp.up_proj', d, ffn, mb),
      down_proj: reader.linear('mlp.down_proj', ffn, d, mb),
    },
  };
}

/**
 * One LLaMA block (HF `LlamaDecoderLayer`): RMSNorm → causal grouped-query attention with RoPE
 * (rotate-half) on q and k → residual → RMSNorm → SwiGLU `down(silu(gate(x))·up(x))` → residual.
 */
export function llamaBlock(
  x: tf.Tensor3D,
  w: LlamaBlockWeights,
  cfg: DecoderBlockConfig,
  state: DecoderBlockState = {},
  lowering?: AttentionLowering,
): DecoderBlockOutput {
  if (cfg.position.kind !== 'rope') throw new Error(`llamaBlock: position must be rope, got '${cfg.position.kind}'`);
  const theta = cfg.position.theta;
  return tf.tidy(() => {
    const [batch, length] = x.shape;
    const pastLength = state.past?.key.shape[1] ?? 0;
    const rope = state.rope ?? ropeTables(positionIdsFrom(batch, length, pastLength), cfg.headDim, theta);
    const h = rmsNorm(x, w.input_layernorm, cfg.norm.eps);
    const q = applyRope(linear(h, w.self_attn.q_proj) as tf.Tensor3D, rope, cfg.heads);
    const kNew = applyRope(linear(h, w.self_attn.k_proj) as tf.Tensor3D, rope, cfg.kvHeads);
    const vNew = linear(h, w.self_attn.v_proj) as tf.Tensor3D;
    const key = state.past === undefined ? kNew : (tf.concat([state.past.key, kNew], 1) as tf.Tensor3D);
    const value = state.past === undefined ? vNew : (tf.concat([state.past.value, vNew], 1) as tf.Tensor3D);
    const attended = attention(q, key, value, {
      heads: cfg.heads,
      kvHeads: cfg.kvHeads,
      headDim: cfg.headDim,
      causal: true,
      attentionMask: state.attentionMask,
      lowering,
    });
    const afterAttention = tf.add(x, linear(attended, w.self_attn.o_proj));
    const n = rmsNorm(afterAttention, w.post_attention_layernorm, cfg.norm.eps);
    const gated = tf.mul(silu(linear(n, w.mlp.gate_proj)), linear(n, w.mlp.up_proj));
    return { hidden: tf.add(afterAttention, linear(gated, w.mlp.down_proj)) as tf.Tensor3D, present: { key, value } };
  });
}
