/** State shared by the emitters of one module: which runtime names it imports. */
export class EmitContext {
  private readonly values = new Set<string>();
  private readonly types = new Set<string>();

  /** Records a runtime value import and returns its name, for use in emitted text. */
  use(name: string): string {
    this.values.add(name);
    return name;
  }

  /** Records a runtime type import and returns its name. */
  useType(name: string): string {
    this.types.add(name);
    return name;
  }

  /** Named imports, values first then types, each sorted (deterministic). */
  imports(): { readonly name: string; readonly isTypeOnly: boolean }[] {
    const values = [...this.values].sort();
    const types = [...this.types].filter((t) => !this.values.has(t)).sort();
    return [...values.map((name) => ({ name, isTypeOnly: false })), ...types.map((name) => ({ name, isTypeOnly: true }))];
  }
}

/** Every runtime name emitted code may import; generated names avoid them. */
export const RUNTIME_NAMES = [
  'tf', 'WeightReader', 'WeightSource', 'Linear', 'LayerNormWeights', 'RmsNormWeights', 'linear', 'linearFromHf', 'layerNorm', 'rmsNorm',
  'ropeTables', 'learnedPositions', 'zipMultimodalInputs', 'avgPoolGrid', 'mlpProjector', 'affineProjector', 'loadMlpProjectorWeights',
  'loadAffineProjectorWeights', 'MlpProjectorWeights', 'llamaBlock', 'loadLlamaBlockWeights', 'LlamaBlockWeights', 'gpt2Block',
  'loadGpt2BlockWeights', 'Gpt2BlockWeights', 'clipVisionEmbeddings', 'siglipVisionEmbeddings', 'loadClipVisionEmbeddingsWeights',
  'loadSiglipVisionEmbeddingsWeights', 'ClipVisionEmbeddingsWeights', 'SiglipVisionEmbeddingsWeights', 'clipEncoderLayer',
  'siglipEncoderLayer', 'loadVitEncoderLayerWeights', 'VitEncoderLayerWeights', 'whisperConvFront', 'loadWhisperConvFrontWeights',
  'WhisperConvFrontWeights', 'whisperEncoderLayer', 'loadWhisperEncoderLayerWeights', 'WhisperEncoderLayerWeights', 'beatsPatchFront',
  'beatsConvPositions', 'beatsRelativePositionBias', 'beatsEncoderLayer', 'loadBeatsPatchFrontWeights', 'loadBeatsConvPositionsWeights',
  'loadBeatsEncoderLayerWeights', 'BeatsPatchFrontWeights', 'BeatsConvPositionsWeights', 'BeatsEncoderLayerWeights', 'ZipperOutputs',
] as const;

/** Names the generated module itself declares or imports from `support.ts`. */
export const MODULE_NAMES = ['config', 'manifest', 'paddingMask', 'Tensor', 'Dims', 'shaped', 'ForwardOptions'] as const;
