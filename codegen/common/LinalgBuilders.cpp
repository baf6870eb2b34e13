//===- LinalgBuilders.cpp - small builders for the hebb lowering ----------===//

#include "codegen/common/LinalgBuilders.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "llvm/ADT/SmallSet.h"

#include <limits>

using namespace mlir;

namespace hebb::lowering {

Value emptyTensor(OpBuilder &b, Location loc, RankedTensorType type) {
  return b.create<tensor::EmptyOp>(loc, type.getShape(), type.getElementType());
}

Value filledTensor(OpBuilder &b, Location loc, RankedTensorType type,
                   Value value) {
  Value empty = emptyTensor(b, loc, type);
  return b.create<linalg::FillOp>(loc, ValueRange{value}, ValueRange{empty})
      .getResult(0);
}

Value scalarConstant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = type.dyn_cast<FloatType>())
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, value));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

Value lowestValue(OpBuilder &b, Location loc, Type type) {
  if (type.isa<FloatType>())
    return scalarConstant(b, loc, type,
                          -std::numeric_limits<double>::infinity());
  unsigned width = type.getIntOrFloatBitWidth();
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, APInt::getSignedMinValue(width)));
}

static SmallVector<utils::IteratorType> parallelIterators(int64_t rank) {
  return SmallVector<utils::IteratorType>(rank, utils::IteratorType::parallel);
}

Value elementwiseGeneric(OpBuilder &b, Location loc,
                         RankedTensorType resultType, ValueRange inputs,
                         ArrayRef<AffineMap> inputMaps, BodyFn body) {
  int64_t rank = resultType.getRank();
  SmallVector<AffineMap> maps(inputMaps.begin(), inputMaps.end());
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value init = emptyTensor(b, loc, resultType);
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, inputs, ValueRange{init}, maps,
      parallelIterators(rank),
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value out = body(nb, nloc, args.drop_back());
        nb.create<linalg::YieldOp>(nloc, out);
      });
  return generic.getResult(0);
}

Value mapTensors(OpBuilder &b, Location loc, RankedTensorType resultType,
                 ValueRange inputs, BodyFn body) {
  SmallVector<AffineMap> maps(inputs.size(),
                              b.getMultiDimIdentityMap(resultType.getRank()));
  return elementwiseGeneric(b, loc, resultType, inputs, maps, body);
}

AffineMap droppedAxesMap(MLIRContext *ctx, int64_t rank,
                         ArrayRef<int64_t> axes) {
  llvm::SmallSet<int64_t, 4> reduced;
  reduced.insert(axes.begin(), axes.end());
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!reduced.count(i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value reduceTensor(
    OpBuilder &b, Location loc, Value input, ArrayRef<int64_t> axes, Value init,
    function_ref<Value(OpBuilder &, Location, Value, Value)> combine) {
  auto type = input.getType().cast<RankedTensorType>();
  int64_t rank = type.getRank();
  llvm::SmallSet<int64_t, 4> reduced;
  reduced.insert(axes.begin(), axes.end());
  SmallVector<int64_t> shape;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool r = reduced.count(i);
    if (!r)
      shape.push_back(type.getDimSize(i));
    iterators.push_back(r ? utils::IteratorType::reduction
                          : utils::IteratorType::parallel);
  }
  auto resultType = RankedTensorType::get(shape, init.getType());
  Value acc = filledTensor(b, loc, resultType, init);
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 droppedAxesMap(b.getContext(), rank, axes)};
  auto generic = b.create<linalg::GenericOp>(
      loc, TypeRange{resultType}, ValueRange{input}, ValueRange{acc}, maps,
      iterators, [&](OpBuilder &nb, Location nloc, ValueRange args) {
        nb.create<linalg::YieldOp>(nloc, combine(nb, nloc, args[1], args[0]));
      });
  return generic.getResult(0);
}

Value reshapeTensor(OpBuilder &b, Location loc, Value value,
                    RankedTensorType type) {
  auto from = value.getType().cast<RankedTensorType>();
  if (from == type)
    return value;
  auto flatType =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  auto wholeGroup = [](int64_t rank) {
    ReassociationIndices group;
    for (int64_t i = 0; i < rank; ++i)
      group.push_back(i);
    return SmallVector<ReassociationIndices>{group};
  };
  Value flat = value;
  if (from.getRank() == 0)
    flat = b.create<tensor::ExpandShapeOp>(loc, flatType, value,
                                           SmallVector<ReassociationIndices>{});
  else if (from.getRank() > 1)
    flat = b.create<tensor::CollapseShapeOp>(loc, flatType, value,
                                             wholeGroup(from.getRank()));
  if (type.getRank() == 1)
    return flat;
  if (type.getRank() == 0)
    return b.create<tensor::CollapseShapeOp>(
        loc, type, flat, SmallVector<ReassociationIndices>{});
  return b.create<tensor::ExpandShapeOp>(loc, type, flat,
                                         wholeGroup(type.getRank()));
}

} // namespace hebb::lowering

void hebb::lowering::yieldFirstMaximum(OpBuilder &b, Location loc, Value x,
                                       Value idx, Value best, Value bestIdx) {
  Value greater =
      x.getType().isa<FloatType>()
          ? b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, best)
                .getResult()
          : b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sgt, x, best)
                .getResult();
  Value first =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, idx,
                              scalarConstant(b, loc, b.getI32Type(), 0));
  Value take = b.create<arith::OrIOp>(loc, greater, first);
  b.create<linalg::YieldOp>(
      loc, ValueRange{b.create<arith::SelectOp>(loc, take, x, best),
                      b.create<arith::SelectOp>(loc, take, idx, bestIdx)});
}
