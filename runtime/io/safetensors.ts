/**
 * Safetensors reading and writing, in memory.
 *
 * Layout (huggingface/safetensors): an unsigned 64-bit little-endian header length N,
 * N bytes of UTF-8 JSON (`{"name": {"dtype", "shape", "data_offsets": [begin, end]},
 * "__metadata__": {string: string}}`, padded with spaces), then the data buffer. Offsets
 * are relative to the start of the data buffer, which the tensors must cover exactly:
 * no overlaps, no gaps, no trailing bytes — the rules the reference implementation enforces,
 * so a file we accept is one Hugging Face accepts and vice versa.
 *
 * Every problem is a `SafetensorsError` naming the tensor; reads decode to float32.
 * Writes are deterministic: tensors sorted by name, keys in a fixed order, header padded to
 * a multiple of 8 bytes.
 */
import { SafetensorsError } from './errors.js';
import { decodeBfloat16, decodeFloat16, encodeBfloat16, encodeFloat16 } from './half.js';

/** Element types a safetensors file may hold that this reader understands. */
export type SafetensorsDtype =
  | 'F64' | 'F32' | 'F16' | 'BF16'
  | 'I64' | 'I32' | 'I16' | 'I8'
  | 'U64' | 'U32' | 'U16' | 'U8' | 'BOOL';

/** Element types this writer produces (from float32 data). */
export type SafetensorsWriteDtype = 'F32' | 'F16' | 'BF16';

/** Bytes per element of each readable dtype. */
export const SAFETENSORS_DTYPE_SIZE: Readonly<Record<SafetensorsDtype, number>> = {
  F64: 8, F32: 4, F16: 2, BF16: 2,
  I64: 8, I32: 4, I16: 2, I8: 1,
  U64: 8, U32: 4, U16: 2, U8: 1, BOOL: 1,
};

/** Headers larger than this are refused, as the reference implementation does. */
export const SAFETENSORS_MAX_HEADER_BYTES = 100_000_000;

/** One tensor as described by the header. */
export interface SafetensorsEntry {
  readonly name: string;
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  /** Byte range inside the data buffer (relative to `dataStart`). */
  readonly begin: number;
  readonly end: number;
}

/** A parsed, validated header. */
export interface SafetensorsHeader {
  readonly metadata: ReadonlyMap<string, string>;
  /** Entries sorted by name. */
  readonly entries: readonly SafetensorsEntry[];
  /** Absolute byte position of the data buffer (8 + header length). */
  readonly dataStart: number;
  /** Length in bytes of the data buffer. */
  readonly dataLength: number;
}

/** A tensor read from a file, decoded to float32. */
export interface LoadedTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
}

/** The whole content of a safetensors file. */
export interface SafetensorsContent {
  readonly tensors: ReadonlyMap<string, LoadedTensor>;
  readonly metadata: ReadonlyMap<string, string>;
}

/** A float32 tensor to write; `dtype` overrides the file-wide choice for this tensor. */
export interface TensorToWrite {
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly dtype?: SafetensorsWriteDtype;
}

export type TensorsToWrite = ReadonlyMap<string, TensorToWrite> | Readonly<Record<string, TensorToWrite>>;

export interface WriteSafetensorsOptions {
  /** Default element type of the written tensors (F32 unless given). */
  readonly dtype?: SafetensorsWriteDtype;
  /** The `__metadata__` string map. */
  readonly metadata?: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
}

const METADATA_KEY = '__metadata__';
const HOST_IS_LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/**
 * Reads the 8-byte length prefix. `totalLength` is the size of the whole file, so a header
 * that runs past the end is reported here.
 */
export function readSafetensorsHeaderLength(prefix: Uint8Array, totalLength: number): number {
  if (prefix.length < 8 || totalLength < 8) {
    throw new SafetensorsError(
      'safetensors-truncated',
      `safetensors: the file is ${Math.min(prefix.length, totalLength)} bytes long; it must start with an 8-byte header length`,
      'the file is empty or cut off; write it again or check the download finished',
    );
  }
  const view = new DataView(prefix.buffer, prefix.byteOffset, 8);
  const low = view.getUint32(0, true);
  const high = view.getUint32(4, true);
  const length = high * 2 ** 32 + low;
  if (length > SAFETENSORS_MAX_HEADER_BYTES) {
    throw new SafetensorsError(
      'safetensors-header-too-large',
      `safetensors: the header length prefix says ${length} bytes, more than the ${SAFETENSORS_MAX_HEADER_BYTES}-byte limit`,
      'this is not a safetensors file, or its first 8 bytes are damaged',
    );
  }
  if (8 + length > totalLength) {
    throw new SafetensorsError(
      'safetensors-truncated',
      `safetensors: the header is ${length} bytes but only ${totalLength - 8} bytes follow the length prefix`,
      'the file is cut off or not a safetensors file; write it again or check the download finished',
    );
  }
  return length;
}

/**
 * Parses and validates the JSON header. `headerBytes` are the N bytes after the prefix;
 * `dataLength` is the number of bytes after the header.
 */
export function parseSafetensorsHeader(headerBytes: Uint8Array, dataLength: number): SafetensorsHeader {
  const json = decodeHeaderText(headerBytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new SafetensorsError(
      'safetensors-header-not-json',
      `safetensors: the header is not valid JSON (${(error as Error).message})`,
      'the header is damaged; write the file again with a safetensors writer',
    );
  }
  if (!isPlainObject(parsed)) {
    throw new SafetensorsError(
      'safetensors-header-not-object',
      `safetensors: the header must be a JSON object, found ${describeJson(parsed)}`,
      'the header is damaged; write the file again with a safetensors writer',
    );
  }
  let metadata: ReadonlyMap<string, string> = new Map();
  const entries: SafetensorsEntry[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === METADATA_KEY) metadata = parseMetadata(value);
    else entries.push(parseEntry(name, value));
  }
  checkCoverage(entries, dataLength);
  entries.sort((a, b) => compareNames(a.name, b.name));
  return { metadata, entries, dataStart: 8 + headerBytes.length, dataLength };
}

/** Parses the header of an in-memory file. */
export function readSafetensorsHeader(bytes: Uint8Array): SafetensorsHeader {
  const headerLength = readSafetensorsHeaderLength(bytes, bytes.length);
  return parseSafetensorsHeader(bytes.subarray(8, 8 + headerLength), bytes.length - 8 - headerLength);
}

/** Reads a whole in-memory safetensors file, decoding every tensor to float32. */
export function readSafetensors(bytes: Uint8Array): SafetensorsContent {
  const header = readSafetensorsHeader(bytes);
  const tensors = new Map<string, LoadedTensor>();
  for (const entry of header.entries) {
    const raw = bytes.subarray(header.dataStart + entry.begin, header.dataStart + entry.end);
    tensors.set(entry.name, { dtype: entry.dtype, shape: entry.shape, data: decodeTensorBytes(entry, raw) });
  }
  return { tensors, metadata: header.metadata };
}

/** Decodes one tensor's bytes (exactly `entry.end - entry.begin` of them) to float32. */
export function decodeTensorBytes(entry: SafetensorsEntry, raw: Uint8Array): Float32Array {
  const expected = entry.end - entry.begin;
  if (raw.length !== expected) {
    throw new SafetensorsError(
      'safetensors-truncated',
      `safetensors: tensor \`${entry.name}\` needs ${expected} bytes but ${raw.length} could be read`,
      'the file is cut off; write it again or check the download finished',
      entry.name,
    );
  }
  const size = SAFETENSORS_DTYPE_SIZE[entry.dtype];
  // A copy gives an aligned buffer that the caller owns; swap to host order if needed.
  const copy = raw.slice();
  if (!HOST_IS_LITTLE_ENDIAN && size > 1) swapBytes(copy, size);
  const buffer = copy.buffer;
  switch (entry.dtype) {
    case 'F32': return new Float32Array(buffer);
    case 'F16': return decodeFloat16(new Uint16Array(buffer));
    case 'BF16': return decodeBfloat16(new Uint16Array(buffer));
    case 'F64': return Float32Array.from(new Float64Array(buffer));
    case 'I32': return Float32Array.from(new Int32Array(buffer));
    case 'I16': return Float32Array.from(new Int16Array(buffer));
    case 'I8': return Float32Array.from(new Int8Array(buffer));
    case 'U32': return Float32Array.from(new Uint32Array(buffer));
    case 'U16': return Float32Array.from(new Uint16Array(buffer));
    case 'U8': return Float32Array.from(copy);
    case 'BOOL': return Float32Array.from(copy, (b) => (b === 0 ? 0 : 1));
    case 'I64': return Float32Array.from(new BigInt64Array(buffer), (b) => Number(b));
    case 'U64': return Float32Array.from(new BigUint64Array(buffer), (b) => Number(b));
  }
}

/** A tensor ready to be written: validated, with its final dtype and byte length. */
export interface PlannedTensor {
  readonly name: string;
  readonly dtype: SafetensorsWriteDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array;
  readonly begin: number;
  readonly end: number;
}

/** The header bytes (prefix + padded JSON) and the tensors in file order. */
export interface SafetensorsWritePlan {
  readonly headerBytes: Uint8Array;
  readonly tensors: readonly PlannedTensor[];
  readonly totalBytes: number;
}

/** Validates tensors and lays out a file without encoding the data (used by streaming writers). */
export function planSafetensors(tensors: TensorsToWrite, options: WriteSafetensorsOptions = {}): SafetensorsWritePlan {
  const defaultDtype = options.dtype ?? 'F32';
  checkWriteDtype(defaultDtype, undefined);
  const named: [string, TensorToWrite][] = tensors instanceof Map
    ? [...(tensors as ReadonlyMap<string, TensorToWrite>).entries()]
    : Object.entries(tensors as Readonly<Record<string, TensorToWrite>>);
  named.sort((a, b) => compareNames(a[0], b[0]));
  const planned: PlannedTensor[] = [];
  let offset = 0;
  for (const [name, tensor] of named) {
    if (name === METADATA_KEY) {
      throw new SafetensorsError(
        'safetensors-reserved-name',
        `safetensors: \`${METADATA_KEY}\` cannot be a tensor name`,
        'rename the tensor; that key holds the metadata map',
        name,
      );
    }
    const dtype = tensor.dtype ?? defaultDtype;
    checkWriteDtype(dtype, name);
    if (!(tensor.data instanceof Float32Array)) {
      throw new SafetensorsError(
        'safetensors-bad-data',
        `safetensors: tensor \`${name}\` must hold a Float32Array`,
        'convert the values with Float32Array.from(...) before writing',
        name,
      );
    }
    const count = checkShape(name, tensor.shape);
    if (count !== tensor.data.length) {
      throw new SafetensorsError(
        'safetensors-shape-mismatch',
        `safetensors: tensor \`${name}\` has shape [${tensor.shape.join(', ')}] (${count} elements) but ${tensor.data.length} values`,
        'make the shape match the data, or reshape the data before writing',
        name,
      );
    }
    const bytes = count * SAFETENSORS_DTYPE_SIZE[dtype];
    planned.push({ name, dtype, shape: [...tensor.shape], data: tensor.data, begin: offset, end: offset + bytes });
    offset += bytes;
  }
  // Built by hand: a JS object would move integer-like names ("10") ahead of the rest.
  const members: string[] = [];
  const metadata = sortedMetadata(options.metadata);
  if (metadata !== undefined) {
    const pairs = metadata.map(([key, value]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`);
    members.push(`${JSON.stringify(METADATA_KEY)}:{${pairs.join(',')}}`);
  }
  for (const t of planned) {
    const info = `{"dtype":"${t.dtype}","shape":[${t.shape.join(',')}],"data_offsets":[${t.begin},${t.end}]}`;
    members.push(`${JSON.stringify(t.name)}:${info}`);
  }
  const json = new TextEncoder().encode(`{${members.join(',')}}`);
  const padded = Math.ceil(json.length / 8) * 8;
  const headerBytes = new Uint8Array(8 + padded).fill(0x20, 8 + json.length);
  const view = new DataView(headerBytes.buffer);
  view.setUint32(0, padded % 2 ** 32, true);
  view.setUint32(4, Math.floor(padded / 2 ** 32), true);
  headerBytes.set(json, 8);
  return { headerBytes, tensors: planned, totalBytes: headerBytes.length + offset };
}

/** Encodes one planned tensor to its little-endian bytes. */
export function encodeTensorBytes(tensor: PlannedTensor): Uint8Array {
  let bytes: Uint8Array;
  let size: number;
  if (tensor.dtype === 'F32') {
    bytes = new Uint8Array(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength).slice();
    size = 4;
  } else {
    const half = tensor.dtype === 'F16' ? encodeFloat16(tensor.data) : encodeBfloat16(tensor.data);
    bytes = new Uint8Array(half.buffer);
    size = 2;
  }
  if (!HOST_IS_LITTLE_ENDIAN) swapBytes(bytes, size);
  return bytes;
}

/** Writes tensors (and metadata) to an in-memory safetensors file. */
export function writeSafetensors(tensors: TensorsToWrite, options: WriteSafetensorsOptions = {}): Uint8Array {
  const plan = planSafetensors(tensors, options);
  const out = new Uint8Array(plan.totalBytes);
  out.set(plan.headerBytes, 0);
  for (const t of plan.tensors) out.set(encodeTensorBytes(t), plan.headerBytes.length + t.begin);
  return out;
}

function decodeHeaderText(headerBytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(headerBytes);
  } catch {
    throw new SafetensorsError(
      'safetensors-header-not-utf8',
      'safetensors: the header is not valid UTF-8',
      'this is not a safetensors file, or its header is damaged',
    );
  }
  if (!text.startsWith('{')) {
    throw new SafetensorsError(
      'safetensors-header-not-object',
      `safetensors: the header must start with \`{\`, found ${JSON.stringify(text.slice(0, 16))}`,
      'this is not a safetensors file, or its header is damaged',
    );
  }
  return text;
}

function parseMetadata(value: unknown): ReadonlyMap<string, string> {
  if (!isPlainObject(value)) {
    throw new SafetensorsError(
      'safetensors-bad-metadata',
      `safetensors: \`${METADATA_KEY}\` must be an object of strings, found ${describeJson(value)}`,
      'metadata values must be strings; write numbers as text',
    );
  }
  const metadata = new Map<string, string>();
  for (const key of Object.keys(value).sort(compareNames)) {
    const item = value[key];
    if (typeof item !== 'string') {
      throw new SafetensorsError(
        'safetensors-bad-metadata',
        `safetensors: metadata \`${key}\` must be a string, found ${describeJson(item)}`,
        'metadata values must be strings; write numbers as text',
      );
    }
    metadata.set(key, item);
  }
  return metadata;
}

function parseEntry(name: string, value: unknown): SafetensorsEntry {
  const fail = (code: string, what: string, help: string): never => {
    throw new SafetensorsError(code, `safetensors: tensor \`${name}\` ${what}`, help, name);
  };
  if (!isPlainObject(value)) {
    return fail('safetensors-bad-entry', `must be described by an object, found ${describeJson(value)}`,
      'each tensor needs {"dtype", "shape", "data_offsets"}');
  }
  for (const key of Object.keys(value)) {
    if (key !== 'dtype' && key !== 'shape' && key !== 'data_offsets') {
      fail('safetensors-bad-entry', `has an unknown field \`${key}\``,
        'a tensor entry holds only "dtype", "shape" and "data_offsets"');
    }
  }
  const dtype = value.dtype;
  if (typeof dtype !== 'string' || !Object.hasOwn(SAFETENSORS_DTYPE_SIZE, dtype)) {
    fail('safetensors-bad-dtype', `has dtype ${describeJson(dtype)}, which this reader does not support`,
      `supported dtypes: ${Object.keys(SAFETENSORS_DTYPE_SIZE).join(', ')}; convert the checkpoint to one of them`);
  }
  const shape = value.shape;
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    fail('safetensors-bad-shape', `has shape ${describeJson(shape)}; a shape is a list of non-negative integers`,
      'the header is damaged; write the file again');
  }
  const offsets = value.data_offsets;
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[0] > offsets[1]) {
    fail('safetensors-bad-offsets', `has data_offsets ${describeJson(offsets)}; expected [begin, end] with begin <= end`,
      'the header is damaged; write the file again');
  }
  const typedDtype = dtype as SafetensorsDtype;
  const typedShape = shape as number[];
  const [begin, end] = offsets as [number, number];
  const count = checkShape(name, typedShape);
  const bytes = count * SAFETENSORS_DTYPE_SIZE[typedDtype];
  if (!Number.isSafeInteger(bytes) || bytes !== end - begin) {
    fail('safetensors-size-mismatch',
      `has shape [${typedShape.join(', ')}] of ${typedDtype} (${bytes} bytes) but data_offsets [${begin}, ${end}] span ${end - begin} bytes`,
      'the header is damaged; write the file again');
  }
  return { name, dtype: typedDtype, shape: typedShape, begin, end };
}

function checkCoverage(entries: readonly SafetensorsEntry[], dataLength: number): void {
  const byOffset = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end || compareNames(a.name, b.name));
  let covered = 0;
  let previous: SafetensorsEntry | undefined;
  for (const entry of byOffset) {
    if (entry.end > dataLength) {
      throw new SafetensorsError(
        'safetensors-truncated',
        `safetensors: tensor \`${entry.name}\` ends at data byte ${entry.end} but the file holds only ${dataLength} bytes of data`,
        'the file is cut off; write it again or check the download finished',
        entry.name,
      );
    }
    if (entry.begin < covered && previous !== undefined) {
      throw new SafetensorsError(
        'safetensors-overlap',
        `safetensors: tensor \`${entry.name}\` (bytes ${entry.begin}..${entry.end}) overlaps tensor \`${previous.name}\` (bytes ${previous.begin}..${previous.end})`,
        'each tensor needs its own byte range; write the file again',
        entry.name,
      );
    }
    if (entry.begin > covered) {
      throw new SafetensorsError(
        'safetensors-gap',
        `safetensors: data bytes ${covered}..${entry.begin} before tensor \`${entry.name}\` belong to no tensor`,
        'safetensors files may not hide unindexed bytes; write the file again',
        entry.name,
      );
    }
    covered = entry.end;
    if (entry.end > entry.begin) previous = entry;
  }
  if (covered !== dataLength) {
    throw new SafetensorsError(
      'safetensors-trailing-bytes',
      `safetensors: the data buffer has ${dataLength} bytes but the tensors cover only ${covered}`,
      'the file has unindexed bytes at its end; write the file again',
    );
  }
}

function checkShape(name: string, shape: readonly number[]): number {
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw new SafetensorsError(
      'safetensors-bad-shape',
      `safetensors: tensor \`${name}\` has shape ${describeJson(shape)}; a shape is a list of non-negative integers`,
      'give every dimension as a non-negative integer',
      name,
    );
  }
  let count = 1;
  for (const dim of shape) {
    count *= dim;
    if (!Number.isSafeInteger(count)) {
      throw new SafetensorsError(
        'safetensors-bad-shape',
        `safetensors: tensor \`${name}\` has shape [${shape.join(', ')}], too many elements to address`,
        'the header is damaged or the tensor is impossibly large',
        name,
      );
    }
  }
  return count;
}

function checkWriteDtype(dtype: string, name: string | undefined): void {
  if (dtype !== 'F32' && dtype !== 'F16' && dtype !== 'BF16') {
    throw new SafetensorsError(
      'safetensors-bad-dtype',
      `safetensors: cannot write${name === undefined ? '' : ` tensor \`${name}\` as`} dtype ${JSON.stringify(dtype)}`,
      'write F32, F16 or BF16',
      name,
    );
  }
}

function sortedMetadata(
  metadata: ReadonlyMap<string, string> | Readonly<Record<string, string>> | undefined,
): [string, string][] | undefined {
  if (metadata === undefined) return undefined;
  const pairs: [string, unknown][] = metadata instanceof Map ? [...metadata.entries()] : Object.entries(metadata);
  pairs.sort((a, b) => compareNames(a[0], b[0]));
  for (const [key, value] of pairs) {
    if (typeof value !== 'string') {
      throw new SafetensorsError(
        'safetensors-bad-metadata',
        `safetensors: metadata \`${key}\` must be a string, found ${describeJson(value)}`,
        'metadata values must be strings; write numbers as text',
      );
    }
  }
  return pairs as [string, string][];
}

function swapBytes(bytes: Uint8Array, size: number): void {
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a];
      bytes[a] = bytes[b];
      bytes[b] = t;
    }
  }
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isIndex(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Sorts by UTF-16 code units, independent of locale. */
function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function describeJson(value: unknown): string {
  if (value === undefined) return 'nothing';
  let text: string;
  try {
    text = JSON.stringify(value) ?? String(value);
  } catch {
    text = typeof value;
  }
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
