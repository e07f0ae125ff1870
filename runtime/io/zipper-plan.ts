/**
 * The zipper's index plan (Megatron's `combine_multimodal_inputs`), pure and tfjs-free.
 *
 * Given token ids with placeholder ids, it decides where every output position takes its
 * embedding from, as one index into a table laid out as
 *   [ text embeddings (T rows) ; sense 0 (items₀ × N₀ rows) ; sense 1 ; … ; one zero row ],
 * so the tfjs side needs one gather. Two conventions:
 *   - `expand`: each placeholder id stands for one item and becomes that item's N rows;
 *   - `preexpanded` (Megatron's): the prompt already holds N consecutive placeholder ids per
 *     item, replaced one to one.
 * Padding (attention mask 0, or the end of a short row) is dropped and rows are re-packed
 * to the left, right-padded to the longest row. Count mismatches are errors that name the
 * sense, both counts, and the rows and positions involved.
 */
import { ZipperError } from './errors.js';

export type ZipperConvention = 'expand' | 'preexpanded';

/**
 * How a sense's embeddings [items, N, hidden] map to placeholders:
 *  - `occurrences`: one item per occurrence, in reading order (row 0 left to right, then row 1…);
 *  - `per-row`: item b belongs to row b (items = batch); a row uses it at most once, and a
 *    row without the placeholder leaves its item unused.
 */
export type ZipperLayout = 'occurrences' | 'per-row';

export interface ZipperSenseSpec {
  /** The sense's name, used in messages (e.g. `audio`). */
  readonly name: string;
  /** The placeholder's token id. */
  readonly tokenId: number;
  /** N: embeddings per item. */
  readonly tokensPerItem: number;
  /** How many items the embeddings hold (their first dimension). */
  readonly items: number;
  readonly layout?: ZipperLayout;
  /** The placeholder's text (e.g. `<audio>`), used in messages. */
  readonly token?: string;
}

export interface ZipperPlanInput {
  /** Token ids, one array per row; rows may differ in length (a short row is padded). */
  readonly tokenIds: readonly ArrayLike<number>[];
  readonly senses: readonly ZipperSenseSpec[];
  readonly convention: ZipperConvention;
  /** 1 = real token, 0 = padding, one array per row (same lengths as `tokenIds`). */
  readonly attentionMask?: readonly ArrayLike<number>[];
  /** Token id written at padding positions of the output `tokenIds` (default 0). */
  readonly padTokenId?: number;
}

/** One item placed in one row. */
export interface ZipperFill {
  readonly sense: string;
  /** Index into the sense's embeddings (first dimension). */
  readonly item: number;
  /** First output position the item fills, and how many. */
  readonly start: number;
  readonly length: number;
  /** Input position of the placeholder (or of the first of its N pre-expanded ids). */
  readonly sourcePosition: number;
}

export interface ZipperTableLayout {
  readonly textRows: number;
  readonly senses: readonly { readonly name: string; readonly offset: number; readonly rows: number }[];
  /** The zero row that padding positions gather. */
  readonly padRow: number;
  readonly totalRows: number;
}

export interface ZipperPlan {
  readonly batch: number;
  /** L: the longest output row. */
  readonly length: number;
  /** Ids of the text tokens to embed; text row t of the table is the embedding of textTokenIds[t]. */
  readonly textTokenIds: Int32Array;
  readonly table: ZipperTableLayout;
  /** [batch × L] row indices into the table. */
  readonly gatherIndex: Int32Array;
  /** [batch × L]: 1 for real positions, 0 for padding. */
  readonly attentionMask: Int32Array;
  /** [batch × L]: 0, 1, 2 … along each row's real positions; 0 at padding. */
  readonly positionIds: Int32Array;
  /** [batch × L]: text ids, the placeholder id where a sense fills, `padTokenId` at padding. */
  readonly tokenIds: Int32Array;
  /** Real (unpadded) length of each output row. */
  readonly rowLengths: Int32Array;
  /** Per row, the items placed in it, in position order. */
  readonly fills: readonly (readonly ZipperFill[])[];
}

/** Where one occurrence sits in the input. */
interface Occurrence {
  readonly sense: number;
  readonly row: number;
  readonly position: number;
  /** Input tokens it spans: 1 in `expand`, N in `preexpanded`. */
  readonly span: number;
}

/** Builds the gather plan, or throws a `ZipperError` that says what does not fit. */
export function planZipper(input: ZipperPlanInput): ZipperPlan {
  const { tokenIds, senses, convention } = input;
  if (convention !== 'expand' && convention !== 'preexpanded') {
    throw new ZipperError('zipper-bad-convention', `zipper: unknown convention ${JSON.stringify(convention)}`,
      "use 'expand' (one placeholder per item) or 'preexpanded' (N placeholders per item, Megatron's)");
  }
  checkSenses(senses);
  const mask = input.attentionMask;
  checkRows(tokenIds, mask);
  const senseOfId = new Map(senses.map((sense, index) => [sense.tokenId, index]));
  const batch = tokenIds.length;

  // 1. Find occurrences, row by row, in reading order.
  const occurrencesByRow: Occurrence[][] = [];
  for (let row = 0; row < batch; row++) {
    occurrencesByRow.push(findOccurrences(input, senseOfId, row));
  }

  // 2. Give each occurrence its item and check the counts against the embeddings.
  const itemOf = assignItems(input, occurrencesByRow);

  // 3. Lay out the table and the output rows.
  const senseOffsets: number[] = [];
  let textRows = 0;
  const rowLengths = new Int32Array(batch);
  for (let row = 0; row < batch; row++) {
    let length = 0;
    let text = 0;
    for (let p = 0; p < tokenIds[row].length; p++) if (isReal(mask, row, p)) text++;
    length += text;
    for (const occurrence of occurrencesByRow[row]) {
      const n = senses[occurrence.sense].tokensPerItem;
      text -= occurrence.span;
      length += n - occurrence.span;
    }
    textRows += text;
    rowLengths[row] = length;
  }
  let offset = textRows;
  const tableSenses = senses.map((sense) => {
    senseOffsets.push(offset);
    const rows = sense.items * sense.tokensPerItem;
    offset += rows;
    return { name: sense.name, offset: offset - rows, rows };
  });
  const padRow = offset;
  const length = rowLengths.reduce((a, b) => Math.max(a, b), 0);

  const size = batch * length;
  const gatherIndex = new Int32Array(size).fill(padRow);
  const attentionMask = new Int32Array(size);
  const positionIds = new Int32Array(size);
  const outTokenIds = new Int32Array(size).fill(input.padTokenId ?? 0);
  const textTokenIds = new Int32Array(textRows);
  const fills: ZipperFill[][] = [];
  let textCursor = 0;
  for (let row = 0; row < batch; row++) {
    const ids = tokenIds[row];
    const rowFills: ZipperFill[] = [];
    const occurrences = occurrencesByRow[row];
    let next = 0;
    let out = row * length;
    for (let p = 0; p < ids.length; p++) {
      if (!isReal(mask, row, p)) continue;
      const occurrence = occurrences[next];
      if (occurrence !== undefined && occurrence.position === p) {
        const sense = senses[occurrence.sense];
        const n = sense.tokensPerItem;
        const item = itemOf.get(occurrence) as number;
        const base = senseOffsets[occurrence.sense] + item * n;
        rowFills.push({ sense: sense.name, item, start: out - row * length, length: n, sourcePosition: p });
        for (let j = 0; j < n; j++, out++) {
          gatherIndex[out] = base + j;
          outTokenIds[out] = sense.tokenId;
        }
        p += occurrence.span - 1;
        next++;
        continue;
      }
      textTokenIds[textCursor] = ids[p];
      gatherIndex[out] = textCursor;
      outTokenIds[out] = ids[p];
      textCursor++;
      out++;
    }
    for (let i = 0; i < rowLengths[row]; i++) {
      attentionMask[row * length + i] = 1;
      positionIds[row * length + i] = i;
    }
    fills.push(rowFills);
  }
  return {
    batch,
    length,
    textTokenIds,
    table: { textRows, senses: tableSenses, padRow, totalRows: padRow + 1 },
    gatherIndex,
    attentionMask,
    positionIds,
    tokenIds: outTokenIds,
    rowLengths,
    fills,
  };
}

function findOccurrences(input: ZipperPlanInput, senseOfId: ReadonlyMap<number, number>, row: number): Occurrence[] {
  const ids = input.tokenIds[row];
  const mask = input.attentionMask;
  const found: Occurrence[] = [];
  for (let p = 0; p < ids.length; p++) {
    if (!isReal(mask, row, p)) continue;
    const sense = senseOfId.get(ids[p]);
    if (sense === undefined) continue;
    if (input.convention === 'expand') {
      found.push({ sense, row, position: p, span: 1 });
      continue;
    }
    // Pre-expanded: a run of consecutive real placeholder ids holds whole items.
    let end = p;
    while (end + 1 < ids.length && ids[end + 1] === ids[p] && isReal(mask, row, end + 1)) end++;
    const run = end - p + 1;
    const spec = input.senses[sense];
    const n = spec.tokensPerItem;
    if (run % n !== 0) {
      throw new ZipperError(
        'zipper-partial-run',
        `zipper: row ${row} holds a run of ${run} ${label(spec)} tokens at positions ${p}..${end}, ` +
          `not a multiple of the ${n} embeddings each ${spec.name} item has`,
        `in the pre-expanded convention each ${spec.name} item needs exactly ${n} consecutive ` +
          `${label(spec)} ids; fix the data pipeline's count (an encoder's position count is the usual culprit) ` +
          "or use the 'expand' convention with one placeholder per item",
        spec.name,
      );
    }
    for (let start = p; start <= end; start += n) found.push({ sense, row, position: start, span: n });
    p = end;
  }
  return found;
}

function assignItems(input: ZipperPlanInput, occurrencesByRow: readonly Occurrence[][]): Map<Occurrence, number> {
  const itemOf = new Map<Occurrence, number>();
  input.senses.forEach((spec, senseIndex) => {
    const mine = occurrencesByRow.map((occurrences) => occurrences.filter((o) => o.sense === senseIndex));
    const layout = spec.layout ?? 'occurrences';
    if (layout === 'per-row') {
      if (spec.items !== input.tokenIds.length) {
        throw new ZipperError(
          'zipper-count-mismatch',
          `zipper: sense ${spec.name} uses the per-row layout, so its embeddings need one item per row: ` +
            `the batch has ${input.tokenIds.length} rows but ${spec.items} items were given`,
          `pass ${spec.name} embeddings shaped [batch, ${spec.tokensPerItem}, hidden], or use the 'occurrences' layout`,
          spec.name,
        );
      }
      mine.forEach((occurrences, row) => {
        if (occurrences.length > 1) {
          throw new ZipperError(
            'zipper-count-mismatch',
            `zipper: row ${row} has ${occurrences.length} ${label(spec)} ${noun(input)} ` +
              `(${describePositions(occurrences, input)}) but the per-row layout gives each row one ${spec.name} item`,
            `keep one ${label(spec)} per row, or pass one item per occurrence with the 'occurrences' layout`,
            spec.name,
          );
        }
        if (occurrences.length === 1) itemOf.set(occurrences[0], row);
      });
      return;
    }
    const total = mine.reduce((sum, occurrences) => sum + occurrences.length, 0);
    if (total !== spec.items) throw countMismatch(input, spec, mine, total);
    let item = 0;
    for (const occurrences of mine) for (const occurrence of occurrences) itemOf.set(occurrence, item++);
  });
  return itemOf;
}

function countMismatch(
  input: ZipperPlanInput,
  spec: ZipperSenseSpec,
  byRow: readonly Occurrence[][],
  total: number,
): ZipperError {
  const n = spec.tokensPerItem;
  const rows = byRow
    .map((occurrences, row) => ({ occurrences, row }))
    .filter(({ occurrences }) => occurrences.length > 0);
  const where = rows.length === 0
    ? 'none in any row'
    : rows.slice(0, 8).map(({ occurrences, row }) => `row ${row}: ${describePositions(occurrences, input)}`).join('; ') +
      (rows.length > 8 ? `; and ${rows.length - 8} more rows` : '');
  if (input.convention === 'preexpanded') {
    return new ZipperError(
      'zipper-count-mismatch',
      `zipper: number of ${label(spec)} tokens (${total * n}) does not match number of ${spec.name} embeddings ` +
        `(${spec.items * n} = ${spec.items} items × ${n}) — ${where}`,
      `each ${spec.name} item needs ${n} consecutive ${label(spec)} ids in the prompt; ` +
        `emit ${spec.items * n} of them, or pass ${total} items`,
      spec.name,
    );
  }
  return new ZipperError(
    'zipper-count-mismatch',
    `zipper: number of ${label(spec)} placeholders (${total}) does not match number of ${spec.name} items ` +
      `(${spec.items}, each ${n} embeddings) — ${where}`,
    `put one ${label(spec)} in the prompt per ${spec.name} item, or pass ${total} items`,
    spec.name,
  );
}

function describePositions(occurrences: readonly Occurrence[], input: ZipperPlanInput): string {
  const shown = occurrences.slice(0, 8).map((o) => (o.span === 1 ? `${o.position}` : `${o.position}..${o.position + o.span - 1}`));
  const more = occurrences.length > 8 ? `, … ${occurrences.length - 8} more` : '';
  const what = input.convention === 'expand' ? 'at position' : 'item at';
  return `${occurrences.length} ${what}${occurrences.length === 1 ? '' : 's'} ${shown.join(', ')}${more}`;
}

function checkSenses(senses: readonly ZipperSenseSpec[]): void {
  const names = new Set<string>();
  const ids = new Map<number, string>();
  for (const sense of senses) {
    if (names.has(sense.name)) {
      throw new ZipperError('zipper-bad-sense', `zipper: sense ${sense.name} is given twice`,
        'pass each sense once, with all its items', sense.name);
    }
    names.add(sense.name);
    const other = ids.get(sense.tokenId);
    if (other !== undefined) {
      throw new ZipperError('zipper-bad-sense',
        `zipper: senses ${other} and ${sense.name} share the placeholder id ${sense.tokenId}`,
        'give each sense its own placeholder token', sense.name);
    }
    ids.set(sense.tokenId, sense.name);
    if (!Number.isSafeInteger(sense.tokenId)) {
      throw new ZipperError('zipper-bad-sense', `zipper: sense ${sense.name} has placeholder id ${sense.tokenId}`,
        'a placeholder id is an integer token id', sense.name);
    }
    if (!Number.isSafeInteger(sense.tokensPerItem) || sense.tokensPerItem < 1) {
      throw new ZipperError('zipper-bad-sense', `zipper: sense ${sense.name} has ${sense.tokensPerItem} embeddings per item`,
        'each item needs at least one embedding: embeddings are shaped [items, N, hidden] with N >= 1', sense.name);
    }
    if (!Number.isSafeInteger(sense.items) || sense.items < 0) {
      throw new ZipperError('zipper-bad-sense', `zipper: sense ${sense.name} has ${sense.items} items`,
        'the item count is the first dimension of the embeddings', sense.name);
    }
  }
}

function checkRows(tokenIds: readonly ArrayLike<number>[], mask: readonly ArrayLike<number>[] | undefined): void {
  if (mask !== undefined && mask.length !== tokenIds.length) {
    throw new ZipperError('zipper-bad-mask', `zipper: the attention mask has ${mask.length} rows but the token ids have ${tokenIds.length}`,
      'give the mask the same [batch, length] shape as the token ids');
  }
  tokenIds.forEach((ids, row) => {
    if (mask !== undefined && mask[row].length !== ids.length) {
      throw new ZipperError('zipper-bad-mask', `zipper: row ${row} of the attention mask has ${mask[row].length} entries but the row has ${ids.length} tokens`,
        'give the mask the same [batch, length] shape as the token ids');
    }
    for (let p = 0; p < ids.length; p++) {
      if (!Number.isSafeInteger(ids[p]) || ids[p] < 0 || ids[p] > 0x7fffffff) {
        throw new ZipperError('zipper-bad-token', `zipper: row ${row} position ${p} holds ${ids[p]}, not a token id`,
          'token ids are non-negative integers below 2^31');
      }
    }
  });
}

function isReal(mask: readonly ArrayLike<number>[] | undefined, row: number, position: number): boolean {
  return mask === undefined || mask[row][position] !== 0;
}

function label(spec: ZipperSenseSpec): string {
  return `${spec.token ?? `<${spec.name}>`} (id ${spec.tokenId})`;
}

function noun(input: ZipperPlanInput): string {
  return input.convention === 'expand' ? 'placeholders' : 'items';
}
