export { beatsEncoderLayer, beatsRelativeBucket, beatsRelativePositionBias, loadBeatsEncoderLayerWeights } from './beatsEncoderLayer.js';
export type { BeatsEncoderLayerWeights, BeatsLayerConfig } from './beatsEncoderLayer.js';
export { beatsConvPositions, beatsPatchFront, loadBeatsConvPositionsWeights, loadBeatsPatchFrontWeights } from './beatsFront.js';
export type { BeatsConvPositionsWeights, BeatsFrontConfig, BeatsPatchFrontWeights } from './beatsFront.js';
export { gpt2Block, loadGpt2BlockWeights } from './gpt2Block.js';
export type { Gpt2BlockWeights } from './gpt2Block.js';
export { llamaBlock, loadLlamaBlockWeights } from './llamaBlock.js';
export type { LlamaBlockWeights } from './llamaBlock.js';
export { affineProjector, llavaProjectorNames, loadAffineProjectorWeights, loadMlpProjectorWeights, mlpProjector } from './projector.js';
export type { MlpProjectorConfig, MlpProjectorWeights } from './projector.js';
export type { DecoderBlockConfig, DecoderBlockOutput, DecoderBlockState, EncoderLayerConfig, KeyValue } from './types.js';
export {
  clipVisionEmbeddings,
  loadClipVisionEmbeddingsWeights,
  loadSiglipVisionEmbeddingsWeights,
  siglipVisionEmbeddings,
} from './vitEmbeddings.js';
export type { ClipVisionEmbeddingsWeights, SiglipVisionEmbeddingsWeights, VitEmbeddingsConfig } from './vitEmbeddings.js';
export { clipEncoderLayer, loadVitEncoderLayerWeights, siglipEncoderLayer } from './vitEncoderLayer.js';
export type { VitEncoderLayerWeights } from './vitEncoderLayer.js';
export { WeightError, WeightReader, disposeWeights } from './weights.js';
export type { WeightSource } from './weights.js';
export { loadWhisperConvFrontWeights, whisperConvFront } from './whisperConvFront.js';
export type { WhisperConvFrontWeights, WhisperFrontConfig } from './whisperConvFront.js';
export { loadWhisperEncoderLayerWeights, whisperEncoderLayer } from './whisperEncoderLayer.js';
export type { WhisperEncoderLayerWeights } from './whisperEncoderLayer.js';
