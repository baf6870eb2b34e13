//===- HebbInterfaces.td - interfaces of hebb ops ----------*- tablegen -*-===//

#ifndef HEBB_INTERFACES_TD
#define HEBB_INTERFACES_TD

include "mlir/IR/OpBase.td"

def Hebb_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::hebb";
  let description = [{
    An op that knows its reverse-mode derivative. Given the adjoint of each
    result (null where a result has none), buildGradients emits ordinary
    hebb ops at the builder's insertion point and returns the adjoint of
    each operand (null where an operand gets none, e.g. an index).
  }];
  let methods = [
    InterfaceMethod<
      "Emits the adjoints of the operands.",
      "::mlir::LogicalResult", "buildGradients",
      (ins "::mlir::OpBuilder &":$builder,
           "::mlir::ValueRange":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>
  ];
}

def Hebb_ElementwiseOpInterface : OpInterface<"ElementwiseOpInterface"> {
  let cppNamespace = "::hebb";
  let description = [{
    An op that applies one scalar function to every element: its operands
    share one shape, and so does its result. The op declares that function
    once (ir/HebbScalar.cpp), in the two forms its users need: as scalar
    arith/math IR (the body of the linalg.generic every backend compiles)
    and in double precision (the reference evaluator). Code generation and
    the evaluator serve every such op by this interface, with no list of
    ops: an op of the table without both methods does not link.
  }];
  let methods = [
    InterfaceMethod<
      "Emits the op on one element of each operand (`args`, in operand "
      "order) and returns the result element.",
      "::mlir::Value", "buildScalar",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::Location":$loc,
           "::mlir::ValueRange":$args)>,
    InterfaceMethod<
      "The op on one element of each operand, in double precision (integer "
      "operands hold whole numbers; masks are 0 or 1).",
      "double", "evaluate", (ins "::llvm::ArrayRef<double>":$args)>
  ];
}

#endif // HEBB_INTERFACES_TD
