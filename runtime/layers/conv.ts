import { tf } from '../backend/tf.js';

/** A prepared 1-D convolution: `kernel` `[k, in/groups, out]` (tfjs layout), `bias` `[out]`. */
export interface Conv1dWeights {
  readonly kernel: tf.Tensor3D;
  readonly bias: tf.Tensor1D | null;
}

export interface Conv1dOptions {
  readonly stride: number;
  /** Zeros added on BOTH ends of the time axis (torch's `padding=`). */
  readonly padding: number;
  /** Channel groups (torch's `groups=`), default 1. */
  readonly groups?: number;
}

/** From HF/torch `nn.Conv1d` tensors: `weight` `[out, in/groups, k]` (copied to `[k, in/groups, out]`). */
export function conv1dFromHf(weight: tf.Tensor3D, bias: tf.Tensor1D | null = null): Conv1dWeights {
  if (weight.rank !== 3) throw new Error(`conv1dFromHf: weight must be 3-D [out, in/groups, k], got [${weight.shape.join(', ')}]`);
  if (bias !== null && bias.shape[0] !== weight.shape[0]) {
    throw new Error(`conv1dFromHf: bias [${bias.shape.join(', ')}] does not match ${weight.shape[0]} output channels`);
  }
  return { kernel: tf.transpose(weight, [2, 1, 0]), bias };
}

/**
 * torch's `weight_norm` reparametrisation `w = g · v / ‖v‖`, the norm taken over every axis but
 * `dim` (BEATs' `pos_conv` uses dim = 2: one norm per kernel tap). `g` broadcasts like torch's.
 */
export function weightNormFromHf(g: tf.Tensor, v: tf.Tensor3D, dim: number): tf.Tensor3D {
  return tf.tidy(() => {
    const axes = [0, 1, 2].filter((a) => a !== dim);
    const norm = tf.sqrt(tf.sum(tf.square(v), axes, true));
    return tf.mul(v, tf.div(g, norm)) as tf.Tensor3D;
  });
}

/**
 * 1-D convolution over `x` `[B, T, in]` (channels last) → `[B, T', out]`, torch semantics:
 * `T' = floor((T + 2·padding - k) / stride) + 1`. Padding is applied explicitly (tfjs's numeric
 * padding on conv1d would also pad the dummy height axis); groups run as separate convolutions.
 */
export function conv1d(x: tf.Tensor3D, w: Conv1dWeights, o: Conv1dOptions): tf.Tensor3D {
  const groups = o.groups ?? 1;
  const [taps, groupIn, outChannels] = w.kernel.shape;
  const inChannels = x.shape[2];
  if (inChannels !== groupIn * groups || outChannels % groups !== 0) {
    throw new Error(`conv1d: input has ${inChannels} channels but the kernel [${taps}, ${groupIn}, ${outChannels}] with ${groups} group(s) expects ${groupIn * groups}`);
  }
  return tf.tidy(() => {
    const padded = o.padding > 0 ? tf.pad(x, [[0, 0], [o.padding, o.padding], [0, 0]]) : x;
    let out: tf.Tensor3D;
    if (groups === 1) {
      out = tf.conv1d(padded, w.kernel, o.stride, 'valid') as tf.Tensor3D;
    } else {
      const groupOut = outChannels / groups;
      const inputs = tf.split(padded, groups, 2);
      const kernels = tf.split(w.kernel, groups, 2);
      out = tf.concat(inputs.map((input, g) => tf.conv1d(input as tf.Tensor3D, kernels[g] as tf.Tensor3D, o.stride, 'valid') as tf.Tensor3D), 2);
      if (out.shape[2] !== groupOut * groups) throw new Error('conv1d: grouped output width mismatch');
    }
    return w.bias === null ? out : (tf.add(out, w.bias) as tf.Tensor3D);
  });
}
