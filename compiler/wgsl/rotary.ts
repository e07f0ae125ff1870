/**
 * Rotary embedding helpers shared by the rope kernel and the matmul epilogue: inverse
 * frequencies computed on the host exactly as Hugging Face does in float32
 * (`1 / theta ** (arange(0, dim, 2) / dim)`) and baked into the shader.
 */
import { f32Literal } from './builder.js';

export function inverseFrequencies(theta: number, rotaryDim: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < rotaryDim / 2; i++) {
    const exponent = Math.fround((2 * i) / rotaryDim);
    out.push(Math.fround(1 / Math.fround(Math.pow(theta, exponent))));
  }
  return out;
}

/** `const NAME = array<f32, n>(...)` of the inverse frequencies. */
export function inverseFrequencyTable(name: string, theta: number, rotaryDim: number): string {
  const values = inverseFrequencies(theta, rotaryDim).map(f32Literal);
  return `const ${name} = array<f32, ${values.length}>(${values.join(', ')});`;
}
