//===- Passes.td - hebb code generation passes -------------*- tablegen -*-===//

#ifndef HEBB_CODEGEN_PASSES_TD
#define HEBB_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def HebbDecompose : Pass<"hebb-decompose", "mlir::ModuleOp"> {
  let summary = "Replace composite hebb ops by the primitive ops they are made of";
  let description = [{
    `batch_norm` becomes elementwise arithmetic on broadcast statistics;
    `conv2d` becomes `im2col` and one `matmul` per group; `max_pool2d` and
    `avg_pool2d` become `im2col` of each channel and a reduction down the
    columns. Run before CSE, so the columns a convolution's forward product
    and its weight gradient both read are built once.
  }];
  let constructor = "hebb::createDecomposePass()";
}

def HebbLowerScan : Pass<"hebb-lower-scan", "mlir::ModuleOp"> {
  let summary = "Turn hebb.scan into scf.for over tensor slices";
  let description = [{
    Each scan becomes one scf.for over its steps (counting down when
    reversed) whose body is the scan's body: step t of each sequence is a
    tensor.extract_slice, each step output a tensor.insert_slice into a
    stacked loop-carried tensor, and each next carry a linalg.copy into its
    loop-carried tensor, so bufferization keeps one buffer per carry and
    per stacked output for the whole loop. The body's ops stay hebb ops for
    convert-hebb-to-linalg.
  }];
  let constructor = "hebb::createLowerScanPass()";
  let dependentDialects = [
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::linalg::LinalgDialect", "mlir::arith::ArithDialect"
  ];
}

def ConvertHebbToLinalg : Pass<"convert-hebb-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower hebb ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every hebb op on tensors into target-neutral linalg.generic
    ops (plus tensor reshapes/slices and arith constants). Elementwise ops
    become all-parallel generics whose bodies come from one scalar
    lowering; reductions, softmax and argmax become reduction generics;
    matmul a generic whose loop order keeps the innermost loop unit-stride.
    Composite ops are decomposed first (as `hebb-decompose` does). An op
    without a lowering is an error.
  }];
  let constructor = "hebb::createConvertHebbToLinalgPass()";
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect",
    "mlir::arith::ArithDialect", "mlir::math::MathDialect"
  ];
}

def HebbMathApproximation : Pass<"hebb-math-approximation"> {
  let summary = "Replace exp/log/tanh with vectorisable polynomials";
  let description = [{
    Expands math.exp, math.log, math.tanh (and friends) on f32 into
    polynomial approximations made of arith ops, so that loops containing
    them vectorise instead of calling libm one element at a time.
  }];
  let constructor = "hebb::createMathApproximationPass()";
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::vector::VectorDialect"];
}

def HebbCopyToLinalg : Pass<"hebb-copy-to-linalg", "mlir::func::FuncOp"> {
  let summary = "Rewrite memref.copy as linalg.copy";
  let description = [{
    memref.copy between strided buffers lowers to a call into MLIR's C
    runner library; as linalg.copy it becomes plain loops, so compiled
    models depend on nothing but libc.
  }];
  let constructor = "hebb::createCopyToLinalgPass()";
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def HebbFuseElementwise : Pass<"hebb-fuse-elementwise", "mlir::func::FuncOp"> {
  let summary = "Fuse elementwise producers into consumers that read them once";
  let description = [{
    Linalg elementwise fusion restricted to producers with one use whose
    consumer reads each produced element exactly once (a permutation
    indexing map). Elementwise chains and reductions of elementwise
    expressions become one loop nest; a matrix product or a broadcast never
    absorbs (and recomputes) its producer.
  }];
  let constructor = "hebb::createFuseElementwisePass()";
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def HebbUnshareInits : Pass<"hebb-unshare-inits", "mlir::func::FuncOp"> {
  let summary = "Give each destination-style user its own init";
  let description = [{
    Undoes CSE of `tensor.empty` and of `linalg.fill` on tensors where one
    value is the init of several destination-style ops: each user gets a
    clone (a fill with a clone of its tensor.empty) placed right before it.
    Bufferization then fills each buffer in place instead of copying a
    shared one, and its analysis sees small alias sets instead of one
    value written by every layer of a deep model.
  }];
  let constructor = "hebb::createUnshareInitsPass()";
  let dependentDialects = ["mlir::linalg::LinalgDialect", "mlir::tensor::TensorDialect"];
}

def HebbForwardResults : Pass<"hebb-forward-results", "mlir::func::FuncOp"> {
  let summary = "Compute results directly in their out-parameters";
  let description = [{
    Removes the final `memref.copy` from a result buffer into its
    out-parameter when the buffer is an allocation of the same type, not
    used after the copy, and the out-parameter has no other use: the
    allocation is replaced by the out-parameter.
  }];
  let constructor = "hebb::createForwardResultsPass()";
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def HebbPlanMemory : Pass<"hebb-plan-memory", "mlir::ModuleOp"> {
  let summary = "Place every temporary at a static offset in one scratch argument";
  let description = [{
    Runs after bufferization and deallocation placement. Each static
    memref.alloc of a function becomes a memref.view at a fixed offset of a
    new last argument `memref<Nxi8>` (the scratch), chosen greedy-by-size
    from live ranges so that buffers never live together share bytes; the
    deallocs disappear. N is recorded as the LLVM function attribute
    "hebb-scratch-bytes". A call then performs no allocation. Every
    function gets the argument, 0 bytes when it has no temporaries.
  }];
  let constructor = "hebb::createPlanMemoryPass()";
  let dependentDialects = ["mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def HebbPrepareGemmEpilogues
    : Pass<"hebb-prepare-gemm-epilogues", "mlir::func::FuncOp"> {
  let summary = "Allocate the output of a product's epilogue before the product";
  let description = [{
    Runs on buffers before hebb-plan-memory. Where hebb-gemm-to-runtime will
    make a bias add (and relu) after a matrix product the product's epilogue,
    the product writes that op's output while it reads its operands: the
    output's allocation moves up to just before the product, so the memory
    plan keeps it apart from the operands.
  }];
  let constructor = "hebb::createPrepareGemmEpiloguesPass()";
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def HebbGemmToRuntime : Pass<"hebb-gemm-to-runtime", "mlir::ModuleOp"> {
  let summary = "Call libhebbrt's packed GEMM for matrix-product generics";
  let description = [{
    Runs after bufferization. A linalg.generic on f32 buffers that computes
    `C[m, n] += A[m, k] * B[k, n]` (either operand possibly transposed,
    any strides) becomes a call to `hebb_sgemm`, the packed,
    register-blocked kernel in libhebbrt, with each operand's pointer,
    offset and strides taken from its strided metadata. A zero fill of C
    immediately before the product is folded into the call. Every other
    generic is left for the loop lowering.
  }];
  let constructor = "hebb::createGemmToRuntimePass()";
  let dependentDialects = ["mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def HebbWindowToRuntime : Pass<"hebb-window-to-runtime", "mlir::ModuleOp"> {
  let summary = "Call libhebbrt's window kernels for window generics";
  let description = [{
    Runs after bufferization. The generic that gathers a padded NCHW f32
    image into `[C, KH, KW, N, OH, OW]` columns (image read at
    `(n, c, oh*sh + i*dh, ow*sw + j*dw)`) becomes a call to `hebb_im2col`;
    the generic that adds such columns back into the image becomes a call
    to `hebb_col2im`, with a zero fill of the image right before it folded
    into the call. The max-pooling fusions' generics (marked
    `hebb.window = "first_max"` or `"max_scatter"`, same image map) become
    `hebb_max_pool` (the fills of its outputs right before it go) and
    `hebb_max_pool_grad` (a zero fill of the image folded in). The buffers
    must be static and contiguous; every other generic is left for the
    loop lowering.
  }];
  let constructor = "hebb::createWindowToRuntimePass()";
  let dependentDialects = ["mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def HebbOutlineKernels : Pass<"hebb-outline-kernels", "mlir::ModuleOp"> {
  let summary = "Give each loop nest of a large function its own function";
  let description = [{
    Runs after bufferization and before the loop lowering. In a function
    with at least `min-ops` linalg ops (a deep model's training step), each
    linalg op whose buffers have static shapes and identity layouts moves
    into a private, never-inlined function of its own (`<fn>__kernel<i>`),
    called where it stood; the constants it uses are cloned into it.
    LLVM's per-loop passes (loop rotation, induction-variable
    simplification) work on a whole function each time, so one function
    holding every loop of the program compiles in time quadratic in its
    depth; as kernels it compiles in linear time. Smaller functions are
    left whole (no call in their hot path).
  }];
  let options = [
    Option<"minOps", "min-ops", "unsigned", "64",
           "outline the loop nests of functions with at least this many">
  ];
  let constructor = "hebb::createOutlineKernelsPass()";
  let dependentDialects = ["mlir::func::FuncDialect",
                           "mlir::LLVM::LLVMDialect"];
}

def HebbParallelLoops : Pass<"hebb-parallel-loops", "mlir::ModuleOp"> {
  let summary = "Loop nests that threads may share, as tasks";
  let description = [{
    Runs after bufferization and before the loop lowering. Each linalg op
    on buffers whose loop ranges are static, whose outermost loop is
    parallel and whose work (iterations times body operations) reaches
    `min-work` moves into a private function `<fn>__task<i>` taking its
    buffers and scalars and then the range [lo, hi) of the outermost loop,
    lowered to loops there; the call passes the whole range, and the task
    carries `hebb.parallel = [extent, grain, work]` for
    hebb-launch-tasks. Each outer iteration writes outputs of its own, so
    any split gives the same result.
  }];
  let options = [
    Option<"minWork", "min-work", "uint64_t", "HEBB_PARALLEL_MIN_WORK",
           "split loop nests of at least this much work">
  ];
  let constructor = "hebb::createParallelLoopsPass()";
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::func::FuncDialect",
                           "mlir::LLVM::LLVMDialect",
                           "mlir::scf::SCFDialect"];
}

def HebbLaunchTasks : Pass<"hebb-launch-tasks", "mlir::ModuleOp"> {
  let summary = "Calls of hebb-parallel-loops tasks through hebb_parallel_for";
  let description = [{
    Runs on the LLVM dialect. For each function carrying `hebb.parallel`,
    adds `<task>__entry(i8* args, i64 lo, i64 hi)`, which unpacks the
    task's arguments from 8-byte slots, and replaces each call of the task
    by those slots on the stack and a call of the runtime's
    hebb_parallel_for, which runs the entry on one thread or splits the
    range over several.
  }];
  let constructor = "hebb::createLaunchTasksPass()";
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

//===----------------------------------------------------------------------===//
// The PTX target (codegen/ptx/)
//===----------------------------------------------------------------------===//

def HebbMapToGpu : Pass<"hebb-map-to-gpu", "mlir::ModuleOp"> {
  let summary = "Run each loop nest on buffers as one gpu.launch";
  let description = [{
    For every linalg op on buffers (after hebb-plan-memory) in a function,
    outside any other linalg op: a gpu.launch whose threads each compute
    one point of the op's parallel loops (the last parallel loop varies
    fastest between neighbouring threads, so they read and write adjacent
    elements), running the reduction loops in their order. Threads beyond
    the iteration space do nothing. An op without parallel loops (a full
    reduction, a scalar) runs on one thread. An op whose loop ranges are
    not static, and any op left outside the launches that reads or writes
    memory (the host only passes pointers), is an error. The module gets
    `gpu.container_module`.
  }];
  let constructor = "hebb::createMapToGpuPass()";
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
  let options = [
    Option<"blockSize", "block-size", "int64_t", "256",
           "threads per block of a launch with that many points or more">,
    Option<"cooperative", "cooperative", "bool", "true",
           "kernels whose threads cooperate through shared memory: tiled "
           "matrix products, block reductions">
  ];
}

def HebbFuseLaunches : Pass<"hebb-fuse-launches", "mlir::func::FuncOp"> {
  let summary = "Join independent consecutive launches into one";
  let description = [{
    Consecutive one-dimensional launches without barriers, with the same
    block size, of which the later one neither reads nor writes what the
    earlier ones write nor writes what they read (buffers located by the
    function argument they view and, for a constant-offset memref.view, the
    bytes), become one launch: its first blocks run the first body, the
    rest the second. The optimizer's updates of all parameters become one
    kernel, as do other independent elementwise kernels.
  }];
  let constructor = "hebb::createFuseLaunchesPass()";
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
                           "mlir::arith::ArithDialect"];
}

def HebbMergeGpuModules : Pass<"hebb-merge-gpu-modules", "mlir::ModuleOp"> {
  let summary = "Move every outlined kernel into one gpu.module";
  let description = [{
    gpu-kernel-outlining gives each kernel a gpu.module of its own; this
    pass moves them all into `@hebb_kernels` and points the launches at
    it, so a model is one PTX text, loaded once.
  }];
  let constructor = "hebb::createMergeGpuModulesPass()";
  let dependentDialects = ["mlir::gpu::GPUDialect"];
}

def HebbExpandPow : Pass<"hebb-expand-pow"> {
  let summary = "math.powf as exp(y log |x|) with C's special cases";
  let description = [{
    The NVPTX backend has no pow; this expansion (with the sign of a
    negative base raised to an odd integer, NaN for a negative base raised
    to a non-integer, and x^0 = 1) runs before the polynomial
    approximations of exp and log.
  }];
  let constructor = "hebb::createExpandPowPass()";
  let dependentDialects = ["mlir::arith::ArithDialect",
                           "mlir::math::MathDialect"];
}

def HebbSerializeToPtx : Pass<"hebb-serialize-to-ptx", "mlir::ModuleOp"> {
  let summary = "Translate each gpu.module (NVVM dialect) to PTX";
  let description = [{
    Each gpu.module, already in the LLVM and NVVM dialects, is translated
    to LLVM IR, optimised and compiled by LLVM's NVPTX backend for `chip`;
    the PTX text (NUL-terminated, as cuModuleLoadData reads it) becomes the
    module's `gpu.binary` attribute, which gpu-to-llvm embeds in the host
    object.
  }];
  let constructor = "hebb::createSerializeToPtxPass()";
  let options = [
    Option<"chip", "chip", "std::string", "\"sm_80\"",
           "the GPU architecture (sm_80, sm_90, ...)">,
    Option<"features", "features", "std::string", "\"+ptx78\"",
           "the PTX ISA version">
  ];
}

def HebbLowerLaunches : Pass<"hebb-lower-launches", "mlir::ModuleOp"> {
  let summary = "gpu.launch_func as calls of hebb_cuda_launch";
  let description = [{
    After hebb-serialize-to-ptx: each launch becomes a call of libhebbrt's
    hebb_cuda_launch with the PTX text and the kernel's name (constant
    globals), the grid and block sizes, and the kernel's parameters as
    convert-gpu-to-nvvm expects them (a memref as aligned pointer twice,
    offset, sizes, strides), each in a 64-bit slot of a stack array. The
    gpu.module ops are erased. MLIR 16's gpu-to-llvm would load the module
    at every launch and cannot embed one module for two launches.
  }];
  let constructor = "hebb::createLowerLaunchesPass()";
  let dependentDialects = ["mlir::func::FuncDialect",
                           "mlir::memref::MemRefDialect",
                           "mlir::arith::ArithDialect"];
}

def HebbLaunchToLoops : Pass<"hebb-launch-to-loops", "mlir::ModuleOp"> {
  let summary = "Run each gpu.launch on the CPU as loops over blocks and threads";
  let description = [{
    The CPU check of the GPU mapping: a launch becomes scf.for over blocks
    around scf.for over threads, around its body with the ids bound to
    the loops' indices. With the CPU pipeline after it, the program
    hebb-map-to-gpu made is compared with the reference evaluator on
    machines without a GPU (`hebb train --target gpu-emulation`, the
    numerics tests). Barriers and shared-memory races are beyond it.
  }];
  let constructor = "hebb::createLaunchToLoopsPass()";
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::arith::ArithDialect"];
}

#endif // HEBB_CODEGEN_PASSES_TD
