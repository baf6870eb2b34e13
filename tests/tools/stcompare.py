#!/usr/bin/env python3
"""Compare the tensors two safetensors files share (f32/f64, no numpy).

  stcompare.py A.safetensors B.safetensors TOLERANCE
Prints the largest absolute difference; exits 1 when it exceeds TOLERANCE
or when the files share no tensor.
  stcompare.py --params-only IN.safetensors OUT.safetensors
Writes IN's tensors without the optimizer.* ones (a parameters-only file).
  stcompare.py --transpose NAME IN.safetensors OUT.safetensors
Writes IN with the 2-D f32 tensor NAME transposed (its shape reversed).
  stcompare.py --nan NAME IN.safetensors OUT.safetensors
Writes IN with the first element of the f32 tensor NAME made NaN.
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


def rewrite(src, dst, transpose=None, nan=None):
    data = open(src, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8:8 + n])
    keep, blobs, offset = {}, [], 0
    for name, info in sorted(header.items()):
        if name == "__metadata__" or (transpose is None and nan is None and name.startswith("optimizer.")):
            continue
        b, e = info["data_offsets"]
        blob = data[8 + n + b:8 + n + e]
        if name == nan:
            blob = struct.pack("<f", float("nan")) + blob[4:]
        if name == transpose:
            rows, cols = info["shape"]
            v = struct.unpack("<%df" % (rows * cols), blob)
            blob = struct.pack("<%df" % (rows * cols), *[v[r * cols + c] for c in range(cols) for r in range(rows)])
            info = dict(info, shape=[cols, rows])
        blobs.append(blob)
        keep[name] = dict(info, data_offsets=[offset, offset + e - b])
        offset += e - b
    text = json.dumps(keep).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    open(dst, "wb").write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    if sys.argv[1] == "--params-only":
        rewrite(sys.argv[2], sys.argv[3])
        sys.exit(0)
    if sys.argv[1] == "--nan":
        rewrite(sys.argv[3], sys.argv[4], nan=sys.argv[2])
        sys.exit(0)
    if sys.argv[1] == "--transpose":
        rewrite(sys.argv[3], sys.argv[4], transpose=sys.argv[2])
        sys.exit(0)

    a, b = load(sys.argv[1]), load(sys.argv[2])
    common = sorted(set(a) & set(b))
    if not common:
        sys.exit("no tensor in common")
    worst = max(abs(x - y) for k in common for x, y in zip(a[k], b[k]))
    print("%d tensors, max abs difference %.3g" % (len(common), worst))
    sys.exit(0 if worst <= float(sys.argv[3]) else 1)


if __name__ == "__main__":
    main()
