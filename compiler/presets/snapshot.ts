/**
 * A committed snapshot of the parsed preset files (`presets.snapshot.json`), so that a run does not
 * load and run a YAML parser (~150 ms of CPU at start-up) to read six small files. The YAML files
 * stay the source of truth: each snapshot entry records the text it was made from, and a file
 * whose text no longer matches exactly is parsed from YAML as before, so editing a preset never
 * needs the snapshot. Changing what `parsePresetFile` returns does:
 * test/cli/startup-preset-snapshot-is-fresh.test.ts fails until the snapshot equals a fresh parse
 * (`UPDATE_GOLDEN=1 npx vitest run test/cli/startup-preset-snapshot-is-fresh.test.ts` rewrites it).
 *
 * The encoding is JSON with three additions, so that decoding gives back exactly what the parser
 * returned: `{"$map": [[key, value], ...]}` for a Map, `{"$undefined": true}` for a property that
 * is present but undefined, `{"$number": "-0"}` for negative zero.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Diagnostic } from '../diagnostics/types.js';
import type { PresetFamily } from './index.js';

/** What parsing one preset file gives. */
export interface ParsedPresetFile {
  readonly family: PresetFamily | undefined;
  readonly diagnostics: readonly Diagnostic[];
}

interface SnapshotEntry {
  /** The YAML text the entry was made from (compared whole: exact, and cheaper than hashing). */
  readonly text: string;
  readonly parsed: unknown;
}

interface SnapshotFile {
  readonly format: 'mimo-presets-snapshot';
  readonly version: 1;
  /** By display path (`mimo:presets/llama.yaml`), the file name the spans carry. */
  readonly files: Readonly<Record<string, SnapshotEntry>>;
}

export const SNAPSHOT_FILE = 'presets.snapshot.json';

/** Reads the snapshot in `directory`; undefined when it is missing or not a snapshot. */
export function readSnapshot(directory: string): ReadonlyMap<string, SnapshotEntry> | undefined {
  const path = join(directory, SNAPSHOT_FILE);
  if (!existsSync(path)) return undefined;
  try {
    const parsed: unknown = JSON.parse(readFileSync(path, 'utf8'));
    if (!isSnapshotFile(parsed)) return undefined;
    return new Map(Object.entries(parsed.files));
  } catch {
    return undefined;
  }
}

/** The parse of `text` recorded in the snapshot, if the snapshot was made from exactly this text. */
export function snapshotParse(snapshot: ReadonlyMap<string, SnapshotEntry> | undefined, display: string, text: string): ParsedPresetFile | undefined {
  const entry = snapshot?.get(display);
  if (entry === undefined || entry.text !== text) return undefined;
  return decode(entry.parsed) as ParsedPresetFile;
}

/** The snapshot's JSON text for these parsed files (display path → text and parse), in path order. */
export function snapshotText(files: ReadonlyMap<string, { readonly text: string; readonly parsed: ParsedPresetFile }>): string {
  const entries: Record<string, SnapshotEntry> = {};
  for (const name of [...files.keys()].sort()) {
    const file = files.get(name)!;
    entries[name] = { text: file.text, parsed: encode(file.parsed) };
  }
  const snapshot: SnapshotFile = { format: 'mimo-presets-snapshot', version: 1, files: entries };
  return `${JSON.stringify(snapshot)}\n`;
}

function isSnapshotFile(value: unknown): value is SnapshotFile {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<SnapshotFile>;
  return v.format === 'mimo-presets-snapshot' && v.version === 1 && typeof v.files === 'object' && v.files !== null;
}

function encode(value: unknown): unknown {
  if (value === undefined) return { $undefined: true };
  if (typeof value === 'number') return Object.is(value, -0) ? { $number: '-0' } : value;
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Map) return { $map: [...value].map(([k, v]) => [encode(k), encode(v)]) };
  if (Array.isArray(value)) return value.map(encode);
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = encode(v);
  return out;
}

function decode(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(decode);
  const record = value as Record<string, unknown>;
  if (record.$undefined === true) return undefined;
  if (record.$number === '-0') return -0;
  if (Array.isArray(record.$map)) return new Map((record.$map as [unknown, unknown][]).map(([k, v]) => [decode(k), decode(v)]));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(record)) out[key] = decode(v);
  return out;
}
