"""Every sample's PTX (forward, eval and train_step) for sm_80 and sm_90 is
accepted by the CUDA toolkit's ptxas.

usage: ptxas_test.py HEBB SOURCE_DIR

Exits 77 (ctest's skip) where no ptxas is installed: the CUDA toolkit is
optional to build and test hebb.
"""
import glob
import os
import shutil
import subprocess
import sys
import tempfile

ARCHES = ("sm_80", "sm_90")


def find_ptxas():
    for candidate in (shutil.which("ptxas"), "/usr/local/cuda/bin/ptxas"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return None


def main():
    hebb, root = sys.argv[1], sys.argv[2]
    ptxas = find_ptxas()
    if not ptxas:
        print("SKIP: no ptxas (CUDA toolkit) on this machine")
        sys.exit(77)
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        for model in sorted(glob.glob(os.path.join(root, "samples", "*.json"))):
            name = os.path.basename(model)[:-5]
            for arch in ARCHES:
                ptx = os.path.join(tmp, "%s.%s.ptx" % (name, arch))
                steps = [[hebb, "compile", model, "--target", "nvptx", "--gpu", arch,
                          "--emit=ptx", "-o", ptx],
                         [ptxas, "-arch=" + arch, ptx, "-o", os.devnull]]
                for cmd in steps:
                    r = subprocess.run(cmd, capture_output=True, text=True)
                    if r.returncode != 0:
                        print("FAIL %s %s: %s" % (name, arch,
                                                  (r.stderr or r.stdout).strip()[:2000]))
                        failures += 1
                        break
                else:
                    kernels = sum(1 for line in open(ptx) if line.startswith(".visible .entry"))
                    print("ok   %-20s %s  %4d kernels" % (name, arch, kernels))
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
