"""Every sample with a training section trains on an NVIDIA GPU and ends
where the CPU ends: the parameters of a --target nvptx program and of a CPU
program after the same steps from the same initialisation on the same
(random) batches agree to 1e-4 of each tensor's largest magnitude, and the
GPU's parameters loaded by both programs (`eval --init`) give one loss.

The samples' optimizers are replaced by plain SGD (lr 0.1; gradient
clipping kept): Adam and RMSprop turn every gradient element near zero into
a step of about +-lr whatever its size, so two correct programs that sum in
different orders (the GPU's kernels and the CPU's blocked GEMM do) differ
by up to 2 lr after one step. SGD compares the gradients themselves.

usage: gpu_samples.py HEBB SOURCE_DIR              build, then run (ctest)
       gpu_samples.py build HEBB SOURCE_DIR DIR    programs and data into DIR
       gpu_samples.py run DIR                      run them, compare
       gpu_samples.py emulate HEBB SOURCE_DIR      the same comparison with
           `hebb train --device gpu-emulation` (the GPU mapping run by the
           CPU) in place of the GPU: runs everywhere
       gpu_samples.py nodriver HEBB SOURCE_DIR     without a CUDA driver, a
           GPU program and `hebb train --device cuda` fail with one line
           and exit code 1

Build and run are separate so that programs built on one machine run on a
GPU machine without hebb (they link only libhebbrt's driver library). A
machine without a CUDA driver skips (exit 77): a skip, never a pass.
"""
import ctypes
import json
import os
import random
import re
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "..", "samples", "text"))
sys.path.insert(0, os.path.join(HERE, "..", "tools"))
from fortunes import write_npy  # noqa: E402  (the samples' .npy writer)
import stcompare  # noqa: E402  (the tests' safetensors reader)

STEPS = 5  # the step runs directly, is recorded as a graph, then replayed
GPU = os.environ.get("HEBB_TEST_GPU", "sm_80")
TOLERANCE = 1e-4  # of max |parameter|


def has_cuda_driver():
    try:
        ctypes.CDLL("libcuda.so.1")
        return True
    except OSError:
        return False


def interface(header, name):
    """(inputs [(name, dtype, shape)], labels (dtype, shape)) from the header."""
    text = open(header).read()
    N = name.upper()
    sig = re.search(r"int %s_train_step\(%s_ctx \*ctx, (.*?), float lr" % (name, name), text)
    if not sig:
        return None
    args = [a.strip() for a in sig.group(1).split(",")]

    def shape(prefix):
        rank = int(re.search(r"#define %s_RANK (\d+)" % prefix, text).group(1))
        return [int(re.search(r"#define %s_DIM%d (\d+)" % (prefix, d), text).group(1))
                for d in range(rank)]

    inputs = []
    for a in args[:-1]:
        ctype, arg = re.match(r"const (\w+) \*(\w+)", a).groups()
        inputs.append((arg, "i32" if ctype == "int32_t" else "f32",
                       shape("%s_INPUT_%s" % (N, arg.upper()))))
    ltype = re.match(r"const (\w+) \*", args[-1]).group(1)
    return inputs, ("i32" if ltype == "int32_t" else "f32", shape(N + "_LABELS"))


def random_values(rng, name, dtype, n):
    if dtype == "i32":
        return [rng.randrange(2) for _ in range(n)]  # valid ids and classes
    if "mask" in name:
        return [1.0] * n
    return [rng.random() for _ in range(n)]


def build(hebb, root, out, programs=True):
    rng = random.Random(0)
    os.makedirs(out, exist_ok=True)
    plan = []
    for f in sorted(os.listdir(os.path.join(root, "samples"))):
        if not f.endswith(".json"):
            continue
        spec = json.load(open(os.path.join(root, "samples", f)))
        if "training" not in spec:
            continue
        name = spec.get("name", f[:-5])
        clip = spec["training"]["optimizer"].get("clip_norm")
        spec["training"]["optimizer"] = {"kind": "sgd", "lr": 0.1}
        if clip:
            spec["training"]["optimizer"]["clip_norm"] = clip
        base = os.path.join(out, name)
        model = base + ".json"
        json.dump(spec, open(model, "w"))
        kinds = "exe,header" if programs else "header"
        subprocess.run([hebb, "compile", model, "--emit=" + kinds, "-o", base + "_cpu",
                        "--cpu", "x86-64-v3"], check=True)
        found = interface(base + ("_cpu.h" if programs else "_cpu"), name)
        if not found:
            continue
        if programs:
            subprocess.run([hebb, "compile", model, "--target", "nvptx", "--gpu", GPU,
                            "--emit=exe", "-o", base + "_gpu"], check=True)
        inputs, (ldtype, lshape) = found
        data = []
        for arg, dtype, shape in inputs:
            n = 1
            for d in shape:
                n *= d
            path = "%s_%s.npy" % (base, arg)
            write_npy(path, dtype, shape, random_values(rng, arg, dtype, n))
            data.append("%s=%s" % (arg, os.path.basename(path)))
        n = 1
        for d in lshape:
            n *= d
        write_npy(base + "_labels.npy", ldtype, lshape, random_values(rng, "y", ldtype, n))
        plan.append({"name": name, "model": os.path.abspath(model), "inputs": data,
                     "labels": name + "_labels.npy"})
    json.dump(plan, open(os.path.join(out, "plan.json"), "w"), indent=1)


def train(prog, entry, out, saved):
    cmd = prog("train") + ["--steps", str(STEPS), "--no-shuffle", "--quiet",
           "--data-y", entry["labels"], "--save", saved]
    for d in entry["inputs"]:
        cmd += ["--data-x", d if len(entry["inputs"]) > 1 else d.split("=", 1)[1]]
    return subprocess.run(cmd, cwd=out, capture_output=True, text=True)


def evaluate(prog, entry, out, params):
    """The eval command's loss with `params` loaded (on the host, then
    copied to the device for a GPU program)."""
    cmd = prog("eval") + ["--init", params, "--data-y", entry["labels"]]
    for d in entry["inputs"]:
        cmd += ["--data-x", d if len(entry["inputs"]) > 1 else d.split("=", 1)[1]]
    r = subprocess.run(cmd, cwd=out, capture_output=True, text=True)
    m = re.search(r"loss ([-0-9.e+naif]+)", r.stdout)
    return float(m.group(1)) if r.returncode == 0 and m else None


def run(out, hebb=None):
    """Trains each sample on the CPU and on the GPU (or, given `hebb`, with
    hebb train --device gpu-emulation) and compares the parameters."""
    if not hebb and not has_cuda_driver():
        print("SKIP: no CUDA driver (libcuda.so.1) on this machine")
        sys.exit(77)
    out = os.path.abspath(out)
    plan = json.load(open(os.path.join(out, "plan.json")))
    failures = 0
    for entry in plan:
        name = entry["name"]
        results, programs = {}, {}
        for kind in ("cpu", "gpu"):
            saved = os.path.join(out, "%s_%s.safetensors" % (name, kind))
            if hebb:
                device = "cpu" if kind == "cpu" else "gpu-emulation"
                def prog(command, device=device, model=entry["model"]):
                    return [hebb, command, model, "--device", device]
            else:
                def prog(command, path=os.path.join(out, "%s_%s" % (name, kind))):
                    return [path, command]
            programs[kind] = prog
            r = train(prog, entry, out, saved)
            if r.returncode != 0:
                print("FAIL %s (%s): %s" % (name, kind, (r.stderr or r.stdout).strip()))
                failures += 1
                break
            results[kind] = stcompare.load(saved)
        else:
            worst = 0.0
            for key, cpu in results["cpu"].items():
                gpu = results["gpu"][key]
                scale = max(abs(v) for v in cpu) or 1.0
                worst = max(worst, max(abs(a - b) for a, b in zip(cpu, gpu)) / scale)
            # The GPU's parameters evaluated by both: loading, the upload
            # and the eval entry on the device.
            saved = os.path.join(out, "%s_gpu.safetensors" % name)
            losses = [evaluate(p, entry, out, saved) for p in programs.values()]
            same = None not in losses and abs(losses[0] - losses[1]) <= 1e-4 * max(
                1.0, abs(losses[0]))
            ok = worst <= TOLERANCE and same
            failures += not ok
            print("%s %-18s %d steps: max |gpu - cpu| / max |cpu| = %.2e; eval loss cpu %s gpu %s" %
                  ("ok  " if ok else "FAIL", name, STEPS, worst, losses[0], losses[1]))
    sys.exit(1 if failures else 0)


def no_driver(hebb, root):
    if has_cuda_driver():
        print("SKIP: this machine has a CUDA driver")
        sys.exit(77)
    model = os.path.join(root, "samples", "xor_train.json")
    expected = "no CUDA driver: libcuda.so.1 not found"
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        prog = os.path.join(tmp, "xor_gpu")
        subprocess.run([hebb, "compile", model, "--target", "nvptx", "--emit=exe", "-o", prog],
                       check=True)
        for cmd in ([prog, "train", "--steps", "1"],
                    [hebb, "train", model, "--device", "cuda", "--steps", "1"]):
            r = subprocess.run(cmd, capture_output=True, text=True)
            lines = r.stderr.strip().splitlines()
            ok = r.returncode == 1 and len(lines) == 1 and expected in lines[0]
            failures += not ok
            print("%s %s: exit %d, %r" % ("ok  " if ok else "FAIL", os.path.basename(cmd[0]),
                                          r.returncode, r.stderr.strip()))
    sys.exit(1 if failures else 0)


def main():
    if sys.argv[1] == "build":
        build(sys.argv[2], sys.argv[3], sys.argv[4])
    elif sys.argv[1] == "run":
        run(sys.argv[2])
    elif sys.argv[1] == "emulate":
        with tempfile.TemporaryDirectory() as tmp:
            build(sys.argv[2], sys.argv[3], tmp, programs=False)
            run(tmp, hebb=os.path.abspath(sys.argv[2]))
    elif sys.argv[1] == "nodriver":
        no_driver(sys.argv[2], sys.argv[3])
    else:
        if not has_cuda_driver():
            print("SKIP: no CUDA driver (libcuda.so.1) on this machine")
            sys.exit(77)
        with tempfile.TemporaryDirectory() as tmp:
            build(sys.argv[1], sys.argv[2], tmp)
            run(tmp)


if __name__ == "__main__":
    main()
