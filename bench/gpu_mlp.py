"""The Keras MNIST MLP's training step on an NVIDIA GPU: a hebb program
compiled with --target nvptx against PyTorch CUDA eager, in one run.

Model: 784-512-512-10, ReLU, dropout 0.2, softmax cross-entropy, RMSprop
(lr 1e-3, rho 0.9, eps 1e-7), batch 128, on random data (the step's cost
does not depend on the values). PyTorch is timed twice: with the batches
already on the GPU, and copying each batch from host memory as hebb's
driver does. Both are timed after a warm-up: PyTorch's first 20 steps,
hebb's first 200 (loading the PTX, recording the step's CUDA graph).

usage: python3 bench/gpu_mlp.py PROGRAM X.npy Y.npy [--steps N]
"""
import argparse
import re
import subprocess
import time

import numpy as np
import torch


def torch_steps(x, y, steps, on_device):
    dev = torch.device("cuda")
    torch.manual_seed(0)
    model = torch.nn.Sequential(
        torch.nn.Linear(784, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 512), torch.nn.ReLU(), torch.nn.Dropout(0.2),
        torch.nn.Linear(512, 10)).to(dev)
    opt = torch.optim.RMSprop(model.parameters(), lr=1e-3, alpha=0.9, eps=1e-7)
    loss_fn = torch.nn.CrossEntropyLoss()
    xs = torch.from_numpy(x)
    ys = torch.from_numpy(y.astype(np.int64))
    if on_device:
        xs, ys = xs.to(dev), ys.to(dev)
    batches = x.shape[0] // 128

    def step(i):
        b = i % batches
        xb = xs[b * 128:(b + 1) * 128].to(dev, non_blocking=False)
        yb = ys[b * 128:(b + 1) * 128].to(dev, non_blocking=False)
        opt.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    for i in range(20):
        step(i)
    torch.cuda.synchronize()
    start = time.perf_counter()
    for i in range(steps):
        loss = step(i)
    loss.item()  # hebb reads each step's loss back too
    torch.cuda.synchronize()
    return steps / (time.perf_counter() - start)


def hebb_seconds(program, x_path, y_path, steps):
    out = subprocess.run(
        [program, "train", "--data-x", x_path, "--data-y", y_path, "--steps",
         str(steps), "--no-shuffle", "--quiet"], capture_output=True, text=True,
        check=True).stdout
    return float(re.search(r"trained \d+ steps in ([0-9.]+) s", out).group(1))


def hebb_steps(program, x_path, y_path, steps):
    """Steps per second after the first 200 (which load the kernels and
    record the step's graph): the difference of two runs, after a run that
    fills the driver's cache of compiled PTX (else the first run alone
    would pay for the compilation)."""
    hebb_seconds(program, x_path, y_path, 10)
    warm = hebb_seconds(program, x_path, y_path, 200)
    total = hebb_seconds(program, x_path, y_path, 200 + steps)
    return steps / (total - warm)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("program")
    ap.add_argument("x")
    ap.add_argument("y")
    ap.add_argument("--steps", type=int, default=2000)
    a = ap.parse_args()
    x = np.load(a.x).astype(np.float32)
    y = np.load(a.y)
    print("device:", torch.cuda.get_device_name(0))
    hebb = hebb_steps(a.program, a.x, a.y, a.steps)
    resident = torch_steps(x, y, a.steps, True)
    copied = torch_steps(x, y, a.steps, False)
    print(f"hebb (nvptx) {hebb:.0f} steps/s")
    print(f"PyTorch CUDA eager, batches on the GPU {resident:.0f} steps/s "
          f"(hebb {hebb / resident:.2f}x)")
    print(f"PyTorch CUDA eager, batches copied from the host {copied:.0f} "
          f"steps/s (hebb {hebb / copied:.2f}x)")


if __name__ == "__main__":
    main()
