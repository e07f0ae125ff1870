/// <reference types="@webgpu/types" />
/**
 * Counts what reaches a device: compute dispatches and queue submits, whoever records them (our
 * executor or tfjs-backend-webgpu), by wrapping the device's command encoders and queue. Used by
 * `mimo bench` to compare executors on one device by the same measure.
 */

export interface DeviceCounters {
  readonly dispatches: number;
  readonly submits: number;
  reset(): void;
  /** Restores the device's own methods. */
  detach(): void;
}

export function countDeviceWork(device: GPUDevice): DeviceCounters {
  let dispatches = 0;
  let submits = 0;
  const createEncoder = device.createCommandEncoder;
  const submit = device.queue.submit;
  const wrapped = function (this: GPUDevice, descriptor?: GPUCommandEncoderDescriptor): GPUCommandEncoder {
    const encoder = createEncoder.call(device, descriptor);
    const begin = encoder.beginComputePass;
    encoder.beginComputePass = function (d?: GPUComputePassDescriptor): GPUComputePassEncoder {
      const pass = begin.call(encoder, d);
      const dispatch = pass.dispatchWorkgroups;
      pass.dispatchWorkgroups = function (x: number, y?: number, z?: number): undefined {
        dispatches++;
        return dispatch.call(pass, x, y, z);
      };
      return pass;
    };
    return encoder;
  };
  device.createCommandEncoder = wrapped;
  device.queue.submit = function (buffers: Iterable<GPUCommandBuffer>): undefined {
    submits++;
    return submit.call(device.queue, buffers);
  };
  return {
    get dispatches() {
      return dispatches;
    },
    get submits() {
      return submits;
    },
    reset() {
      dispatches = 0;
      submits = 0;
    },
    detach() {
      device.createCommandEncoder = createEncoder;
      device.queue.submit = submit;
    },
  };
}
