/**
 * Checked models for the IR and codegen tests, one per family combination, built by hand with the
 * analysis tests' factories. Token counts are the encoders' real outputs (computed here from the
 * input, the way the checker does), so the IR's shapes must agree with them.
 */
import type { BeatsEncoder, CheckedModel, Sense, SenseInput, VitEncoder, WhisperEncoder } from '../../compiler/model/types.js';
import { audio, beatsEncoder, clipVit, gpt2Decoder, llamaDecoder, mlpProjector, affineProjector, model, sense, siglipVit, video, image, whisperEncoder } from '../analyze/models.js';

export function vitTokens(input: SenseInput, e: VitEncoder): number {
  if (input.kind === 'audio') throw new Error('vit needs pixels');
  const grid = Math.floor(input.size / e.patch);
  let perFrame = grid * grid + (e.classToken && !e.dropClassToken ? 1 : 0);
  if (e.poolStride > 1) {
    const g = Math.floor((grid - e.poolStride) / e.poolStride) + 1;
    perFrame = g * g;
  }
  return perFrame * (input.kind === 'video' ? input.frames : 1);
}

export function whisperTokensOf(input: SenseInput, e: WhisperEncoder): number {
  if (input.kind !== 'audio') throw new Error('whisper needs audio');
  return Math.ceil((Math.floor(input.samples / e.hopLength) + (e.dropLastFrame ? 0 : 1)) / 2);
}

export function beatsTokensOf(input: SenseInput, e: BeatsEncoder): number {
  if (input.kind !== 'audio') throw new Error('beats needs audio');
  const win = (input.sampleRate * e.frameLengthMs) / 1000;
  const shift = (input.sampleRate * e.frameShiftMs) / 1000;
  const frames = Math.floor((input.samples - win) / shift) + 1;
  return Math.floor(frames / e.patch) * Math.floor(e.melBins / e.patch);
}

function vitSense(name: string, input: SenseInput, e: VitEncoder, hidden: number, id: number): Sense {
  return sense(name, input, e, mlpProjector(e.hidden, hidden), vitTokens(input, e), { id });
}

/** A small LLaMA (GQA 4/2) with a CLIP video sense (layer −2, class token dropped) and a BEATs audio sense. */
export function tinyAvlm(): CheckedModel {
  const clip = clipVit({ layers: 3, hidden: 32, heads: 2, ffn: 64, patch: 8, imageSize: 32, selectLayer: -2, layersUsed: 2, dropClassToken: true, frozen: true });
  const beats = beatsEncoder({ layers: 2, hidden: 32, heads: 2, ffn: 64, melBins: 32, patch: 16, embedDim: 16, convPosKernel: 16, convPosGroups: 4, relPosBuckets: 32, maxDistance: 64 });
  const vin = video(2, 32);
  const ain = audio(0.5);
  return model(
    llamaDecoder({ layers: 2, hidden: 64, heads: 4, kvHeads: 2, ffn: 128, vocab: 256, vocabTotal: 258, context: 512 }),
    [vitSense('vision', vin, clip, 64, 256), sense('audio', ain, beats, mlpProjector(32, 64), beatsTokensOf(ain, beats), { id: 257 })],
    { id: 'tiny_avlm', textTokens: 16, dtype: 'float32' },
  );
}

/** GPT-2 layout with a Whisper sense and an affine projector. */
export function gpt2Whisper(): CheckedModel {
  const w = whisperEncoder({ layers: 2, hidden: 32, heads: 2, ffn: 64, melBins: 16, positions: 64, dropLastFrame: true });
  const ain = audio(1);
  return model(
    { ...gpt2Decoder({ layers: 2, hidden: 48, heads: 3, ffn: 96 }), vocab: 300, vocabTotal: 301, context: 128 },
    [sense('speech', ain, w, affineProjector(32, 48), whisperTokensOf(ain, w), { id: 300 })],
    { id: 'gpt2_whisper', textTokens: 8 },
  );
}

/** SigLIP on one image with a pooled grid and a depth-3 MLP into an untied-GPT-2 decoder. */
export function gpt2Siglip(): CheckedModel {
  const e = siglipVit({ layers: 2, hidden: 24, heads: 2, ffn: 48, patch: 4, imageSize: 16, poolStride: 2 });
  const input = image(16);
  return model(
    { ...gpt2Decoder({ layers: 1, hidden: 32, heads: 2, ffn: 64 }), vocab: 100, vocabTotal: 101, context: 64, tiedEmbeddings: false },
    [sense('image', input, e, mlpProjector(24, 32, 3, { hiddenWidth: 40 } as never), vitTokens(input, e), { id: 100 })],
    { id: 'gpt2_siglip', textTokens: 8 },
  );
}

/** The seed at full size: Vicuna-7B, CLIP ViT-L/14 on 8 frames (layer −2, no class token), BEATs iter3. */
export function seedAvlm(): CheckedModel {
  const clip = clipVit({ layers: 24, hidden: 1024, heads: 16, ffn: 4096, patch: 14, imageSize: 224, selectLayer: -2, layersUsed: 23, dropClassToken: true, frozen: true });
  const beats = beatsEncoder({ maxDistance: 1280, frozen: true });
  const vin = video(8, 224);
  const ain = audio(20.5);
  return model(
    llamaDecoder({ layers: 32, hidden: 4096, heads: 32, ffn: 11008, vocabTotal: 32002 }),
    [vitSense('vision', vin, clip, 4096, 32000), sense('audio', ain, beats, mlpProjector(768, 4096), beatsTokensOf(ain, beats), { id: 32001 })],
    { id: 'llava_avlm', textTokens: 512 },
  );
}

/** Every family combination above, by name. */
export const familyModels: ReadonlyArray<readonly [string, () => CheckedModel]> = [
  ['llama + CLIP video + BEATs', tinyAvlm],
  ['gpt2 + Whisper (affine)', gpt2Whisper],
  ['gpt2 untied + SigLIP pooled (mlp depth 3)', gpt2Siglip],
  ['seed llava_avlm (7B + CLIP-L + BEATs)', seedAvlm],
];

export { llamaDecoder, gpt2Decoder, model };
