/**
 * Safetensors files on disk.
 *
 * Reading parses the header first and then reads each tensor with positional reads, so a
 * checkpoint larger than one JS buffer can be opened and loaded tensor by tensor. Writing
 * streams tensor by tensor into a temporary file in the target's directory, syncs it, then
 * renames it over the target: readers never see a half-written file.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { SafetensorsError } from './errors.js';
import {
  decodeTensorBytes,
  encodeTensorBytes,
  parseSafetensorsHeader,
  planSafetensors,
  readSafetensorsHeaderLength,
  type LoadedTensor,
  type SafetensorsContent,
  type SafetensorsHeader,
  type TensorsToWrite,
  type WriteSafetensorsOptions,
} from './safetensors.js';

/** An open safetensors file whose tensors are read on demand. */
export interface SafetensorsFileReader {
  readonly path: string;
  readonly header: SafetensorsHeader;
  /** Reads and decodes one tensor to float32. */
  read(name: string): Promise<LoadedTensor>;
  close(): Promise<void>;
}

/** Largest single positional read (below Node's buffer limits). */
const READ_CHUNK = 1 << 30;
let tempCounter = 0;

/** Opens a safetensors file and validates its header; remember to `close()` it. */
export async function openSafetensorsFile(path: string): Promise<SafetensorsFileReader> {
  const handle = await fileOperation(path, 'open', () => open(path, 'r'));
  try {
    const { size } = await fileOperation(path, 'read', () => handle.stat());
    const prefix = await readExactly(handle, path, 0, Math.min(8, size));
    const headerLength = readSafetensorsHeaderLength(prefix, size);
    const headerBytes = await readExactly(handle, path, 8, headerLength);
    const header = parseSafetensorsHeader(headerBytes, size - 8 - headerLength);
    const byName = new Map(header.entries.map((entry) => [entry.name, entry]));
    return {
      path,
      header,
      async read(name: string): Promise<LoadedTensor> {
        const entry = byName.get(name);
        if (entry === undefined) {
          throw new SafetensorsError(
            'safetensors-missing-tensor',
            `safetensors: \`${path}\` has no tensor \`${name}\``,
            `the file holds ${header.entries.length} tensors; check the name map between checkpoint and model`,
            name,
          );
        }
        const raw = await readExactly(handle, path, header.dataStart + entry.begin, entry.end - entry.begin);
        return { dtype: entry.dtype, shape: entry.shape, data: decodeTensorBytes(entry, raw) };
      },
      close: () => handle.close(),
    };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** Reads a whole safetensors file, decoding every tensor to float32. */
export async function readSafetensorsFile(path: string): Promise<SafetensorsContent> {
  const reader = await openSafetensorsFile(path);
  try {
    const tensors = new Map<string, LoadedTensor>();
    for (const entry of reader.header.entries) tensors.set(entry.name, await reader.read(entry.name));
    return { tensors, metadata: reader.header.metadata };
  } finally {
    await reader.close();
  }
}

/**
 * Writes a safetensors file atomically: a temporary file next to `path`, synced, then
 * renamed onto `path`. Bad tensors are reported before anything touches the disk.
 */
export async function writeSafetensorsFile(
  path: string,
  tensors: TensorsToWrite,
  options: WriteSafetensorsOptions = {},
): Promise<void> {
  const plan = planSafetensors(tensors, options);
  tempCounter += 1;
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${tempCounter}.tmp`);
  const handle = await fileOperation(temp, 'create', () => open(temp, 'wx'));
  try {
    await fileOperation(temp, 'write', async () => {
      await writeAll(handle, plan.headerBytes);
      for (const tensor of plan.tensors) await writeAll(handle, encodeTensorBytes(tensor));
      await handle.datasync();
    });
    await handle.close();
    await fileOperation(path, 'rename onto', () => rename(temp, path));
  } catch (error) {
    await handle.close().catch(() => undefined);
    await unlink(temp).catch(() => undefined);
    throw error;
  }
}

async function writeAll(handle: FileHandle, bytes: Uint8Array): Promise<void> {
  let done = 0;
  while (done < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, done, Math.min(READ_CHUNK, bytes.length - done));
    done += bytesWritten;
  }
}

async function readExactly(handle: FileHandle, path: string, position: number, length: number): Promise<Uint8Array> {
  const out = new Uint8Array(length);
  let done = 0;
  while (done < length) {
    const { bytesRead } = await fileOperation(path, 'read', () =>
      handle.read(out, done, Math.min(READ_CHUNK, length - done), position + done),
    );
    if (bytesRead === 0) {
      throw new SafetensorsError(
        'safetensors-truncated',
        `safetensors: \`${path}\` ended after ${position + done} bytes while ${position + length} were expected`,
        'the file is cut off or changed while being read; write it again',
      );
    }
    done += bytesRead;
  }
  return out;
}

async function fileOperation<T>(path: string, verb: string, operation: () => Promise<T>): Promise<T> {
  try {
    return await operation();
  } catch (error) {
    if (error instanceof SafetensorsError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new SafetensorsError(
      'safetensors-file-error',
      `safetensors: cannot ${verb} \`${path}\`: ${reason}`,
      'check that the path exists, is a file, and that you may read and write its directory',
    );
  }
}
