import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPipeline } from '../../compiler/pipeline.js';
import { fixturesDir, problems, runSpec } from '../check/harness.js';

describe('extends', () => {
  it('merges blocks entry by entry across files', async () => {
    const root = join(fixturesDir, 'resolve', 'project');
    const result = await runPipeline(['main.mimo'], { root, cwd: root });
    const captioner = result.models.find((m) => m.id === 'captioner');
    expect(captioner?.decoder).toMatchObject({ layers: 4, hidden: 64, heads: 4, vocab: 1000 });
    expect(captioner?.textTokens).toBe(64);
    expect(captioner?.senses.map((s) => s.name)).toEqual(['image']);
    expect(captioner?.spans.get('decoder.layers')?.file).toBe('main.mimo');
    expect(captioner?.spans.get('decoder.hidden')?.file).toBe('common/decoders.mimo');
  });

  it('replaces a component when the child names a new one, and merges senses by name', async () => {
    const result = await runSpec(`model a {
  decoder gpt2("small")
  sense v {
    input image(size: 224)
    encoder clip_vit("ViT-B/16")
    projector mlp()
    token "<v>"
  }
}
model b extends a {
  decoder llama("llama-2-7b")
  sense v { input image(size: 336) encoder clip_vit("ViT-L/14-336") }
}
`);
    expect(problems(result)).toEqual([]);
    const b = result.models[1];
    expect(b.decoder.family).toBe('llama');
    expect(b.decoder.tiedEmbeddings).toBe(false);
    expect(b.senses[0]).toMatchObject({ tokens: 577, token: { text: '<v>' } });
  });

  it('reports an extends cycle with every model in it', async () => {
    const result = await runSpec('model p extends q {}\nmodel q extends r {}\nmodel r extends p {}\nmodel s extends p {}\n');
    expect(problems(result)).toEqual(['MIMO2007 1:17 `extends` cycle: `p` -> `q` -> `r` -> `p`']);
    expect(result.diagnostics[0].related.map((r) => r.message)).toEqual(['`q` extends `r` here', '`r` extends `p` here']);
    expect(result.models).toEqual([]);
  });
});
