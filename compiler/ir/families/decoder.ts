/**
 * The decoder LLM with the zipper in front of it. Layouts: `llama` as Hugging Face
 * `LlamaForCausalLM` (RMSNorm, RoPE, SwiGLU, grouped-query attention, no biases unless asked),
 * `gpt2` as `GPT2LMHeadModel` (fused `c_attn` Conv1D, learned positions, LayerNorm, GELU MLP).
 * Norm, MLP kind and position kind come from the config, so mixed settings lower as written;
 * only a gated MLP in the GPT-2 layout has no checkpoint names and is reported.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { lowerDiagnostics } from '../../diagnostics/catalog/lower.js';
import type { DecoderConfig } from '../../model/types.js';
import type { GraphBuilder, ValueId } from '../builder.js';
import type { ZipPlaceholder } from '../types.js';
import { type LowerContext, spanAt } from './context.js';
import { NORMAL, act, attentionCore, conv1dLinear, linear, norm, residual, separateAttention } from './layers.js';

/** Negative fill of the additive causal mask: finite so that fully padded rows stay finite. */
export const MASK_NEGATIVE = -1e9;

export interface DecoderInputs {
  readonly inputIds: ValueId;
  readonly attentionMask: ValueId;
  readonly positionIds: ValueId;
  /** Each sense's projected embeddings `[batch, tokens, hidden]`, with its placeholder. */
  readonly senses: readonly { readonly placeholder: ZipPlaceholder; readonly embeds: ValueId }[];
}

/** Returns the logits `[batch, seq, vocab_total]`, or undefined after reporting. */
export function lowerDecoder(ctx: LowerContext, d: DecoderConfig, inputs: DecoderInputs): ValueId | undefined {
  if (d.family === 'gpt2' && d.mlp === 'swiglu') {
    ctx.report(
      createDiagnostic(lowerDiagnostics.irFamilyLayout, spanAt(ctx.model, 'decoder.mlp'), { family: 'gpt2', feature: 'gated (SwiGLU) MLP' }, {
        help: 'use `decoder llama` for a SwiGLU MLP, or `mlp gelu_mlp(act: gelu_tanh)` with `decoder gpt2`',
      }),
    );
    return undefined;
  }
  const { b } = ctx;
  return d.family === 'gpt2' ? lowerGpt2(b, d, inputs) : lowerLlama(b, d, inputs);
}

function embedAndZip(b: GraphBuilder, table: ValueId, inputs: DecoderInputs): ValueId {
  const embeds = b.op('gather', [table, inputs.inputIds]);
  if (inputs.senses.length === 0) return embeds;
  return b.op('zip', [embeds, inputs.inputIds, ...inputs.senses.map((s) => s.embeds)], { placeholders: inputs.senses.map((s) => s.placeholder) });
}

function causalMask(b: GraphBuilder, inputs: DecoderInputs): ValueId {
  return b.op('causal_mask', [inputs.attentionMask], { negative: MASK_NEGATIVE }, { shape: [], dtype: b.floatType });
}

function lowerLlama(b: GraphBuilder, d: DecoderConfig, inputs: DecoderInputs): ValueId {
  const hidden = b.within('model', () => {
    const tokens = b.within('embed_tokens', () => b.weight('weight', [d.vocabTotal, d.hidden], NORMAL));
    let x = embedAndZip(b, tokens, inputs);
    if (d.position.kind === 'learned') {
      const table = b.within('embed_positions', () => b.weight('weight', [d.context, d.hidden], NORMAL));
      x = b.op('add', [x, b.op('gather', [table, inputs.positionIds])]);
    }
    const mask = causalMask(b, inputs);
    const rope = d.position.kind === 'rope' ? { theta: d.position.theta, positions: inputs.positionIds } : undefined;
    const ab = d.attentionBias;
    for (let i = 0; i < d.layers; i++) {
      b.within(`layers.${i}`, () => {
        const h = norm(b, x, 'input_layernorm', d.norm.kind, d.hidden, d.norm.eps);
        const attn = b.within('self_attn', () =>
          separateAttention(b, h, d.hidden, { heads: d.heads, kvHeads: d.kvHeads, headDim: d.headDim, mask, rope }, { q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'o_proj' }, { q: ab, k: ab, v: ab, o: ab }),
        );
        x = residual(b, x, attn);
        const h2 = norm(b, x, 'post_attention_layernorm', d.norm.kind, d.hidden, d.norm.eps);
        const mlp = b.within('mlp', () => {
          if (d.mlp === 'swiglu') {
            const gate = act(b, linear(b, h2, 'gate_proj', d.hidden, d.ffn, d.mlpBias), 'silu');
            const up = linear(b, h2, 'up_proj', d.hidden, d.ffn, d.mlpBias);
            return linear(b, b.op('mul', [gate, up]), 'down_proj', d.ffn, d.hidden, d.mlpBias);
          }
          const up = act(b, linear(b, h2, 'up_proj', d.hidden, d.ffn, d.mlpBias), d.activation);
          return linear(b, up, 'down_proj', d.ffn, d.hidden, d.mlpBias);
        });
        x = residual(b, x, mlp);
      });
    }
    return norm(b, x, 'norm', d.norm.kind, d.hidden, d.norm.eps);
  });
  return lmHead(b, d, hidden, 'model.embed_tokens.weight');
}

function lowerGpt2(b: GraphBuilder, d: DecoderConfig, inputs: DecoderInputs): ValueId {
  const hidden = b.within('transformer', () => {
    const tokens = b.within('wte', () => b.weight('weight', [d.vocabTotal, d.hidden], NORMAL));
    let x = embedAndZip(b, tokens, inputs);
    if (d.position.kind === 'learned') {
      const table = b.within('wpe', () => b.weight('weight', [d.context, d.hidden], NORMAL));
      x = b.op('add', [x, b.op('gather', [table, inputs.positionIds])]);
    }
    const mask = causalMask(b, inputs);
    const rope = d.position.kind === 'rope' ? { theta: d.position.theta, positions: inputs.positionIds } : undefined;
    const H = d.heads * d.headDim;
    const kvWidth = d.kvHeads * d.headDim;
    for (let i = 0; i < d.layers; i++) {
      b.within(`h.${i}`, () => {
        const h = norm(b, x, 'ln_1', d.norm.kind, d.hidden, d.norm.eps);
        const attn = b.within('attn', () => {
          // GPT-2 packs q, k and v into one Conv1D: columns [q | k | v].
          const qkv = conv1dLinear(b, h, 'c_attn', d.hidden, H + 2 * kvWidth, d.attentionBias);
          const q = b.op('slice', [qkv], { axis: 2, start: 0, end: H });
          const k = b.op('slice', [qkv], { axis: 2, start: H, end: H + kvWidth });
          const v = b.op('slice', [qkv], { axis: 2, start: H + kvWidth, end: H + 2 * kvWidth });
          const context = attentionCore(b, { q, k, v }, { heads: d.heads, kvHeads: d.kvHeads, headDim: d.headDim, mask, rope });
          return conv1dLinear(b, context, 'c_proj', H, d.hidden, d.attentionBias);
        });
        x = residual(b, x, attn);
        const h2 = norm(b, x, 'ln_2', d.norm.kind, d.hidden, d.norm.eps);
        const mlp = b.within('mlp', () => {
          const up = act(b, conv1dLinear(b, h2, 'c_fc', d.hidden, d.ffn, d.mlpBias), d.activation);
          return conv1dLinear(b, up, 'c_proj', d.ffn, d.hidden, d.mlpBias);
        });
        x = residual(b, x, mlp);
      });
    }
    return norm(b, x, 'ln_f', d.norm.kind, d.hidden, d.norm.eps);
  });
  return lmHead(b, d, hidden, 'transformer.wte.weight');
}

/** `lm_head` (no bias), or the token table itself when embeddings are tied. */
function lmHead(b: GraphBuilder, d: DecoderConfig, hidden: ValueId, tokenTable: string): ValueId {
  const tied = b.nameOf(tokenTable);
  return b.within('lm_head', () => {
    const w = d.tiedEmbeddings ? b.readWeight(tied) : b.weight('weight', [d.vocabTotal, d.hidden], NORMAL);
    return b.op('matmul', [hidden, w], { transposeA: false, transposeB: true });
  });
}
