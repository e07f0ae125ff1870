/**
 * Device profiles for the cost model. Every figure names its source: vendor datasheets for peak
 * rates and bandwidth (dense figures, i.e. without the 2:4 sparsity doubling), measurements on
 * this machine for the CPU, and a stated estimate where no vendor publishes a number (launch
 * overheads). `matrix` peaks apply to the products (matmul, conv, attention's two products);
 * `vector` peaks to everything else.
 */
import type { IrDType } from '../ir/types.js';

export type TargetId = 'h100' | 'a100' | 'l4' | 'laptop' | 'cpu';

export type FloatDType = Exclude<IrDType, 'int32'>;

export interface DeviceProfile {
  readonly id: TargetId;
  readonly name: string;
  /** FLOP/s of matrix products by operand dtype. */
  readonly matrixFlops: Readonly<Record<FloatDType, number>>;
  /** FLOP/s of elementwise and reduction work (any dtype; computed in float32). */
  readonly vectorFlops: number;
  /** Bytes/s of device memory. */
  readonly bandwidth: number;
  /** Seconds of fixed cost per kernel launch or dispatch. */
  readonly launchOverhead: number;
  /** Where each figure comes from. */
  readonly sources: Readonly<Record<'matrixFlops' | 'vectorFlops' | 'bandwidth' | 'launchOverhead', string>>;
}

const T = 1e12;
const G = 1e9;

export const DEVICES: Readonly<Record<TargetId, DeviceProfile>> = {
  h100: {
    id: 'h100',
    name: 'NVIDIA H100 SXM5 80GB',
    // float32 products run on the FP32 units (no TF32 rounding), half types on dense tensor cores.
    matrixFlops: { float32: 67 * T, float16: 989.4 * T, bfloat16: 989.4 * T },
    vectorFlops: 67 * T,
    bandwidth: 3.35e12,
    launchOverhead: 4e-6,
    sources: {
      matrixFlops: 'NVIDIA H100 Tensor Core GPU datasheet (H100 SXM): FP32 67 TFLOPS; BF16/FP16 Tensor Core 1,979 TFLOPS with sparsity, 989.4 dense',
      vectorFlops: 'NVIDIA H100 Tensor Core GPU datasheet (H100 SXM): FP32 67 TFLOPS',
      bandwidth: 'NVIDIA H100 Tensor Core GPU datasheet (H100 SXM): GPU memory bandwidth 3.35 TB/s (HBM3)',
      launchOverhead: 'estimate: a few µs per launch without CUDA Graphs (NVIDIA Technical Blog, "Getting Started with CUDA Graphs", 2019)',
    },
  },
  a100: {
    id: 'a100',
    name: 'NVIDIA A100 80GB SXM',
    matrixFlops: { float32: 19.5 * T, float16: 312 * T, bfloat16: 312 * T },
    vectorFlops: 19.5 * T,
    bandwidth: 2.039e12,
    launchOverhead: 4e-6,
    sources: {
      matrixFlops: 'NVIDIA A100 Tensor Core GPU datasheet: FP32 19.5 TFLOPS; BF16/FP16 Tensor Core 312 TFLOPS (624 with sparsity)',
      vectorFlops: 'NVIDIA A100 Tensor Core GPU datasheet: FP32 19.5 TFLOPS',
      bandwidth: 'NVIDIA A100 Tensor Core GPU datasheet: A100 80GB SXM GPU memory bandwidth 2,039 GB/s (HBM2e)',
      launchOverhead: 'estimate: a few µs per launch without CUDA Graphs (NVIDIA Technical Blog, "Getting Started with CUDA Graphs", 2019)',
    },
  },
  l4: {
    id: 'l4',
    name: 'NVIDIA L4 24GB',
    matrixFlops: { float32: 30.3 * T, float16: 121 * T, bfloat16: 121 * T },
    vectorFlops: 30.3 * T,
    bandwidth: 300e9,
    launchOverhead: 4e-6,
    sources: {
      matrixFlops: 'NVIDIA L4 Tensor Core GPU datasheet: FP32 30.3 TFLOPS; BF16/FP16 Tensor Core 242 TFLOPS with sparsity, 121 dense',
      vectorFlops: 'NVIDIA L4 Tensor Core GPU datasheet: FP32 30.3 TFLOPS',
      bandwidth: 'NVIDIA L4 Tensor Core GPU datasheet: GPU memory bandwidth 300 GB/s (GDDR6)',
      launchOverhead: 'estimate: a few µs per launch without CUDA Graphs (NVIDIA Technical Blog, "Getting Started with CUDA Graphs", 2019)',
    },
  },
  laptop: {
    id: 'laptop',
    name: 'Apple M2 (10-core GPU)',
    // Apple publishes one GPU figure; half types run at the same rate in this model.
    matrixFlops: { float32: 3.6 * T, float16: 3.6 * T, bfloat16: 3.6 * T },
    vectorFlops: 3.6 * T,
    bandwidth: 100e9,
    launchOverhead: 10e-6,
    sources: {
      matrixFlops: 'Apple Newsroom, "Apple unveils M2" (June 2022): GPU up to 3.6 teraflops; no separate half-precision figure is published',
      vectorFlops: 'Apple Newsroom, "Apple unveils M2" (June 2022): GPU up to 3.6 teraflops',
      bandwidth: 'Apple Newsroom, "Apple unveils M2" (June 2022): 100GB/s of unified memory bandwidth',
      launchOverhead: 'estimate: one compute dispatch inside a single WebGPU/Metal command stream',
    },
  },
  cpu: {
    id: 'cpu',
    name: 'this machine: 2 CPU cores, AVX FMA, float32',
    // No native half-precision FMA: bf16/fp16 values are widened and computed in float32.
    matrixFlops: { float32: 436 * G, float16: 436 * G, bfloat16: 436 * G },
    vectorFlops: 436 * G,
    bandwidth: 13e9,
    launchOverhead: 2e-6,
    sources: {
      matrixFlops: 'measured: /work/shared/reference/baselines.md, "this CPU\'s fp32 peak (AVX-512 FMA, 2 cores)" 436 GFLOP/s',
      vectorFlops: 'measured: /work/shared/reference/baselines.md, 436 GFLOP/s fp32 peak',
      bandwidth: 'measured on this machine: 256 MiB Float64Array copy in Node 20, best of 7, 13.3 GB/s read+write',
      launchOverhead: 'estimate: one call through a kernel table plus thread hand-off on 2 cores',
    },
  },
};

export const TARGET_IDS: readonly TargetId[] = ['h100', 'a100', 'l4', 'laptop', 'cpu'];

export function isTargetId(value: string): value is TargetId {
  return (TARGET_IDS as readonly string[]).includes(value);
}
