//===- ScalarLowering.cpp - elementwise hebb ops as scalar code -----------===//
//
// Floats use arith/math ops; integers use signed arith. Integer division is
// total: x / 0 = 0 and x / -1 = -x (wrapping), so no input can trap.
//
//===----------------------------------------------------------------------===//

#include "codegen/common/ScalarLowering.h"

#include "codegen/common/LinalgBuilders.h"
#include "ir/HebbDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "llvm/ADT/TypeSwitch.h"

using namespace mlir;

namespace hebb::lowering {
namespace {

bool isFloat(Value v) { return v.getType().isa<FloatType>(); }

Value safeIntDiv(OpBuilder &b, Location loc, Value x, Value y) {
  Type t = x.getType();
  Value zero = scalarConstant(b, loc, t, 0);
  Value one = scalarConstant(b, loc, t, 1);
  Value minusOne = scalarConstant(b, loc, t, -1);
  Value isZero = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, zero);
  Value isMinusOne =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, minusOne);
  Value special = b.create<arith::OrIOp>(loc, isZero, isMinusOne);
  Value divisor = b.create<arith::SelectOp>(loc, special, one, y);
  Value q = b.create<arith::DivSIOp>(loc, x, divisor);
  Value negX = b.create<arith::SubIOp>(loc, zero, x);
  Value r = b.create<arith::SelectOp>(loc, isMinusOne, negX, q);
  return b.create<arith::SelectOp>(loc, isZero, zero, r);
}

arith::CmpFPredicate floatPredicate(CmpPredicate p) {
  switch (p) {
  case CmpPredicate::eq: return arith::CmpFPredicate::OEQ;
  case CmpPredicate::ne: return arith::CmpFPredicate::UNE;
  case CmpPredicate::lt: return arith::CmpFPredicate::OLT;
  case CmpPredicate::le: return arith::CmpFPredicate::OLE;
  case CmpPredicate::gt: return arith::CmpFPredicate::OGT;
  case CmpPredicate::ge: return arith::CmpFPredicate::OGE;
  }
  llvm_unreachable("unknown predicate");
}

arith::CmpIPredicate intPredicate(CmpPredicate p) {
  switch (p) {
  case CmpPredicate::eq: return arith::CmpIPredicate::eq;
  case CmpPredicate::ne: return arith::CmpIPredicate::ne;
  case CmpPredicate::lt: return arith::CmpIPredicate::slt;
  case CmpPredicate::le: return arith::CmpIPredicate::sle;
  case CmpPredicate::gt: return arith::CmpIPredicate::sgt;
  case CmpPredicate::ge: return arith::CmpIPredicate::sge;
  }
  llvm_unreachable("unknown predicate");
}

} // namespace

Value lowerScalar(Operation *op, OpBuilder &b, Location loc, ValueRange args) {
  auto x = args.empty() ? Value() : args[0];
  auto y = args.size() > 1 ? args[1] : Value();
  return llvm::TypeSwitch<Operation *, Value>(op)
      .Case([&](NegOp) -> Value {
        if (isFloat(x))
          return b.create<arith::NegFOp>(loc, x);
        return b.create<arith::SubIOp>(
            loc, scalarConstant(b, loc, x.getType(), 0), x);
      })
      .Case([&](AbsOp) -> Value {
        if (isFloat(x))
          return b.create<math::AbsFOp>(loc, x);
        Value zero = scalarConstant(b, loc, x.getType(), 0);
        Value neg = b.create<arith::SubIOp>(loc, zero, x);
        Value isNeg =
            b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, zero);
        return b.create<arith::SelectOp>(loc, isNeg, neg, x);
      })
      .Case([&](ExpOp) -> Value { return b.create<math::ExpOp>(loc, x); })
      .Case([&](LogOp) -> Value { return b.create<math::LogOp>(loc, x); })
      .Case([&](TanhOp) -> Value { return b.create<math::TanhOp>(loc, x); })
      .Case([&](SqrtOp) -> Value { return b.create<math::SqrtOp>(loc, x); })
      .Case([&](RsqrtOp) -> Value { return b.create<math::RsqrtOp>(loc, x); })
      .Case([&](SigmoidOp) -> Value {
        Value one = scalarConstant(b, loc, x.getType(), 1);
        Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
        return b.create<arith::DivFOp>(loc, one,
                                       b.create<arith::AddFOp>(loc, one, e));
      })
      .Case([&](ReluOp) -> Value {
        Value zero = scalarConstant(b, loc, x.getType(), 0);
        if (isFloat(x))
          return b.create<arith::MaxFOp>(loc, x, zero);
        return b.create<arith::MaxSIOp>(loc, x, zero);
      })
      .Case([&](AddOp) -> Value {
        if (isFloat(x))
          return b.create<arith::AddFOp>(loc, x, y);
        return b.create<arith::AddIOp>(loc, x, y);
      })
      .Case([&](SubOp) -> Value {
        if (isFloat(x))
          return b.create<arith::SubFOp>(loc, x, y);
        return b.create<arith::SubIOp>(loc, x, y);
      })
      .Case([&](MulOp) -> Value {
        if (isFloat(x))
          return b.create<arith::MulFOp>(loc, x, y);
        return b.create<arith::MulIOp>(loc, x, y);
      })
      .Case([&](DivOp) -> Value {
        if (isFloat(x))
          return b.create<arith::DivFOp>(loc, x, y);
        return safeIntDiv(b, loc, x, y);
      })
      .Case([&](MaximumOp) -> Value {
        if (isFloat(x))
          return b.create<arith::MaxFOp>(loc, x, y);
        return b.create<arith::MaxSIOp>(loc, x, y);
      })
      .Case([&](MinimumOp) -> Value {
        if (isFloat(x))
          return b.create<arith::MinFOp>(loc, x, y);
        return b.create<arith::MinSIOp>(loc, x, y);
      })
      .Case([&](PowOp) -> Value { return b.create<math::PowFOp>(loc, x, y); })
      .Case([&](CompareOp cmp) -> Value {
        if (isFloat(x))
          return b.create<arith::CmpFOp>(
              loc, floatPredicate(cmp.getPredicate()), x, y);
        return b.create<arith::CmpIOp>(loc, intPredicate(cmp.getPredicate()),
                                       x, y);
      })
      .Case([&](SelectOp) -> Value {
        return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
      })
      .Default([](Operation *) { return Value(); });
}

} // namespace hebb::lowering
