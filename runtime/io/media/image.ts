/**
 * Images and video frames → normalised pixel tensors, as Hugging Face's CLIP and SigLIP
 * image processors produce them after resizing: rescale to [0, 1], then (x − mean) / std per
 * channel, laid out [C, H, W] (`pixel_values`). Resizing and cropping are not done here: the
 * input must already have the model's size, and a wrong size is an error saying so.
 */
import { MediaError } from '../errors.js';
import type { FeatureTensor } from './features.js';

/** Interleaved pixels, row-major, RGB or RGBA (alpha is dropped). */
export interface RawImage {
  readonly width: number;
  readonly height: number;
  readonly channels: 3 | 4;
  /** uint8 0..255, or floats already in [0, 1]. */
  readonly data: Uint8Array | Uint8ClampedArray | Float32Array;
}

export interface PixelNormalization {
  readonly mean: readonly [number, number, number];
  readonly std: readonly [number, number, number];
}

/** OpenAI CLIP (also LLaVA's CLIP ViT-L/14). */
export const CLIP_NORMALIZATION: PixelNormalization = {
  mean: [0.48145466, 0.4578275, 0.40821073],
  std: [0.26862954, 0.26130258, 0.27577711],
};

/** SigLIP: maps [0, 1] to [-1, 1]. */
export const SIGLIP_NORMALIZATION: PixelNormalization = { mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5] };

export interface NormalizeImageOptions {
  /** Expected size in pixels (square when a number); a different input size is an error. */
  readonly size?: number | { readonly width: number; readonly height: number };
  /** Output layout: 'chw' (HF pixel_values, default) or 'hwc' (channels-last). */
  readonly layout?: 'chw' | 'hwc';
}

/** One image → [3, H, W] (or [H, W, 3]) float32. */
export function normalizeImage(image: RawImage, normalization: PixelNormalization, options: NormalizeImageOptions = {}): FeatureTensor {
  checkImage(image, options, 'image');
  const data = new Float32Array(3 * image.width * image.height);
  writeNormalized(image, normalization, options.layout ?? 'chw', data, 0);
  const shape = (options.layout ?? 'chw') === 'chw' ? [3, image.height, image.width] : [image.height, image.width, 3];
  return { data, shape };
}

/**
 * Video frames → [T, 3, H, W] (or [T, H, W, 3]); `frames` demands an exact frame count
 * (the spec's `video(frames: F)`). All frames must share one size.
 */
export function normalizeVideoFrames(
  frames: readonly RawImage[],
  normalization: PixelNormalization,
  options: NormalizeImageOptions & { readonly frames?: number } = {},
): FeatureTensor {
  if (options.frames !== undefined && frames.length !== options.frames) {
    throw new MediaError('video-frame-count', `video: ${frames.length} frames given but the model takes ${options.frames}`,
      `sample exactly ${options.frames} frames from the clip (e.g. evenly spaced)`);
  }
  if (frames.length === 0) {
    throw new MediaError('video-frame-count', 'video: no frames given', 'pass at least one frame');
  }
  const first = frames[0];
  const size = options.size ?? { width: first.width, height: first.height };
  const per = 3 * first.width * first.height;
  const data = new Float32Array(frames.length * per);
  const layout = options.layout ?? 'chw';
  frames.forEach((frame, t) => {
    checkImage(frame, { ...options, size }, `video frame ${t}`);
    writeNormalized(frame, normalization, layout, data, t * per);
  });
  const shape = layout === 'chw' ? [frames.length, 3, first.height, first.width] : [frames.length, first.height, first.width, 3];
  return { data, shape };
}

function writeNormalized(image: RawImage, normalization: PixelNormalization, layout: 'chw' | 'hwc', out: Float32Array, offset: number): void {
  const { width, height, channels, data } = image;
  const scale = data instanceof Float32Array ? 1 : 1 / 255;
  const plane = width * height;
  for (let c = 0; c < 3; c++) {
    // float32 at each step, as HF's processors do (rescale in float64 then cast; normalise in float32).
    const mean = Math.fround(normalization.mean[c]);
    const std = Math.fround(normalization.std[c]);
    for (let i = 0; i < plane; i++) {
      const value = Math.fround(Math.fround(data[i * channels + c] * scale) - mean) / std;
      out[offset + (layout === 'chw' ? c * plane + i : i * 3 + c)] = value;
    }
  }
}

function checkImage(image: RawImage, options: NormalizeImageOptions, what: string): void {
  const { width, height, channels, data } = image;
  if (!Number.isSafeInteger(width) || !Number.isSafeInteger(height) || width < 1 || height < 1) {
    throw new MediaError('image-bad-size', `${what}: size ${width}×${height} is not a positive integer size`,
      'give width and height in pixels');
  }
  if (channels !== 3 && channels !== 4) {
    throw new MediaError('image-channels', `${what}: ${String(channels)} channels; RGB (3) or RGBA (4) are supported`,
      'convert grayscale or other formats to RGB first');
  }
  if (data.length !== width * height * channels) {
    throw new MediaError('image-bad-size', `${what}: ${data.length} values for ${width}×${height}×${channels} (${width * height * channels} expected)`,
      'pass interleaved row-major pixels (RGBRGB… or RGBARGBA…)');
  }
  if (options.size !== undefined) {
    const want = typeof options.size === 'number' ? { width: options.size, height: options.size } : options.size;
    if (want.width !== width || want.height !== height) {
      throw new MediaError('image-wrong-size', `${what}: ${width}×${height} pixels but the model takes ${want.width}×${want.height}`,
        `resize (and centre-crop) to ${want.width}×${want.height} first, as the model's image processor does; mimo does not resize`);
    }
  }
  if (options.layout !== undefined && options.layout !== 'chw' && options.layout !== 'hwc') {
    throw new MediaError('image-bad-layout', `${what}: unknown layout ${JSON.stringify(options.layout)}`, "use 'chw' or 'hwc'");
  }
}
