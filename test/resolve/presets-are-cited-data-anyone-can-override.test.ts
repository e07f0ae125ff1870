import { describe, expect, it } from 'vitest';
import { loadPresetCatalog, parsePresetFile, presetDirectory } from '../../compiler/presets/index.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { problems, runSpec } from '../check/harness.js';

const catalog = loadPresetCatalog();

const expectedPresets: Readonly<Record<string, readonly string[]>> = {
  gpt2: ['small', 'medium', 'large', 'xl'],
  llama: ['llama-2-7b', 'llama-2-13b', 'vicuna-7b-v1.5'],
  clip_vit: ['ViT-B/32', 'ViT-B/16', 'ViT-L/14', 'ViT-L/14-336'],
  siglip_vit: ['base-16-224', 'so400m-14-384'],
  whisper: ['tiny', 'base', 'small', 'medium', 'large-v3'],
  beats: ['iter3'],
};

/** A model that uses a preset of the given family, for checking every preset. */
function modelWith(family: string, preset: string): string {
  const name = JSON.stringify(preset);
  if (family === 'gpt2' || family === 'llama') return `model m {\n  decoder ${family}(${name})\n}\n`;
  const input =
    family === 'whisper' || family === 'beats'
      ? 'audio(seconds: 10)'
      : `image(size: ${preset === 'ViT-L/14-336' ? 336 : preset === 'so400m-14-384' ? 384 : 224})`;
  return `model m {\n  decoder llama("llama-2-7b")\n  sense s {\n    input ${input}\n    encoder ${family}(${name})\n    projector mlp()\n    token "<s>"\n  }\n}\n`;
}

describe('presets', () => {
  it('are found from the package root and load without problems', () => {
    expect(existsSync(join(presetDirectory(), 'clip_vit.yaml'))).toBe(true);
    expect(catalog.diagnostics).toEqual([]);
    expect(Object.fromEntries([...catalog.families].map(([family, f]) => [family, [...f.presets.keys()]]))).toEqual(expectedPresets);
  });

  it('each cite a published source', () => {
    for (const family of catalog.families.values()) {
      for (const preset of family.presets.values()) expect(preset.source.length, `${family.family} ${preset.name}`).toBeGreaterThan(20);
    }
  });

  for (const [family, names] of Object.entries(expectedPresets)) {
    for (const name of names) {
      it(`${family}("${name}") checks clean in a model`, async () => {
        const result = await runSpec(modelWith(family, name));
        expect(problems(result)).toEqual([]);
        expect(result.models).toHaveLength(1);
      });
    }
  }

  it('give SigLIP base-16-224 the published figures', async () => {
    const result = await runSpec(modelWith('siglip_vit', 'base-16-224'));
    expect(result.models[0].senses[0].encoder).toMatchObject({ layers: 12, hidden: 768, heads: 12, ffn: 3072, patch: 16, imageSize: 224, activation: 'gelu_tanh', normEps: 1e-6, classToken: false });
  });

  it('reject a preset without a source', () => {
    const parsed = parsePresetFile('mimo:presets/x.yaml', 'family: x\npresets:\n  a:\n    layers: 2\n');
    expect(parsed.diagnostics.map((d) => d.message)).toEqual(['preset file `mimo:presets/x.yaml` is invalid: preset `a` does not cite its `source`']);
  });

  it('name an unknown preset with the closest one', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7B")\n}\n');
    expect(problems(result)).toEqual(['MIMO2008 2:17 `llama` has no preset `llama-2-7B`']);
    expect(result.diagnostics[0].fix?.replacement).toBe('"llama-2-7b"');
  });

  it('can be overridden by named arguments, a block, a variant, a sweep and --set, in that order', async () => {
    const spec = `model m {
  decoder llama("llama-2-7b", layers: 30) { hidden 2048 heads 16 kv_heads 16 }
}
variant v of m { decoder.layers = 20 }
grid g of m { decoder.ffn in [1024] }
`;
    const plain = await runSpec(spec, { expandSweeps: true });
    expect(problems(plain)).toEqual([]);
    expect(plain.models.map((m) => [m.id, m.decoder.layers, m.decoder.hidden, m.decoder.ffn])).toEqual([
      ['m', 30, 2048, 11008],
      ['m/v', 20, 2048, 11008],
      ['m/g[decoder.ffn=1024]', 30, 2048, 1024],
    ]);
    const set = await runSpec(spec, { expandSweeps: true, overrides: ['decoder.layers=4', 'decoder.ffn=512'] });
    expect(set.models.map((m) => [m.decoder.layers, m.decoder.ffn])).toEqual([
      [4, 512],
      [4, 512],
      [4, 512],
    ]);
    expect(set.models[0].spans.get('decoder.layers')?.file).toBe('<--set 1>');
  });

  it('point errors at the preset line when a preset value is the problem', async () => {
    const result = await runSpec('model m {\n  decoder llama("llama-2-7b", heads: 30)\n}\n');
    const d = result.diagnostics.find((x) => x.code === 'MIMO3012');
    expect(d?.related[0]?.span).toMatchObject({ file: 'mimo:presets/llama.yaml', line: 10 });
    expect(result.sources.get('mimo:presets/llama.yaml')?.split('\n')[9]).toContain('kv_heads: 32');
  });
});
