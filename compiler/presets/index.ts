/**
 * Presets are data: one YAML file per family in this folder (`clip_vit.yaml`, `llama.yaml`, ...),
 * each entry a published configuration with its source. The loader turns every value into a
 * resolved value whose span points into the YAML file, so a checker error caused by a preset value
 * shows the preset line. The files are found at run time from the package root (the nearest
 * `package.json` named "mimo" above this module), so this works from the sources and from `dist/`.
 *
 * Parsed files come from `presets.snapshot.json` when its entry was made from the same text
 * (snapshot.ts); the YAML parser is loaded only for a file that changed since.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Node as YamlNode, Pair, Scalar, YAMLMap } from 'yaml';
import { createDiagnostic } from '../diagnostics/create.js';
import { resolveDiagnostics } from '../diagnostics/catalog/resolve.js';
import type { Diagnostic, Span } from '../diagnostics/types.js';
import { LineIndex } from '../../grammar/index.js';
import { PRESET_FILE_PREFIX, type FieldMap, type ResolvedField, type ResolvedValue } from '../resolve/tree.js';
import { readSnapshot, snapshotParse, snapshotText, type ParsedPresetFile } from './snapshot.js';

export interface Preset {
  readonly name: string;
  /** The published source the values come from. */
  readonly source: string;
  /** The preset's name in its YAML file. */
  readonly span: Span;
  readonly fields: FieldMap;
}

export interface PresetFamily {
  readonly family: string;
  /** Display path of the YAML file (`mimo:presets/clip_vit.yaml`). */
  readonly file: string;
  readonly presets: ReadonlyMap<string, Preset>;
}

export interface PresetCatalog {
  readonly families: ReadonlyMap<string, PresetFamily>;
  /** YAML texts by display path, so renderers can show preset lines. */
  readonly sources: ReadonlyMap<string, string>;
  /** Problems with the preset files themselves (a bug in mimo's data, not in the user's spec). */
  readonly diagnostics: readonly Diagnostic[];
}

/** The folder that holds the preset YAML files, found from the package root. */
export function presetDirectory(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest)) {
      try {
        const parsed: unknown = JSON.parse(readFileSync(manifest, 'utf8'));
        if (typeof parsed === 'object' && parsed !== null && (parsed as { name?: unknown }).name === 'mimo') {
          return join(dir, 'compiler', 'presets');
        }
      } catch {
        // An unreadable package.json is not ours; keep walking up.
      }
    }
    const parent = dirname(dir);
    if (parent === dir) throw new Error('cannot find the mimo package root (a package.json named "mimo") above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
}

const cache = new Map<string, PresetCatalog>();

/** The preset files in `directory`: display path, file name and text, in name order. */
function presetFiles(directory: string): { display: string; name: string; text: string }[] {
  const names = readdirSync(directory).filter((name) => name.endsWith('.yaml')).sort();
  return names.map((name) => ({ display: PRESET_FILE_PREFIX + name, name, text: readFileSync(join(directory, name), 'utf8') }));
}

/** Loads (once per directory) every `*.yaml` preset file. */
export function loadPresetCatalog(directory: string = presetDirectory()): PresetCatalog {
  const cached = cache.get(directory);
  if (cached !== undefined) return cached;
  const families = new Map<string, PresetFamily>();
  const sources = new Map<string, string>();
  const diagnostics: Diagnostic[] = [];
  const snapshot = readSnapshot(directory);
  for (const { display, text } of presetFiles(directory)) {
    sources.set(display, text);
    const parsed = snapshotParse(snapshot, display, text) ?? parsePresetFile(display, text);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.family === undefined) continue;
    if (families.has(parsed.family.family)) {
      diagnostics.push(invalid(display, new LineIndex(display, text).span(0), `family \`${parsed.family.family}\` is defined by another file too`));
      continue;
    }
    families.set(parsed.family.family, parsed.family);
  }
  const catalog: PresetCatalog = { families, sources, diagnostics };
  cache.set(directory, catalog);
  return catalog;
}

/** The text `presets.snapshot.json` should have: every preset file in `directory` parsed from YAML. */
export function freshPresetSnapshot(directory: string = presetDirectory()): string {
  const files = new Map<string, { text: string; parsed: ParsedPresetFile }>();
  for (const { display, text } of presetFiles(directory)) files.set(display, { text, parsed: parsePresetFile(display, text) });
  return snapshotText(files);
}

type Yaml = typeof import('yaml');
let yamlModule: Yaml | undefined;

/** The YAML library, loaded on first use (synchronously: it is CommonJS under Node). */
function yaml(): Yaml {
  yamlModule ??= createRequire(import.meta.url)('yaml') as Yaml;
  return yamlModule;
}

/** Parses one preset file's text. Exported for tests of the file format. */
export function parsePresetFile(display: string, text: string): { family: PresetFamily | undefined; diagnostics: Diagnostic[] } {
  const { isMap, isScalar, parseDocument } = yaml();
  const lines = new LineIndex(display, text);
  const diagnostics: Diagnostic[] = [];
  const document = parseDocument(text, { prettyErrors: false });
  if (document.errors.length > 0) {
    const error = document.errors[0];
    return { family: undefined, diagnostics: [invalid(display, lines.span(error.pos[0], error.pos[1]), error.message)] };
  }
  const root = document.contents;
  const spanOf = (node: YamlNode | null | undefined): Span =>
    node?.range ? lines.span(node.range[0], node.range[1]) : lines.span(0);
  if (!isMap(root)) return { family: undefined, diagnostics: [invalid(display, spanOf(root), 'the top level must be a mapping with `family` and `presets`')] };
  const family = root.get('family');
  const presetsNode = root.get('presets', true);
  if (typeof family !== 'string' || !isMap(presetsNode)) {
    return { family: undefined, diagnostics: [invalid(display, spanOf(root), 'the top level needs `family: NAME` and a `presets:` mapping')] };
  }
  const presets = new Map<string, Preset>();
  for (const pair of (presetsNode as YAMLMap).items as Pair[]) {
    const key = pair.key;
    if (!isScalar(key) || typeof key.value !== 'string' || !isMap(pair.value)) {
      diagnostics.push(invalid(display, spanOf(key as YamlNode), 'each preset must be `NAME:` followed by a mapping of fields'));
      continue;
    }
    const source = pair.value.get('source');
    if (typeof source !== 'string' || source.trim() === '') {
      diagnostics.push(invalid(display, spanOf(key), `preset \`${key.value}\` does not cite its \`source\``));
      continue;
    }
    const fields = new Map<string, ResolvedField>();
    for (const fieldPair of pair.value.items as Pair[]) {
      const fieldKey = fieldPair.key;
      if (!isScalar(fieldKey) || typeof fieldKey.value !== 'string') {
        diagnostics.push(invalid(display, spanOf(fieldKey as YamlNode), 'field names must be plain strings'));
        continue;
      }
      if (fieldKey.value === 'source') continue;
      const value = toValue(fieldPair.value as YamlNode | null, spanOf, display, diagnostics);
      if (value !== undefined) fields.set(fieldKey.value, { name: fieldKey.value, keySpan: spanOf(fieldKey), value });
    }
    presets.set(key.value, { name: key.value, source, span: spanOf(key), fields });
  }
  return { family: { family, file: display, presets }, diagnostics };
}

const identifier = /^[A-Za-z_][A-Za-z0-9_]*$/;

function toValue(
  node: YamlNode | null,
  spanOf: (node: YamlNode | null | undefined) => Span,
  display: string,
  diagnostics: Diagnostic[],
): ResolvedValue | undefined {
  const { isMap, isScalar } = yaml();
  const span = spanOf(node);
  if (isScalar(node)) {
    const scalar = node as Scalar;
    const raw = typeof scalar.source === 'string' ? scalar.source : String(scalar.value);
    if (typeof scalar.value === 'number' && Number.isFinite(scalar.value)) return { kind: 'number', value: scalar.value, raw: raw.replace(/_/g, ''), span };
    if (typeof scalar.value === 'boolean') return { kind: 'boolean', value: scalar.value, span };
    if (typeof scalar.value === 'string') {
      return identifier.test(scalar.value) ? { kind: 'symbol', name: scalar.value, span } : { kind: 'string', value: scalar.value, span };
    }
  }
  if (isMap(node)) {
    const kind = node.get('kind', true);
    if (!isScalar(kind) || typeof kind.value !== 'string') {
      diagnostics.push(invalid(display, span, 'a nested component needs `kind: NAME`'));
      return undefined;
    }
    const fields = new Map<string, ResolvedField>();
    for (const pair of node.items as Pair[]) {
      const key = pair.key;
      if (!isScalar(key) || typeof key.value !== 'string' || key.value === 'kind') continue;
      const value = toValue(pair.value as YamlNode | null, spanOf, display, diagnostics);
      if (value !== undefined) fields.set(key.value, { name: key.value, keySpan: spanOf(key), value });
    }
    return { kind: 'component', type: kind.value, typeSpan: spanOf(kind), preset: undefined, positional: [], fields, span };
  }
  diagnostics.push(invalid(display, span, 'values must be numbers, booleans, names or `{ kind: NAME, ... }` mappings'));
  return undefined;
}

function invalid(file: string, span: Span, reason: string): Diagnostic {
  return createDiagnostic(resolveDiagnostics.presetFileInvalid, span, { file, reason }, {
    help: 'this is mimo\'s own preset data; fix the YAML file or report the problem',
  });
}
