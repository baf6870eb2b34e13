//===- GatherLowering.cpp - hebb.gather and hebb.scatter_add to linalg ----===//
//
// gather: one generic over the result, each element read from the table
// at the row its index names (a clamped index, and zero where it is out of
// range, so the read never leaves the table).
// scatter_add: one generic over (row, index positions, row elements), the
// index positions a reduction in row-major order: each result element
// adds the updates whose index names its row. Its work grows with rows x
// indices x row size, which suits small tables (characters, classes).
//
//===----------------------------------------------------------------------===//

#include "codegen/common/LinalgBuilders.h"
#include "codegen/common/Lowerings.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace hebb;
using namespace hebb::lowering;

namespace {

/// Whether the i32 index `k` lies in [0, rows).
Value inRange(OpBuilder &b, Location loc, Value k, int64_t rows) {
  Type i32 = k.getType();
  Value lo = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, k,
                                     scalarConstant(b, loc, i32, 0));
  Value hi = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, k,
                                     scalarConstant(b, loc, i32, rows));
  return b.create<arith::AndIOp>(loc, lo, hi);
}

Value lowerGather(GatherOp op, GatherOp::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) {
  auto outType = tensorType(op.getResult());
  auto tableType = tensorType(adaptor.getTable());
  const int64_t ids = tensorType(adaptor.getIndices()).getRank();
  const int64_t rank = outType.getRank(), rows = tableType.getDimSize(0);
  AffineMap idMap =
      AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())
          .getMajorSubMap(ids);
  Value table = adaptor.getTable();
  return elementwiseGeneric(
      rewriter, op.getLoc(), outType, adaptor.getIndices(), {idMap},
      [&](OpBuilder &b, Location l, ValueRange a) -> Value {
        Value ok = inRange(b, l, a[0], rows);
        Value row = b.create<arith::SelectOp>(
            l, ok, a[0], scalarConstant(b, l, a[0].getType(), 0));
        SmallVector<Value> at = {
            b.create<arith::IndexCastOp>(l, b.getIndexType(), row)};
        for (int64_t d = ids; d < rank; ++d)
          at.push_back(b.create<linalg::IndexOp>(l, d));
        Value v = b.create<tensor::ExtractOp>(l, table, at);
        return b.create<arith::SelectOp>(
            l, ok, v, scalarConstant(b, l, outType.getElementType(), 0));
      });
}

Value lowerScatterAdd(ScatterAddOp op, ScatterAddOp::Adaptor adaptor,
                      ConversionPatternRewriter &rewriter) {
  MLIRContext *ctx = rewriter.getContext();
  Location loc = op.getLoc();
  auto outType = tensorType(op.getResult());
  const int64_t ids = tensorType(adaptor.getIndices()).getRank();
  const int64_t rowRank = outType.getRank() - 1;
  // Loops (r, i..., d...).
  const int64_t loops = 1 + ids + rowRank;
  SmallVector<AffineExpr> r, i, d, id;
  for (int64_t l = 0; l < loops; ++l)
    (l == 0 ? r : l <= ids ? i : d).push_back(getAffineDimExpr(l, ctx));
  SmallVector<AffineExpr> updates(i), out(r);
  updates.append(d);
  out.append(d);
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  for (int64_t l = 1; l <= ids; ++l)
    iterators[l] = utils::IteratorType::reduction;
  Type f32 = outType.getElementType();
  Value init = filledTensor(rewriter, loc, outType,
                            scalarConstant(rewriter, loc, f32, 0));
  return rewriter
      .create<linalg::GenericOp>(
          loc, TypeRange{outType},
          ValueRange{adaptor.getUpdates(), adaptor.getIndices()},
          ValueRange{init},
          ArrayRef<AffineMap>{AffineMap::get(loops, 0, updates, ctx),
                              AffineMap::get(loops, 0, i, ctx),
                              AffineMap::get(loops, 0, out, ctx)},
          iterators,
          [&](OpBuilder &b, Location l, ValueRange a) {
            Value row = b.create<arith::IndexCastOp>(
                l, a[1].getType(), b.create<linalg::IndexOp>(l, 0));
            Value hit =
                b.create<arith::CmpIOp>(l, arith::CmpIPredicate::eq, a[1], row);
            Value sum = b.create<arith::AddFOp>(l, a[2], a[0]);
            b.create<linalg::YieldOp>(
                l, Value(b.create<arith::SelectOp>(l, hit, sum, a[2])));
          })
      .getResult(0);
}

} // namespace

void hebb::populateGatherLowerings(RewritePatternSet &patterns) {
  patterns.add<Lowering<GatherOp, lowerGather>,
               Lowering<ScatterAddOp, lowerScatterAdd>>(patterns.getContext());
}
