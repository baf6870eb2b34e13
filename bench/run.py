#!/usr/bin/python3
"""`make bench`: hebb against its peers, in one run, as one table.

Measures on this machine, one after the other:
  - the FMA peak of one core (bench/peak.c), AVX-512 and AVX2;
  - training steps/s (bench/train.py: the Keras MLP on one and two threads,
    LeNet-5 and the LSTM on one) against PyTorch 2.x eager and jax.jit;
  - MLP inference latency at batch 1 and 128 through the generated C API
    (samples/mnist_mlp.json compiled to an object and header, timed by
    bench/infer.c) against PyTorch, ONNX Runtime and jax.jit;
  - hebb_sgemm at 512³ and 1024³ (bench/gemm.c) against numpy's OpenBLAS.
Every run is pinned with taskset to the first cores. Prints the table
(markdown) with the CPU model, and writes every figure to --json.

  bench/run.py [--build build] [--python PY] [--peers DIR] [--quick]
               [--json FILE]

The peers run on the python that ../shared/bench/setup-peers.sh prints;
where it is missing their columns are empty and stderr says so.
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import train  # noqa: E402  (the training measurements)

CC = os.environ.get("CC", "clang-16")


def sh(cmd, env=None):
    out = subprocess.run(cmd, capture_output=True, text=True,
                         env=dict(os.environ, **(env or {})))
    if out.returncode:
        sys.exit("%s failed: %s" % (os.path.basename(cmd[0]), out.stderr.strip()[-500:]))
    return out.stdout


def json_lines(text):
    return [json.loads(l) for l in text.splitlines() if l.startswith("{")]


def measure_peak(work):
    exe = os.path.join(work, "peak")
    sh([CC, "-O2", os.path.join(HERE, "peak.c"), "-o", exe])
    return json_lines(sh(train.pinned(1) + [exe]))[0]


def runtime_link(build):
    return [os.path.join(build, "runtime", "libhebbrt.a"), "-fopenmp=libomp",
            "-lstdc++", "-lm", "-I" + os.path.join(ROOT, "runtime", "include")]


def hebb_infer(build, work, batch, threads):
    """Latency (µs) of mnist_mlp_infer at `batch` through the C header."""
    base = os.path.join(work, "b%d" % batch, "mnist_mlp")
    sh([os.path.join(build, "tools", "hebb"), "compile",
        os.path.join(ROOT, "samples", "mnist_mlp.json"), "--emit=obj,header",
        "--batch", str(batch), "-o", base])
    exe = base + "_infer"
    sh([CC, "-O2", "-DNAME=mnist_mlp", "-DUPPER=MNIST_MLP", "-include", base + ".h",
        os.path.join(HERE, "infer.c"), base + ".o", "-o", exe] + runtime_link(build))
    reps = "3000" if batch == 1 else "300"
    rows = json_lines(sh(train.pinned(threads) + [exe, reps],
                         env={"OMP_NUM_THREADS": str(threads)}))
    return rows[0]["latency_us"]


def peer_infer(python, peers, threads):
    """{(peer, batch): µs} from torch_peer.py infer (PyTorch and ONNX
    Runtime) and jax_peer.py infer."""
    found = {}
    if not python:
        return found
    for script in ("torch_peer.py", "jax_peer.py"):
        out = subprocess.run(train.pinned(threads) + [python, os.path.join(peers, script),
                                                      "infer", "--threads", str(threads)],
                             capture_output=True, text=True)
        for r in json_lines(out.stdout):
            found[(r["peer"], r["batch"])] = (r["latency_us"], r["version"])
    return found


def hebb_gemm(build, work, sizes, kernel=""):
    """GFLOP/s of hebb_sgemm by size, with the widest kernel or the one
    HEBB_GEMM_KERNEL names."""
    exe = os.path.join(work, "gemm")
    if not os.path.exists(exe):
        sh([CC, "-O2", os.path.join(HERE, "gemm.c"), "-o", exe] + runtime_link(build))
    rows = json_lines(sh(train.pinned(1) + [exe] + [str(n) for n in sizes],
                         env={"OMP_NUM_THREADS": "1", "HEBB_GEMM_KERNEL": kernel}))
    return {r["n"]: r["gflops"] for r in rows}


NUMPY_GEMM = """
import json, sys, time, numpy as np
for n in map(int, sys.argv[1:]):
    a = np.random.rand(n, n).astype(np.float32); b = np.random.rand(n, n).astype(np.float32)
    a @ b
    best = 0.0
    for _ in range(5):  # as bench/gemm.c: rounds of at least 0.2 s, the best
        reps, t0 = 0, time.perf_counter()
        while time.perf_counter() - t0 < 0.2:
            a @ b; reps += 1
        best = max(best, 2 * n ** 3 * reps / (time.perf_counter() - t0) / 1e9)
    print(json.dumps({"n": n, "gflops": round(best, 1), "version": np.__version__}))
"""


def numpy_gemm(python, sizes):
    if not python:
        return {}
    out = subprocess.run(train.pinned(1) + [python, "-c", NUMPY_GEMM] + [str(n) for n in sizes],
                         capture_output=True, text=True,
                         env=dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1"))
    return {r["n"]: r["gflops"] for r in json_lines(out.stdout)}


def ratio(a, b, digits=2):
    return "%.*f" % (digits, a / b) if a and b else ""


def fmt(x):
    return "" if x is None else ("%.1f" % x)


def table(rows):
    head = ["measure", "threads", "hebb", "PyTorch 2.x", "jax.jit", "ONNX Runtime",
            "OpenBLAS", "hebb vs best peer"]
    lines = ["| " + " | ".join(head) + " |", "|" + " --- |" * len(head)]
    for r in rows:
        lines.append("| " + " | ".join(str(c) for c in r) + " |")
    return "\n".join(lines)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--python", default=os.path.expanduser("~/.cache/hebb-peers/bin/python"))
    ap.add_argument("--peers", default=os.path.join(ROOT, "..", "shared", "bench"))
    ap.add_argument("--quick", action="store_true",
                    help="the MLP alone (training on one thread and inference)")
    ap.add_argument("--json", help="also write every figure here")
    a = ap.parse_args()
    python = train.peer_python(a.python)
    work = tempfile.mkdtemp(prefix="hebb_bench_")
    cores = len(os.sched_getaffinity(0))
    peak = measure_peak(work)
    # hebb's kernels run 16 lanes wide where the CPU has AVX-512F.
    core_peak = (peak["avx512"] or peak["avx2"]) * 1e9
    report = {"cpu": train.cpu_model(), "cores": cores, "peak_gflops_per_core": peak,
              "training": [], "inference": {}, "gemm": {}}
    rows = []

    # Training: steps/s, higher is better; the ratio is hebb over the faster peer.
    plan = [("mlp", 1)] if a.quick else [("mlp", 1), ("mlp", 2), ("lenet", 1), ("lstm", 1)]
    one_thread_mlp = None
    for workload, threads in plan:
        if threads > cores:
            continue
        r = train.measure(workload, a.build, threads, python=python, peers=a.peers,
                          peak=core_peak * threads)
        report["training"].append(r)
        best = max(r.get("torch_steps_per_s") or 0, r.get("jax_steps_per_s") or 0)
        note = "%s× (%.0f%% of peak)" % (ratio(r["hebb_steps_per_s"], best),
                                        100 * r["fraction_of_peak"])
        if workload == "mlp" and threads == 1:
            one_thread_mlp = r["hebb_steps_per_s"]
        elif workload == "mlp" and one_thread_mlp:
            note += "; %s× its 1-thread figure" % ratio(r["hebb_steps_per_s"], one_thread_mlp)
        rows.append(["%s training, steps/s" % workload, threads, fmt(r["hebb_steps_per_s"]),
                     fmt(r.get("torch_steps_per_s")), fmt(r.get("jax_steps_per_s")), "", "",
                     note])

    # Inference: µs per call, lower is better; the ratio is hebb's latency
    # over the fastest peer's.
    peers = peer_infer(python, a.peers, 1)
    for batch in (1, 128):
        us = hebb_infer(a.build, work, batch, 1)
        got = {p: peers.get((p, batch), (None, ""))[0]
               for p in ("torch eager", "jax.jit", "onnxruntime")}
        report["inference"][batch] = dict(hebb=us, **got)
        fastest = min([v for v in got.values() if v] or [0])
        rows.append(["MLP inference batch %d, µs" % batch, 1, fmt(us), fmt(got["torch eager"]),
                     fmt(got["jax.jit"]), fmt(got["onnxruntime"]), "",
                     "%s× the fastest's latency; %s× ORT's" % (ratio(us, fastest),
                                                              ratio(us, got["onnxruntime"]))])

    # hebb_sgemm: GFLOP/s, higher is better; on AVX-512 machines also the
    # AVX2 kernel, against which the AVX-512 one is measured.
    sizes = (512, 1024)
    mine, blas = hebb_gemm(a.build, work, sizes), numpy_gemm(python, sizes)
    avx2 = hebb_gemm(a.build, work, sizes, "avx2") if peak["avx512"] else {}
    for n in sizes:
        report["gemm"][n] = {"hebb": mine.get(n), "openblas": blas.get(n),
                             "hebb_avx2_kernel": avx2.get(n)}
        note = "%s× (%.0f%% of peak)" % (ratio(mine.get(n), blas.get(n)),
                                        100 * mine.get(n, 0) * 1e9 / core_peak)
        if avx2:
            note += "; %s× the AVX2 kernel (%s)" % (ratio(mine.get(n), avx2.get(n)),
                                                   fmt(avx2.get(n)))
        rows.append(["sgemm %d³, GFLOP/s" % n, 1, fmt(mine.get(n)), "", "", "", fmt(blas.get(n)),
                     note])

    print("%s, %d cores; FMA peak per core measured: %.1f GFLOP/s AVX-512, %.1f AVX2"
          % (report["cpu"], cores, peak["avx512"], peak["avx2"]))
    print(table(rows))
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=1)


if __name__ == "__main__":
    main()
