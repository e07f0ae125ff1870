/**
 * CLIP and SigLIP vision towers (Hugging Face `CLIPVisionModel` / `SiglipVisionModel`), run on
 * every frame: patch conv, class token (CLIP), learned positions, `pre_layrnorm` (CLIP), pre-LN
 * encoder layers up to `select_layer`, class token dropped, optional average pooling of the
 * patch grid (LLaVA-NeXT-Video), frames concatenated on the token axis.
 */
import { createDiagnostic } from '../../diagnostics/create.js';
import { lowerDiagnostics } from '../../diagnostics/catalog/lower.js';
import type { Sense, VitEncoder } from '../../model/types.js';
import type { ValueId } from '../builder.js';
import { mulDims } from '../dims.js';
import type { Dim } from '../types.js';
import { type LowerContext, spanAt } from './context.js';
import { NORMAL, ONES, ZEROS, floatType, geluMlp, layerNorm, residual, separateAttention } from './layers.js';

/** Encodes `pixels` into `[batch, tokens, encoder hidden]`, or undefined after reporting. */
export function lowerVit(ctx: LowerContext, sense: Sense, enc: VitEncoder, pixels: ValueId): ValueId | undefined {
  const { b, model } = ctx;
  const input = sense.input;
  if (input.kind === 'audio') throw new Error(`sense \`${sense.name}\`: a ViT needs an image or video input`);
  const size = input.size;
  const grid = Math.floor(size / enc.patch);
  const tableGrid = Math.floor(enc.imageSize / enc.patch);
  if (grid !== tableGrid) {
    ctx.report(
      createDiagnostic(lowerDiagnostics.irPositionTableMismatch, spanAt(model, `senses.${sense.name}.input.size`), { sense: sense.name, table: tableGrid, size, grid }, {
        help: `set the input size to ${enc.imageSize} (the encoder's image_size), or set \`image_size\` on the encoder to ${size} to train new positions`,
      }),
    );
    return undefined;
  }
  const keepsClass = enc.classToken && !enc.dropClassToken;
  if (enc.poolStride > 1 && keepsClass) {
    ctx.report(
      createDiagnostic(lowerDiagnostics.irPoolWithClassToken, spanAt(model, `senses.${sense.name}.encoder.pool`), { sense: sense.name }, {
        help: 'add `drop_cls: true` to the encoder, or remove `pool`',
      }),
    );
    return undefined;
  }

  const batch = b.shape(pixels)[0];
  const frames = input.kind === 'video' ? input.frames : 1;
  const images: Dim = mulDims(batch, frames);
  const patches = grid * grid;
  const positions = patches + (enc.classToken ? 1 : 0);
  const D = enc.hidden;

  return b.within('vision_model', () => {
    let x = input.kind === 'video' ? b.op('reshape', [pixels], {}, floatType(b, [images, input.channels, size, size])) : pixels;
    x = b.within('embeddings', () => {
      const patchW = b.within('patch_embedding', () => {
        const w = b.weight('weight', [D, input.channels, enc.patch, enc.patch], NORMAL);
        // CLIP's patch conv has no bias; SigLIP's has one.
        return enc.family === 'siglip_vit' ? [w, b.weight('bias', [D], ZEROS)] : [w];
      });
      let h = b.op('conv2d', [x, ...patchW], { stride: [enc.patch, enc.patch], padding: [0, 0], groups: 1 });
      h = b.op('reshape', [h], {}, floatType(b, [images, D, patches]));
      h = b.op('transpose', [h], { perm: [0, 2, 1] });
      if (enc.classToken) {
        const cls = b.weight('class_embedding', [D], NORMAL);
        const cls3 = b.op('reshape', [cls], {}, floatType(b, [1, 1, D]));
        const clsN = b.op('broadcast_to', [cls3], {}, floatType(b, [images, 1, D]));
        h = b.op('concat', [clsN, h], { axis: 1 });
      }
      const table = b.within('position_embedding', () => b.weight('weight', [positions, D], NORMAL));
      return b.op('add', [h, table]);
    });
    if (enc.preNorm) x = layerNorm(b, x, 'pre_layrnorm', D, enc.normEps);

    b.within('encoder', () => {
      for (let i = 0; i < enc.layers; i++) {
        b.within(`layers.${i}`, () => {
          if (i >= enc.layersUsed) {
            declareUnusedLayer(ctx, enc);
            return;
          }
          const normed = layerNorm(b, x, 'layer_norm1', D, enc.normEps);
          const attn = b.within('self_attn', () =>
            separateAttention(b, normed, D, { heads: enc.heads, kvHeads: enc.heads, headDim: D / enc.heads }, NAMES, ALL_BIASES),
          );
          x = residual(b, x, attn);
          const h = layerNorm(b, x, 'layer_norm2', D, enc.normEps);
          x = residual(b, x, b.within('mlp', () => geluMlp(b, h, D, enc.ffn, enc.activation, true, { fc1: 'fc1', fc2: 'fc2' })));
        });
      }
    });
    // Stored in every checkpoint; LLaVA reads hidden states before it.
    b.within('post_layernorm', () => {
      b.declareWeight('weight', [D], ONES);
      b.declareWeight('bias', [D], ZEROS);
    });

    let tokensPerImage = positions;
    if (enc.classToken && enc.dropClassToken) {
      x = b.op('slice', [x], { axis: 1, start: 1, end: positions });
      tokensPerImage = patches;
    }
    if (enc.poolStride > 1) {
      const pooled = Math.floor((grid - enc.poolStride) / enc.poolStride) + 1;
      x = b.op('reshape', [x], {}, floatType(b, [images, grid, grid, D]));
      x = b.op('transpose', [x], { perm: [0, 3, 1, 2] });
      x = b.op('avg_pool2d', [x], { kernel: enc.poolStride, stride: enc.poolStride });
      x = b.op('reshape', [x], {}, floatType(b, [images, D, pooled * pooled]));
      x = b.op('transpose', [x], { perm: [0, 2, 1] });
      tokensPerImage = pooled * pooled;
    }
    if (input.kind === 'video') x = b.op('reshape', [x], {}, floatType(b, [batch, frames * tokensPerImage, D]));
    return x;
  });
}

const NAMES = { q: 'q_proj', k: 'k_proj', v: 'v_proj', o: 'out_proj' };
const ALL_BIASES = { q: true, k: true, v: true, o: true };

/** Registers the weights of an encoder layer the forward never reaches (after `select_layer`). */
function declareUnusedLayer(ctx: LowerContext, enc: VitEncoder): void {
  const { b } = ctx;
  const D = enc.hidden;
  const linear = (local: string, inW: number, outW: number): void => {
    b.within(local, () => {
      b.declareWeight('weight', [outW, inW], NORMAL);
      b.declareWeight('bias', [outW], ZEROS);
    });
  };
  const norm = (local: string): void => {
    b.within(local, () => {
      b.declareWeight('weight', [D], ONES);
      b.declareWeight('bias', [D], ZEROS);
    });
  };
  norm('layer_norm1');
  b.within('self_attn', () => {
    for (const n of ['q_proj', 'k_proj', 'v_proj', 'out_proj']) linear(n, D, D);
  });
  norm('layer_norm2');
  b.within('mlp', () => {
    linear('fc1', D, enc.ffn);
    linear('fc2', enc.ffn, D);
  });
}
