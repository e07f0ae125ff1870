/**
 * Named host tensors as one binary body plus a JSON index, so the Node side can hand weights and
 * inputs to the page over HTTP without a number-per-element JSON encoding. Used on both sides:
 * no Node built-ins.
 */

export type HostArray = Float32Array | Int32Array;

/** Where one tensor lies in the body: `length` 32-bit elements from byte `offset`. */
export interface PackedTensor {
  readonly name: string;
  readonly dtype: 'f32' | 'i32';
  readonly offset: number;
  readonly length: number;
}

export function packTensors(tensors: Iterable<readonly [string, HostArray]>): { index: PackedTensor[]; body: Uint8Array } {
  const entries = [...tensors];
  const index: PackedTensor[] = [];
  let bytes = 0;
  for (const [name, data] of entries) {
    index.push({ name, dtype: data instanceof Int32Array ? 'i32' : 'f32', offset: bytes, length: data.length });
    bytes += data.length * 4;
  }
  const body = new Uint8Array(bytes);
  entries.forEach(([, data], i) => body.set(new Uint8Array(data.buffer, data.byteOffset, data.length * 4), index[i].offset));
  return { index, body };
}

export function unpackTensors(index: readonly PackedTensor[], body: ArrayBuffer): Map<string, HostArray> {
  const out = new Map<string, HostArray>();
  for (const t of index) {
    if (t.offset + t.length * 4 > body.byteLength) throw new Error(`tensor '${t.name}' runs past the end of the body (${body.byteLength} bytes)`);
    // Offsets are multiples of 4 (every element is 32 bits), so typed views need no copy.
    out.set(t.name, t.dtype === 'i32' ? new Int32Array(body, t.offset, t.length) : new Float32Array(body, t.offset, t.length));
  }
  return out;
}
