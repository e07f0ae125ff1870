import { describe, expect, it } from 'vitest';
import { problems, runSpec } from '../check/harness.js';

const base = `model m {
  decoder llama {
    layers 2 hidden 64 heads 4 ffn 128 vocab 1000 context 512
  }
  sense vision {
    input video(frames: 2, size: 32)
    encoder clip_vit(layers: 2, hidden: 32, heads: 2, ffn: 64, patch: 8, image_size: 32)
    projector mlp()
    token "<video>"
  }
}
`;

describe('variants', () => {
  it('apply dotted paths to a copy of the model, with id base/variant', async () => {
    const result = await runSpec(`${base}variant wide of m {\n  decoder.hidden = 128\n  vision.input.frames = 4\n  vision.encoder = siglip_vit(layers: 1, hidden: 16, heads: 2, ffn: 32, patch: 16, image_size: 32)\n}\n`);
    expect(problems(result)).toEqual([]);
    const [m, wide] = result.models;
    expect(wide.id).toBe('m/wide');
    expect(wide.name).toBe('m');
    expect([m.decoder.hidden, wide.decoder.hidden]).toEqual([64, 128]);
    expect(wide.senses[0]).toMatchObject({ tokens: 4 * 4, encoder: { family: 'siglip_vit', hidden: 16 }, projector: { inputWidth: 16, outputWidth: 128 } });
  });

  it('report a misspelled path segment with did-you-mean, and the same path twice', async () => {
    const result = await runSpec(`${base}variant v of m {\n  visoin.input.frames = 4\n  vision.encodr.layers = 1\n  decoder.layers = 3\n  decoder.layers = 4\n}\n`);
    expect(problems(result)).toEqual([
      'MIMO2012 13:3 `visoin.input.frames`: model `m/v` has no `visoin`',
      'MIMO2012 14:10 `vision.encodr.layers`: `vision` has no `encodr`',
      'MIMO2010 16:3 `decoder.layers` is set twice in variant `m/v`',
    ]);
    expect(result.diagnostics.slice(0, 2).map((d) => d.fix?.replacement)).toEqual(['vision', 'encoder']);
    expect(result.models.map((m) => m.id)).toEqual(['m']);
  });

  it('cannot assign a whole sense or walk through a plain value', async () => {
    const result = await runSpec(`${base}variant v of m {\n  vision = 3\n  decoder.layers.x = 1\n}\n`);
    expect(problems(result)).toEqual([
      'MIMO2014 13:3 `vision` is a whole sense and cannot be assigned',
      'MIMO2013 14:11 `decoder.layers.x`: `decoder.layers` is a value, not a block',
    ]);
  });
});

describe('sweeps', () => {
  it('grid: every combination, first axis slowest, minus excluded points', async () => {
    const result = await runSpec(`${base}grid g of m {\n  vision.input.frames in [1, 2]\n  text_tokens in [8, 16, 32]\n  exclude { vision.input.frames = 2, text_tokens = 16 }\n}\n`, { expandSweeps: true });
    expect(problems(result)).toEqual([]);
    expect(result.models.slice(1).map((m) => m.id)).toEqual([
      'm/g[vision.input.frames=1,text_tokens=8]',
      'm/g[vision.input.frames=1,text_tokens=16]',
      'm/g[vision.input.frames=1,text_tokens=32]',
      'm/g[vision.input.frames=2,text_tokens=8]',
      'm/g[vision.input.frames=2,text_tokens=32]',
    ]);
    expect(result.models.slice(1).map((m) => m.sequenceLength)).toEqual([17 + 8, 17 + 16, 17 + 32, 34 + 8, 34 + 32]);
  });

  it('zip: position by position', async () => {
    const result = await runSpec(`${base}zip z of m {\n  vision.input.frames in [1, 2, 3]\n  text_tokens in [30, 20, 10]\n}\n`, { expandSweeps: true });
    expect(result.models.slice(1).map((m) => [m.senses[0].input.kind === 'video' && m.senses[0].input.frames, m.textTokens])).toEqual([
      [1, 30],
      [2, 20],
      [3, 10],
    ]);
  });

  it('zip: unequal lengths are an error showing both lists', async () => {
    const result = await runSpec(`${base}zip z of m {\n  vision.input.frames in [1, 2, 3]\n  text_tokens in [30, 20]\n}\n`, { expandSweeps: true });
    expect(problems(result)).toEqual(['MIMO2017 14:18 `zip z`: `text_tokens` has 2 values but `vision.input.frames` has 3']);
    expect(result.diagnostics[0].related[0].span.line).toBe(13);
    expect(result.models.map((m) => m.id)).toEqual(['m']);
  });

  it('report a bad axis path once, not once per point', async () => {
    const result = await runSpec(`${base}grid g of m {\n  vision.input.frams in [1, 2, 3]\n  decoder.layrs in [1, 2]\n}\n`, { expandSweeps: true });
    expect(problems(result)).toEqual([
      'MIMO3001 14:11 unknown field `layrs` in `decoder` (llama)',
      'MIMO3001 13:16 unknown field `frams` in `vision.input` (video)',
    ]);
  });

  it('report an exclude that names no axis, repeated values and everything excluded', async () => {
    const result = await runSpec(
      `${base}grid a of m {\n  text_tokens in [1, 2]\n  exclude { text_tokns = 1 }\n}\ngrid b of m {\n  text_tokens in [1, 1]\n}\ngrid c of m {\n  text_tokens in [1]\n  exclude { text_tokens = 1 }\n}\n`,
      { expandSweeps: true },
    );
    expect(result.diagnostics.map((d) => `${d.code} ${d.severity} ${d.message}`)).toEqual([
      'MIMO2020 error `exclude` condition `text_tokns` is not an axis of `a`',
      'MIMO2021 error sweep point `m/b[text_tokens=1]` appears twice',
      'MIMO2022 warning every point of `c` is excluded',
    ]);
  });

  it('give an error in one point the point\'s value as its place', async () => {
    const result = await runSpec(`${base}grid g of m {\n  vision.input.frames in [2, 0]\n}\n`);
    expect(problems(result)).toEqual(['MIMO3005 13:30 `frames` must be a positive integer, found 0']);
    expect(result.diagnostics[0].related.map((r) => r.message)).toEqual(['while checking `m/g[vision.input.frames=0]`']);
  });
});
