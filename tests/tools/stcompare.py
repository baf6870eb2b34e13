#!/usr/bin/env python3
"""Compare the tensors two safetensors files share (f32/f64, no numpy).

  stcompare.py A.safetensors B.safetensors TOLERANCE
Prints the largest absolute difference; exits 1 when it exceeds TOLERANCE
or when the files share no tensor.
"""
import json
import struct
import sys


def load(path):
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    out = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        b, e = info["data_offsets"]
        code = {"F32": "f", "F64": "d"}.get(info["dtype"])
        if code:
            blob = data[8 + n + b:8 + n + e]
            out[name] = struct.unpack("<%d%s" % (len(blob) // struct.calcsize(code), code), blob)
    return out


a, b = load(sys.argv[1]), load(sys.argv[2])
common = sorted(set(a) & set(b))
if not common:
    sys.exit("no tensor in common")
worst = max(abs(x - y) for k in common for x, y in zip(a[k], b[k]))
print("%d tensors, max abs difference %.3g" % (len(common), worst))
sys.exit(0 if worst <= float(sys.argv[3]) else 1)
