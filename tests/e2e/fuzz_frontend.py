#!/usr/bin/env python3
"""Mutates the sample models (and the fuzz corpus' token and recurrent models)
and checks hebb never crashes on them.

Every mutant must either compile (exit 0) or be refused with one line on
stderr starting with "hebb: " (exit 1). A signal, an assertion, a hang or a
multi-line message fails the test. Seeded: the same mutants every run.

usage: fuzz_frontend.py HEBB_BINARY SOURCE_DIR [COUNT]
"""
import copy
import json
import os
import random
import subprocess
import sys
import tempfile

HEBB, SRC = sys.argv[1], sys.argv[2]
COUNT = int(sys.argv[3]) if len(sys.argv) > 3 else 300
EMIT = sys.argv[4] if len(sys.argv) > 4 else "mlir"
rng = random.Random(2026)
tmpdir = tempfile.mkdtemp(prefix="hebb_fuzz_")

WEIRD = [-1, 0, 1, 2 ** 31, 2 ** 40, 2 ** 63, -2 ** 63, 1.5, 1e308, -0.0, "x", "batch",
         "", None, True, [], {}, [1, 2], {"values": []}, "relu", "softmax", [[1]], [0] * 9]


def paths(node, prefix=()):
    yield prefix
    if isinstance(node, dict):
        for k, v in node.items():
            yield from paths(v, prefix + (k,))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            yield from paths(v, prefix + (i,))


def get(node, path):
    for p in path:
        node = node[p]
    return node


def mutate_tree(doc):
    doc = copy.deepcopy(doc)
    for _ in range(rng.randint(1, 3)):
        all_paths = [p for p in paths(doc) if p]
        if not all_paths:
            break
        path = rng.choice(all_paths)
        parent, key = get(doc, path[:-1]), path[-1]
        action = rng.random()
        if action < 0.6:
            parent[key] = copy.deepcopy(rng.choice(WEIRD))
        elif action < 0.75:
            del parent[key]
        elif action < 0.85 and isinstance(parent, dict):
            parent[key + "_"] = parent.pop(key)
        else:
            parent[key] = copy.deepcopy(get(doc, rng.choice(all_paths)))
    return json.dumps(doc)


def mutate_text(text):
    chars = list(text)
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(chars))
        op = rng.random()
        if op < 0.4:
            del chars[i]
        elif op < 0.8:
            chars.insert(i, rng.choice('{}[]",:0123456789-e.\\ \n\x00\xff'))
        else:
            chars = chars[:i]
            break
    return "".join(chars)


samples = []
for name in ("samples/perceptron.json", "samples/xor.json", "samples/mnist_mlp.json",
             "samples/lenet.json", "samples/small_cnn.json",
             "tests/fuzz/corpus/model/embedding.json", "tests/fuzz/corpus/model/lstm.json",
             "tests/fuzz/corpus/model/transformer.json"):
    with open(os.path.join(SRC, name)) as f:
        samples.append(f.read())

failures = 0
for n in range(COUNT):
    base = rng.choice(samples)
    text = mutate_tree(json.loads(base)) if n % 3 else mutate_text(base)
    path = os.path.join(tmpdir, "m%d.json" % n)
    with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
        f.write(text)
    try:
        r = subprocess.run([HEBB, "compile", path, "--emit=" + EMIT, "-o", os.devnull],
                           capture_output=True, text=True, timeout=20, errors="replace")
    except subprocess.TimeoutExpired:
        print("HANG on", path)
        failures += 1
        continue
    err = r.stderr.strip()
    ok = (r.returncode == 0 and not err) or (
        r.returncode == 1 and err.startswith("hebb: ") and "\n" not in err)
    if not ok:
        failures += 1
        print("FAIL rc=%d on %s:\n%s\n" % (r.returncode, path, err[:2000]))
print("%d mutants, %d failures" % (COUNT, failures))
sys.exit(1 if failures else 0)
