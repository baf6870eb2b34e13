//===- HebbGather.cpp - gather and scatter_add ----------------------------===//
//
// Shapes and gradients of the indexing pair: gather picks a table's rows
// by index (an embedding lookup), scatter_add adds slices into the rows
// their indices name. Each is the other's adjoint in the table (updates)
// operand; the indices are integers and get no gradient.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"
#include "ir/Infer.h"

#include "mlir/IR/Builders.h"
#include "llvm/Support/MathExtras.h"

#include <climits>

using namespace mlir;
using namespace hebb;
using namespace hebb::infer;

namespace {

/// `lead` followed by `row`, failing past 2^31 - 1 elements.
FailureOr<SmallVector<int64_t>> joined(ArrayRef<int64_t> lead,
                                       ArrayRef<int64_t> row, OptLoc loc) {
  SmallVector<int64_t> shape(lead);
  shape.append(row.begin(), row.end());
  int64_t count = 1;
  for (int64_t d : shape)
    if (llvm::MulOverflow(count, d, count) || count > INT32_MAX) {
      (void)fail(loc, "the result would have 2^31 or more elements");
      return failure();
    }
  return shape;
}

} // namespace

LogicalResult GatherOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                         ValueRange operands, DictionaryAttr,
                                         RegionRange,
                                         SmallVectorImpl<Type> &results) {
  auto table = firstOperand(operands, 2, loc);
  auto indices = operandTensor(operands, 1, loc);
  if (failed(table) || failed(indices))
    return failure();
  if (table->getRank() < 1)
    return fail(loc, "the table must have rows (rank 1 or more), got " +
                         str(*table));
  auto shape = joined(indices->getShape(), table->getShape().drop_front(), loc);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, Float32Type::get(ctx)));
  return success();
}

LogicalResult ScatterAddOp::inferReturnTypes(MLIRContext *ctx, OptLoc loc,
                                             ValueRange operands,
                                             DictionaryAttr attrs, RegionRange,
                                             SmallVectorImpl<Type> &results) {
  auto updates = firstOperand(operands, 2, loc);
  auto indices = operandTensor(operands, 1, loc);
  auto rows = i64Attr(attrs, "rows", loc);
  if (failed(updates) || failed(indices) || failed(rows))
    return failure();
  if (*rows < 1 || *rows > INT32_MAX)
    return fail(loc, "rows must be in [1, 2147483647], got " + Twine(*rows));
  ArrayRef<int64_t> u = updates->getShape(), ids = indices->getShape();
  if (u.size() < ids.size() || u.take_front(ids.size()) != ids)
    return fail(loc, "updates must have the indices' shape followed by a "
                     "row's: " +
                         str(*updates) + " for indices " + str(*indices));
  auto shape = joined({*rows}, u.drop_front(ids.size()), loc);
  if (failed(shape))
    return failure();
  results.push_back(RankedTensorType::get(*shape, Float32Type::get(ctx)));
  return success();
}

LogicalResult GatherOp::buildGradients(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  int64_t rows = getTable().getType().cast<RankedTensorType>().getDimSize(0);
  out.push_back(b.create<ScatterAddOp>(getLoc(), grads[0], getIndices(),
                                       b.getI64IntegerAttr(rows)));
  out.push_back(Value());
  return success();
}

LogicalResult ScatterAddOp::buildGradients(OpBuilder &b, ValueRange grads,
                                           SmallVectorImpl<Value> &out) {
  out.push_back(b.create<GatherOp>(getLoc(), grads[0], getIndices()));
  out.push_back(Value());
  return success();
}
