/**
 * The `support.ts` file written next to every generated model: shape-typed tensors. A
 * `Tensor<['batch', 8, 3, 224, 224]>` is a tfjs tensor of that rank whose shape the type checker
 * knows: numbers are exact sizes, names (`batch`, `seq`) are sizes bound once per call. `shaped`
 * checks a tensor at run time and gives it that type.
 */
import { stringLiteral } from './literals.js';

export const SUPPORT_FILE = 'support.ts';

export function supportModuleText(runtimeImport: string): string {
  return `/**
 * Shape-typed tensors for mimo's generated models (written by \`mimo build\`; shared by every model
 * in this folder).
 */
import type { tf } from ${stringLiteral(runtimeImport)};

/** One dimension: an exact size, or a name bound to one size per call (\`batch\`, \`seq\`). */
export type Dim = number | string;

declare const shapeBrand: unique symbol;

/** The tfjs rank of a shape tuple. */
export type RankOf<S extends readonly Dim[]> = S extends readonly []
  ? tf.Rank.R0
  : S extends readonly [Dim]
    ? tf.Rank.R1
    : S extends readonly [Dim, Dim]
      ? tf.Rank.R2
      : S extends readonly [Dim, Dim, Dim]
        ? tf.Rank.R3
        : S extends readonly [Dim, Dim, Dim, Dim]
          ? tf.Rank.R4
          : S extends readonly [Dim, Dim, Dim, Dim, Dim]
            ? tf.Rank.R5
            : S extends readonly [Dim, Dim, Dim, Dim, Dim, Dim]
              ? tf.Rank.R6
              : tf.Rank;

/** A tensor whose shape is part of its type. Make one with \`shaped\`. */
export type Tensor<S extends readonly Dim[]> = tf.Tensor<RankOf<S>> & { readonly [shapeBrand]: Readonly<S> };

/** Sizes bound to dimension names so far in one call. */
export type Dims = Map<string, number>;

/** A tensor whose shape does not match its declared type. */
export class ShapeError extends Error {
  override readonly name = 'ShapeError';
}

/**
 * Checks \`tensor\` against \`shape\` (binding each named dimension in \`dims\` on first use, and
 * requiring the same size afterwards) and returns it with that type.
 */
export function shaped<const S extends readonly Dim[]>(tensor: tf.Tensor, shape: S, dims: Dims = new Map(), what = 'tensor'): Tensor<S> {
  const expected = \`[\${shape.join(', ')}]\`;
  if (tensor.rank !== shape.length) {
    throw new ShapeError(\`\${what}: expected shape \${expected}, got [\${tensor.shape.join(', ')}]\`);
  }
  shape.forEach((dim, i) => {
    const size = tensor.shape[i];
    if (typeof dim === 'number') {
      if (size !== dim) throw new ShapeError(\`\${what}: dimension \${i} must be \${dim} (shape \${expected}), got \${size}\`);
      return;
    }
    const bound = dims.get(dim);
    if (bound === undefined) dims.set(dim, size);
    else if (bound !== size) throw new ShapeError(\`\${what}: dimension \${i} (\${dim}) is \${size}, but \${dim} is \${bound} elsewhere in this call\`);
  });
  return tensor as Tensor<S>;
}

/** How \`forward\` reads placeholders. */
export interface ForwardOptions {
  /**
   * \`expand\` (default): each placeholder id stands for one whole sense input and becomes all of
   * its embeddings. \`preexpanded\` (Megatron's convention): the prompt already holds one placeholder
   * id per embedding.
   */
  readonly convention?: 'expand' | 'preexpanded';
}
`;
}
