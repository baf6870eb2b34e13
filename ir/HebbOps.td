//===- HebbOps.td - THE hebb op table ----------------------*- tablegen -*-===//
//
// Every hebb op is declared here once: mnemonic (also its JSON name),
// operands, attributes, traits, verifier, shape inference and docs.
// docs/NewOperators.md lists every other place a new op touches.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_OPS_TD
#define HEBB_OPS_TD

include "ir/HebbDialect.td"
include "ir/HebbInterfaces.td"
include "mlir/Interfaces/SideEffectInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/ControlFlowInterfaces.td"

/// Ops with a derivative implement it in HebbGradients.cpp.
defvar Diff = DeclareOpInterfaceMethods<Hebb_DifferentiableOpInterface>;
/// Elementwise ops declare their scalar function in HebbScalar.cpp.
defvar Hebb_Elementwise = DeclareOpInterfaceMethods<Hebb_ElementwiseOpInterface>;

class Hebb_Op<string mnemonic, list<Trait> traits = []>
    : Op<Hebb_Dialect, mnemonic, !listconcat([Pure], traits)>;

/// An op whose result type is computed from operands and attributes.
class Hebb_InferredOp<string mnemonic, list<Trait> traits = []>
    : Hebb_Op<mnemonic,
              !listconcat(traits, [DeclareOpInterfaceMethods<InferTypeOpInterface>])>;

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

def Hebb_ConstantOp : Hebb_InferredOp<"constant",
                                      [ConstantLike, Hebb_NonDifferentiable]> {
  let summary = "a tensor constant";
  let description = [{
    Produces the tensor held by `value`, a dense elements attribute.

    ```mlir
    %w = hebb.constant dense<[[3.0, -2.0]]> : tensor<1x2xf32>
    ```
  }];
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

class Hebb_UnaryOp<string mnemonic, Type type, string math>
    : Hebb_InferredOp<mnemonic, [Hebb_Elementwise, Diff]> {
  let summary = "elementwise " # math;
  let description = [{
    Computes `}] # math # [{` for every element; the result has the operand's type.

    ```mlir
    %y = hebb.}] # mnemonic # [{ %x : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins type:$operand);
  let results = (outs type:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
  let hasFolder = 1;
}

def Hebb_NegOp : Hebb_UnaryOp<"neg", Hebb_NumericTensor, "y = -x">;
def Hebb_AbsOp : Hebb_UnaryOp<"abs", Hebb_NumericTensor, "y = |x|">;
def Hebb_ExpOp : Hebb_UnaryOp<"exp", Hebb_FloatTensor, "y = e^x">;
def Hebb_LogOp : Hebb_UnaryOp<"log", Hebb_FloatTensor, "y = ln(x)">;
def Hebb_TanhOp : Hebb_UnaryOp<"tanh", Hebb_FloatTensor, "y = tanh(x)">;
def Hebb_SigmoidOp : Hebb_UnaryOp<"sigmoid", Hebb_FloatTensor, "y = 1 / (1 + e^-x)">;
def Hebb_ReluOp : Hebb_UnaryOp<"relu", Hebb_NumericTensor, "y = max(x, 0)">;
def Hebb_SqrtOp : Hebb_UnaryOp<"sqrt", Hebb_FloatTensor, "y = sqrt(x)">;
def Hebb_RsqrtOp : Hebb_UnaryOp<"rsqrt", Hebb_FloatTensor, "y = 1 / sqrt(x)">;

def Hebb_ErfOp : Hebb_UnaryOp<"erf", Hebb_FloatTensor,
                             "y = erf(x) = 2 / sqrt(pi) * integral_0^x e^(-t^2) dt">;

def Hebb_GeluOp : Hebb_InferredOp<"gelu", [Hebb_Elementwise, Diff]> {
  let summary = "elementwise Gaussian error linear unit";
  let description = [{
    Computes PyTorch's `gelu` for every element: with `approximate =
    "none"` (the default) `y = x * Phi(x) = x / 2 * (1 + erf(x / sqrt(2)))`,
    with `approximate = "tanh"`
    `y = x / 2 * (1 + tanh(sqrt(2 / pi) * (x + 0.044715 x^3)))`.
    The result has the operand's type.

    ```mlir
    %y = hebb.gelu %x : tensor<4x8xf32>
    %z = hebb.gelu %x {approximate = "tanh"} : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand,
                       DefaultValuedStrAttr<StrAttr, "none">:$approximate);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
  let hasFolder = 1;
  let extraClassDeclaration = [{
    /// The tanh approximation rather than the exact (erf) form.
    bool isTanh() { return getApproximate() == "tanh"; }
  }];
}

class Hebb_BinaryOp<string mnemonic, Type type, string math>
    : Hebb_InferredOp<mnemonic, [Hebb_Elementwise, Diff]> {
  let summary = "elementwise " # math;
  let description = [{
    Computes `}] # math # [{` for every pair of elements. Both operands
    have the same shape and element type: broadcast first with
    `hebb.broadcast_in_dim`. The type is written once when both agree.

    ```mlir
    %z = hebb.}] # mnemonic # [{ %x, %y : tensor<4x8xf32>
    ```
  }];
  let arguments = (ins type:$lhs, type:$rhs);
  let results = (outs type:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` custom<SameTypes>(type($lhs), type($rhs))";
  let hasFolder = 1;
}

def Hebb_AddOp : Hebb_BinaryOp<"add", Hebb_NumericTensor, "z = x + y"> {
  let hasCanonicalizer = 1;
}
def Hebb_SubOp : Hebb_BinaryOp<"sub", Hebb_NumericTensor, "z = x - y">;
def Hebb_MulOp : Hebb_BinaryOp<"mul", Hebb_NumericTensor, "z = x * y"> {
  let hasCanonicalizer = 1;
}
def Hebb_DivOp : Hebb_BinaryOp<"div", Hebb_NumericTensor,
                               "z = x / y (integers round toward zero)">;
def Hebb_MaximumOp : Hebb_BinaryOp<"maximum", Hebb_NumericTensor, "z = max(x, y)">;
def Hebb_MinimumOp : Hebb_BinaryOp<"minimum", Hebb_NumericTensor, "z = min(x, y)">;
def Hebb_PowOp : Hebb_BinaryOp<"pow", Hebb_FloatTensor, "z = x ^ y">;

def Hebb_CompareOp : Hebb_InferredOp<"compare",
                                     [Hebb_Elementwise, Hebb_NonDifferentiable]> {
  let summary = "elementwise comparison";
  let description = [{
    Compares elements with `predicate` (`eq`, `ne`, `lt`, `le`, `gt`, `ge`)
    and yields an `i1` mask of the same shape.

    ```mlir
    %m = hebb.compare gt, %x, %y : tensor<4xf32>
    ```
  }];
  let arguments = (ins Hebb_CmpPredicate:$predicate, Hebb_NumericTensor:$lhs,
                       Hebb_NumericTensor:$rhs);
  let results = (outs Hebb_MaskTensor:$result);
  let assemblyFormat = [{
    $predicate `,` $lhs `,` $rhs attr-dict `:` custom<SameTypes>(type($lhs), type($rhs))
  }];
  let hasFolder = 1;
}

def Hebb_SelectOp : Hebb_InferredOp<"select", [Hebb_Elementwise, Diff]> {
  let summary = "elementwise choice by a mask";
  let description = [{
    Takes `on_true` where `cond` holds and `on_false` elsewhere. All three
    operands have the same shape.

    ```mlir
    %y = hebb.select %m, %a, %b : tensor<4xi1>, tensor<4xf32>
    ```
  }];
  let arguments = (ins Hebb_MaskTensor:$cond, Hebb_AnyTensor:$on_true,
                       Hebb_AnyTensor:$on_false);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = [{
    $cond `,` $on_true `,` $on_false attr-dict `:` type($cond) `,`
    custom<SameTypes>(type($on_true), type($on_false))
  }];
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contraction
//===----------------------------------------------------------------------===//

def Hebb_MatmulOp : Hebb_InferredOp<"matmul", [Diff]> {
  let summary = "matrix product, batched, with optional transposes";
  let description = [{
    `result = op(lhs) x op(rhs)` where `op` transposes its operand's last
    two dimensions when `transpose_lhs` / `transpose_rhs` is set. A dense
    layer with a PyTorch weight `[out, in]` is
    `matmul(x, W) {transpose_rhs = true}`. Operands of rank above 2 have the
    same leading batch dimensions (no broadcasting), and each batch element
    is one matrix product, as torch.bmm / torch.matmul.

    ```mlir
    %y = hebb.matmul %x, %w {transpose_rhs = true}
        : tensor<8x784xf32>, tensor<512x784xf32> -> tensor<8x512xf32>
    %s = hebb.matmul %q, %k {transpose_rhs = true}
        : tensor<16x32x8xf32>, tensor<16x32x8xf32> -> tensor<16x32x32xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$lhs, Hebb_FloatTensor:$rhs,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_lhs,
                       DefaultValuedAttr<BoolAttr, "false">:$transpose_rhs);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = [{
    $lhs `,` $rhs attr-dict `:` type($lhs) `,` type($rhs) `->` type($result)
  }];
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Hebb_ReduceOp<string mnemonic, Type type, string math>
    : Hebb_InferredOp<mnemonic, [Hebb_Reduction, Diff]> {
  let summary = math # " over axes";
  let description = [{
    Reduces `axes` (distinct, in range, any order) with }] # math # [{. The
    reduced axes are dropped, or kept with size 1 when `keepdims` is set.

    ```mlir
    %s = hebb.}] # mnemonic # [{ %x {axes = array<i64: 1>}
        : tensor<4x8xf32> -> tensor<4xf32>
    ```
  }];
  let arguments = (ins type:$operand, DenseI64ArrayAttr:$axes,
                       DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs type:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

def Hebb_ReduceSumOp : Hebb_ReduceOp<"reduce_sum", Hebb_NumericTensor, "the sum">;
def Hebb_ReduceMeanOp : Hebb_ReduceOp<"reduce_mean", Hebb_FloatTensor, "the mean">;
def Hebb_ReduceMaxOp : Hebb_ReduceOp<"reduce_max", Hebb_NumericTensor, "the maximum">;

def Hebb_ArgmaxOp : Hebb_InferredOp<"argmax",
                                    [Hebb_Reduction, Hebb_NonDifferentiable]> {
  let summary = "index of the largest element along an axis";
  let description = [{
    The `i32` index of the first largest element along `axis`; the axis is
    dropped, or kept with size 1 when `keepdims` is set.

    ```mlir
    %c = hebb.argmax %logits {axis = 1} : tensor<8x10xf32> -> tensor<8xi32>
    ```
  }];
  let arguments = (ins Hebb_NumericTensor:$operand, I64Attr:$axis,
                       DefaultValuedAttr<BoolAttr, "false">:$keepdims);
  let results = (outs Hebb_IndexTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Normalisation
//===----------------------------------------------------------------------===//

class Hebb_SoftmaxLikeOp<string mnemonic, string math>
    : Hebb_InferredOp<mnemonic, [Diff]> {
  let summary = math # " along an axis";
  let description = [{
    Computes }] # math # [{ along `axis`, stabilised by subtracting the
    maximum first. The result has the operand's type.

    ```mlir
    %p = hebb.}] # mnemonic # [{ %logits {axis = 1} : tensor<8x10xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, I64Attr:$axis);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
}

def Hebb_SoftmaxOp : Hebb_SoftmaxLikeOp<"softmax", "exp(x) / sum(exp(x))">;
def Hebb_LogSoftmaxOp
    : Hebb_SoftmaxLikeOp<"log_softmax", "x - log(sum(exp(x)))">;

def Hebb_BatchNormOp : Hebb_InferredOp<"batch_norm",
    [Diff, AllTypesMatch<["scale", "offset", "mean", "variance"]>]> {
  let summary = "batch normalisation with given statistics";
  let description = [{
    Normalises every channel (axis 1 of `[N, C]` or `[N, C, H, W]`) with
    the statistics it is given and applies the channel's affine transform:
    `y = (x - mean) * scale / sqrt(variance + epsilon) + offset`, where
    `scale`, `offset`, `mean` and `variance` are `[C]` vectors (PyTorch's
    BatchNorm1d/2d `weight`, `bias`, `running_mean`, `running_var`). This is
    the layer's meaning for inference.

    Training uses the batch's own statistics instead: the
    `hebb-batchnorm-train` pass rewrites each site of a loss function so,
    and returns the running statistics updated with `momentum` (PyTorch's
    convention: `new = (1 - momentum) old + momentum batch`, the variance
    unbiased).

    ```mlir
    %y = hebb.batch_norm %x, %gamma, %beta, %mean, %var
        {epsilon = 1.0e-5, momentum = 0.1} : tensor<8x16xf32>, tensor<16xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, Hebb_FloatTensor:$scale,
                       Hebb_FloatTensor:$offset, Hebb_FloatTensor:$mean,
                       Hebb_FloatTensor:$variance, F64Attr:$epsilon,
                       F64Attr:$momentum);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = [{
    $operand `,` $scale `,` $offset `,` $mean `,` $variance attr-dict `:`
    type($operand) `,` type($scale)
  }];
  let extraClassDeclaration = [{
    /// The op as primitive hebb ops (before `op`), normalising with `mean`
    /// and `variance` (the operands, or a batch's statistics).
    ::mlir::Value decompose(::mlir::OpBuilder &builder, ::mlir::Value mean,
                            ::mlir::Value variance);
    /// The axes statistics are taken over: all but the channel axis 1.
    ::llvm::SmallVector<int64_t> statisticsAxes();
  }];
}

//===----------------------------------------------------------------------===//
// Shape and data movement
//===----------------------------------------------------------------------===//

def Hebb_TransposeOp : Hebb_InferredOp<"transpose", [Hebb_DataMovement, Diff]> {
  let summary = "permutes dimensions";
  let description = [{
    Result dimension `i` is operand dimension `permutation[i]`.

    ```mlir
    %t = hebb.transpose %x {permutation = array<i64: 1, 0>}
        : tensor<4x8xf32> -> tensor<8x4xf32>
    ```
  }];
  let arguments = (ins Hebb_AnyTensor:$operand, DenseI64ArrayAttr:$permutation);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Hebb_ReshapeOp : Hebb_Op<"reshape", [Hebb_DataMovement, Diff]> {
  let summary = "reinterprets the elements with a new shape";
  let description = [{
    Same elements in row-major order, same element type, new static shape.

    ```mlir
    %r = hebb.reshape %x : tensor<4x8xf32> -> tensor<32xf32>
    ```
  }];
  let arguments = (ins Hebb_AnyTensor:$operand);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Hebb_BroadcastInDimOp
    : Hebb_Op<"broadcast_in_dim", [Hebb_DataMovement, Diff]> {
  let summary = "explicit broadcast to a larger shape";
  let description = [{
    Operand dimension `i` maps to result dimension `broadcast_dimensions[i]`
    (strictly increasing); it must equal that result dimension or be 1.
    Result dimensions not mapped to are replicated.

    ```mlir
    %b = hebb.broadcast_in_dim %bias {broadcast_dimensions = array<i64: 1>}
        : tensor<512xf32> -> tensor<8x512xf32>
    ```
  }];
  let arguments = (ins Hebb_AnyTensor:$operand,
                       DenseI64ArrayAttr:$broadcast_dimensions);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasVerifier = 1;
  let hasFolder = 1;
}

def Hebb_ConcatOp : Hebb_InferredOp<"concat", [Hebb_DataMovement, Diff]> {
  let summary = "joins tensors along an axis";
  let description = [{
    All inputs share rank, element type and every dimension but `axis`.

    ```mlir
    %c = hebb.concat %a, %b {axis = 1}
        : tensor<4x3xf32>, tensor<4x5xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Variadic<Hebb_AnyTensor>:$inputs, I64Attr:$axis);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$inputs attr-dict `:` type($inputs) `->` type($result)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Hebb_SliceOp : Hebb_InferredOp<"slice", [Hebb_DataMovement, Diff]> {
  let summary = "strided sub-tensor";
  let description = [{
    Takes elements `start[i] <= j < limit[i]` every `stride[i]` along each
    dimension `i` (0 <= start <= limit <= size, stride >= 1).

    ```mlir
    %s = hebb.slice %x {start = array<i64: 0, 2>, limit = array<i64: 4, 8>,
                        stride = array<i64: 1, 2>}
        : tensor<4x8xf32> -> tensor<4x3xf32>
    ```
  }];
  let arguments = (ins Hebb_AnyTensor:$operand, DenseI64ArrayAttr:$start,
                       DenseI64ArrayAttr:$limit, DenseI64ArrayAttr:$stride);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasFolder = 1;
}

def Hebb_PadOp : Hebb_InferredOp<"pad", [Hebb_DataMovement, Diff]> {
  let summary = "pads with a constant at the edges and between elements";
  let description = [{
    Along each dimension `i`, puts `low[i]` copies of `value` before,
    `high[i]` after and `interior[i]` between neighbouring elements (all
    non-negative). The result dimension is
    `low + high + n + (n - 1) * interior`. It is the adjoint of `slice`.

    ```mlir
    %p = hebb.pad %x {low = array<i64: 0, 1>, high = array<i64: 0, 2>,
                      interior = array<i64: 0, 1>}
        : tensor<4x3xf32> -> tensor<4x8xf32>
    ```
  }];
  let arguments = (ins Hebb_AnyTensor:$operand, DenseI64ArrayAttr:$low,
                       DenseI64ArrayAttr:$high, DenseI64ArrayAttr:$interior,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Hebb_AnyTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let hasFolder = 1;
}

def Hebb_GatherOp : Hebb_InferredOp<"gather", [Diff]> {
  let summary = "rows of a table picked by indices (embedding lookup)";
  let description = [{
    `result[i..., d...] = table[indices[i...], d...]`: for every index, the
    row of the table it names, as PyTorch's `embedding(indices, table)`.
    The result's shape is the indices' followed by a row's. An index
    outside `[0, rows)` gives a row of zeros. Its adjoint is `scatter_add`.

    ```mlir
    %y = hebb.gather %table, %ids
        : tensor<100x16xf32>, tensor<4x7xi32> -> tensor<4x7x16xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$table, Hebb_IndexTensor:$indices);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = [{
    $table `,` $indices attr-dict `:` type($table) `,` type($indices) `->`
    type($result)
  }];
}

def Hebb_ScatterAddOp : Hebb_InferredOp<"scatter_add", [Diff]> {
  let summary = "slices added into the rows their indices name";
  let description = [{
    `result[r, d...]` is the sum of `updates[i..., d...]` over every `i...`
    with `indices[i...] == r`, added in row-major order of `i...`; the
    result has `rows` rows, and an index outside `[0, rows)` adds nothing.
    `updates` has the indices' shape followed by a row's. The adjoint of
    `gather` (the gradient of an embedding's table).

    ```mlir
    %t = hebb.scatter_add %g, %ids {rows = 100}
        : tensor<4x7x16xf32>, tensor<4x7xi32> -> tensor<100x16xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$updates, Hebb_IndexTensor:$indices,
                       I64Attr:$rows);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = [{
    $updates `,` $indices attr-dict `:` type($updates) `,` type($indices) `->`
    type($result)
  }];
}

def Hebb_OneHotOp : Hebb_InferredOp<"one_hot", [Hebb_NonDifferentiable]> {
  let summary = "one-hot encoding of class indices";
  let description = [{
    Appends a dimension of size `depth`: element `[..., k]` is 1.0 where the
    index equals `k` and 0.0 elsewhere (an out-of-range index gives a zero row).

    ```mlir
    %y = hebb.one_hot %labels {depth = 10} : tensor<8xi32> -> tensor<8x10xf32>
    ```
  }];
  let arguments = (ins Hebb_IndexTensor:$operand, I64Attr:$depth);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

//===----------------------------------------------------------------------===//
// Convolution and pooling (NCHW)
//===----------------------------------------------------------------------===//

// Every window is described by the same attributes: `kernel` [KH, KW] (a
// convolution's comes from its weight), `strides` [SH, SW], `padding`
// [top, bottom, left, right] and `dilation` [DH, DW]. An [H, W] image gives
// OH = (H + top + bottom - DH (KH - 1) - 1) / SH + 1 windows down (OW
// likewise), as in PyTorch (floor, not ceil mode).

class Hebb_WindowOp<string mnemonic, list<Trait> traits = []>
    : Hebb_InferredOp<mnemonic, traits> {
  let extraClassDeclaration = [{
    /// The window, read from the op's attributes.
    ::hebb::Window2d window();
  }];
}

def Hebb_Im2colOp : Hebb_WindowOp<"im2col", [Hebb_DataMovement, Diff]> {
  let summary = "gathers every window of an image batch into columns";
  let description = [{
    `[N, C, H, W]` to `[C KH KW, N OH OW]`: element
    `[(c KH + i) KW + j, (n OH + oh) OW + ow]` is
    `operand[n, c, oh SH + i DH - top, ow SW + j DW - left]`, or `value`
    where that lies in the padding. A convolution is then one matrix
    product per group; its weight gradient another, against the same
    columns. The adjoint is `col2im`.

    ```mlir
    %c = hebb.im2col %x {kernel = array<i64: 5, 5>, strides = array<i64: 1, 1>,
                         padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>}
        : tensor<128x1x28x28xf32> -> tensor<25x100352xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation,
                       DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

def Hebb_Col2imOp : Hebb_WindowOp<"col2im", [Hebb_DataMovement, Diff]> {
  let summary = "sums columns back into the image batch they came from";
  let description = [{
    The adjoint of `im2col`: `[C KH KW, N OH OW]` to the image batch of
    shape `shape` (`[N, C, H, W]`; H and W are not implied by OH and OW when
    a stride exceeds 1). Each column element is added to the image element
    `im2col` took it from; those that came from the padding are dropped.
    A convolution's input gradient is `col2im` of a matrix product.

    ```mlir
    %g = hebb.col2im %c {shape = array<i64: 128, 1, 28, 28>,
                         kernel = array<i64: 5, 5>, strides = array<i64: 1, 1>,
                         padding = array<i64: 2, 2, 2, 2>, dilation = array<i64: 1, 1>}
        : tensor<25x100352xf32> -> tensor<128x1x28x28xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, DenseI64ArrayAttr:$shape,
                       DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
                       DenseI64ArrayAttr:$padding, DenseI64ArrayAttr:$dilation);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
}

def Hebb_Conv2dOp : Hebb_InferredOp<"conv2d", [Diff]> {
  let summary = "2-D convolution (cross-correlation) of an NCHW batch";
  let description = [{
    PyTorch's `conv2d` without bias: `operand` `[N, C, H, W]`, `weight`
    `[O, C / groups, KH, KW]`, result `[N, O, OH, OW]` with
    `result[n, o, oh, ow] = sum over c in o's group, i, j of
    operand[n, c, oh SH + i DH - top, ow SW + j DW - left] weight[o, c', i, j]`
    (zero padding; `c'` is `c` within its group). `groups` divides both C
    and O. Code generation decomposes it into `im2col` and one matrix
    product per group; the weight gradient multiplies the same columns and
    the input gradient (the transposed convolution) is `col2im` of a
    product with the weight.

    ```mlir
    %y = hebb.conv2d %x, %w {strides = array<i64: 1, 1>, padding = array<i64: 2, 2, 2, 2>,
                             dilation = array<i64: 1, 1>, groups = 1}
        : tensor<128x1x28x28xf32>, tensor<6x1x5x5xf32> -> tensor<128x6x28x28xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, Hebb_FloatTensor:$weight,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding,
                       DenseI64ArrayAttr:$dilation,
                       DefaultValuedAttr<I64Attr, "1">:$groups);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = [{
    $operand `,` $weight attr-dict `:` type($operand) `,` type($weight) `->`
    type($result)
  }];
  let extraClassDeclaration = [{
    /// The window: the weight's kernel with the op's strides, padding and
    /// dilation.
    ::hebb::Window2d window();
    /// The op as im2col and matrix products (before `op`).
    ::mlir::Value decompose(::mlir::OpBuilder &builder);
  }];
}

class Hebb_Pool2dOp<string mnemonic, string meaning, string example>
    : Hebb_WindowOp<mnemonic, [Diff]> {
  let summary = mnemonic # " over windows of an NCHW batch";
  let description = meaning # [{
    Each channel of each image is pooled on its own; `dilation` is 1 1.
    Code generation decomposes the op into `im2col` of every channel and a
    reduction over each column.

    ```mlir
    }] # example # [{
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, DenseI64ArrayAttr:$kernel,
                       DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$padding);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand) `->` type($result)";
  let extraClassDeclaration = [{
    /// The window, read from the op's attributes.
    ::hebb::Window2d window();
    /// The op as im2col and a reduction (before `op`).
    ::mlir::Value decompose(::mlir::OpBuilder &builder);
  }];
}

def Hebb_MaxPool2dOp : Hebb_Pool2dOp<"max_pool2d", [{
    The largest element of each window; the padding counts as -infinity and
    may be at most half the kernel. The gradient goes to the first maximum
    of each window in row-major order, as in PyTorch.
  }], [{
    %p = hebb.max_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                             padding = array<i64: 0, 0, 0, 0>}
        : tensor<128x6x28x28xf32> -> tensor<128x6x14x14xf32>
  }]>;

def Hebb_AvgPool2dOp : Hebb_Pool2dOp<"avg_pool2d", [{
    The mean of each window, the padding counting as zeros and always
    included in the count (PyTorch's default `count_include_pad`).
  }], [{
    %p = hebb.avg_pool2d %x {kernel = array<i64: 2, 2>, strides = array<i64: 2, 2>,
                             padding = array<i64: 0, 0, 0, 0>}
        : tensor<128x6x28x28xf32> -> tensor<128x6x14x14xf32>
  }]>;

//===----------------------------------------------------------------------===//
// Randomness
//===----------------------------------------------------------------------===//

def Hebb_RandomUniformOp
    : Hebb_InferredOp<"random_uniform", [Hebb_NonDifferentiable]> {
  let summary = "counter-based uniform random numbers in [0, 1)";
  let description = [{
    Element `i` (row-major) is `(w >> 8) * 2^-24`, where `w` is the first word
    of Philox-4x32-10 with key `seed[0] | seed[1] << 32` and counter
    `(hi = stream, lo = i)`. Every element is computed independently, so the
    values depend only on (seed, stream, shape), never on threads or
    evaluation order; libhebbrt's `hebb_philox4x32` gives the same words.

    ```mlir
    %u = hebb.random_uniform %seed {shape = array<i64: 128, 512>, stream = 1}
        : tensor<2xi32> -> tensor<128x512xf32>
    ```
  }];
  let arguments = (ins Hebb_IndexTensor:$seed, DenseI64ArrayAttr:$shape,
                       DefaultValuedAttr<I64Attr, "0">:$stream);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$seed attr-dict `:` type($seed) `->` type($result)";
}

def Hebb_DropoutOp : Hebb_InferredOp<"dropout", [Diff]> {
  let summary = "inverted dropout site (identity outside training)";
  let description = [{
    Marks where a model drops activations with probability `rate` while
    training. As written it is the identity, which is its meaning for
    inference: the folder removes it. Building the loss function for
    training rewrites each site into
    `select(random_uniform(seed, stream) >= rate, x / (1 - rate), 0)`, with
    the step's seed, so the kept activations are scaled up and evaluation
    needs no rescaling. Sites draw from distinct Philox streams, numbered
    in program order.

    ```mlir
    %y = hebb.dropout %x {rate = 0.2} : tensor<128x512xf32>
    ```
  }];
  let arguments = (ins Hebb_FloatTensor:$operand, F64Attr:$rate);
  let results = (outs Hebb_FloatTensor:$result);
  let assemblyFormat = "$operand attr-dict `:` type($operand)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Loops
//===----------------------------------------------------------------------===//

def Hebb_ScanOp : Hebb_Op<"scan", [AttrSizedOperandSegments, IsolatedFromAbove,
                                   Diff]> {
  let summary = "a loop over the leading axis of sequences, carrying state";
  let description = [{
    Runs its body once per step t of the `sequences`' leading axis (their
    common length T), from T − 1 down when `reverse` is set. The body's
    arguments are step t of each sequence (the leading axis dropped), the
    current `carries` (the initial values at the first step) and the
    `invariants`; it yields one value per step output, then the next
    carries. The results are each step output stacked along a new leading
    axis (at position t, whichever way the loop runs), then the last
    carries. An RNN is one scan: the input projections of all steps are a
    sequence, the hidden state a carry, the recurrent weights invariants.
    Its gradient is a scan the other way (backpropagation through time):
    the body's adjoint from the carries of each step, which the forward
    loop stacks, and the recurrent weights' adjoints summed as carries.

    ```mlir
    %hs, %h = hebb.scan (%xs) carry (%h0) with (%w) {
    ^bb0(%x: tensor<4x8xf32>, %h: tensor<4x8xf32>, %w: tensor<8x8xf32>):
      %p = hebb.matmul %h, %w : tensor<4x8xf32>, tensor<8x8xf32> -> tensor<4x8xf32>
      %s = hebb.add %x, %p : tensor<4x8xf32>
      %n = hebb.tanh %s : tensor<4x8xf32>
      hebb.yield %n, %n : tensor<4x8xf32>, tensor<4x8xf32>
    } : (tensor<16x4x8xf32>, tensor<4x8xf32>, tensor<8x8xf32>)
      -> (tensor<16x4x8xf32>, tensor<4x8xf32>)
    ```
  }];
  let arguments = (ins Variadic<Hebb_AnyTensor>:$sequences,
                       Variadic<Hebb_AnyTensor>:$carries,
                       Variadic<Hebb_AnyTensor>:$invariants,
                       DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Variadic<Hebb_AnyTensor>:$results);
  let regions = (region SizedRegion<1>:$body);
  let assemblyFormat = [{
    `(` $sequences `)` `carry` `(` $carries `)` `with` `(` $invariants `)`
    attr-dict-with-keyword $body `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let hasCanonicalizer = 1;
  let extraClassDeclaration = [{
    /// The number of stacked step outputs (the results before the carries).
    unsigned getNumStepOutputs() {
      return getNumResults() - getCarries().size();
    }
    /// The sequences' common length.
    int64_t getLength();
  }];
}

def Hebb_YieldOp : Hebb_Op<"yield", [Terminator, ReturnLike,
                                      HasParent<"ScanOp">,
                                      Hebb_NonDifferentiable]> {
  let summary = "the step outputs and next carries of a scan body";
  let arguments = (ins Variadic<Hebb_AnyTensor>:$values);
  let assemblyFormat = "($values^ `:` type($values))? attr-dict";
}

#endif // HEBB_OPS_TD
