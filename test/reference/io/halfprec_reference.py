"""Reference float16 / bfloat16 encodings and a multi-dtype safetensors file.

Request (JSON on stdin): {"values": path of little-endian float32 values, "output": path}.
float16 comes from numpy's astype (IEEE round to nearest even), bfloat16 from torch's
.to(torch.bfloat16) (round to nearest even). The file also holds integer and float64 tensors
of known values for the reader's dtype coverage, written by an independent writer.
"""
import json
import sys

import numpy as np
import torch

from safetensors_writer import raw, write_safetensors


def main():
    request = json.load(sys.stdin)
    values = np.fromfile(request['values'], dtype='<f4').astype(np.float32)
    f16 = values.astype(np.float16)
    bf16_bits = torch.from_numpy(values.copy()).to(torch.bfloat16).view(torch.int16).numpy().view(np.uint16)
    bf16_back = torch.from_numpy(bf16_bits.view(np.int16).copy()).view(torch.bfloat16).to(torch.float32).numpy()
    ramp = np.arange(-6, 6)
    tensors = {
        'values_f16': f16,
        'values_f16_as_f32': f16.astype(np.float32),
        'values_bf16': raw('BF16', values.shape, bf16_bits.astype('<u2').tobytes()),
        'values_bf16_as_f32': bf16_back,
        'ramp_f64': (ramp / 4).astype(np.float64).reshape(3, 4),
        'ramp_i64': ramp.astype(np.int64).reshape(2, 6),
        'ramp_i32': ramp.astype(np.int32),
        'ramp_i16': ramp.astype(np.int16),
        'ramp_i8': ramp.astype(np.int8),
        'ramp_u8': (ramp + 6).astype(np.uint8),
        'ramp_u16': (ramp + 6).astype(np.uint16),
        'ramp_u32': (ramp + 6).astype(np.uint32),
        'ramp_u64': (ramp + 6).astype(np.uint64),
        'ramp_bool': (ramp % 2 == 0),
        'empty_f32': np.zeros((0, 3), dtype=np.float32),
        'scalar_f32': np.array(2.5, dtype=np.float32),
    }
    write_safetensors(request['output'], tensors, {'format': 'pt', 'producer': 'halfprec_reference.py'})
    print(json.dumps({'count': int(values.size)}))


if __name__ == '__main__':
    main()
