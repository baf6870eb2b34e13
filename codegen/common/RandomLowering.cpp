//===- RandomLowering.cpp - hebb.random_uniform as Philox in a generic ----===//
//
// Each element runs Philox-4x32-10 on its own counter inside an
// all-parallel linalg.generic (index from linalg.index), so the loop
// vectorises and needs no state. The 32x32 -> 64-bit products use i64
// multiplies. hebb.dropout reaching this point is the identity.
//
//===----------------------------------------------------------------------===//

#include "codegen/common/LinalgBuilders.h"
#include "codegen/common/Lowerings.h"

#include "ir/HebbDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace hebb;
using namespace hebb::lowering;

namespace {

/// The first output word of Philox-4x32-10 for key (k0, k1) and counter
/// (lo, hi), both counters i64, key words i32.
Value philoxWord0(OpBuilder &b, Location loc, Value k0, Value k1, Value lo,
                  Value hi) {
  Type i32 = b.getI32Type(), i64 = b.getI64Type();
  auto c32 = [&](uint32_t v) -> Value {
    return b.create<arith::ConstantIntOp>(loc, (int64_t)(int32_t)v, 32);
  };
  auto c64 = [&](int64_t v) -> Value {
    return b.create<arith::ConstantIntOp>(loc, v, 64);
  };
  auto lowWord = [&](Value v) -> Value {
    return b.create<arith::TruncIOp>(loc, i32, v);
  };
  auto highWord = [&](Value v) -> Value {
    return lowWord(b.create<arith::ShRUIOp>(loc, v, c64(32)));
  };
  Value c0 = lowWord(lo), c1 = highWord(lo), c2 = lowWord(hi),
        c3 = highWord(hi);
  Value m0 = c64(0xD2511F53), m1 = c64(0xCD9E8D57);
  for (int round = 0; round < 10; ++round) {
    Value p0 = b.create<arith::MulIOp>(loc, m0,
                                       b.create<arith::ExtUIOp>(loc, i64, c0));
    Value p1 = b.create<arith::MulIOp>(loc, m1,
                                       b.create<arith::ExtUIOp>(loc, i64, c2));
    Value n0 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, highWord(p1), c1), k0);
    Value n2 = b.create<arith::XOrIOp>(
        loc, b.create<arith::XOrIOp>(loc, highWord(p0), c3), k1);
    c1 = lowWord(p1);
    c3 = lowWord(p0);
    c0 = n0;
    c2 = n2;
    k0 = b.create<arith::AddIOp>(loc, k0, c32(0x9E3779B9u));
    k1 = b.create<arith::AddIOp>(loc, k1, c32(0xBB67AE85u));
  }
  return c0;
}

Value lowerRandomUniform(RandomUniformOp op, RandomUniformOp::Adaptor adaptor,
                         ConversionPatternRewriter &rewriter) {
  Location loc = op.getLoc();
  auto type = op.getResult().getType().cast<RankedTensorType>();
  auto word = [&](int64_t i) -> Value {
    Value idx = rewriter.create<arith::ConstantIndexOp>(loc, i);
    return rewriter.create<tensor::ExtractOp>(loc, adaptor.getSeed(),
                                              ValueRange{idx});
  };
  Value k0 = word(0), k1 = word(1);
  int64_t stream = op.getStream();
  Value r = elementwiseGeneric(
      rewriter, loc, type, {}, {},
      [&](OpBuilder &b, Location l, ValueRange) -> Value {
        Type i64 = b.getI64Type();
        Value linear = b.create<arith::ConstantIntOp>(l, 0, 64);
        for (int64_t d = 0; d < type.getRank(); ++d) {
          Value size =
              b.create<arith::ConstantIntOp>(l, type.getDimSize(d), 64);
          Value i = b.create<arith::IndexCastOp>(
              l, i64, b.create<linalg::IndexOp>(l, d));
          linear = b.create<arith::AddIOp>(
              l, b.create<arith::MulIOp>(l, linear, size), i);
        }
        Value hi = b.create<arith::ConstantIntOp>(l, stream, 64);
        Value w = philoxWord0(b, l, k0, k1, linear, hi);
        Value bits = b.create<arith::ShRUIOp>(
            l, w, b.create<arith::ConstantIntOp>(l, 8, 32));
        Value f = b.create<arith::UIToFPOp>(l, b.getF32Type(), bits);
        return b.create<arith::MulFOp>(
            l, f,
            b.create<arith::ConstantFloatOp>(l, APFloat(1.0f / 16777216.0f),
                                             b.getF32Type()));
      });
  return r;
}

Value lowerDropout(DropoutOp op, DropoutOp::Adaptor adaptor,
                   ConversionPatternRewriter &rewriter) {
  return adaptor.getOperand();
}

} // namespace

void hebb::populateRandomLowerings(RewritePatternSet &patterns) {
  patterns.add<Lowering<RandomUniformOp, lowerRandomUniform>,
               Lowering<DropoutOp, lowerDropout>>(patterns.getContext());
}
