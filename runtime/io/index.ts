/**
 * The runtime's I/O layer: safetensors, seeded initialisation, the zipper and the media
 * front ends. Everything here throws only `IoError` subclasses for bad input.
 */
export { IoError, SafetensorsError, ZipperError, MediaError, InitError } from './errors.js';
export {
  float32ToFloat16Bits,
  float16BitsToFloat32,
  float32ToBfloat16Bits,
  bfloat16BitsToFloat32,
  encodeFloat16,
  decodeFloat16,
  encodeBfloat16,
  decodeBfloat16,
} from './half.js';
export {
  SAFETENSORS_DTYPE_SIZE,
  SAFETENSORS_MAX_HEADER_BYTES,
  readSafetensors,
  readSafetensorsHeader,
  readSafetensorsHeaderLength,
  parseSafetensorsHeader,
  decodeTensorBytes,
  planSafetensors,
  encodeTensorBytes,
  writeSafetensors,
  type SafetensorsDtype,
  type SafetensorsWriteDtype,
  type SafetensorsEntry,
  type SafetensorsHeader,
  type LoadedTensor,
  type SafetensorsContent,
  type TensorToWrite,
  type TensorsToWrite,
  type WriteSafetensorsOptions,
  type PlannedTensor,
  type SafetensorsWritePlan,
} from './safetensors.js';
export {
  openSafetensorsFile,
  readSafetensorsFile,
  writeSafetensorsFile,
  type SafetensorsFileReader,
} from './safetensors-file.js';
export {
  DEFAULT_INIT_STD,
  createRng,
  fillNormal,
  initWeights,
  portableLog,
  type InitKind,
  type InitSpec,
  type InitializedTensor,
  type Rng,
} from './init.js';
export {
  planZipper,
  type ZipperConvention,
  type ZipperLayout,
  type ZipperSenseSpec,
  type ZipperPlanInput,
  type ZipperFill,
  type ZipperTableLayout,
  type ZipperPlan,
} from './zipper-plan.js';
export {
  zipMultimodalInputs,
  type ZipperSenseInput,
  type TextEmbedder,
  type ZipperInputs,
  type ZipperOutputs,
} from './zipper.js';
export {
  toTfTensors,
  loadSafetensorsWeights,
  initTfWeights,
  saveSafetensorsWeights,
  type FloatTensorMap,
} from './weights.js';
export * from './media/index.js';
