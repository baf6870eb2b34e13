//===- Passes.td - hebb code generation passes -------------*- tablegen -*-===//

#ifndef HEBB_CODEGEN_PASSES_TD
#define HEBB_CODEGEN_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertHebbToLinalg : Pass<"convert-hebb-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower hebb ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every hebb op on tensors into target-neutral linalg.generic
    ops (plus tensor reshapes/slices and arith constants). Elementwise ops
    become all-parallel generics whose bodies come from one scalar
    lowering; reductions, softmax and argmax become reduction generics;
    matmul a generic whose loop order keeps the innermost loop unit-stride.
    An op without a lowering is an error.
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

#endif // HEBB_CODEGEN_PASSES_TD
