/** The graph IR stage: build, verify, print/parse, manifest, and the dim algebra. See README.md. */
export * from './types.js';
export { buildGraph, graphSymbols, senseInputSpec, type BuildGraphOptions, type IrResult, type SenseInputSpec } from './buildGraph.js';
export { verifyGraph, type InvariantViolation } from './verify.js';
export { invariants, type Invariant } from './invariants/index.js';
export { printGraph, formatNode, formatWeight } from './print.js';
export { parseGraph, IrParseError } from './parse.js';
export { weightManifest, parametersByComponent, type ManifestEntry, type WeightManifest } from './manifest.js';
export { opSchemas, inferNodeType, IrTypeError, type OpSchema, type TensorType, type InferContext } from './ops/index.js';
export {
  broadcastShapes,
  canonicalDim,
  dimsEqual,
  divDim,
  evalDim,
  evalShape,
  formatShape,
  mulDims,
  numElements,
  shapesEqual,
  symbolsOf,
} from './dims.js';
export { projectorWidths } from './families/projector.js';
export { MASK_NEGATIVE } from './families/decoder.js';
export { whisperMelFrames, whisperTokens } from './families/whisper.js';
export { beatsFbankFrames } from './families/beats.js';
export { DECODER_ROOT, decoderBody, decoderLayerPrefix, encoderLayerPrefix, projectorLinearNames, projectorRoot, towerRoot } from './names.js';
