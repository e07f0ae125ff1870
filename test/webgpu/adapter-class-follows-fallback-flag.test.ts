/**
 * Which kernels a device gets: an adapter that says it is a fallback (WebGPU emulated on the CPU)
 * is tuned as 'cpu'; where `isFallbackAdapter` is missing, Dawn's lavapipe ('software') and
 * Chromium's SwiftShader ('swiftshader') architectures say the same; hardware adapters are 'gpu'.
 */
import { describe, expect, it } from 'vitest';
import { adapterClass, describeAdapter } from '../../runtime/webgpu/device.js';

describe('adapterClass', () => {
  it('follows isFallbackAdapter, else the software architectures', () => {
    const lavapipe = { vendor: 'mesa', architecture: 'software', device: 'llvmpipe-llvm-15', description: 'llvmpipe: Mesa 25.0.7', isFallbackAdapter: true };
    expect(adapterClass(describeAdapter(lavapipe))).toBe('cpu');
    expect(adapterClass(describeAdapter({ ...lavapipe, isFallbackAdapter: undefined }))).toBe('cpu');
    expect(adapterClass(describeAdapter({ vendor: 'google', architecture: 'swiftshader' }))).toBe('cpu');
    expect(adapterClass(describeAdapter({ vendor: 'nvidia', architecture: 'hopper', description: 'NVIDIA H200' }))).toBe('gpu');
    expect(adapterClass(describeAdapter({ vendor: 'nvidia', architecture: 'hopper', isFallbackAdapter: false }))).toBe('gpu');
    expect(adapterClass(describeAdapter(undefined))).toBe('gpu');
    expect(describeAdapter(lavapipe)).toEqual({ vendor: 'mesa', architecture: 'software', description: 'llvmpipe: Mesa 25.0.7', fallback: true });
  });
});
