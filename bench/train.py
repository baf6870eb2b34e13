#!/usr/bin/python3
"""hebb's training speed against the peers, in one run.

Trains a sample with `hebb train` and the same model, data (Fashion-MNIST),
optimizer and batch (128) with ../shared/bench/torch_peer.py (PyTorch eager)
and jax_peer.py (jax.jit of the whole step), all at the same thread count and
pinned to the same cores. Prints one JSON object: steps/s of each, hebb's
ratio to each, the GFLOP/s hebb reaches against the machine's FMA peak, the
test accuracies and the CPU. `lstm` is the peers' LSTM setting
(bench/models/lstm.json) and `transformer` samples/char_transformer.json
against bench/lm_peers.py: one synthetic batch trained --steps times.

  bench/train.py mlp|lenet|lstm|transformer [--build build] [--threads 1]
                 [--epochs 1] [--steps 200] [--ghz 3.5] [--python PY]
                 [--peers DIR]

The peers run on the python that ../shared/bench/setup-peers.sh prints
(PyPI torch 2.x and jax); Debian's torch 1.13 may run on reference BLAS and
is no speed peer. A peer that is not installed is left out, and said so.
"""
import argparse, json, os, random, re, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, os.path.join(ROOT, "samples", "text"))
from fortunes import write_npy  # noqa: E402  (the samples' .npy writer)

# workload: (sample, FLOPs of one training step at batch 128)
# MLP 784-512-512-10: forward 2·128·(784·512 + 512·512 + 512·10), backward
# twice that. LeNet-5: convolutions 2·128·(6·25·784 + 16·150·100), dense
# 2·128·(400·120 + 120·84 + 84·10), times 3 (the first layer's input
# gradient is not computed: a slight over-count).
# LSTM (batch 64, 32 steps, 16 features, hidden 128): per step the input
# and recurrent products 2·64·512·(16 + 128), times 3 (the input's gradient
# is not computed: a slight over-count).
WORKLOADS = {
    "mlp": ("samples/keras_mnist_mlp.json", 3 * 2 * 128 * (784 * 512 + 512 * 512 + 512 * 10)),
    "lenet": ("samples/lenet.json", 3 * 2 * 128 * (6 * 25 * 784 + 16 * 150 * 100 +
                                                   400 * 120 + 120 * 84 + 84 * 10)),
    "lstm": ("bench/models/lstm.json", 3 * 32 * 2 * 64 * 512 * (16 + 128)),
    # char_transformer (batch 32, 64 bytes, width 64, 2 layers, ff 256):
    # per layer the q/k/v/out, ff and attention products
    # 2·2048·(4·64·64 + 2·64·256) + 2·2·32·64·64·64, the head 2·2048·64·128.
    "transformer": ("samples/char_transformer.json",
                    3 * (2 * (2 * 2048 * (4 * 64 * 64 + 2 * 64 * 256) + 2 * 2 * 32 * 64 * 64 * 64)
                         + 2 * 2048 * 64 * 128)),
}


def synthetic_batch(workload):
    """One batch as the peers train on: N(0, 1) inputs and random classes
    (lstm), or random bytes and next bytes (transformer)."""
    rng = random.Random(0)
    d = tempfile.mkdtemp(prefix="hebb_bench_")
    x, y = os.path.join(d, "x.npy"), os.path.join(d, "y.npy")
    if workload == "lstm":
        write_npy(x, "f32", [64, 32, 16], [rng.gauss(0, 1) for _ in range(64 * 32 * 16)])
        write_npy(y, "i32", [64], [rng.randrange(4) for _ in range(64)])
    else:
        for path in (x, y):
            write_npy(path, "i32", [32, 64], [rng.randrange(128) for _ in range(32 * 64)])
    return ["--data-x", x, "--data-y", y]


def cpu_model():
    for line in open("/proc/cpuinfo"):
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return "unknown CPU"


def fma_peak_per_core(ghz):
    """FLOP/s of one core's FMA units: 2 units x 2 flops x lanes x clock.

    /proc/cpuinfo's "cpu MHz" is the base clock on this machine kind, so the
    clock is the nominal boost (3.5 GHz) unless --ghz says otherwise. Lanes:
    16 where the CPU has AVX-512F (hebb's GEMM then runs 16-wide; two
    512-bit FMA units assumed), else 8.
    """
    flags = ""
    for line in open("/proc/cpuinfo"):
        if line.startswith("flags"):
            flags = line
            break
    lanes = 16 if " avx512f" in flags else 8
    return 2 * 2 * lanes * ghz * 1e9


def pinned(threads):
    return ["taskset", "-c", ",".join(str(i) for i in range(threads))]


def run_hebb(build, sample, threads, extra):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run(pinned(threads) + [os.path.join(build, "tools", "hebb"), "train",
                                            os.path.join(ROOT, sample), "--quiet"] + extra,
                         env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit("hebb train failed: " + out.stderr.strip())
    m = re.search(r"trained (\d+) steps in ([\d.]+) s .*compile (\d+) ms.*"
                  r"(?:test|training) (?:loss [\d.]+; \w+ )?accuracy ([\d.]+)", out.stdout)
    if not m:
        sys.exit("unexpected hebb output: " + out.stdout)
    steps, secs = int(m.group(1)), float(m.group(2))
    return {"steps_per_s": steps / secs, "compile_ms": int(m.group(3)),
            "test_acc": float(m.group(4))}


def run_peer(python, script, workload, threads, extra):
    """steps/s over all epochs (or steps) and the last test accuracy, or None."""
    if not (python and os.path.exists(script)):
        return None
    out = subprocess.run(pinned(threads) + [python, script, workload, "--threads", str(threads)]
                         + extra, capture_output=True, text=True)
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    if out.returncode or not rows:
        print("peer %s failed: %s" % (os.path.basename(script), out.stderr.strip()[-300:]),
              file=sys.stderr)
        return None
    if "train_s" not in rows[-1]:  # one row of steps/s (lstm)
        return {"steps_per_s": rows[-1]["steps_per_s"], "test_acc": None,
                "version": rows[-1].get("version", "")}
    secs = sum(r["train_s"] for r in rows)
    steps = sum(r["steps_per_s"] * r["train_s"] for r in rows)
    return {"steps_per_s": steps / secs, "test_acc": rows[-1]["test_acc"],
            "version": rows[-1].get("version", "")}


def measure(workload, build, threads, epochs=1, steps=200, python=None,
            peers=os.path.join(ROOT, "..", "shared", "bench"), ghz=3.5, peak=None):
    """hebb's and the peers' steps/s on `workload`: one result dict.

    `peak` is the FLOP/s of all `threads` cores (bench/run.py measures it);
    without it, the nominal figure of fma_peak_per_core(ghz)."""
    sample, step_flop = WORKLOADS[workload]
    if workload in ("lstm", "transformer"):
        hebb_extra = synthetic_batch(workload) + ["--steps", str(steps), "--no-shuffle"]
        peer_extra = ["--steps", str(steps)]
    else:
        hebb_extra = peer_extra = ["--epochs", str(epochs)]
    h = run_hebb(build, sample, threads, hebb_extra)
    gflops = h["steps_per_s"] * step_flop / 1e9
    peak = (peak or fma_peak_per_core(ghz) * threads) / 1e9
    result = {"bench": workload, "cpu": cpu_model(), "threads": threads,
              "epochs": epochs, "hebb_steps_per_s": round(h["steps_per_s"], 1),
              "hebb_gflops": round(gflops, 1), "peak_gflops": round(peak, 1),
              "fraction_of_peak": round(gflops / peak, 3),
              "hebb_compile_ms": h["compile_ms"]}
    # The synthetic workloads train one batch: their accuracy is on it.
    synthetic = workload in ("lstm", "transformer")
    result["hebb_train_acc" if synthetic else "hebb_test_acc"] = h["test_acc"]
    for name, script in (("torch", "torch_peer.py"), ("jax", "jax_peer.py")):
        if workload == "transformer":  # bench/lm_peers.py torch|jax
            p = run_peer(python, os.path.join(HERE, "lm_peers.py"), name, threads, peer_extra)
        else:
            p = run_peer(python, os.path.join(peers, script), workload, threads, peer_extra)
        if p:
            result.update({name + "_steps_per_s": round(p["steps_per_s"], 1),
                           name + "_version": p["version"],
                           "ratio_hebb_over_" + name: round(h["steps_per_s"] / p["steps_per_s"], 2),
                           name + "_test_acc": p["test_acc"]})
    return result


def peer_python(path):
    """The peers' python, or None (said on stderr) where it is missing."""
    if os.path.exists(path):
        return path
    print("peers left out: %s not found (run ../shared/bench/setup-peers.sh)" % path,
          file=sys.stderr)
    return None


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workload", choices=sorted(WORKLOADS))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--steps", type=int, default=200, help="lstm: steps timed")
    ap.add_argument("--ghz", type=float, default=3.5)
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--python", default=os.path.expanduser("~/.cache/hebb-peers/bin/python"),
                    help="the python of setup-peers.sh")
    a = ap.parse_args()
    print(json.dumps(measure(a.workload, a.build, a.threads, a.epochs, a.steps,
                             peer_python(a.python), a.peers, a.ghz)))


if __name__ == "__main__":
    main()
