/**
 * Tiled matrix product with fused prologue and epilogues:
 *
 *   C[b, i, j] = Σ_k A'[b, i, k] · B[b, k, j]      (A' = norm(A) row-wise when there is a prologue)
 *
 * A is `[...batchA, M, K]` (`[..., K, M]` with transposeA), B `[...batchB, K, N]` (`[..., N, K]`
 * with transposeB: Hugging Face linear weights `[out, in]` are read in place); leading axes
 * broadcast to `batch`. N may pack several weights side by side (`parts`); each output `o` is
 * `width` columns wide and its value at (row, c) is its program with `acc(p)` = C[row,
 * parts[p].start + c] — a plain linear, a bias/activation/residual epilogue, SwiGLU
 * (silu(gate)·up over two parts) or one of Q/K/V over a packed QKV weight. An output may rotate
 * each head afterwards (RoPE, rotate-half): its tile columns are permuted so every thread holds
 * both halves of the rotated pairs it writes.
 *
 * Each workgroup computes a TM×TN tile of one output, stepping over K in TK slices staged in
 * workgroup memory; each invocation accumulates RM×RN values per part. Tiles past M, N or K are
 * zero-filled, so any size works. For a fallback adapter (WebGPU run on the CPU) the tiles are
 * unstaged: each invocation reads its rows and columns from storage at clamped indices, with no
 * barriers in the K loop (`chooseMatmulTile(m, parts, 'cpu')`).
 */
import { ShaderBuilder, f32Literal, indent, type OperandRef } from './builder.js';
import { loadRefs } from './elementwise.js';
import { broadcastIndex, broadcastsTo, unravel, product } from './layout.js';
import { compileProgram, programUses } from './program.js';
import { inverseFrequencyTable } from './rotary.js';
import type { KernelSource, NormFn, Program, TensorArg } from './types.js';
import { WgslDescriptorError } from './types.js';

export interface MatmulTile {
  readonly threadsX: number;
  readonly threadsY: number;
  readonly rowsPerThread: number;
  /** Even (rotary pairs stay within one invocation). */
  readonly colsPerThread: number;
  readonly tileK: number;
  /**
   * Stage K slices of A and B in workgroup memory (default) or read them straight from storage.
   * GPUs want staging; adapters that run on the CPU (lavapipe, SwiftShader) run barriers as
   * coroutine switches and lose more to them than caches lose to repeated reads.
   */
  readonly staged?: boolean;
}

/** The kind of WebGPU adapter kernels are tuned for: a GPU, or a fallback adapter emulated on the CPU. */
export type AdapterClass = 'gpu' | 'cpu';

export interface MatmulRope {
  /** int32 positions `[...batch, m]` (broadcast). */
  readonly positions: TensorArg;
  readonly theta: number;
  readonly rotaryDim: number;
  readonly headDim: number;
}

export interface MatmulOutputDesc {
  /** `[...batch, m, width]`. */
  readonly out: TensorArg;
  readonly width: number;
  readonly program: Program;
  readonly rope?: MatmulRope;
}

export interface MatmulDesc {
  readonly label?: string;
  readonly a: TensorArg;
  readonly b: TensorArg;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  readonly m: number;
  readonly n: number;
  readonly k: number;
  /** Leading (broadcast) axes of the outputs; [] for a plain 2-D product. */
  readonly batch: readonly number[];
  /** Normalise each row of A over K first (LayerNorm with beta, or RMSNorm). */
  readonly prologue?: { readonly fn: NormFn; readonly eps: number; readonly gamma: TensorArg; readonly beta?: TensorArg };
  /** Column ranges of the packed N; default one part `[0, n)`. */
  readonly parts?: readonly { readonly start: number; readonly end: number }[];
  readonly outputs: readonly MatmulOutputDesc[];
  /** Operands the output programs' `load`s index. */
  readonly loads?: readonly TensorArg[];
  /** The adapter the default tile is chosen for (ignored with `tile`); default 'gpu'. */
  readonly adapter?: AdapterClass;
  readonly tile?: MatmulTile;
}

/**
 * GPU tiles: 64×64 for large M, 16×64 for medium, 4×128 for a few rows, and 1×128 for one row (a
 * decode step per sample: every invocation has a column to compute instead of one in four).
 */
export function chooseMatmulTile(m: number, partsPerOutput: number, adapter: AdapterClass = 'gpu'): MatmulTile {
  if (adapter === 'cpu') return chooseCpuAdapterTile(m, partsPerOutput);
  const tk = partsPerOutput > 2 ? 8 : 16;
  if (m >= 48) return { threadsX: 16, threadsY: 16, rowsPerThread: 4, colsPerThread: 4, tileK: tk };
  if (m > 4) return { threadsX: 16, threadsY: 8, rowsPerThread: 2, colsPerThread: 4, tileK: tk };
  if (m > 1) return { threadsX: 32, threadsY: 4, rowsPerThread: 1, colsPerThread: 4, tileK: partsPerOutput > 1 ? 4 : 8 };
  return { threadsX: 32, threadsY: 1, rowsPerThread: 1, colsPerThread: 4, tileK: partsPerOutput > 1 ? 8 : 16 };
}

/**
 * Tiles for an adapter emulated on the CPU: no staging, so no barriers, and large per-invocation
 * blocks (more multiply-adds per load). Measured on lavapipe: see docs/benchmarks.md.
 */
function chooseCpuAdapterTile(m: number, partsPerOutput: number): MatmulTile {
  const unstaged = { tileK: 16, staged: false } as const;
  if (m >= 48) return { threadsX: 8, threadsY: 8, rowsPerThread: 8, colsPerThread: partsPerOutput > 1 ? 4 : 8, ...unstaged };
  if (m > 4) return { threadsX: 16, threadsY: 2, rowsPerThread: 8, colsPerThread: 4, ...unstaged };
  if (m > 1) return { threadsX: 32, threadsY: 4, rowsPerThread: 1, colsPerThread: 4, ...unstaged };
  return { threadsX: 32, threadsY: 1, rowsPerThread: 1, colsPerThread: 4, ...unstaged };
}

const SHARED_LIMIT_BYTES = 16384;

export function matmulKernel(desc: MatmulDesc): KernelSource {
  const label = desc.label ?? 'matmul';
  const fail = (msg: string): never => {
    throw new WgslDescriptorError(label, msg);
  };
  const { m, n, k } = desc;
  const batch = desc.batch;
  const parts = desc.parts ?? [{ start: 0, end: n }];
  const loads = desc.loads ?? [];
  if (desc.outputs.length === 0) fail('a matmul needs at least one output');
  for (const p of parts) if (p.start < 0 || p.end > n || p.start >= p.end) fail(`part [${p.start}, ${p.end}) is outside N = ${n}`);
  const aWant = desc.transposeA ? [k, m] : [m, k];
  const bWant = desc.transposeB ? [n, k] : [k, n];
  checkMatrix(label, 'A', desc.a, aWant, batch);
  checkMatrix(label, 'B', desc.b, bWant, batch);
  const outShape = (w: number): number[] => [...batch, m, w];

  // Parts each output reads, in slot order.
  const slots = desc.outputs.map((o) => {
    const used = programUses(o.program);
    if (used.parts.length === 0) fail('an output program reads no accumulator');
    for (const p of used.parts) {
      const part = parts[p];
      if (part === undefined) fail(`an output reads part ${p} but there are ${parts.length}`);
      if (part.end - part.start < o.width) fail(`part ${p} is ${part.end - part.start} columns wide, narrower than its output (${o.width})`);
    }
    return used.parts;
  });
  const P = Math.max(...slots.map((s) => s.length));
  const tile = desc.tile ?? chooseMatmulTile(m, P, desc.adapter);
  const { threadsX: TX, threadsY: TY, rowsPerThread: RM, colsPerThread: RN, tileK: TK } = tile;
  const T = TX * TY;
  const TM = TY * RM;
  const TN = TX * RN;
  if (RN % 2 !== 0) fail('colsPerThread must be even');
  if (T % TM !== 0) fail('threads must be a multiple of the tile rows');
  const staged = tile.staged ?? true;
  const sharedBytes = 4 * ((staged ? TK * TM + P * TK * TN : 0) + (desc.prologue ? 2 * TM + T : 0));
  if (sharedBytes > SHARED_LIMIT_BYTES) fail(`tile needs ${sharedBytes} bytes of workgroup memory (limit ${SHARED_LIMIT_BYTES})`);

  const b = new ShaderBuilder(label);
  const A = b.operand(desc.a, false);
  const B = b.operand(desc.b, false);
  const gamma = desc.prologue ? b.operand(desc.prologue.gamma, false) : undefined;
  const beta = desc.prologue?.beta ? b.operand(desc.prologue.beta, false) : undefined;
  if (desc.prologue) {
    if (product(desc.prologue.gamma.shape) !== k) fail(`prologue gamma has ${product(desc.prologue.gamma.shape)} elements, K is ${k}`);
    if (desc.prologue.fn === 'layernorm' && desc.prologue.beta === undefined) fail('a layernorm prologue needs beta');
  }
  const outRefs = desc.outputs.map((o) => {
    const want = outShape(o.width);
    if (!sameShape(o.out.shape, want)) fail(`output shape [${o.out.shape.join(', ')}] is not [${want.join(', ')}]`);
    return b.operand(o.out, true);
  });
  const posRefs = desc.outputs.map((o) => {
    if (o.rope === undefined) return undefined;
    const r = o.rope;
    if (r.headDim % 2 !== 0 || r.rotaryDim % 2 !== 0 || r.rotaryDim > r.headDim || r.rotaryDim <= 0) fail(`rotary dims ${r.rotaryDim}/${r.headDim} must be even with 0 < rotaryDim ≤ headDim`);
    if (o.width % r.headDim !== 0) fail(`output width ${o.width} is not a multiple of headDim ${r.headDim}`);
    if (!broadcastsTo(r.positions.shape, [...batch, m])) fail(`positions [${r.positions.shape.join(', ')}] do not broadcast to [${[...batch, m].join(', ')}]`);
    return b.operand(r.positions, false);
  });
  const loadRef = new Map<number, OperandRef>();
  desc.outputs.forEach((o) => {
    const refs = loadRefs(b, label, loads, programUses(o.program).loads.filter((l) => !loadRef.has(l)), outShape(o.width));
    refs.forEach((v, key) => loadRef.set(key, v));
  });

  const bidx = unravel('bz', batch);
  const aAt = (row: string, kk: string): string => b.load(A, broadcastIndex(desc.a.shape, [...bidx, ...(desc.transposeA ? [kk, row] : [row, kk])], [...batch, ...aWant]));
  const bAt = (kk: string, col: string): string => b.load(B, broadcastIndex(desc.b.shape, [...bidx, ...(desc.transposeB ? [col, kk] : [kk, col])], [...batch, ...bWant]));

  // Tiles per output along x.
  const tilesPer = desc.outputs.map((o) => Math.ceil(o.width / TN));
  const tileStart: number[] = [];
  tilesPer.reduce((s, t) => (tileStart.push(s), s + t), 0);
  const totalTiles = tilesPer.reduce((s, t) => s + t, 0);
  const anyRope = desc.outputs.some((o) => o.rope !== undefined);

  const decl: string[] = [];
  if (staged) {
    decl.push(`var<workgroup> sA: array<f32, ${TK * TM}>;`);
    decl.push(`var<workgroup> sB: array<f32, ${P * TK * TN}>;`);
  }
  if (desc.prologue) {
    decl.push(`var<workgroup> sMean: array<f32, ${TM}>;`);
    decl.push(`var<workgroup> sRstd: array<f32, ${TM}>;`);
    decl.push(`var<workgroup> sRed: array<f32, ${T}>;`);
  }
  const NO = desc.outputs.length;
  decl.push(`const NP = array<u32, ${NO}>(${slots.map((s) => `${s.length}u`).join(', ')});`);
  decl.push(`const WIDTH = array<u32, ${NO}>(${desc.outputs.map((o) => `${o.width}u`).join(', ')});`);
  const pstart = slots.flatMap((s) => Array.from({ length: P }, (_, i) => (i < s.length ? parts[s[i]].start : 0)));
  decl.push(`const PSTART = array<u32, ${NO * P}>(${pstart.map((v) => `${v}u`).join(', ')});`);
  if (anyRope) {
    decl.push(`const HD = array<u32, ${NO}>(${desc.outputs.map((o) => `${o.rope?.headDim ?? 0}u`).join(', ')});`);
    decl.push(`const ROT = array<u32, ${NO}>(${desc.outputs.map((o) => `${o.rope?.rotaryDim ?? 0}u`).join(', ')});`);
    decl.push(`// Tile column t of output o → its column: rotated pairs (d, d + rot/2) of each head sit side by side.
fn colmap(o: u32, t: u32) -> u32 {
  let rot = ROT[o];
  if (rot == 0u) { return t; }
  let hd = HD[o];
  let d = t % hd;
  if (d >= rot) { return t; }
  return t - d + d / 2u + (d % 2u) * (rot / 2u);
}`);
    desc.outputs.forEach((o, i) => {
      if (o.rope) decl.push(inverseFrequencyTable(`INV_FREQ${i}`, o.rope.theta, o.rope.rotaryDim));
    });
  }
  const colmap = (t: string): string => (anyRope ? `colmap(o, ${t})` : t);

  const body: string[] = [];
  body.push(`let tx = lid % ${TX}u;`, `let ty = lid / ${TX}u;`, `let bz = wid.z;`);
  body.push('var o = 0u;', 'var ct = wid.x;');
  for (let i = 1; i < NO; i++) body.push(`if (wid.x >= ${tileStart[i]}u) { o = ${i}u; ct = wid.x - ${tileStart[i]}u; }`);
  body.push(`let row0 = wid.y * ${TM}u;`, `let col0 = ct * ${TN}u;`, 'let np = NP[o];', 'let width = WIDTH[o];');

  if (desc.prologue) {
    const G = T / TM;
    const ln = desc.prologue.fn === 'layernorm';
    body.push(`// Row statistics of the tile's rows (${G} invocations per row), two passes.
let pr = lid / ${G}u;
let pg = lid % ${G}u;
let prow = row0 + pr;
let gLoop = ${b.param(G)};
${
  ln
    ? `var psum = 0.0;
if (prow < ${m}u) { for (var kk = pg; kk < ${k}u; kk += ${G}u) { psum += ${aAt('prow', 'kk')}; } }
sRed[lid] = psum;
workgroupBarrier();
if (pg == 0u) { var t = 0.0; for (var g = 0u; g < gLoop; g++) { t += sRed[lid + g]; } sMean[pr] = t / ${f32Literal(k)}; }
workgroupBarrier();
let pmean = sMean[pr];`
    : 'let pmean = 0.0;'
}
var psq = 0.0;
if (prow < ${m}u) { for (var kk = pg; kk < ${k}u; kk += ${G}u) { let dv = ${aAt('prow', 'kk')} - pmean; psq += dv * dv; } }
sRed[lid] = psq;
workgroupBarrier();
if (pg == 0u) { var t = 0.0; for (var g = 0u; g < gLoop; g++) { t += sRed[lid + g]; } sRstd[pr] = 1.0 / sqrt(t / ${f32Literal(k)} + ${f32Literal(desc.prologue.eps)}); }
workgroupBarrier();`);
  }
  const normed = desc.prologue
    ? `v = (v - ${desc.prologue.fn === 'layernorm' ? 'sMean[r]' : '0.0'}) * sRstd[r] * ${b.load(gamma as OperandRef, unravel('kg', desc.prologue.gamma.shape))}${
        beta ? ` + ${b.load(beta, unravel('kg', (desc.prologue.beta as TensorArg).shape))}` : ''
      };`
    : '';
  const bLoadIndex = desc.transposeB ? `let c = e / ${TK}u;\n    let kk = e % ${TK}u;` : `let kk = e / ${TN}u;\n    let c = e % ${TN}u;`;
  // Accumulators are named scalars (c_slot_row_col) and the micro-kernel is unrolled here: a
  // private array indexed by loop variables becomes an if-ladder on some drivers (lavapipe).
  const accName = (slot: number, r: number, j: number): string => `c${slot}_${r}_${j}`;
  const decls: string[] = [];
  for (let sl = 0; sl < P; sl++) for (let r = 0; r < RM; r++) for (let j = 0; j < RN; j++) decls.push(`var ${accName(sl, r, j)} = 0.0;`);
  const micro: string[] = [];
  for (let r = 0; r < RM; r++) micro.push(`let a${r} = sA[kk * ${TM}u + ty${r === 0 ? '' : ` + ${r * TY}u`}];`);
  for (let sl = 0; sl < P; sl++) {
    const lines: string[] = [];
    for (let j = 0; j < RN; j++) {
      lines.push(`let b${j} = sB[${sl * TK * TN}u + kk * ${TN}u + tx * ${RN}u${j === 0 ? '' : ` + ${j}u`}];`);
      for (let r = 0; r < RM; r++) lines.push(`${accName(sl, r, j)} += a${r} * b${j};`);
    }
    micro.push(sl === 0 ? `{\n${indent(lines.join('\n'), '  ')}\n}` : `if (np > ${sl}u) {\n${indent(lines.join('\n'), '  ')}\n}`);
  }
  if (!staged) {
    body.push(decls.join('\n'), unstagedLoop());
  } else body.push(`${decls.join('\n')}
let kLoop = ${b.param(k)};
let tkLoop = ${b.param(TK)};
for (var k0 = 0u; k0 < kLoop; k0 += ${TK}u) {
  for (var e = lid; e < ${TM * TK}u; e += ${T}u) {
    let r = e / ${TK}u;
    let kk = e % ${TK}u;
    let row = row0 + r;
    let kg = k0 + kk;
    var v = 0.0;
    if (row < ${m}u && kg < ${k}u) {
      v = ${aAt('row', 'kg')};
      ${normed}
    }
    sA[kk * ${TM}u + r] = v;
  }
  for (var s = 0u; s < np; s++) {
    let ps = PSTART[o * ${P}u + s];
    for (var e = lid; e < ${TK * TN}u; e += ${T}u) {
      ${bLoadIndex}
      let t = col0 + c;
      let kg = k0 + kk;
      var v = 0.0;
      if (t < width && kg < ${k}u) { v = ${bAt('kg', `ps + ${colmap('t')}`)}; }
      sB[(s * ${TK}u + kk) * ${TN}u + c] = v;
    }
  }
  workgroupBarrier();
  for (var kk = 0u; kk < tkLoop; kk++) {
${indent(micro.join('\n'), '    ')}
  }
  workgroupBarrier();
}`);

  /**
   * The K loop without staging: each invocation reads its RM rows of A and RN columns of each
   * part of B from storage. Out-of-range rows and columns read a clamped (valid) index; their
   * results are never stored.
   */
  function unstagedLoop(): string {
    const lines: string[] = [];
    for (let r = 0; r < RM; r++) lines.push(`let ar${r} = min(row0 + ty + ${r * TY}u, ${m - 1}u);`);
    for (let j = 0; j < RN; j++) lines.push(`let tc${j} = ${colmap(`min(col0 + tx * ${RN}u + ${j}u, width - 1u)`)};`);
    for (let sl = 0; sl < P; sl++) lines.push(`let ps${sl} = PSTART[o * ${P}u + ${sl}u];`);
    const pro = desc.prologue;
    if (pro) for (let r = 0; r < RM; r++) lines.push(`let mean${r} = ${pro.fn === 'layernorm' ? `sMean[ty + ${r * TY}u]` : '0.0'};`, `let rstd${r} = sRstd[ty + ${r * TY}u];`);
    const step: string[] = [];
    if (pro) {
      step.push(`let g = ${b.load(gamma as OperandRef, unravel('kg', pro.gamma.shape))};`);
      step.push(`let bt = ${beta ? b.load(beta, unravel('kg', (pro.beta as TensorArg).shape)) : '0.0'};`);
    }
    for (let r = 0; r < RM; r++) step.push(pro ? `let av${r} = (${aAt(`ar${r}`, 'kg')} - mean${r}) * rstd${r} * g + bt;` : `let av${r} = ${aAt(`ar${r}`, 'kg')};`);
    for (let sl = 0; sl < P; sl++) {
      const part: string[] = [];
      for (let j = 0; j < RN; j++) {
        part.push(`let bv${j} = ${bAt('kg', `ps${sl} + tc${j}`)};`);
        for (let r = 0; r < RM; r++) part.push(`${accName(sl, r, j)} += av${r} * bv${j};`);
      }
      step.push(sl === 0 ? `{\n${indent(part.join('\n'), '  ')}\n}` : `if (np > ${sl}u) {\n${indent(part.join('\n'), '  ')}\n}`);
    }
    lines.push(`let kLoop = ${b.param(k)};
for (var kg = 0u; kg < kLoop; kg++) {
${indent(step.join('\n'), '  ')}
}`);
    return lines.join('\n');
  }

  // Epilogues, one switch case per output. Each walks its RM×RN results (pairs, with RoPE) in a
  // loop and fetches the accumulators through a small switch, so the program and the store are
  // emitted once per output rather than once per result (compile time on LLVM drivers).
  const slotValues = (oi: number, step: number, names: (slot: number, j: number) => string): string => {
    const cases: string[] = [];
    for (let r = 0; r < RM; r++) {
      for (let j = 0; j < RN; j += step) {
        const sets: string[] = [];
        for (let sl = 0; sl < slots[oi].length; sl++) for (let q = 0; q < step; q++) sets.push(`${names(sl, q)} = ${accName(sl, r, j + q)};`);
        cases.push(`case ${(r * RN + j) / step}u: { ${sets.join(' ')} }`);
      }
    }
    return `switch e {\n${indent(cases.join('\n'), '  ')}\n  default: {}\n}`;
  };
  const cases = desc.outputs.map((o, oi) => {
    const shape = outShape(o.width);
    const step = o.rope === undefined ? 1 : 2;
    const valueAt = (col: string, q: number, prefix: string): { code: string; value: string } =>
      compileProgram(
        label,
        o.program,
        {
          load: (l) => b.load(loadRef.get(l) as OperandRef, broadcastIndex(loads[l].shape, [...bidx, 'row', col], shape)),
          acc: (p) => `v${slots[oi].indexOf(p)}_${q}`,
        },
        prefix,
      );
    const store = (col: string, value: string): string => b.store(outRefs[oi], [...bidx, 'row', col], value);
    const decls: string[] = [];
    for (let sl = 0; sl < slots[oi].length; sl++) for (let q = 0; q < step; q++) decls.push(`var v${sl}_${q} = 0.0;`);
    const head = `for (var e = 0u; e < ${(RM * RN) / step}u; e++) {
  let row = row0 + ty + (e / ${RN / step}u) * ${TY}u;
  let t = col0 + tx * ${RN}u + (e % ${RN / step}u) * ${step}u;
  if (row >= ${m}u || t >= ${o.width}u) { continue; }
${indent(decls.join('\n'), '  ')}
${indent(slotValues(oi, step, (sl, q) => `v${sl}_${q}`), '  ')}`;
    let inner: string;
    if (o.rope === undefined) {
      const v = valueAt('t', 0, 'x');
      inner = `${v.code}
${store('t', v.value)}`;
    } else {
      const rp = o.rope;
      const v0 = valueAt('c0', 0, 'x');
      const v1 = valueAt('c1', 1, 'y');
      const pos = b.load(posRefs[oi] as OperandRef, broadcastIndex(rp.positions.shape, [...bidx, 'row'], [...batch, m]));
      inner = `let c0 = colmap(o, t);
let c1 = colmap(o, t + 1u);
${v0.code}
${v1.code}
let d = t % ${rp.headDim}u;
if (d < ${rp.rotaryDim}u) {
  let cs = mimo_cos_sin(${pos} * INV_FREQ${oi}[d / 2u]);
  ${store('c0', `${v0.value} * cs.x - ${v1.value} * cs.y`)}
  ${store('c1', `${v1.value} * cs.x + ${v0.value} * cs.y`)}
} else {
  ${store('c0', v0.value)}
  ${store('c1', v1.value)}
}`;
    }
    return `case ${oi}u: {
${indent(`${head}
${indent(inner, '  ')}
}`, '  ')}
}`;
  });
  body.push(`switch o {\n${indent(cases.join('\n'), '  ')}\n  default: {}\n}`);
  const batchCount = product(batch);
  if (batchCount > 65535) fail(`batch ${batchCount} exceeds 65535`);
  return b.finish({
    declarations: decl.join('\n'),
    workgroupSize: [T],
    body: body.join('\n'),
    workgroups: [totalTiles, Math.ceil(m / TM), batchCount],
  });
}

function checkMatrix(label: string, name: string, t: TensorArg, want: readonly number[], batch: readonly number[]): void {
  const r = t.shape.length;
  if (r < 2 || t.shape[r - 2] !== want[0] || t.shape[r - 1] !== want[1] || !broadcastsTo(t.shape, [...batch, ...want])) {
    throw new WgslDescriptorError(label, `${name} is [${t.shape.join(', ')}], expected [..., ${want.join(', ')}] broadcasting to batch [${batch.join(', ')}]`);
  }
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
