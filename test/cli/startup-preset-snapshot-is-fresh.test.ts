import { copyFileSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { freshPresetSnapshot, loadPresetCatalog, parsePresetFile, presetDirectory } from '../../compiler/presets/index.js';
import { readSnapshot, SNAPSHOT_FILE, snapshotParse } from '../../compiler/presets/snapshot.js';

// The snapshot spares each run the YAML parser; it must say exactly what parsing the YAML says.
describe('the preset snapshot', () => {
  const directory = presetDirectory();
  const path = join(directory, SNAPSHOT_FILE);

  it('equals a fresh parse of every preset file (UPDATE_GOLDEN=1 rewrites it)', () => {
    const fresh = freshPresetSnapshot(directory);
    if (process.env.UPDATE_GOLDEN === '1') writeFileSync(path, fresh);
    expect(readFileSync(path, 'utf8')).toBe(fresh);
  });

  it('gives the catalog the YAML parser gives, Maps, spans and undefined fields included', () => {
    const catalog = loadPresetCatalog(directory);
    const snapshot = readSnapshot(directory);
    for (const [display, text] of catalog.sources) {
      expect(snapshotParse(snapshot, display, text), `${display} is in the snapshot`).toBeDefined();
      const parsed = parsePresetFile(display, text);
      expect(parsed.diagnostics).toEqual([]);
      const family = catalog.families.get(parsed.family!.family)!;
      // toStrictEqual: same Map entries and order, same keys (an `undefined` property is not a missing one).
      expect(family).toStrictEqual(parsed.family);
    }
  });

  it('is ignored for a file whose text changed since it was made', () => {
    const copy = mkdtempSync(join(tmpdir(), 'mimo-presets-'));
    for (const name of readdirSync(directory)) copyFileSync(join(directory, name), join(copy, name));
    const llama = join(copy, 'llama.yaml');
    writeFileSync(llama, readFileSync(llama, 'utf8').replace('    layers: 32\n', '    layers: 31\n'));
    const catalog = loadPresetCatalog(copy);
    const edited = catalog.families.get('llama')!.presets.get('llama-2-7b')!.fields.get('layers')!.value;
    expect(edited).toMatchObject({ kind: 'number', value: 31, raw: '31' });
    // The unchanged files still come from the snapshot and agree with the YAML.
    expect(catalog.families.get('gpt2')).toStrictEqual(parsePresetFile('mimo:presets/gpt2.yaml', readFileSync(join(copy, 'gpt2.yaml'), 'utf8')).family);
  });
});
