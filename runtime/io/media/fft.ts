/**
 * A small mixed-radix FFT in double precision, for the audio front ends: Whisper frames are
 * 400 samples (2⁴·5²), Kaldi frames are padded to a power of two. Decimation in time,
 * recursive over the factors of n, with twiddles taken from one table of cos/sin(2πj/n).
 */

export interface PowerSpectrum {
  readonly size: number;
  /**
   * |X[k]|² for k = 0..size/2 of the real signal `frame` (length `size`), written to `out`
   * (length size/2 + 1).
   */
  power(frame: Float64Array, out: Float64Array): void;
}

/** Prepares the FFT of one size; reuse it for every frame. */
export function createPowerSpectrum(size: number): PowerSpectrum {
  if (!Number.isSafeInteger(size) || size < 1) throw new RangeError(`FFT size ${size}`);
  const factors = factorize(size);
  const cos = new Float64Array(size);
  const sin = new Float64Array(size);
  for (let j = 0; j < size; j++) {
    cos[j] = Math.cos((2 * Math.PI * j) / size);
    sin[j] = -Math.sin((2 * Math.PI * j) / size);
  }
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const zeros = new Float64Array(size);
  const maxFactor = Math.max(1, ...factors);
  const tmpRe = new Float64Array(maxFactor);
  const tmpIm = new Float64Array(maxFactor);

  const transform = (inRe: Float64Array, inIm: Float64Array, inOffset: number, stride: number, outOffset: number, n: number, level: number): void => {
    if (n === 1) {
      re[outOffset] = inRe[inOffset];
      im[outOffset] = inIm[inOffset];
      return;
    }
    const p = factors[level];
    const m = n / p;
    for (let q = 0; q < p; q++) transform(inRe, inIm, inOffset + q * stride, stride * p, outOffset + q * m, m, level + 1);
    const scale = size / n;
    const pStep = size / p;
    for (let k = 0; k < m; k++) {
      // Y_q[k] · W_n^{qk}
      for (let q = 0; q < p; q++) {
        const at = outOffset + q * m + k;
        const t = (q * k * scale) % size;
        tmpRe[q] = re[at] * cos[t] - im[at] * sin[t];
        tmpIm[q] = re[at] * sin[t] + im[at] * cos[t];
      }
      // X[k + m·s] = Σ_q tmp[q] · W_p^{qs}
      for (let s = 0; s < p; s++) {
        let sumRe = 0;
        let sumIm = 0;
        for (let q = 0; q < p; q++) {
          const t = ((q * s) % p) * pStep;
          sumRe += tmpRe[q] * cos[t] - tmpIm[q] * sin[t];
          sumIm += tmpRe[q] * sin[t] + tmpIm[q] * cos[t];
        }
        re[outOffset + k + m * s] = sumRe;
        im[outOffset + k + m * s] = sumIm;
      }
    }
  };

  return {
    size,
    power(frame: Float64Array, out: Float64Array): void {
      transform(frame, zeros, 0, 1, 0, size, 0);
      for (let k = 0; k <= size >> 1; k++) out[k] = re[k] * re[k] + im[k] * im[k];
    },
  };
}

function factorize(n: number): number[] {
  const factors: number[] = [];
  let rest = n;
  for (const p of [4, 2, 3, 5]) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  for (let p = 7; p * p <= rest; p += 2) {
    while (rest % p === 0) {
      factors.push(p);
      rest /= p;
    }
  }
  if (rest > 1) factors.push(rest);
  return factors;
}
