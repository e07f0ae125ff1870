"""An independent Python transcription of mimo's seeded initialisation (runtime/io/init.ts).

xoshiro128** seeded by splitmix32 (MurmurHash3 finaliser) from the seed and an FNV-1a hash of
the tensor name; normals by Marsaglia's polar method with a log built from + - * /. Python
floats are IEEE doubles with the same rounding, so results must match to the bit.
Request (JSON on stdin): {"cases": [{"seed", "name", "count"}]}; prints
{"cases": [{"uint32": [...], "normal": [float32 values as floats]}]}.
"""
import json
import math
import struct
import sys

MASK = 0xFFFFFFFF


def fmix32(h):
    h &= MASK
    h = ((h ^ (h >> 16)) * 0x85EBCA6B) & MASK
    h = ((h ^ (h >> 13)) * 0xC2B2AE35) & MASK
    return h ^ (h >> 16)


def fnv1a32(text):
    h = 0x811C9DC5
    for byte in text.encode('utf-8'):
        h = ((h ^ byte) * 0x01000193) & MASK
    return h


def rotl(x, k):
    return ((x << k) | (x >> (32 - k))) & MASK


class Xoshiro128:
    def __init__(self, seed, name):
        low, high = seed % 2 ** 32, seed // 2 ** 32
        self.splitmix = fmix32(fmix32(low ^ 0x6D696D6F) ^ high) ^ fnv1a32(name)
        self.s = [self._split() for _ in range(4)]
        if not any(self.s):
            self.s[0] = 1

    def _split(self):
        self.splitmix = (self.splitmix + 0x9E3779B9) & MASK
        return fmix32(self.splitmix)

    def next_uint32(self):
        s0, s1, s2, s3 = self.s
        result = (rotl((s1 * 5) & MASK, 7) * 9) & MASK
        t = (s1 << 9) & MASK
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 11)
        self.s = [s0, s1, s2, s3]
        return result

    def next_float64(self):
        a = self.next_uint32() >> 5
        b = self.next_uint32() >> 6
        return (a * 67108864 + b) / 9007199254740992


def portable_log(x):
    m, k = x, 0
    while m < math.sqrt(0.5):
        m *= 2
        k -= 1
    while m >= math.sqrt(2):
        m /= 2
        k += 1
    f = m - 1
    s = f / (2 + f)
    s2 = s * s
    series = 1 / 25
    for n in range(23, 0, -2):
        series = series * s2 + 1 / n
    return k * 6.93147180369123816490e-1 + (2 * s * series + k * 1.90821492927058770002e-10)


def to_float32(x):
    return struct.unpack('<f', struct.pack('<f', x))[0]


def normals(rng, count):
    out = []
    while len(out) < count:
        while True:
            u = 2 * rng.next_float64() - 1
            v = 2 * rng.next_float64() - 1
            s = u * u + v * v
            if 0 < s < 1:
                break
        factor = math.sqrt(-2 * portable_log(s) / s)
        out.append(to_float32(u * factor))
        out.append(to_float32(v * factor))
    return out[:count]


def main():
    request = json.load(sys.stdin)
    cases = []
    for case in request['cases']:
        uints = Xoshiro128(case['seed'], case['name'])
        cases.append({
            'uint32': [uints.next_uint32() for _ in range(case['count'])],
            'normal': normals(Xoshiro128(case['seed'], case['name']), case['count']),
            'log_vs_math': max(abs(portable_log(x) - math.log(x)) for x in [i / 997 for i in range(1, 997)]),
        })
    print(json.dumps({'cases': cases}))


if __name__ == '__main__':
    main()
