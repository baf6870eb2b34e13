#!/usr/bin/env python3
"""End-to-end checks of the samples through the hebb command line.

Expected values come from outside hebb: the perceptron's textbook formula,
XOR's truth table, and a plain-Python forward pass of the MNIST MLP on the
same weights (written here as safetensors). No numpy needed.

usage: samples_test.py HEBB_BINARY SOURCE_DIR
"""
import json
import math
import os
import random
import struct
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "tools"))
import npy  # noqa: E402

HEBB, SRC = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="hebb_e2e_")
failures = []


def check(cond, what):
    print(("ok   " if cond else "FAIL ") + what)
    if not cond:
        failures.append(what)


def run(*args, threads=None):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads)) if threads else None
    return subprocess.run([HEBB, *args], capture_output=True, text=True, env=env)


def sigmoid(z):
    return 1.0 / (1.0 + math.exp(-z))


def sample(name):
    return os.path.join(SRC, "samples", name)


def tmp(name):
    return os.path.join(TMP, name)


def perceptron():
    points = [[0, 0], [0, 1], [1, 0], [1, 1], [0.5, -2], [-1.25, 3]]
    npy.write(tmp("p.npy"), "f32", [len(points), 2], [v for p in points for v in p])
    r = run("run", sample("perceptron.json"), "--input", "x=" + tmp("p.npy"),
            "--output", tmp("p_out.npy"))
    check(r.returncode == 0, "perceptron runs: " + r.stderr.strip())
    _, shape, got = npy.read(tmp("p_out.npy"))
    check(shape == [len(points), 1], "perceptron output shape %s" % shape)
    want = [sigmoid(1 + 3 * x1 - 2 * x2) for x1, x2 in points]
    worst = max(abs(a - b) for a, b in zip(got, want))
    check(worst < 1e-6, "perceptron matches sigmoid(1 + 3 x1 - 2 x2) (max error %.2g)" % worst)


def xor():
    npy.write(tmp("x.npy"), "f32", [4, 2], [0, 0, 0, 1, 1, 0, 1, 1])
    r = run("run", sample("xor.json"), "--input", tmp("x.npy"), "--output", tmp("x_out.npy"))
    check(r.returncode == 0, "xor runs: " + r.stderr.strip())
    _, _, got = npy.read(tmp("x_out.npy"))
    check([round(v) for v in got] == [0, 1, 1, 0], "xor computes the truth table: %s" % (got,))


def write_safetensors(path, tensors):
    header, data, offset = {}, b"", 0
    for name in sorted(tensors):
        shape, values = tensors[name]
        blob = struct.pack("<%df" % len(values), *values)
        header[name] = {"dtype": "F32", "shape": shape, "data_offsets": [offset, offset + len(blob)]}
        data += blob
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + data)


def mnist_mlp():
    rng = random.Random(5)
    sizes = [784, 512, 512, 10]
    tensors, layers = {}, []
    for i, name in enumerate(["fc1", "fc2", "fc3"]):
        n_in, n_out = sizes[i], sizes[i + 1]
        bound = 1 / math.sqrt(n_in)
        w = [rng.uniform(-bound, bound) for _ in range(n_out * n_in)]
        b = [rng.uniform(-bound, bound) for _ in range(n_out)]
        w = list(struct.unpack("<%df" % len(w), struct.pack("<%df" % len(w), *w)))
        b = list(struct.unpack("<%df" % len(b), struct.pack("<%df" % len(b), *b)))
        tensors[name + ".weight"] = ([n_out, n_in], w)
        tensors[name + ".bias"] = ([n_out], b)
        layers.append((n_in, n_out, w, b))
    write_safetensors(tmp("mlp.safetensors"), tensors)
    batch = 3
    x = [rng.uniform(0, 1) for _ in range(batch * 784)]
    npy.write(tmp("m.npy"), "f32", [batch, 784], x)
    x = list(npy.read(tmp("m.npy"))[2])
    r = run("run", sample("mnist_mlp.json"), "--input", tmp("m.npy"),
            "--weights", tmp("mlp.safetensors"), "--output", tmp("m_out.npy"))
    check(r.returncode == 0, "mnist_mlp runs: " + r.stderr.strip())
    _, shape, got = npy.read(tmp("m_out.npy"))
    check(shape == [batch, 10], "mnist_mlp output shape %s (batch from the input file)" % shape)
    worst = 0.0
    for s in range(batch):
        h = x[s * 784:(s + 1) * 784]
        for li, (n_in, n_out, w, b) in enumerate(layers):
            h = [b[o] + sum(w[o * n_in + k] * h[k] for k in range(n_in)) for o in range(n_out)]
            if li < 2:
                h = [max(v, 0.0) for v in h]
        m = max(h)
        e = [math.exp(v - m) for v in h]
        p = [v / sum(e) for v in e]
        worst = max(worst, max(abs(a - b) for a, b in zip(got[s * 10:(s + 1) * 10], p)))
    check(worst < 1e-5, "mnist_mlp matches a plain-Python forward pass (max error %.2g)" % worst)
    rows = [sum(got[s * 10:(s + 1) * 10]) for s in range(batch)]
    check(all(abs(t - 1) < 1e-5 for t in rows), "softmax rows sum to 1")


def compile_llvm_has_vectors():
    r = run("compile", sample("mnist_mlp.json"), "--emit=llvm")
    check(r.returncode == 0, "mnist_mlp compiles to LLVM IR")
    check(" x float>" in r.stdout and "fmul" in r.stdout, "LLVM IR holds vector float instructions")


def compile_object():
    out = tmp("xor.o")
    r = run("compile", sample("xor.json"), "--emit=obj", "-o", out)
    check(r.returncode == 0 and os.path.getsize(out) > 0, "xor compiles to an object file")
    with open(out, "rb") as f:
        check(f.read(4) == b"\x7fELF", "the object is ELF")


def xor_trains():
    npy.write(tmp("tx.npy"), "f32", [4, 2], [0, 0, 0, 1, 1, 0, 1, 1])
    npy.write(tmp("ty.npy"), "f32", [4, 1], [0, 1, 1, 0])
    for seed in range(3):
        r = run("train", sample("xor_train.json"), "--data-x", tmp("tx.npy"),
                "--data-y", tmp("ty.npy"), "--seed", str(seed), "--quiet",
                "--save", tmp("xor_w.safetensors"))
        check(r.returncode == 0 and "accuracy 1.0000 (4/4)" in r.stdout,
              "xor_train reaches 100%% from random init (seed %d): %s" % (seed, r.stdout.strip() + r.stderr.strip()))
    # The trained weights, loaded for inference, compute XOR.
    r = run("run", sample("xor_train.json"), "--input", tmp("tx.npy"),
            "--weights", tmp("xor_w.safetensors"), "--output", tmp("txo.npy"))
    check(r.returncode == 0, "trained xor weights load: " + r.stderr.strip())
    _, _, got = npy.read(tmp("txo.npy"))
    check([round(v) for v in got] == [0, 1, 1, 0], "trained xor computes the truth table: %s" % (got,))


def logistic_regression_trains():
    rng = random.Random(3)
    xs, ys = [], []
    for _ in range(160):
        a, b = rng.uniform(-2, 2), rng.uniform(-2, 2)
        xs += [a, b]
        ys.append(1.0 if a + 0.5 * b + 0.3 > 0 else 0.0)
    npy.write(tmp("lx.npy"), "f32", [160, 2], xs)
    npy.write(tmp("ly.npy"), "f32", [160, 1], ys)
    r = run("train", sample("logistic_regression.json"), "--data-x", tmp("lx.npy"),
            "--data-y", tmp("ly.npy"), "--quiet")
    acc = float(r.stdout.split("accuracy ")[1].split()[0]) if "accuracy" in r.stdout else 0
    check(r.returncode == 0 and acc >= 0.95,
          "logistic regression separates a linear boundary (accuracy %.3f)" % acc)


def autograd_example_loss_falls():
    rng = random.Random(4)
    npy.write(tmp("ax.npy"), "f32", [64, 3], [rng.gauss(0, 1) for _ in range(192)])
    npy.write(tmp("ay.npy"), "f32", [64, 2], [rng.gauss(0, 1) for _ in range(128)])
    r = run("train", sample("autograd_example.json"), "--data-x", tmp("ax.npy"),
            "--data-y", tmp("ay.npy"), "--no-shuffle")
    lines = [l for l in r.stdout.splitlines() if l.startswith("epoch")]
    losses = [float(l.split("loss ")[1].split()[0]) for l in lines]
    check(r.returncode == 0 and len(losses) == 2000, "the autograd example runs 2000 steps")
    check(losses and losses[-1] < 0.5 * losses[0] and
          all(b <= a * (1 + 1e-6) for a, b in zip(losses, losses[1:])),
          "its sum-of-squares loss falls steadily (%.4g -> %.4g)" % (losses[0] if losses else 0, losses[-1] if losses else 0))


def training_samples_run_as_they_are():
    # Their data is in the model (xor_train) or in files next to it.
    r = run("train", sample("xor_train.json"), "--quiet")
    check(r.returncode == 0 and "training accuracy 1.0000 (4/4)" in r.stdout,
          "xor_train trains with no flags: " + r.stdout.strip() + r.stderr.strip())
    r = run("train", sample("logistic_regression.json"), "--quiet")
    acc = float(r.stdout.split("accuracy ")[1].split()[0]) if "accuracy" in r.stdout else 0
    check(r.returncode == 0 and "(%d/256)" % round(acc * 256) in r.stdout and acc >= 0.95,
          "logistic_regression trains on its blobs with no flags (accuracy %.3f)" % acc)
    r = run("train", sample("autograd_example.json"), "--quiet")
    check(r.returncode == 0 and "trained 2000 steps" in r.stdout,
          "autograd_example trains with no flags: " + r.stderr.strip())
    r = run("eval", sample("logistic_regression.json"))
    check(r.returncode == 0 and "(128/256)" in r.stdout,
          "hebb eval defaults to the model's data (zero weights: half right): " + r.stdout.strip())


def keras_mlp_learns_fashion_mnist():
    if not os.path.exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"):
        print("skip Keras MLP on Fashion-MNIST (dataset-fashion-mnist not installed)")
        return
    # 150 steps (a third of an epoch) and the whole test set, tail included.
    r = run("train", sample("keras_mnist_mlp.json"), "--steps", "150", "--quiet",
            "--save", tmp("mlp1.st"), threads=1)
    acc = float(r.stdout.split("test accuracy ")[1].split()[0]) if "test accuracy" in r.stdout else 0
    check(r.returncode == 0 and "(%d/10000)" % round(acc * 10000) in r.stdout and acc >= 0.75,
          "the Keras MLP learns Fashion-MNIST in 150 steps (test accuracy %.4f): %s"
          % (acc, r.stdout.strip() + r.stderr.strip()))
    r = run("train", sample("keras_mnist_mlp.json"), "--steps", "150", "--quiet",
            "--save", tmp("mlp2.st"), threads=2)
    same = r.returncode == 0 and open(tmp("mlp1.st"), "rb").read() == open(tmp("mlp2.st"), "rb").read()
    check(same, "the Keras MLP trains bit for bit alike on one thread and two: " + r.stderr.strip())


def lenet_learns_and_compiles_to_a_program():
    if not os.path.exists("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz"):
        print("skip LeNet on Fashion-MNIST (dataset-fashion-mnist not installed)")
        return
    # One thread here and two for the program: every split loop nest, GEMM
    # and window kernel must give the same bits for any thread count.
    r = run("train", sample("lenet.json"), "--steps", "100", "--quiet", "--save", tmp("lenet_jit.st"),
            threads=1)
    acc = float(r.stdout.split("test accuracy ")[1].split()[0]) if "test accuracy" in r.stdout else 0
    check(r.returncode == 0 and acc >= 0.45,
          "LeNet learns Fashion-MNIST in 100 steps (test accuracy %.4f): %s"
          % (acc, r.stdout.strip() + r.stderr.strip()))
    r = run("compile", sample("lenet.json"), "--emit=exe", "-o", tmp("lenet"))
    if "undefined reference to `__asan" in r.stderr:
        print("skip the LeNet program (a sanitizer build's libhebbdriver needs the sanitizer runtime)")
        return
    check(r.returncode == 0, "LeNet compiles to a program: " + r.stderr.strip())
    r = subprocess.run([tmp("lenet"), "train", "--steps", "100", "--quiet", "--save",
                        tmp("lenet_aot.st")], capture_output=True, text=True,
                       env=dict(os.environ, OMP_NUM_THREADS="2"))
    same = r.returncode == 0 and open(tmp("lenet_jit.st"), "rb").read() == open(tmp("lenet_aot.st"), "rb").read()
    check(same, "the compiled LeNet program on two threads trains bit for bit like hebb train "
          "on one: " + r.stderr.strip())


TWO_INPUTS = {
    "name": "two", "batch_size": 4,
    "graph": {
        "inputs": [{"name": "tokens", "shape": ["batch", 5], "dtype": "i32"},
                   {"name": "mask", "shape": ["batch", 5]}],
        "parameters": [{"name": "embed.weight", "shape": [7, 3], "init": {"normal": [0, 1]}},
                       {"name": "out.weight", "shape": [2, 3]}, {"name": "out.bias", "shape": [2]}],
        "nodes": [
            {"name": "e", "op": "gather", "inputs": ["embed.weight", "tokens"]},
            {"name": "m3", "op": "broadcast_in_dim", "inputs": ["mask"],
             "attributes": {"broadcast_dimensions": [0, 1]}, "shape": ["batch", 5, 3]},
            {"name": "em", "op": "mul", "inputs": ["e", "m3"]},
            {"name": "s", "op": "reduce_sum", "inputs": ["em"], "attributes": {"axes": [1]}},
            {"name": "mm", "op": "matmul", "inputs": ["s", "out.weight"],
             "attributes": {"transpose_rhs": True}},
            {"name": "b", "op": "broadcast_in_dim", "inputs": ["out.bias"],
             "attributes": {"broadcast_dimensions": [1]}, "shape": ["batch", 2]},
            {"name": "logits", "op": "add", "inputs": ["mm", "b"]}],
        "outputs": ["logits"]},
    "training": {"loss": "softmax_cross_entropy", "optimizer": {"kind": "adam", "lr": 0.05}}}


def two_inputs_train_and_run():
    """Token ids (i32) and a mask (f32) fed by name: hebb train, eval and
    run, and a compiled program trained alike; wrong data flags refused."""
    json.dump(TWO_INPUTS, open(tmp("two.json"), "w"))
    rng = random.Random(4)
    tokens = [rng.randrange(7) for _ in range(12 * 5)]
    mask = [float(rng.random() < 0.7) for _ in range(12 * 5)]
    labels = [int(any(tokens[i * 5 + j] == 3 and mask[i * 5 + j] for j in range(5)))
              for i in range(12)]
    npy.write(tmp("t.npy"), "i32", [12, 5], tokens)
    npy.write(tmp("m.npy"), "f32", [12, 5], mask)
    npy.write(tmp("l.npy"), "i32", [12], labels)
    npy.write(tmp("t4.npy"), "i32", [4, 5], tokens[:20])
    npy.write(tmp("m4.npy"), "f32", [4, 5], mask[:20])
    data = ["--data-x", "mask=" + tmp("m.npy"), "--data-x", "tokens=" + tmp("t.npy"),
            "--data-y", tmp("l.npy")]
    r = run("train", tmp("two.json"), *data, "--steps", "30", "--no-shuffle", "--quiet",
            "--save", tmp("two_jit.st"))
    check(r.returncode == 0, "a two-input model trains from --data-x NAME=FILE: " + r.stderr.strip())
    r = run("eval", tmp("two.json"), "--init", tmp("two_jit.st"), *data)
    check(r.returncode == 0 and "accuracy" in r.stdout, "and evaluates: " + r.stderr.strip())
    r = run("run", tmp("two.json"), "--init", tmp("two_jit.st"), "--input", "tokens=" + tmp("t4.npy"),
            "--input", "mask=" + tmp("m4.npy"), "--output", tmp("two_out.npy"))
    check(r.returncode == 0 and npy.read(tmp("two_out.npy"))[1] == [4, 2],
          "and runs on both inputs: " + r.stderr.strip())
    for bad, want in ((["--data-x", tmp("t.npy")], "give NAME=FILE for each"),
                      (["--data-x", "tokens=" + tmp("t.npy")], "no file for input 'mask'"),
                      (["--data-x", "tokens=" + tmp("t.npy"), "--data-x", "masks=" + tmp("m.npy")],
                       "no input 'masks'"),
                      (["--data-x", "tokens=" + tmp("t.npy"), "--data-x", "tokens=" + tmp("t.npy")],
                       "input 'tokens' given twice")):
        r = run("train", tmp("two.json"), *bad, "--data-y", tmp("l.npy"), "--quiet")
        check(r.returncode == 1 and want in r.stderr and r.stderr.count("\n") == 1,
              "refused with one line (%s): %s" % (want, r.stderr.strip()))
    r = run("compile", tmp("two.json"), "--emit=exe", "-o", tmp("two"))
    if "undefined reference to `__asan" in r.stderr:
        print("skip the two-input program (a sanitizer build's libhebbdriver needs the sanitizer runtime)")
        return
    check(r.returncode == 0, "the two-input model compiles to a program: " + r.stderr.strip())
    r = subprocess.run([tmp("two"), "train", *data, "--steps", "30", "--no-shuffle", "--quiet",
                        "--save", tmp("two_aot.st")], capture_output=True, text=True)
    same = r.returncode == 0 and open(tmp("two_jit.st"), "rb").read() == open(tmp("two_aot.st"), "rb").read()
    check(same, "and the program trains bit for bit like hebb train: " + r.stderr.strip())


def read_safetensors(path):
    """{name: (shape, list of floats)} of an F32 safetensors file."""
    data = open(path, "rb").read()
    n = struct.unpack("<Q", data[:8])[0]
    out = {}
    for name, info in json.loads(data[8:8 + n]).items():
        if name != "__metadata__":
            b, e = info["data_offsets"]
            raw = data[8 + n + b:8 + n + e]
            out[name] = (info["shape"], list(struct.unpack("<%df" % (len(raw) // 4), raw)))
    return out


def padding_row_stays_zero():
    """An embedding's padding_idx row starts as zeros and training leaves
    it so, while the other rows move."""
    model = {"name": "pad", "batch_size": 4,
             "inputs": [{"name": "tokens", "shape": [5], "dtype": "i32"},
                        {"name": "mask", "shape": [5]}],
             "layers": [{"type": "embedding", "name": "embed", "num_embeddings": 6,
                         "embedding_dim": 3, "padding_idx": -4},
                        {"type": "sequence_pool", "mode": "mean", "mask": "mask"},
                        {"type": "dense", "name": "out", "units": 2}],
             "training": {"loss": "softmax_cross_entropy",
                          "optimizer": {"kind": "adam", "lr": 0.05}}}
    json.dump(model, open(tmp("pad.json"), "w"))
    rng = random.Random(5)
    lengths = [rng.randrange(1, 6) for _ in range(8)]
    tokens = [rng.randrange(6) if j < n else 2 for n in lengths for j in range(5)]
    npy.write(tmp("pad_t.npy"), "i32", [8, 5], tokens)
    npy.write(tmp("pad_m.npy"), "f32", [8, 5], [float(j < n) for n in lengths for j in range(5)])
    npy.write(tmp("pad_l.npy"), "i32", [8], [n % 2 for n in lengths])
    data = ["--data-x", "tokens=" + tmp("pad_t.npy"), "--data-x", "mask=" + tmp("pad_m.npy"),
            "--data-y", tmp("pad_l.npy")]
    r = run("train", tmp("pad.json"), *data, "--steps", "6", "--quiet", "--save", tmp("pad6.st"))
    check(r.returncode == 0, "a padded token model trains: " + r.stderr.strip())
    if r.returncode:
        return
    # Adam leaves a row with no gradient where it started.
    rows = read_safetensors(tmp("pad6.st"))["embed.weight"][1]
    check(rows[6:9] == [0.0] * 3 and all(v != 0 for v in rows[:6] + rows[9:]),
          "padding_idx -4 (row 2) starts as zeros and stays so; the others do not: %s" % rows)


def language_model_generates():
    """A byte-level causal transformer trained on one repeated sentence
    continues a prompt with it (temperature 0), from a prompt shorter than
    its window; a model that is no language model is refused."""
    model = {"name": "lm", "batch_size": 8,
             "input": {"name": "text", "shape": [16], "dtype": "i32"},
             "layers": [{"type": "embedding", "name": "embed", "num_embeddings": 128,
                         "embedding_dim": 8},
                        {"type": "positional_encoding", "name": "pos", "kind": "learned"},
                        {"type": "transformer_encoder_layer", "name": "block", "nhead": 2,
                         "dim_feedforward": 16, "dropout": 0.0, "causal": True},
                        {"type": "dense", "name": "head", "units": 128}],
             "training": {"loss": "softmax_cross_entropy",
                          "optimizer": {"kind": "adam", "lr": 0.01}}}
    json.dump(model, open(tmp("lm.json"), "w"))
    text = list(b"hello world. " * 40)
    n = (len(text) - 1) // 16
    npy.write(tmp("lm_x.npy"), "i32", [n, 16], text[:n * 16])
    npy.write(tmp("lm_y.npy"), "i32", [n, 16], text[1:n * 16 + 1])
    r = run("train", tmp("lm.json"), "--data-x", tmp("lm_x.npy"), "--data-y", tmp("lm_y.npy"),
            "--epochs", "40", "--quiet", "--save", tmp("lm.st"))
    check(r.returncode == 0, "a byte-level language model trains: " + r.stderr.strip())
    r = run("run", tmp("lm.json"), "--init", tmp("lm.st"), "--generate", "40", "--prompt", "wor",
            "--temperature", "0")
    check(r.returncode == 0 and r.stdout.startswith("world. hello world. hello world. hello"),
          "run --generate continues the prompt: %r %s" % (r.stdout, r.stderr.strip()))
    r = run("run", sample("xor.json"), "--generate", "5")
    check(r.returncode == 1 and "--generate needs a model with one input of token ids" in r.stderr,
          "a model that reads no token ids is refused: " + r.stderr.strip())


for test in (perceptron, xor, mnist_mlp, compile_llvm_has_vectors, compile_object,
             xor_trains, logistic_regression_trains, autograd_example_loss_falls,
             training_samples_run_as_they_are,
             keras_mlp_learns_fashion_mnist, lenet_learns_and_compiles_to_a_program,
             two_inputs_train_and_run, padding_row_stays_zero, language_model_generates):
    test()
if failures:
    sys.exit("%d check(s) failed" % len(failures))
