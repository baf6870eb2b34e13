//===- HebbScalar.cpp - the scalar function of each elementwise op --------===//
//
// ElementwiseOpInterface, one op after another: `buildScalar` is the body
// of the linalg.generic the op lowers to (floats as arith/math ops, i32 as
// signed arith), `evaluate` its value in double precision for the
// reference evaluator. Both use the definitions of ir/ScalarOps.h where
// there is one (the folders use them too).
//
// Integer division is total: x / 0 = 0 and x / -1 = -x (wrapping), so no
// input can trap.
//
//===----------------------------------------------------------------------===//

#include "ir/HebbDialect.h"
#include "ir/ScalarOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

using namespace mlir;

namespace hebb {

namespace {

bool isFloat(Value v) { return v.getType().isa<FloatType>(); }

Value constant(OpBuilder &b, Location loc, Type type, double value) {
  if (auto ft = type.dyn_cast<FloatType>())
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(ft, value));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

/// The float op for floats, the integer op otherwise.
template <typename FloatOp, typename IntOp>
Value either(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<FloatOp>(loc, args);
  return b.create<IntOp>(loc, args);
}

Value safeIntDiv(OpBuilder &b, Location loc, Value x, Value y) {
  Type t = x.getType();
  Value zero = constant(b, loc, t, 0), one = constant(b, loc, t, 1);
  Value minusOne = constant(b, loc, t, -1);
  Value isZero =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, zero);
  Value isMinusOne =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, y, minusOne);
  Value special = b.create<arith::OrIOp>(loc, isZero, isMinusOne);
  Value divisor = b.create<arith::SelectOp>(loc, special, one, y);
  Value q = b.create<arith::DivSIOp>(loc, x, divisor);
  Value negX = b.create<arith::SubIOp>(loc, zero, x);
  Value r = b.create<arith::SelectOp>(loc, isMinusOne, negX, q);
  return b.create<arith::SelectOp>(loc, isZero, zero, r);
}

bool intOperands(Operation *op) {
  return op->getOperand(0)
      .getType()
      .cast<ShapedType>()
      .getElementType()
      .isa<IntegerType>();
}

} // namespace

//===- Unary
//---------------------------------------------------------------===//

Value NegOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  if (isFloat(x))
    return b.create<arith::NegFOp>(loc, x);
  return b.create<arith::SubIOp>(loc, constant(b, loc, x.getType(), 0), x);
}
double NegOp::evaluate(ArrayRef<double> a) { return scalar::neg(a[0]); }

Value AbsOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  if (isFloat(x))
    return b.create<math::AbsFOp>(loc, x);
  Value zero = constant(b, loc, x.getType(), 0);
  Value neg = b.create<arith::SubIOp>(loc, zero, x);
  Value isNeg =
      b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, x, zero);
  return b.create<arith::SelectOp>(loc, isNeg, neg, x);
}
double AbsOp::evaluate(ArrayRef<double> a) { return scalar::abs(a[0]); }

Value ExpOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::ExpOp>(loc, args[0]);
}
double ExpOp::evaluate(ArrayRef<double> a) { return scalar::exp(a[0]); }

Value LogOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::LogOp>(loc, args[0]);
}
double LogOp::evaluate(ArrayRef<double> a) { return scalar::log(a[0]); }

Value TanhOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::TanhOp>(loc, args[0]);
}
double TanhOp::evaluate(ArrayRef<double> a) { return scalar::tanh(a[0]); }

Value SigmoidOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0], one = constant(b, loc, x.getType(), 1);
  Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
  return b.create<arith::DivFOp>(loc, one,
                                 b.create<arith::AddFOp>(loc, one, e));
}
double SigmoidOp::evaluate(ArrayRef<double> a) { return scalar::sigmoid(a[0]); }

Value ReluOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  Value zero = constant(b, loc, args[0].getType(), 0);
  return either<arith::MaxFOp, arith::MaxSIOp>(b, loc, {args[0], zero});
}
double ReluOp::evaluate(ArrayRef<double> a) { return scalar::relu(a[0]); }

Value SqrtOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::SqrtOp>(loc, args[0]);
}
double SqrtOp::evaluate(ArrayRef<double> a) { return scalar::sqrt(a[0]); }

Value RsqrtOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::RsqrtOp>(loc, args[0]);
}
double RsqrtOp::evaluate(ArrayRef<double> a) { return scalar::rsqrt(a[0]); }

Value ErfOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::ErfOp>(loc, args[0]);
}
double ErfOp::evaluate(ArrayRef<double> a) { return scalar::erf(a[0]); }

Value GeluOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  Value x = args[0];
  Type t = x.getType();
  auto c = [&](double v) { return constant(b, loc, t, v); };
  auto mul = [&](Value p, Value q) -> Value {
    return b.create<arith::MulFOp>(loc, p, q);
  };
  Value inner;
  if (isTanh())
    inner = b.create<math::TanhOp>(
        loc, mul(c(0.79788456080286535588),
                 b.create<arith::AddFOp>(loc, x,
                                         mul(c(0.044715), mul(mul(x, x), x)))));
  else
    inner = b.create<math::ErfOp>(loc, mul(x, c(0.70710678118654752440)));
  return mul(mul(c(0.5), x), b.create<arith::AddFOp>(loc, c(1), inner));
}
double GeluOp::evaluate(ArrayRef<double> a) {
  return scalar::gelu(a[0], isTanh());
}

//===- Binary
//--------------------------------------------------------------===//

Value AddOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return either<arith::AddFOp, arith::AddIOp>(b, loc, args);
}
double AddOp::evaluate(ArrayRef<double> a) { return scalar::add(a[0], a[1]); }

Value SubOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return either<arith::SubFOp, arith::SubIOp>(b, loc, args);
}
double SubOp::evaluate(ArrayRef<double> a) { return scalar::sub(a[0], a[1]); }

Value MulOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return either<arith::MulFOp, arith::MulIOp>(b, loc, args);
}
double MulOp::evaluate(ArrayRef<double> a) { return scalar::mul(a[0], a[1]); }

Value DivOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<arith::DivFOp>(loc, args[0], args[1]);
  return safeIntDiv(b, loc, args[0], args[1]);
}
double DivOp::evaluate(ArrayRef<double> a) {
  if (!intOperands(getOperation()))
    return scalar::div(a[0], a[1]);
  return a[1] == 0 ? 0 : std::trunc(a[0] / a[1]);
}

Value MaximumOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return either<arith::MaxFOp, arith::MaxSIOp>(b, loc, args);
}
double MaximumOp::evaluate(ArrayRef<double> a) {
  return scalar::maximum(a[0], a[1]);
}

Value MinimumOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return either<arith::MinFOp, arith::MinSIOp>(b, loc, args);
}
double MinimumOp::evaluate(ArrayRef<double> a) {
  return scalar::minimum(a[0], a[1]);
}

Value PowOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<math::PowFOp>(loc, args[0], args[1]);
}
double PowOp::evaluate(ArrayRef<double> a) { return scalar::pow(a[0], a[1]); }

//===- Comparison and selection
//--------------------------------------------===//

namespace {
arith::CmpFPredicate floatPredicate(CmpPredicate p) {
  switch (p) {
  case CmpPredicate::eq:
    return arith::CmpFPredicate::OEQ;
  case CmpPredicate::ne:
    return arith::CmpFPredicate::UNE;
  case CmpPredicate::lt:
    return arith::CmpFPredicate::OLT;
  case CmpPredicate::le:
    return arith::CmpFPredicate::OLE;
  case CmpPredicate::gt:
    return arith::CmpFPredicate::OGT;
  case CmpPredicate::ge:
    return arith::CmpFPredicate::OGE;
  }
  llvm_unreachable("unknown predicate");
}

arith::CmpIPredicate intPredicate(CmpPredicate p) {
  switch (p) {
  case CmpPredicate::eq:
    return arith::CmpIPredicate::eq;
  case CmpPredicate::ne:
    return arith::CmpIPredicate::ne;
  case CmpPredicate::lt:
    return arith::CmpIPredicate::slt;
  case CmpPredicate::le:
    return arith::CmpIPredicate::sle;
  case CmpPredicate::gt:
    return arith::CmpIPredicate::sgt;
  case CmpPredicate::ge:
    return arith::CmpIPredicate::sge;
  }
  llvm_unreachable("unknown predicate");
}
} // namespace

Value CompareOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  if (isFloat(args[0]))
    return b.create<arith::CmpFOp>(loc, floatPredicate(getPredicate()), args[0],
                                   args[1]);
  return b.create<arith::CmpIOp>(loc, intPredicate(getPredicate()), args[0],
                                 args[1]);
}
double CompareOp::evaluate(ArrayRef<double> a) {
  return scalar::compare(static_cast<int>(getPredicate()), a[0], a[1]) ? 1 : 0;
}

Value SelectOp::buildScalar(OpBuilder &b, Location loc, ValueRange args) {
  return b.create<arith::SelectOp>(loc, args[0], args[1], args[2]);
}
double SelectOp::evaluate(ArrayRef<double> a) {
  return a[0] != 0 ? a[1] : a[2];
}

} // namespace hebb
