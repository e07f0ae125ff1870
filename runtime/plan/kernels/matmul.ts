/**
 * `matmul` kernels → `tf.fused.matMul` on 2-D operands: tfjs-wasm runs only unbatched,
 * untransposed products on XNNPACK, so a weight B is transposed once at load time (HF `[out, in]`
 * → `[in, out]`) and A's leading axes are folded into rows. The epilogue's bias add and a relu or
 * sigmoid run inside the fused kernel; for packed projections (q|k|v) the biases are packed once
 * into one vector (zeros where a part has none: adding 0 is exact) so the whole pack is ONE fused
 * product, then split. Whatever else the program says (GELU forms, SiLU gates, residual adds,
 * scales) runs as tfjs ops on the product; rotary outputs are rotated with per-forward tables.
 *
 * A norm prologue normalizes A's rows first. With a weight B its gain and shift move into the
 * weights at load time — (x̂·γ + β)·B = x̂·(diag(γ)·B) + β·B — so a forward only computes x̂ and the
 * shift joins the fused bias (the same algebra, rounded in another order).
 */
import { tf } from '../../backend/tf.js';
import { type FusedCore, accParts, evalProgram, fusedCore } from '../program.js';
import type { MatmulParams, PlanKernelOf } from '../types.js';
import type { KernelStep, KernelWrite, LoadContext } from './context.js';
import { fusedMatMul3d, matMul3d } from './direct.js';
import { applyRope, normalize, normRows, rank1, ropeTables, rotateHalfMatrix, rowwise } from './math.js';

type Activation = 'linear' | 'relu' | 'sigmoid';

export function compileMatmul(kernel: PlanKernelOf<'matmul'>, load: LoadContext): KernelStep {
  const p = kernel.params;
  const [aOp, bOp] = kernel.inputs;
  const weightB = !p.transposeA && bOp.shape.length === 2 && load.isPersistent(1);
  const isBias = (width: number) => (input: number): boolean => {
    const op = kernel.inputs[input];
    return load.isPersistent(input) && op.shape[op.shape.length - 1] === width && op.shape.every((d, i) => i === op.shape.length - 1 || d === 1);
  };
  const cores = p.outputs.map((o) => (weightB ? fusedCore(o.program, isBias(o.width)) : undefined));
  const fusion = weightB ? planFusion(p, cores, load) : undefined;
  const prologue = p.prologue;
  const folded = weightB && prologue !== null && load.isPersistent(prologue.gamma) && (prologue.beta === null || load.isPersistent(prologue.beta));
  // The weight as the backend kernel takes it, [1, k, n] (see direct.ts), with a folded norm's γ.
  let weight: tf.Tensor3D | undefined;
  let bias: tf.Tensor1D | undefined = fusion?.bias ?? undefined;
  if (weightB) {
    tf.tidy(() => {
      const b = tf.reshape(p.transposeB ? tf.transpose(load.take(1)) : load.take(1), [1, p.k, p.n]) as tf.Tensor3D;
      if (!folded || prologue === null) {
        weight = load.own(b);
        return;
      }
      weight = load.own(tf.mul(b, tf.reshape(load.take(prologue.gamma), [1, p.k, 1])) as tf.Tensor3D);
      if (prologue.beta !== null) {
        const shift = tf.reshape(matMul3d(tf.reshape(load.take(prologue.beta), [1, 1, p.k]), b), [p.n]);
        bias = load.own(rank1(bias === undefined ? shift : tf.add(bias, shift)));
      }
    });
  }
  const ropes = p.outputs.map((o, j) => {
    const r = o.rope;
    if (r === null) return null;
    load.needsHost(r.positions);
    return { ...r, rotate: load.own(tf.tidy(() => tf.reshape(rotateHalfMatrix(r.headDim, r.rotaryDim), [1, r.headDim, r.headDim]))), output: j, heads: o.width / r.headDim };
  });
  const rows = aOp.shape.slice(0, -1).reduce((x, y) => x * y, 1);
  const partWidths = p.parts.map((q) => q.end - q.start);
  const tiled = p.parts.every((q, i) => q.start === (i === 0 ? 0 : p.parts[i - 1].end)) && p.parts[p.parts.length - 1].end === p.n;

  // With a 2-D weight the epilogue runs on the [rows, width] product as it comes, when every load
  // is the output itself (a residual) or broadcasts along the rows (a bias); else at the output's shape.
  const flat = weightB && p.outputs.every((o, j) => o.program.every((ins) => ins.op !== 'load' || rowwise(kernel.inputs[ins.input].shape, kernel.outputs[j].shape)));
  return (ctx) => {
    let a = weight !== undefined ? ctx.read(0, undefined, [1, rows, p.k]) : ctx.read(0);
    if (prologue !== null) {
      a = folded ? normalize(a, prologue.fn, prologue.eps) : normRows(a, prologue.fn, prologue.eps, ctx.read(prologue.gamma), prologue.beta === null ? null : ctx.read(prologue.beta));
    }
    let product: tf.Tensor;
    if (weight !== undefined) {
      product = fusedMatMul3d(a, weight, bias, fusion?.activation ?? 'linear');
    } else {
      product = tf.matMul(a, ctx.read(1), p.transposeA, p.transposeB);
    }
    // Intermediates this step made are freed as soon as they are read (not at the step's end):
    // the normalized input once the product exists, the packed product once split.
    if (prologue !== null) a.dispose();
    const parts = splitParts(product, partWidths, tiled, p.parts);
    if (!parts.includes(product)) product.dispose();
    const writes: KernelWrite[] = p.outputs.map((o, j) => {
      const shape = kernel.outputs[j].shape;
      const working = flat ? [1, rows, o.width] : shape;
      const part = (index: number): tf.Tensor => (parts[index].shape.join() === working.join() ? parts[index] : tf.reshape(parts[index], [...working]));
      const load = (i: number): tf.Tensor => (flat && kernel.inputs[i].shape.join() === shape.join() ? ctx.read(i, undefined, working) : ctx.read(i));
      const core = fusion === undefined ? undefined : fusion.cores[j];
      const preset = new Map<number, tf.Tensor>();
      if (core !== undefined) preset.set(core.register, part(core.part));
      let y = evalProgram(o.program, { load, acc: part }, preset);
      const rope = ropes[j];
      if (rope !== null) {
        const tables = ctx.memo(`rope:${ctx.operandKey(rope.positions)}:${rope.theta}:${rope.rotaryDim}:${rope.headDim}:${rope.heads}`, () => {
          const t = ropeTables(ctx.hostInts(rope.positions), rope.headDim, rope.rotaryDim, rope.theta, rope.heads);
          return [t.cos, t.sin];
        });
        y = applyRope(y, { cos: tables[0], sin: tables[1] }, rope.rotate, rope.headDim);
      }
      return { output: j, tensor: y };
    });
    return writes;
  };
}

/** The product split into its packed parts (one `split` when the parts tile N in order). */
function splitParts(product: tf.Tensor, widths: readonly number[], tiled: boolean, parts: MatmulParams['parts']): tf.Tensor[] {
  if (parts.length === 1 && widths[0] === product.shape[product.rank - 1]) return [product];
  if (tiled) return tf.split(product, [...widths], -1);
  return parts.map((q) => {
    const begin = product.shape.map(() => 0);
    const size = product.shape.map(() => -1);
    begin[begin.length - 1] = q.start;
    size[size.length - 1] = q.end - q.start;
    return tf.slice(product, begin, size);
  });
}

interface Fusion {
  readonly bias: tf.Tensor1D | null;
  readonly activation: Activation;
  /** Per output: the register the fused product stands for. */
  readonly cores: readonly FusedCore[];
}

/**
 * What the one fused product can carry: every output must start with its own core on its own part,
 * the parts must tile N in order, and all cores must agree on the activation. Biases are packed
 * into one `[N]` vector at load time.
 */
function planFusion(p: MatmulParams, cores: readonly (FusedCore | undefined)[], load: LoadContext): Fusion | undefined {
  if (cores.some((c) => c === undefined)) return undefined;
  const list = cores as FusedCore[];
  const parts = list.map((c) => c.part);
  if (new Set(parts).size !== parts.length || parts.length !== p.parts.length) return undefined;
  if (p.outputs.some((o, j) => accParts(o.program).length !== 1 || accParts(o.program)[0] !== list[j].part)) return undefined;
  const activations = new Set(list.map((c) => c.activation));
  if (activations.size !== 1) {
    // Mixed activations: fuse only the biases.
    return planFusion(p, list.map((c) => ({ ...c, activation: null, register: c.preActivation })), load);
  }
  const tiled = p.parts.every((q, i) => q.start === (i === 0 ? 0 : p.parts[i - 1].end)) && p.parts[p.parts.length - 1].end === p.n;
  if (!tiled) return undefined;
  const activation: Activation = list[0].activation ?? 'linear';
  if (list.every((c) => c.bias === null)) return { bias: null, activation, cores: list };
  const bias = load.own(
    tf.tidy(() => {
      const pieces = p.parts.map((q, partIndex) => {
        const core = list.find((c) => c.part === partIndex) as FusedCore;
        return core.bias === null ? tf.zeros([q.end - q.start]) : tf.reshape(load.take(core.bias), [q.end - q.start]);
      });
      return rank1(pieces.length === 1 ? pieces[0] : tf.concat(pieces));
    }),
  );
  return { bias, activation, cores: list };
}
