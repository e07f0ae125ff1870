/** The LLaMA layer of export_llama_layer.py as a mimo model, so both sides plan the same layer. */
import type { CheckedModel } from '../../../compiler/model/types.js';
import { llamaDecoder, model } from '../../analyze/models.js';

export const LAYER = { hidden: 256, heads: 8, kvHeads: 4, ffn: 688, seq: 64 } as const;

export function ortLayerModel(): CheckedModel {
  return model(llamaDecoder({ layers: 1, hidden: LAYER.hidden, heads: LAYER.heads, kvHeads: LAYER.kvHeads, ffn: LAYER.ffn, vocab: 1000, vocabTotal: 1000, context: 512 }), [], {
    id: 'ort_layer',
    textTokens: LAYER.seq,
    dtype: 'float32',
  });
}
