import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ZipperError, planZipper, type ZipperPlanInput, type ZipperSenseSpec } from '../../../runtime/io/index.js';

const AUDIO = 900;
const VIDEO = 901;
const audio = (items: number, extra: Partial<ZipperSenseSpec> = {}): ZipperSenseSpec =>
  ({ name: 'audio', tokenId: AUDIO, tokensPerItem: 3, items, token: '<audio>', ...extra });
const video = (items: number): ZipperSenseSpec => ({ name: 'video', tokenId: VIDEO, tokensPerItem: 2, items });

function zipperError(input: ZipperPlanInput): ZipperError {
  try {
    planZipper(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ZipperError);
    return error as ZipperError;
  }
  throw new Error('expected a ZipperError');
}

/** Rows of a [batch × L] array. */
function rows(data: Int32Array, length: number): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < data.length; i += length) out.push([...data.subarray(i, i + length)]);
  return out;
}

describe('zipper plan, one placeholder per item (expand)', () => {
  it('expands each placeholder to its N embeddings, in place', () => {
    const plan = planZipper({ tokenIds: [[1, AUDIO, 2, VIDEO, 3]], senses: [audio(1), video(1)], convention: 'expand' });
    // table: text rows 0..2 (ids 1, 2, 3), audio rows 3..5, video rows 6..7, zero row 8
    expect([...plan.textTokenIds]).toEqual([1, 2, 3]);
    expect(plan.table).toEqual({ textRows: 3, senses: [{ name: 'audio', offset: 3, rows: 3 }, { name: 'video', offset: 6, rows: 2 }], padRow: 8, totalRows: 9 });
    expect(plan.length).toBe(8);
    expect([...plan.gatherIndex]).toEqual([0, 3, 4, 5, 1, 6, 7, 2]);
    expect([...plan.positionIds]).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect([...plan.attentionMask]).toEqual([1, 1, 1, 1, 1, 1, 1, 1]);
    expect([...plan.tokenIds]).toEqual([1, AUDIO, AUDIO, AUDIO, 2, VIDEO, VIDEO, 3]);
    expect(plan.fills).toEqual([[
      { sense: 'audio', item: 0, start: 1, length: 3, sourcePosition: 1 },
      { sense: 'video', item: 0, start: 5, length: 2, sourcePosition: 3 },
    ]]);
  });

  it('handles rows with different placeholder counts and positions, ragged rows and masks, right-padding the result', () => {
    const plan = planZipper({
      tokenIds: [[AUDIO, 5, AUDIO], [7, VIDEO, 8, 9], [0, 0, 4, AUDIO, 0]],
      attentionMask: [[1, 1, 1], [1, 1, 1, 1], [0, 0, 1, 1, 0]],
      senses: [audio(3), video(1)],
      convention: 'expand',
      padTokenId: 2,
    });
    expect(plan.batch).toBe(3);
    expect([...plan.rowLengths]).toEqual([7, 5, 4]);
    expect(plan.length).toBe(7);
    // text rows: 5 | 7 8 9 | 4 → 0 | 1 2 3 | 4; audio items 0,1 in row 0, item 2 in row 2 (reading order)
    expect([...plan.textTokenIds]).toEqual([5, 7, 8, 9, 4]);
    const a = 5;
    const v = 5 + 9;
    const pad = v + 2;
    expect(rows(plan.gatherIndex, 7)).toEqual([
      [a, a + 1, a + 2, 0, a + 3, a + 4, a + 5],
      [1, v, v + 1, 2, 3, pad, pad],
      [4, a + 6, a + 7, a + 8, pad, pad, pad],
    ]);
    expect(rows(plan.attentionMask, 7)).toEqual([[1, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 0, 0], [1, 1, 1, 1, 0, 0, 0]]);
    expect(rows(plan.positionIds, 7)).toEqual([[0, 1, 2, 3, 4, 5, 6], [0, 1, 2, 3, 4, 0, 0], [0, 1, 2, 3, 0, 0, 0]]);
    expect(rows(plan.tokenIds, 7)[2]).toEqual([4, AUDIO, AUDIO, AUDIO, 2, 2, 2]);
    expect(plan.fills[2]).toEqual([{ sense: 'audio', item: 2, start: 1, length: 3, sourcePosition: 3 }]);
    expect(plan.fills[1]).toEqual([{ sense: 'video', item: 0, start: 1, length: 2, sourcePosition: 1 }]);
  });

  it('ignores placeholders under padding', () => {
    const plan = planZipper({ tokenIds: [[1, AUDIO, AUDIO]], attentionMask: [[1, 1, 0]], senses: [audio(1)], convention: 'expand' });
    expect(plan.length).toBe(4);
  });

  it('gives each row its own item in the per-row layout, leaving the items of rows without the placeholder unused', () => {
    const plan = planZipper({ tokenIds: [[AUDIO, 1], [2], [3, AUDIO]], senses: [audio(3, { layout: 'per-row' })], convention: 'expand' });
    expect(plan.fills.map((f) => f.map((x) => x.item))).toEqual([[0], [], [2]]);
    expect(rows(plan.gatherIndex, 4)[2]).toEqual([2, 3 + 6, 3 + 7, 3 + 8]);
  });

  it('names the sense, both counts, and every row and position on a count mismatch', () => {
    const error = zipperError({ tokenIds: [[1, AUDIO, 2, AUDIO], [AUDIO, 3]], senses: [audio(2)], convention: 'expand' });
    expect(error.code).toBe('zipper-count-mismatch');
    expect(error.sense).toBe('audio');
    expect(error.message).toContain('number of <audio> (id 900) placeholders (3) does not match number of audio items (2, each 3 embeddings)');
    expect(error.message).toContain('row 0: 2 at positions 1, 3; row 1: 1 at position 0');
    expect(error.help).toMatch(/one <audio> \(id 900\) in the prompt per audio item, or pass 3 items/);
  });

  it('reports a sense whose placeholder is missing from every row', () => {
    expect(zipperError({ tokenIds: [[1, 2]], senses: [video(1)], convention: 'expand' }).message)
      .toContain('number of <video> (id 901) placeholders (0) does not match number of video items (1, each 2 embeddings) — none in any row');
  });

  it('refuses per-row layouts with the wrong item count or two occurrences in a row', () => {
    expect(zipperError({ tokenIds: [[AUDIO], [1]], senses: [audio(3, { layout: 'per-row' })], convention: 'expand' }).message)
      .toMatch(/one item per row: the batch has 2 rows but 3 items/);
    expect(zipperError({ tokenIds: [[AUDIO, AUDIO]], senses: [audio(1, { layout: 'per-row' })], convention: 'expand' }).message)
      .toMatch(/row 0 has 2 <audio> \(id 900\) placeholders \(2 at positions 0, 1\)/);
  });
});

describe("zipper plan, N pre-expanded placeholders per item (Megatron's convention)", () => {
  it('replaces N consecutive placeholder ids one to one, and equals the expand plan of the short prompt', () => {
    const senses = [audio(3), video(1)];
    const expanded = planZipper({ tokenIds: [[1, AUDIO, AUDIO, AUDIO, 2, VIDEO, VIDEO], [AUDIO, AUDIO, AUDIO, AUDIO, AUDIO, AUDIO, 4]], senses, convention: 'preexpanded' });
    const short = planZipper({ tokenIds: [[1, AUDIO, 2, VIDEO], [AUDIO, AUDIO, 4]], senses, convention: 'expand' });
    const { fills: fillsA, ...restA } = expanded;
    const { fills: fillsB, ...restB } = short;
    expect(restA).toEqual(restB);
    expect(fillsA[1]).toEqual([
      { sense: 'audio', item: 1, start: 0, length: 3, sourcePosition: 0 },
      { sense: 'audio', item: 2, start: 3, length: 3, sourcePosition: 3 },
    ]);
    expect(fillsB[0].map((f) => f.sense)).toEqual(fillsA[0].map((f) => f.sense));
  });

  it('refuses a run that is not a whole number of items, naming row and positions', () => {
    const error = zipperError({ tokenIds: [[1, 2], [5, AUDIO, AUDIO, AUDIO, AUDIO, 6]], senses: [audio(1)], convention: 'preexpanded' });
    expect(error.code).toBe('zipper-partial-run');
    expect(error.message).toContain('row 1 holds a run of 4 <audio> (id 900) tokens at positions 1..4, not a multiple of the 3 embeddings each audio item has');
  });

  it('states the count mismatch in tokens, as Megatron does, with the rows', () => {
    const error = zipperError({ tokenIds: [[AUDIO, AUDIO, AUDIO, 1], [AUDIO, AUDIO, AUDIO]], senses: [audio(1)], convention: 'preexpanded' });
    expect(error.message).toContain('number of <audio> (id 900) tokens (6) does not match number of audio embeddings (3 = 1 items × 3)');
    expect(error.message).toContain('row 0: 1 item at 0..2; row 1: 1 item at 0..2');
  });
});

describe('zipper plan input checks', () => {
  it('refuses bad senses, token ids and masks with a ZipperError', () => {
    expect(zipperError({ tokenIds: [[1]], senses: [audio(0), { ...video(0), tokenId: AUDIO }], convention: 'expand' }).message)
      .toMatch(/senses audio and video share the placeholder id 900/);
    expect(zipperError({ tokenIds: [[1]], senses: [audio(0), audio(0)], convention: 'expand' }).code).toBe('zipper-bad-sense');
    expect(zipperError({ tokenIds: [[1]], senses: [audio(0, { tokensPerItem: 0 })], convention: 'expand' }).message).toMatch(/0 embeddings per item/);
    expect(zipperError({ tokenIds: [[1, -3]], senses: [], convention: 'expand' }).message).toMatch(/row 0 position 1 holds -3/);
    expect(zipperError({ tokenIds: [[1, 2.5]], senses: [], convention: 'expand' }).code).toBe('zipper-bad-token');
    expect(zipperError({ tokenIds: [[1, 2]], attentionMask: [[1]], senses: [], convention: 'expand' }).message).toMatch(/row 0 of the attention mask has 1 entries but the row has 2/);
    expect(zipperError({ tokenIds: [[1]], senses: [], convention: 'megatron' as 'expand' }).code).toBe('zipper-bad-convention');
  });

  it('handles an empty batch and empty rows', () => {
    expect(planZipper({ tokenIds: [], senses: [], convention: 'expand' }).length).toBe(0);
    const plan = planZipper({ tokenIds: [[], [3]], senses: [], convention: 'expand' });
    expect([...plan.gatherIndex]).toEqual([1, 0]);
  });
});

describe('zipper plan properties', () => {
  const prompt = fc.array(fc.oneof(fc.constant(AUDIO), fc.constant(VIDEO), fc.integer({ min: 0, max: 50 })), { maxLength: 12 });
  it('uses every text token and every sense row exactly once, in order, and agrees across conventions', () => {
    fc.assert(
      fc.property(fc.array(prompt, { maxLength: 5 }), (tokenIds) => {
        const count = (id: number) => tokenIds.flat().filter((t) => t === id).length;
        const senses = [audio(count(AUDIO)), video(count(VIDEO))];
        const plan = planZipper({ tokenIds, senses, convention: 'expand' });
        const text = tokenIds.flat().filter((t) => t !== AUDIO && t !== VIDEO);
        expect([...plan.textTokenIds]).toEqual(text);
        const used = [...plan.gatherIndex].filter((i) => i !== plan.table.padRow).sort((x, y) => x - y);
        expect(used).toEqual(Array.from({ length: plan.table.padRow }, (_, i) => i));
        for (let b = 0; b < tokenIds.length; b++) {
          // each <audio> adds 3 − 1 positions, each <video> 2 − 1
          expect(plan.rowLengths[b]).toBe(tokenIds[b].reduce((s, t) => s + (t === AUDIO ? 3 : t === VIDEO ? 2 : 1), 0));
        }
        const preexpanded = tokenIds.map((row) => row.flatMap((t) => (t === AUDIO ? [t, t, t] : t === VIDEO ? [t, t] : [t])));
        const again = planZipper({ tokenIds: preexpanded, senses, convention: 'preexpanded' });
        expect([...again.gatherIndex]).toEqual([...plan.gatherIndex]);
        expect([...again.positionIds]).toEqual([...plan.positionIds]);
      }),
      { numRuns: 500 },
    );
  });
});
