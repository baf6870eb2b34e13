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

#endif // HEBB_INTERFACES_TD
