/**
 * What the runtime blocks implement, so that generated code always runs: combinations outside it
 * are reported (MIMO4020) instead of emitting a module that would fail at load or forward time.
 */
import { createDiagnostic } from '../diagnostics/create.js';
import { lowerDiagnostics } from '../diagnostics/catalog/lower.js';
import type { Diagnostic } from '../diagnostics/types.js';
import { spanAt } from '../ir/families/context.js';
import type { CheckedModel } from '../model/types.js';

export function unsupportedFeatures(model: CheckedModel): Diagnostic[] {
  const out: Diagnostic[] = [];
  const report = (path: string, what: string, feature: string, help: string): void => {
    out.push(createDiagnostic(lowerDiagnostics.codegenUnsupported, spanAt(model, path), { what, feature }, { help }));
  };
  const d = model.decoder;
  if (d.family === 'llama') {
    if (d.norm.kind !== 'rmsnorm') report('decoder.norm', 'a llama decoder with layernorm', 'LLaMA block with LayerNorm', 'use `norm rmsnorm(eps: 1e-5)`, or `decoder gpt2` for LayerNorm');
    if (d.mlp !== 'swiglu') report('decoder.mlp', 'a llama decoder with a GELU MLP', 'LLaMA block with a non-gated MLP', 'use `mlp swiglu`, or `decoder gpt2` for a GELU MLP');
    if (d.position.kind !== 'rope') report('decoder.position', 'a llama decoder with learned positions', 'LLaMA block with learned positions', 'use `position rope(theta: 10000)`');
  } else {
    if (d.norm.kind !== 'layernorm') report('decoder.norm', 'a gpt2 decoder with rmsnorm', 'GPT-2 block with RMSNorm', 'use `norm layernorm(eps: 1e-5)`, or `decoder llama` for RMSNorm');
    if (d.mlp !== 'gelu_mlp') report('decoder.mlp', 'a gpt2 decoder with a gated MLP', 'GPT-2 block with SwiGLU', 'use `mlp gelu_mlp(act: gelu_tanh)`, or `decoder llama` for SwiGLU');
    if (d.position.kind !== 'learned') report('decoder.position', 'a gpt2 decoder with RoPE', 'GPT-2 block with rotary positions', 'use `position learned`, or `decoder llama` for RoPE');
    if (d.kvHeads !== d.heads) report('decoder.kv_heads', 'a gpt2 decoder with grouped-query attention', 'GPT-2 block with kv_heads != heads', 'set `kv_heads` equal to `heads`, or use `decoder llama`');
    if (!d.attentionBias || !d.mlpBias) report('decoder', 'a gpt2 decoder without biases', 'GPT-2 block without biases', 'set `attention_bias true` and `mlp_bias true`');
  }
  for (const s of model.senses) {
    const e = s.encoder;
    if (e.family === 'clip_vit' && !e.classToken) report(`senses.${s.name}.encoder.class_token`, `sense \`${s.name}\` (clip_vit without a class token)`, 'CLIP embedding without a class token', 'use `siglip_vit` for a ViT without a class token');
    if (e.family === 'siglip_vit' && e.classToken) report(`senses.${s.name}.encoder.class_token`, `sense \`${s.name}\` (siglip_vit with a class token)`, 'SigLIP embedding with a class token', 'use `clip_vit` for a ViT with a class token');
  }
  return out;
}
