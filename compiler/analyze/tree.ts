/**
 * Small builders for the parameter and FLOP trees, so each analysis reads as a list of modules.
 * Arithmetic is in BigInt from the first multiplication: a single product such as
 * vocab x hidden x bytes can pass 2^53 for large models.
 */
import type { FlopNode, ParamNode } from './types.js';

/** The product of integers as a BigInt (each factor is a safe integer). */
export function mul(a: number, b: number, c = 1, d = 1): bigint {
  // Products of two safe integers below 2^26 each are exact in doubles; go BigInt only when needed.
  const ab = a * b;
  const head = Number.isSafeInteger(ab) ? BigInt(ab) : BigInt(a) * BigInt(b);
  const cd = c * d;
  return Number.isSafeInteger(cd) ? head * BigInt(cd) : head * BigInt(c) * BigInt(d);
}

export function sum(values: readonly bigint[]): bigint {
  let total = 0n;
  for (const value of values) total += value;
  return total;
}

/** A leaf of stored weights; `trainable` says whether they take gradients. */
export function paramLeaf(name: string, params: bigint, trainable: boolean, note: string): ParamNode {
  return { name, note, params, trainable: trainable ? params : 0n, children: [] };
}

export function paramGroup(name: string, note: string, children: readonly ParamNode[]): ParamNode {
  return {
    name,
    note,
    params: sum(children.map((c) => c.params)),
    trainable: sum(children.map((c) => c.trainable)),
    children,
  };
}

export function flopLeaf(name: string, flops: bigint, note: string): FlopNode {
  return { name, note, flops, children: [] };
}

export function flopGroup(name: string, note: string, children: readonly FlopNode[]): FlopNode {
  return { name, note, flops: sum(children.map((c) => c.flops)), children };
}

/** A matmul of an (m x k) by a (k x n) matrix: m*n*k multiply-adds, 2 FLOPs each. */
export function matmulFlops(m: number, n: number, k: number): bigint {
  return 2n * mul(m, n, k);
}

/** Every node with its dotted path, parents before children (for tables and `by_module`). */
export function flatten<T extends { readonly name: string; readonly children: readonly T[] }>(
  root: T,
): { readonly path: string; readonly depth: number; readonly node: T }[] {
  const rows: { path: string; depth: number; node: T }[] = [];
  const visit = (node: T, prefix: string, depth: number): void => {
    for (const child of node.children) {
      const path = prefix === '' ? child.name : `${prefix}.${child.name}`;
      rows.push({ path, depth, node: child });
      visit(child, path, depth + 1);
    }
  };
  visit(root, '', 0);
  return rows;
}

/** The node at a dotted path below `root`, if any. */
export function findNode<T extends { readonly name: string; readonly children: readonly T[] }>(
  root: T,
  segments: readonly string[],
): T | undefined {
  let node: T | undefined = root;
  for (const segment of segments) {
    node = node.children.find((c: T) => c.name === segment);
    if (node === undefined) return undefined;
  }
  return node;
}
