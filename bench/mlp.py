#!/usr/bin/python3
"""hebb against the PyTorch peer on the Keras MNIST MLP, in one run.

Trains samples/keras_mnist_mlp.json with `hebb train` and the same model,
data (Fashion-MNIST), optimizer (RMSprop, Keras defaults) and batch (128)
with ../shared/bench/torch_peer.py, at the same thread count, and prints
steps/s of each, their ratio, the GFLOP/s hebb reaches against the machine's
FMA peak, and both test accuracies.

  bench/mlp.py [--build build] [--threads 1] [--epochs 1] [--ghz 3.5] [--peer PATH]

One training step of 784-512-512-10 at batch 128 is 3 x 171 MFLOP (forward,
and backward at twice the forward).
"""
import argparse, json, os, re, subprocess, sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
STEP_FLOP = 3 * 2 * 128 * (784 * 512 + 512 * 512 + 512 * 10)


def fma_peak_per_core(ghz):
    """FLOP/s of one core's FMA units: 2 units x 2 flops x lanes x clock.

    /proc/cpuinfo's "cpu MHz" is the base clock on this machine kind and the
    packed GEMM alone exceeds a peak computed from it, so the clock is the
    nominal boost (3.5 GHz: 112 GFLOP/s with AVX2, 224 with AVX-512) unless
    --ghz says otherwise.
    """
    flags = open("/proc/cpuinfo").read()
    lanes = 16 if " avx512f" in flags else 8
    return 2 * 2 * lanes * ghz * 1e9, lanes


def run_hebb(build, threads, epochs):
    env = dict(os.environ, OMP_NUM_THREADS=str(threads))
    out = subprocess.run([os.path.join(build, "tools", "hebb"), "train",
                          os.path.join(ROOT, "samples", "keras_mnist_mlp.json"),
                          "--epochs", str(epochs), "--quiet"],
                         env=env, capture_output=True, text=True)
    if out.returncode:
        sys.exit("hebb train failed: " + out.stderr.strip())
    m = re.search(r"trained (\d+) steps in ([\d.]+) s .*compile (\d+) ms.*test accuracy ([\d.]+)",
                  out.stdout)
    if not m:
        sys.exit("unexpected hebb output: " + out.stdout)
    steps, secs = int(m.group(1)), float(m.group(2))
    return {"steps_per_s": steps / secs, "compile_ms": int(m.group(3)),
            "test_acc": float(m.group(4))}


def run_torch(peer, threads, epochs):
    out = subprocess.run(["/usr/bin/python3", peer, "mlp", "--threads", str(threads),
                          "--epochs", str(epochs)], capture_output=True, text=True)
    if out.returncode:
        sys.exit("torch peer failed: " + out.stderr.strip()[-500:])
    rows = [json.loads(l) for l in out.stdout.splitlines() if l.startswith("{")]
    secs = sum(r["train_s"] for r in rows)
    steps = sum(r["steps_per_s"] * r["train_s"] for r in rows)
    return {"steps_per_s": steps / secs, "test_acc": rows[-1]["test_acc"]}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument("--ghz", type=float, default=3.5)
    ap.add_argument("--peer", default=os.path.join(ROOT, "..", "shared", "bench", "torch_peer.py"))
    a = ap.parse_args()
    h = run_hebb(a.build, a.threads, a.epochs)
    t = run_torch(a.peer, a.threads, a.epochs) if os.path.exists(a.peer) else None
    peak, lanes = fma_peak_per_core(a.ghz)
    gflops = h["steps_per_s"] * STEP_FLOP / 1e9
    result = {"bench": "mlp", "threads": a.threads, "epochs": a.epochs,
              "hebb_steps_per_s": round(h["steps_per_s"], 1),
              "hebb_gflops": round(gflops, 1),
              "peak_gflops": round(peak * a.threads / 1e9, 1),
              "fraction_of_peak": round(gflops * 1e9 / (peak * a.threads), 3),
              "vector_lanes": lanes,
              "hebb_compile_ms": h["compile_ms"],
              "hebb_test_acc": h["test_acc"]}
    if t:
        result.update({"torch_steps_per_s": round(t["steps_per_s"], 1),
                       "ratio_hebb_over_torch": round(h["steps_per_s"] / t["steps_per_s"], 2),
                       "torch_test_acc": t["test_acc"]})
    print(json.dumps(result))


if __name__ == "__main__":
    main()
