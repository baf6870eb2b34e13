//===- HebbDialect.td - the hebb dialect declaration -------*- tablegen -*-===//
//
// The dialect, its type constraints and its traits. Ops live in HebbOps.td.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_DIALECT_TD
#define HEBB_DIALECT_TD

include "mlir/IR/OpBase.td"
include "mlir/IR/EnumAttr.td"

def Hebb_Dialect : Dialect {
  let name = "hebb";
  let cppNamespace = "::hebb";
  let summary = "Dataflow IR for neural networks with static shapes";
  let description = [{
    The hebb dialect describes a neural network as a dataflow graph of pure
    operations on statically shaped tensors (`f32` for data, `i32` for labels
    and indices, `i1` for masks). Binary elementwise operations require equal
    shapes: broadcasting is explicit, through `hebb.broadcast_in_dim`.
  }];
  let hasConstantMaterializer = 1;
  let useDefaultAttributePrinterParser = 0;
  let useFoldAPI = kEmitFoldAdaptorFolder;
}

//===----------------------------------------------------------------------===//
// Type constraints
//===----------------------------------------------------------------------===//

class Hebb_StaticTensorOf<list<Type> types, string elements>
    : Type<And<[RankedTensorOf<types>.predicate, HasStaticShapePred]>,
           "statically shaped tensor of " # elements,
           "::mlir::RankedTensorType">;

def Hebb_FloatTensor : Hebb_StaticTensorOf<[F32], "f32">;
def Hebb_IndexTensor : Hebb_StaticTensorOf<[I32], "i32">;
def Hebb_MaskTensor : Hebb_StaticTensorOf<[I1], "i1">;
def Hebb_NumericTensor : Hebb_StaticTensorOf<[F32, I32], "f32 or i32">;
def Hebb_AnyTensor : Hebb_StaticTensorOf<[F32, I32, I1], "f32, i32 or i1">;

//===----------------------------------------------------------------------===//
// Traits that passes read
//===----------------------------------------------------------------------===//

class Hebb_Trait<string name> : NativeOpTrait<name> {
  let cppNamespace = "::hebb::OpTrait";
}

/// Has no derivative: its results are indices, masks or constants.
def Hebb_NonDifferentiable : Hebb_Trait<"NonDifferentiable">;
/// Reduces one or more axes of its operand (fusion treats it as a reduction).
def Hebb_Reduction : Hebb_Trait<"Reduction">;
/// Only moves or copies data (transpose, reshape, slice, ...).
def Hebb_DataMovement : Hebb_Trait<"DataMovement">;

//===----------------------------------------------------------------------===//
// Enums
//===----------------------------------------------------------------------===//

def Hebb_CmpPredicate : I32EnumAttr<"CmpPredicate", "comparison predicate", [
    I32EnumAttrCase<"eq", 0>, I32EnumAttrCase<"ne", 1>,
    I32EnumAttrCase<"lt", 2>, I32EnumAttrCase<"le", 3>,
    I32EnumAttrCase<"gt", 4>, I32EnumAttrCase<"ge", 5>]> {
  let cppNamespace = "::hebb";
}

#endif // HEBB_DIALECT_TD
