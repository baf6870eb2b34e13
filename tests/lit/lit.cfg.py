# lit configuration for hebb's FileCheck tests.
import os
import lit.formats

config.name = "hebb"
# Address-space limits do not work under AddressSanitizer (its shadow).
if getattr(config, "hebb_sanitized", False):
    config.available_features.add("asan")
# A CUDA driver (a GPU machine): GPU programs run instead of failing cleanly.
try:
    import ctypes
    ctypes.CDLL("libcuda.so.1")
    config.available_features.add("cuda-driver")
except OSError:
    pass
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".mlir", ".test"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.hebb_binary_dir, "tests", "lit")
config.excludes = ["lit.cfg.py", "lit.site.cfg.py.in", "Inputs"]

config.environment["PATH"] = os.pathsep.join(
    [config.hebb_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])
config.substitutions.append(("%hebb_src", config.hebb_source_dir))
config.substitutions.append(("%python", config.python_executable))
config.substitutions.append(("%npy", config.python_executable + " " +
                             os.path.join(config.hebb_source_dir, "tests", "tools", "npy.py")))
# Building programs against compiled models: the C compiler, libhebbrt's
# headers, and the shared libhebbrt (which brings OpenMP and the C++ runtime).
rt = os.path.join(config.hebb_binary_dir, "runtime")
config.substitutions.append(("%cc", config.c_compiler))
config.substitutions.append(("%hebb_cflags", "-I" + os.path.join(config.hebb_source_dir, "runtime", "include")))
config.substitutions.append(("%hebb_libs", "-L%s -lhebbrt -Wl,-rpath,%s -lm" % (rt, rt)))
config.substitutions.append(("%stcompare", config.python_executable + " " +
                             os.path.join(config.hebb_source_dir, "tests", "tools", "stcompare.py")))
