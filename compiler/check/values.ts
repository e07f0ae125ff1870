/**
 * A checked model's settings by the dotted paths users write (`decoder.layers`,
 * `vision.input.frames`, `audio.encoder.hidden`, `text_tokens`), with every default filled in.
 * Asserts read settings through this map; the analyses answer the rest (`params`, `flops`...).
 */
import type { CheckedModel, Encoder, Projector, SenseInput } from '../model/types.js';

export type SettingValue = number | string | boolean;

export function settingValues(model: CheckedModel): ReadonlyMap<string, SettingValue> {
  const values = new Map<string, SettingValue>();
  const put = (path: string, value: SettingValue | undefined) => {
    if (value !== undefined) values.set(path, value);
  };
  const d = model.decoder;
  put('decoder.layers', d.layers);
  put('decoder.hidden', d.hidden);
  put('decoder.heads', d.heads);
  put('decoder.kv_heads', d.kvHeads);
  put('decoder.head_dim', d.headDim);
  put('decoder.ffn', d.ffn);
  put('decoder.vocab', d.vocab);
  put('decoder.vocab_total', d.vocabTotal);
  put('decoder.context', d.context);
  put('decoder.norm.eps', d.norm.eps);
  if (d.position.kind === 'rope') put('decoder.position.theta', d.position.theta);
  put('decoder.tied_embeddings', d.tiedEmbeddings);
  put('decoder.attention_bias', d.attentionBias);
  put('decoder.mlp_bias', d.mlpBias);
  put('decoder.frozen', d.frozen);
  put('text_tokens', model.textTokens);
  put('dtype', model.dtype);
  put('sequence_length', model.sequenceLength);
  for (const sense of model.senses) {
    const s = sense.name;
    putInput(put, s, sense.input);
    putEncoder(put, s, sense.encoder);
    putProjector(put, s, sense.projector);
    put(`${s}.token`, sense.token.text);
    put(`${s}.token_id`, sense.token.id);
    put(`${s}.tokens`, sense.tokens);
    put(`tokens.${s}`, sense.tokens);
  }
  put('tokens.text', model.textTokens);
  return values;
}

type Put = (path: string, value: SettingValue | undefined) => void;

function putInput(put: Put, s: string, input: SenseInput): void {
  if (input.kind === 'audio') {
    put(`${s}.input.seconds`, input.seconds);
    put(`${s}.input.sample_rate`, input.sampleRate);
    put(`${s}.input.samples`, input.samples);
    return;
  }
  if (input.kind === 'video') put(`${s}.input.frames`, input.frames);
  put(`${s}.input.size`, input.size);
  put(`${s}.input.channels`, input.channels);
}

function putEncoder(put: Put, s: string, e: Encoder): void {
  const p = `${s}.encoder`;
  put(`${p}.layers`, e.layers);
  put(`${p}.hidden`, e.hidden);
  put(`${p}.heads`, e.heads);
  put(`${p}.ffn`, e.ffn);
  put(`${p}.norm_eps`, e.normEps);
  put(`${p}.frozen`, e.frozen);
  switch (e.family) {
    case 'clip_vit':
    case 'siglip_vit':
      put(`${p}.patch`, e.patch);
      put(`${p}.image_size`, e.imageSize);
      put(`${p}.channels`, e.channels);
      put(`${p}.act`, e.activation);
      put(`${p}.class_token`, e.classToken);
      put(`${p}.pre_norm`, e.preNorm);
      put(`${p}.select_layer`, e.selectLayer);
      put(`${p}.layers_used`, e.layersUsed);
      put(`${p}.drop_cls`, e.dropClassToken);
      put(`${p}.pool`, e.poolStride);
      break;
    case 'whisper':
      put(`${p}.mel_bins`, e.melBins);
      put(`${p}.positions`, e.positions);
      put(`${p}.hop_length`, e.hopLength);
      put(`${p}.n_fft`, e.nFft);
      put(`${p}.drop_last_frame`, e.dropLastFrame);
      break;
    case 'beats':
      put(`${p}.mel_bins`, e.melBins);
      put(`${p}.patch`, e.patch);
      put(`${p}.embed_dim`, e.embedDim);
      put(`${p}.frame_shift_ms`, e.frameShiftMs);
      put(`${p}.frame_length_ms`, e.frameLengthMs);
      break;
  }
}

function putProjector(put: Put, s: string, p: Projector): void {
  const q = `${s}.projector`;
  put(`${q}.input`, p.inputWidth);
  put(`${q}.output`, p.outputWidth);
  put(`${q}.bias`, p.bias);
  put(`${q}.frozen`, p.frozen);
  if (p.kind === 'mlp') {
    put(`${q}.depth`, p.depth);
    put(`${q}.hidden`, p.hiddenWidth);
    put(`${q}.act`, p.activation);
  }
}
