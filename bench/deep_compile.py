#!/usr/bin/python3
"""How hebb's compile time and memory grow with the depth of a model.

Writes stacks of N dense layers (8 units, tanh, batch 4, BCE, SGD) and
times `hebb compile --emit=obj` (the whole training program: forward, eval
and train_step down to machine code) and `--emit=mlir` (the frontend alone),
with each run's peak resident memory. Prints a Markdown table and the time
per layer, which stays flat when growth is linear.

  bench/deep_compile.py [--build build] [--obj 25,50,100,200,400]
                        [--mlir 1000,10000]
"""
import argparse, json, os, subprocess, sys, tempfile, time


def model(layers):
    dense = {"type": "dense", "units": 8, "activation": "tanh"}
    return {"name": "deep", "batch_size": 4,
            "input": {"name": "x", "shape": [8]},
            "layers": [dense] * layers +
                      [{"type": "dense", "units": 1, "activation": "sigmoid"}],
            "training": {"loss": "bce", "epochs": 1,
                         "optimizer": {"kind": "sgd", "lr": 0.1}}}


def measure(hebb, path, emit):
    """Wall seconds and peak RSS (MB) of one `hebb compile` run."""
    start = time.perf_counter()
    proc = subprocess.Popen([hebb, "compile", path, "--emit=" + emit,
                             "-o", os.devnull], stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)  # this child's own rusage
    seconds = time.perf_counter() - start
    if status != 0:
        sys.exit("hebb compile failed:\n" + proc.stderr.read().decode())
    return seconds, usage.ru_maxrss / 1024


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default="build")
    ap.add_argument("--obj", default="25,50,100,200,400")
    ap.add_argument("--mlir", default="1000,10000")
    args = ap.parse_args()
    hebb = os.path.join(args.build, "tools", "hebb")
    cpu = next((l.split(":", 1)[1].strip()
                for l in open("/proc/cpuinfo") if l.startswith("model name")),
               "unknown CPU")
    print(f"{cpu}, {os.cpu_count()} cores\n")
    print("| layers | emit | wall time | per layer | peak RSS |")
    print("| --- | --- | --- | --- | --- |")
    with tempfile.TemporaryDirectory() as tmp:
        for emit, depths in (("obj", args.obj), ("mlir", args.mlir)):
            for n in [int(d) for d in depths.split(",") if d]:
                path = os.path.join(tmp, f"deep{n}.json")
                with open(path, "w") as f:
                    json.dump(model(n), f)
                seconds, mb = measure(hebb, path, emit)
                print(f"| {n} | {emit} | {seconds:.2f} s | "
                      f"{1000 * seconds / n:.1f} ms | {mb:.0f} MB |",
                      flush=True)


if __name__ == "__main__":
    main()
