"""A minimal safetensors writer, written from the format description, independent of mimo.

Used by the reference scripts to hand their results to the TypeScript tests, which makes
every reference run an interoperability test of mimo's reader as well.
"""
import json
import struct

import numpy as np

NUMPY_DTYPES = {
    np.dtype('float64'): 'F64', np.dtype('float32'): 'F32', np.dtype('float16'): 'F16',
    np.dtype('int64'): 'I64', np.dtype('int32'): 'I32', np.dtype('int16'): 'I16', np.dtype('int8'): 'I8',
    np.dtype('uint64'): 'U64', np.dtype('uint32'): 'U32', np.dtype('uint16'): 'U16', np.dtype('uint8'): 'U8',
    np.dtype('bool'): 'BOOL',
}


def raw(dtype_name, shape, data_bytes):
    """A tensor given as its safetensors dtype name and little-endian bytes (for BF16)."""
    return (dtype_name, list(shape), data_bytes)


def write_safetensors(path, tensors, metadata=None):
    header = {}
    if metadata:
        header['__metadata__'] = metadata
    chunks = []
    offset = 0
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, tuple):
            dtype_name, shape, data = value
        else:
            array = np.asarray(value).copy(order='C')  # keeps 0-d arrays 0-d
            dtype_name = NUMPY_DTYPES[array.dtype]
            shape = list(array.shape)
            data = array.astype(array.dtype.newbyteorder('<'), copy=False).tobytes()
        header[name] = {'dtype': dtype_name, 'shape': shape, 'data_offsets': [offset, offset + len(data)]}
        offset += len(data)
        chunks.append(data)
    text = json.dumps(header).encode('utf-8')
    text += b' ' * (-len(text) % 8)
    with open(path, 'wb') as out:
        out.write(struct.pack('<Q', len(text)))
        out.write(text)
        for chunk in chunks:
            out.write(chunk)
