/** A dense row-major float32 array with its shape (what the media front ends return). */
export interface FeatureTensor {
  readonly data: Float32Array;
  readonly shape: readonly number[];
}
