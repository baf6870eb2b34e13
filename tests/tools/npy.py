#!/usr/bin/env python3
"""Write and print .npy files without numpy (tests use it to feed hebb).

  npy.py write FILE DTYPE JSON     e.g. npy.py write x.npy f32 "[[0, 1], [1, 0]]"
  npy.py random FILE DTYPE SHAPE SEED LOW HIGH   e.g. npy.py random x.npy f32 3,784 1 0 1
  npy.py print FILE                prints dtype, shape, then values
  npy.py idx FILE JSON             an unsigned-byte IDX file (gzip'd if FILE ends in .gz)
"""
import json
import random
import struct
import sys

CODES = {"f32": ("<f4", "f"), "f64": ("<f8", "d"), "i32": ("<i4", "i"),
         "i64": ("<i8", "q"), "u8": ("|u1", "B")}


def flatten(v, shape, depth=0):
    if not isinstance(v, list):
        return [v]
    if depth == len(shape):
        shape.append(len(v))
    out = []
    for x in v:
        out += flatten(x, shape, depth + 1)
    return out


def write(path, dtype, shape, values):
    descr, fmt = CODES[dtype]
    dims = ", ".join(str(d) for d in shape) + ("," if len(shape) == 1 else "")
    header = "{'descr': '%s', 'fortran_order': False, 'shape': (%s), }" % (descr, dims)
    header += " " * ((64 - (10 + len(header) + 1) % 64) % 64) + "\n"
    with open(path, "wb") as f:
        f.write(b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)))
        f.write(header.encode())
        f.write(struct.pack("<%d%s" % (len(values), fmt), *values))


def read(path):
    data = open(path, "rb").read()
    assert data[:6] == b"\x93NUMPY", "bad magic"
    n = struct.unpack("<H", data[8:10])[0]
    header = data[10:10 + n].decode()
    descr = header.split("'descr': '")[1].split("'")[0]
    shape = [int(x) for x in header.split("(")[1].split(")")[0].split(",") if x.strip()]
    fmt = {v[0]: v[1] for v in CODES.values()}[descr]
    count = 1
    for d in shape:
        count *= d
    values = struct.unpack("<%d%s" % (count, fmt), data[10 + n:])
    return descr, shape, values


def main():
    cmd = sys.argv[1]
    if cmd == "write":
        shape = []
        values = flatten(json.loads(sys.argv[4]), shape)
        write(sys.argv[2], sys.argv[3], shape, values)
    elif cmd == "random":
        shape = [int(x) for x in sys.argv[4].split(",")]
        rng = random.Random(int(sys.argv[5]))
        lo, hi = float(sys.argv[6]), float(sys.argv[7])
        count = 1
        for d in shape:
            count *= d
        vals = [rng.uniform(lo, hi) for _ in range(count)]
        if sys.argv[3] in ("i32", "i64", "u8"):
            vals = [int(v) for v in vals]
        write(sys.argv[2], sys.argv[3], shape, vals)
    elif cmd == "idx":
        shape = []
        values = flatten(json.loads(sys.argv[3]), shape)
        data = bytes([0, 0, 8, len(shape)]) + b"".join(struct.pack(">I", d) for d in shape)
        data += bytes(int(v) for v in values)
        if sys.argv[2].endswith(".gz"):
            import gzip
            data = gzip.compress(data, mtime=0)
        with open(sys.argv[2], "wb") as f:
            f.write(data)
    elif cmd == "print":
        descr, shape, values = read(sys.argv[2])
        print(descr, shape)
        print(" ".join("%.6g" % v for v in values))
    else:
        sys.exit("unknown command " + cmd)


if __name__ == "__main__":
    main()
