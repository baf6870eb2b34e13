//===- HebbToLinalg.cpp - lower hebb ops to linalg on tensors -------------===//
//
// The target-neutral half of code generation: every hebb op becomes
// linalg.generic (or a tensor reshape/slice), so the CPU and GPU backends
// share one lowering and differ only after bufferization.
//
/// The algorithm:
///   1. Elementwise ops become all-parallel generics whose body is the
///      op's own scalar function (ElementwiseOpInterface, one pattern).
///   2. Reductions (sum, mean, max, argmax) become generics with reduction
///      iterators over a filled accumulator; keepdims is a reshape after.
///   3. Softmax and log_softmax are max → shifted exp → sum → normalise.
///   4. Matmul is a generic ordered so the innermost loop is unit-stride,
///      its batch dimensions collapsed into one outer loop.
///   5. Data movement uses generics with permuted/broadcast maps, or
///      tensor.extract_slice / insert_slice / reshapes.
///   6. Composite ops (batch_norm, conv2d, pooling) are first replaced by
///      the primitive ops they declare (their `decompose` methods).
///   7. im2col gathers from the padded image into a 6-D tensor collapsed to
///      columns; col2im scatter-adds back (WindowLowering.cpp).
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/LinalgBuilders.h"
#include "codegen/common/Lowerings.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/DialectConversion.h"

namespace hebb {
#define GEN_PASS_DEF_CONVERTHEBBTOLINALG
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;
using namespace hebb;
using namespace hebb::lowering;

namespace {

Value lowerConstant(ConstantOp op, ConstantOp::Adaptor,
                    ConversionPatternRewriter &rewriter) {
  // A splat becomes a fill: no constant data in the binary at any size.
  auto dense = op.getValue().dyn_cast<DenseElementsAttr>();
  if (dense && dense.isSplat() && dense.getNumElements() > 1) {
    auto type = tensorType(op.getResult());
    Value scalar = rewriter.create<arith::ConstantOp>(
        op.getLoc(), dense.getSplatValue<Attribute>().cast<TypedAttr>());
    return filledTensor(rewriter, op.getLoc(), type, scalar);
  }
  auto value = op.getValue().dyn_cast<TypedAttr>();
  if (!value)
    return Value(); // not typed: no match
  return rewriter.create<arith::ConstantOp>(op.getLoc(), value);
}

/// Every elementwise op: one all-parallel generic whose body is the op's
/// own scalar function (ElementwiseOpInterface::buildScalar).
struct ElementwiseLowering
    : OpInterfaceConversionPattern<ElementwiseOpInterface> {
  using OpInterfaceConversionPattern::OpInterfaceConversionPattern;
  LogicalResult
  matchAndRewrite(ElementwiseOpInterface op, ArrayRef<Value> operands,
                  ConversionPatternRewriter &rewriter) const override {
    Operation *raw = op.getOperation();
    Value result =
        mapTensors(rewriter, raw->getLoc(), tensorType(raw->getResult(0)),
                   operands, [&](OpBuilder &b, Location loc, ValueRange args) {
                     return op.buildScalar(b, loc, args);
                   });
    rewriter.replaceOp(raw, result);
    return success();
  }
};

/// A matrix product as a generic. With a row-major rhs [K, N] the loop
/// order is (m, k, n) so the innermost loop walks rows of rhs and result;
/// batch dimensions, collapsed into one, are the outermost loop.
Value lowerMatmul(MatmulOp op, MatmulOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  MLIRContext *ctx = op.getContext();
  auto resultType = tensorType(op.getResult());
  const int64_t rank = resultType.getRank();
  bool tl = op.getTransposeLhs(), tr = op.getTransposeRhs();
  Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
  // [b0, b1, ..., r, c] -> [b0·b1·..., r, c]
  auto batched = [&](Value v) {
    ArrayRef<int64_t> s = tensorType(v).getShape();
    int64_t batch = 1;
    for (int64_t d : s.drop_back(2))
      batch *= d;
    return RankedTensorType::get({batch, s[rank - 2], s[rank - 1]},
                                 tensorType(v).getElementType());
  };
  const bool hasBatch = rank > 2;
  auto outType = hasBatch ? batched(op.getResult()) : resultType;
  if (hasBatch) {
    lhs = reshapeTensor(rewriter, loc, lhs, batched(lhs));
    rhs = reshapeTensor(rewriter, loc, rhs, batched(rhs));
  }
  const unsigned loops = hasBatch ? 4 : 3, first = hasBatch ? 1 : 0;
  AffineExpr q = getAffineDimExpr(0, ctx);
  AffineExpr m = getAffineDimExpr(first, ctx);
  AffineExpr k = getAffineDimExpr(first + (tr ? 2 : 1), ctx);
  AffineExpr n = getAffineDimExpr(first + (tr ? 1 : 2), ctx);
  auto map = [&](AffineExpr a, AffineExpr b) {
    SmallVector<AffineExpr> r;
    if (hasBatch)
      r.push_back(q);
    r.append({a, b});
    return AffineMap::get(loops, 0, r, ctx);
  };
  SmallVector<AffineMap> maps = {tl ? map(k, m) : map(m, k),
                                 tr ? map(n, k) : map(k, n), map(m, n)};
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators[first + (tr ? 2 : 1)] = utils::IteratorType::reduction;
  Value zero = scalarConstant(rewriter, loc, outType.getElementType(), 0);
  Value acc = filledTensor(rewriter, loc, outType, zero);
  auto fm = arith::FastMathFlagsAttr::get(
      ctx, arith::FastMathFlags::reassoc | arith::FastMathFlags::contract);
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{outType}, ValueRange{lhs, rhs}, ValueRange{acc}, maps,
      iterators, [&](OpBuilder &b, Location l, ValueRange args) {
        Value p = b.create<arith::MulFOp>(l, args[0], args[1], fm);
        Value s = b.create<arith::AddFOp>(l, args[2], p, fm);
        b.create<linalg::YieldOp>(l, s);
      });
  return reshapeTensor(rewriter, loc, generic.getResult(0), resultType);
}

Value combineSum(OpBuilder &b, Location loc, Value acc, Value x) {
  if (x.getType().isa<FloatType>())
    return b.create<arith::AddFOp>(loc, acc, x);
  return b.create<arith::AddIOp>(loc, acc, x);
}

/// f32 sums accumulate in f64: a sum over millions of elements (a whole
/// dataset's loss in one batch) keeps f32 precision. With f64 partial sums
/// the order hardly matters, so the add may be reassociated: LLVM then
/// vectorises the reduction with several accumulators instead of one
/// chain of dependent adds (a bias gradient over N·H·W).
Value combineWideSum(OpBuilder &b, Location loc, Value acc, Value x) {
  auto reassoc = arith::FastMathFlagsAttr::get(b.getContext(),
                                               arith::FastMathFlags::reassoc);
  return b.create<arith::AddFOp>(
      loc, acc, b.create<arith::ExtFOp>(loc, acc.getType(), x), reassoc);
}

Value combineMax(OpBuilder &b, Location loc, Value acc, Value x) {
  if (x.getType().isa<FloatType>())
    return b.create<arith::MaxFOp>(loc, acc, x);
  return b.create<arith::MaxSIOp>(loc, acc, x);
}

template <typename OpTy>
Value lowerReduce(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  ArrayRef<int64_t> axes = op.getAxes();
  Value input = adaptor.getOperand();
  Location loc = op.getLoc();
  auto inType = tensorType(input);
  Type elem = inType.getElementType();
  bool isMax = std::is_same_v<OpTy, ReduceMaxOp>;
  bool wide = !isMax && elem.isF32();
  Type acc = wide ? Type(rewriter.getF64Type()) : elem;
  Value init = isMax ? lowestValue(rewriter, loc, elem)
                     : scalarConstant(rewriter, loc, acc, 0);
  Value r =
      reduceTensor(rewriter, loc, input, axes, init,
                   isMax ? combineMax : (wide ? combineWideSum : combineSum));
  int64_t count = 1;
  for (int64_t a : axes)
    count *= inType.getDimSize(a);
  bool mean = std::is_same_v<OpTy, ReduceMeanOp>;
  if (mean || wide) {
    // The mean's division (in the accumulator's precision), then f32.
    auto rType = tensorType(r);
    auto outType = RankedTensorType::get(rType.getShape(), elem);
    r = mapTensors(rewriter, loc, outType, r,
                   [&](OpBuilder &b, Location l, ValueRange args) {
                     Value v = args[0];
                     if (mean)
                       v = b.create<arith::DivFOp>(
                           l, v, scalarConstant(b, l, acc, (double)count));
                     return wide ? b.create<arith::TruncFOp>(l, elem, v) : v;
                   });
  }
  return reshapeTensor(rewriter, loc, r, tensorType(op.getResult()));
}

Value lowerArgmax(ArgmaxOp op, ArgmaxOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  Value input = adaptor.getOperand();
  auto inType = tensorType(input);
  int64_t rank = inType.getRank(), axis = op.getAxis();
  SmallVector<int64_t> shape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    if (i != axis)
      shape.push_back(inType.getDimSize(i));
    iterators.push_back(i == axis ? utils::IteratorType::reduction
                                  : utils::IteratorType::parallel);
  }
  Type elem = inType.getElementType();
  Type i32 = rewriter.getI32Type();
  auto valType = RankedTensorType::get(shape, elem);
  auto idxType = RankedTensorType::get(shape, i32);
  Value vals =
      filledTensor(rewriter, loc, valType, lowestValue(rewriter, loc, elem));
  Value idxs = filledTensor(rewriter, loc, idxType,
                            scalarConstant(rewriter, loc, i32, 0));
  AffineMap out = droppedAxesMap(op.getContext(), rank, {axis});
  SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank), out,
                                 out};
  auto generic = rewriter.create<linalg::GenericOp>(
      loc, TypeRange{valType, idxType}, ValueRange{input},
      ValueRange{vals, idxs}, maps, iterators,
      [&](OpBuilder &b, Location l, ValueRange args) {
        Value idx = b.create<arith::IndexCastOp>(
            l, i32, b.create<linalg::IndexOp>(l, axis));
        yieldFirstMaximum(b, l, args[0], idx, args[1], args[2]);
      });
  return reshapeTensor(rewriter, loc, generic.getResult(1),
                       tensorType(op.getResult()));
}

/// softmax(x) = e / sum(e) and log_softmax(x) = (x - m) - log(sum(e)),
/// with m = max(x) and e = exp(x - m) along the axis.
template <typename OpTy>
Value lowerSoftmax(OpTy op, typename OpTy::Adaptor adaptor,
                   ConversionPatternRewriter &rewriter) {
  Value x = adaptor.getOperand();
  auto type = tensorType(x);
  int64_t axis = op.getAxis(), rank = type.getRank();
  Location loc = op.getLoc();
  Type elem = type.getElementType();
  Value m = reduceTensor(rewriter, loc, x, {axis},
                         lowestValue(rewriter, loc, elem), combineMax);
  AffineMap id = rewriter.getMultiDimIdentityMap(rank);
  AffineMap dropped = droppedAxesMap(op.getContext(), rank, {axis});
  Value shifted =
      elementwiseGeneric(rewriter, loc, type, ValueRange{x, m}, {id, dropped},
                         [](OpBuilder &b, Location l, ValueRange a) -> Value {
                           return b.create<arith::SubFOp>(l, a[0], a[1]);
                         });
  Value e = mapTensors(rewriter, loc, type, shifted,
                       [](OpBuilder &b, Location l, ValueRange a) -> Value {
                         return b.create<math::ExpOp>(l, a[0]);
                       });
  Value s = reduceTensor(rewriter, loc, e, {axis},
                         scalarConstant(rewriter, loc, elem, 0), combineSum);
  Value result;
  if (std::is_same_v<OpTy, SoftmaxOp>)
    result =
        elementwiseGeneric(rewriter, loc, type, ValueRange{e, s}, {id, dropped},
                           [](OpBuilder &b, Location l, ValueRange a) -> Value {
                             return b.create<arith::DivFOp>(l, a[0], a[1]);
                           });
  else
    result = elementwiseGeneric(
        rewriter, loc, type, ValueRange{shifted, s}, {id, dropped},
        [](OpBuilder &b, Location l, ValueRange a) -> Value {
          return b.create<arith::SubFOp>(l, a[0],
                                         b.create<math::LogOp>(l, a[1]));
        });
  return result;
}

Value lowerTranspose(TransposeOp op, TransposeOp::Adaptor adaptor,
                     ConversionPatternRewriter &rewriter) {
  ArrayRef<int64_t> perm = op.getPermutation();
  // Result dim i reads operand dim perm[i]: operand dim perm[i] <- d_i.
  SmallVector<AffineExpr> exprs(perm.size());
  for (auto [i, p] : llvm::enumerate(perm))
    exprs[p] = rewriter.getAffineDimExpr(i);
  AffineMap map = AffineMap::get(perm.size(), 0, exprs, rewriter.getContext());
  Value r = elementwiseGeneric(
      rewriter, op.getLoc(), tensorType(op.getResult()), adaptor.getOperand(),
      {map}, [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return r;
}

Value lowerReshape(ReshapeOp op, ReshapeOp::Adaptor adaptor,
                   ConversionPatternRewriter &rewriter) {
  return reshapeTensor(rewriter, op.getLoc(), adaptor.getOperand(),
                       tensorType(op.getResult()));
}

Value lowerBroadcast(BroadcastInDimOp op, BroadcastInDimOp::Adaptor adaptor,
                     ConversionPatternRewriter &rewriter) {
  auto inType = tensorType(adaptor.getOperand());
  auto outType = tensorType(op.getResult());
  SmallVector<AffineExpr> exprs;
  for (auto [i, d] : llvm::enumerate(op.getBroadcastDimensions())) {
    bool stretched = inType.getDimSize(i) == 1 && outType.getDimSize(d) != 1;
    exprs.push_back(stretched ? rewriter.getAffineConstantExpr(0)
                              : rewriter.getAffineDimExpr(d));
  }
  AffineMap map =
      AffineMap::get(outType.getRank(), 0, exprs, rewriter.getContext());
  Value r = elementwiseGeneric(
      rewriter, op.getLoc(), outType, adaptor.getOperand(), {map},
      [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return r;
}

Value lowerConcat(ConcatOp op, ConcatOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  auto outType = tensorType(op.getResult());
  int64_t axis = op.getAxis(), offset = 0;
  Value acc = emptyTensor(rewriter, loc, outType);
  for (Value in : adaptor.getInputs()) {
    auto t = tensorType(in);
    SmallVector<OpFoldResult> offsets(t.getRank(), rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> sizes,
        strides(t.getRank(), rewriter.getIndexAttr(1));
    for (int64_t d : t.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    offsets[axis] = rewriter.getIndexAttr(offset);
    acc = rewriter.create<tensor::InsertSliceOp>(loc, in, acc, offsets, sizes,
                                                 strides);
    offset += t.getDimSize(axis);
  }
  return acc;
}

Value lowerSlice(SliceOp op, SliceOp::Adaptor adaptor,
                 ConversionPatternRewriter &rewriter) {
  auto outType = tensorType(op.getResult());
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (int64_t i = 0; i < outType.getRank(); ++i) {
    offsets.push_back(rewriter.getIndexAttr(op.getStart()[i]));
    sizes.push_back(rewriter.getIndexAttr(outType.getDimSize(i)));
    strides.push_back(rewriter.getIndexAttr(op.getStride()[i]));
  }
  return rewriter.create<tensor::ExtractSliceOp>(
      op.getLoc(), outType, adaptor.getOperand(), offsets, sizes, strides);
}

/// A filled tensor with the operand inserted at `low`, strided by
/// interior + 1.
Value lowerPad(PadOp op, PadOp::Adaptor adaptor,
               ConversionPatternRewriter &rewriter) {
  auto outType = tensorType(op.getResult());
  Location loc = op.getLoc();
  auto inType = tensorType(adaptor.getOperand());
  Value fill = scalarConstant(rewriter, loc, outType.getElementType(),
                              op.getValue().convertToDouble());
  Value acc = filledTensor(rewriter, loc, outType, fill);
  SmallVector<OpFoldResult> offsets, sizes, strides;
  for (int64_t i = 0; i < inType.getRank(); ++i) {
    offsets.push_back(rewriter.getIndexAttr(op.getLow()[i]));
    sizes.push_back(rewriter.getIndexAttr(inType.getDimSize(i)));
    strides.push_back(rewriter.getIndexAttr(op.getInterior()[i] + 1));
  }
  return rewriter.create<tensor::InsertSliceOp>(
      op.getLoc(), adaptor.getOperand(), acc, offsets, sizes, strides);
}

Value lowerOneHot(OneHotOp op, OneHotOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  auto outType = tensorType(op.getResult());
  int64_t rank = outType.getRank();
  AffineMap in = AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())
                     .getMajorSubMap(rank - 1);
  Type elem = outType.getElementType();
  Value r = elementwiseGeneric(
      rewriter, op.getLoc(), outType, adaptor.getOperand(), {in},
      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value k = b.create<arith::IndexCastOp>(
            l, a[0].getType(), b.create<linalg::IndexOp>(l, rank - 1));
        Value hit =
            b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, k, a[0]);
        return b.create<arith::SelectOp>(l, hit, scalarConstant(b, l, elem, 1),
                                         scalarConstant(b, l, elem, 0));
      });
  return r;
}

struct ConvertHebbToLinalg
    : public hebb::impl::ConvertHebbToLinalgBase<ConvertHebbToLinalg> {
  void runOnOperation() override {
    MLIRContext *ctx = &getContext();
    // Composite ops first become the primitive ops they are made of.
    decomposeCompositeOps(getOperation());
    RewritePatternSet patterns(ctx);
    patterns.add<
        Lowering<ConstantOp, lowerConstant>, Lowering<MatmulOp, lowerMatmul>,
        Lowering<ArgmaxOp, lowerArgmax>, Lowering<TransposeOp, lowerTranspose>,
        Lowering<ReshapeOp, lowerReshape>,
        Lowering<BroadcastInDimOp, lowerBroadcast>,
        Lowering<ConcatOp, lowerConcat>, Lowering<SliceOp, lowerSlice>,
        Lowering<OneHotOp, lowerOneHot>, Lowering<PadOp, lowerPad>,
        Lowering<ReduceSumOp, lowerReduce<ReduceSumOp>>,
        Lowering<ReduceMeanOp, lowerReduce<ReduceMeanOp>>,
        Lowering<ReduceMaxOp, lowerReduce<ReduceMaxOp>>,
        Lowering<SoftmaxOp, lowerSoftmax<SoftmaxOp>>,
        Lowering<LogSoftmaxOp, lowerSoftmax<LogSoftmaxOp>>>(ctx);
    patterns.add<ElementwiseLowering>(ctx);
    populateRandomLowerings(patterns);
    populateWindowLowerings(patterns);
    populateGatherLowerings(patterns);
    populateWindowFusions(patterns);
    ConversionTarget target(*ctx);
    target.addIllegalDialect<HebbDialect>();
    target.addLegalDialect<linalg::LinalgDialect, tensor::TensorDialect,
                           arith::ArithDialect, math::MathDialect,
                           func::FuncDialect>();
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createConvertHebbToLinalgPass() {
  return std::make_unique<ConvertHebbToLinalg>();
}
