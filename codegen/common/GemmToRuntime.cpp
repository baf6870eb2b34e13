//===- GemmToRuntime.cpp - matrix products as hebb_sgemm calls ------------===//
//
// Recognises, on buffers, the generic that convert-hebb-to-linalg emits for
// hebb.matmul (or any generic of the same shape) and calls the packed kernel
// in libhebbrt, passing each operand as (pointer, row stride, column stride).
// The match is structural, so it survives canonicalisation and operand
// deduplication; anything that does not match exactly stays a loop nest.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/RuntimeCalls.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBGEMMTORUNTIME
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

struct GemmMatch {
  Value a, b, c;
  bool transA, transB;
  unsigned kDim; // loop index of the reduction
};

/// Returns the loop positions of a two-result map of plain dims.
std::optional<std::pair<unsigned, unsigned>> twoDims(AffineMap map) {
  if (map.getNumResults() != 2)
    return std::nullopt;
  auto d0 = map.getResult(0).dyn_cast<AffineDimExpr>();
  auto d1 = map.getResult(1).dyn_cast<AffineDimExpr>();
  if (!d0 || !d1 || d0.getPosition() == d1.getPosition())
    return std::nullopt;
  return std::make_pair(d0.getPosition(), d1.getPosition());
}

bool isF32Matrix(Value v) {
  auto t = v.getType().dyn_cast<MemRefType>();
  return t && t.getRank() == 2 && t.getElementType().isF32();
}

/// The body must be `yield acc + x * y` (operands of + and * in any order).
bool isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (body.getNumArguments() != 3 || yield.getNumOperands() != 1)
    return false;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(2), x = body.getArgument(0),
        y = body.getArgument(1);
  Value other = add.getLhs() == acc   ? add.getRhs()
                : add.getRhs() == acc ? add.getLhs()
                                      : Value();
  auto mul = other ? other.getDefiningOp<arith::MulFOp>() : arith::MulFOp();
  if (!mul)
    return false;
  return (mul.getLhs() == x && mul.getRhs() == y) ||
         (mul.getLhs() == y && mul.getRhs() == x);
}

std::optional<GemmMatch> matchGemm(linalg::GenericOp op) {
  if (!op.hasBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 3)
    return std::nullopt;
  auto iterators = op.getIteratorTypesArray();
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return std::nullopt;
  unsigned r =
      llvm::find(iterators, utils::IteratorType::reduction) - iterators.begin();
  auto maps = op.getIndexingMapsArray();
  auto out = twoDims(maps[2]);
  auto in0 = twoDims(maps[0]);
  auto in1 = twoDims(maps[1]);
  if (!out || !in0 || !in1 || out->first == r || out->second == r)
    return std::nullopt;
  unsigned m = out->first, n = out->second;
  auto holds = [](std::pair<unsigned, unsigned> p, unsigned x, unsigned y) {
    return (p.first == x && p.second == y) || (p.first == y && p.second == x);
  };
  GemmMatch match;
  match.kDim = r;
  Value x = op.getDpsInputOperand(0)->get(),
        y = op.getDpsInputOperand(1)->get();
  std::pair<unsigned, unsigned> aMap, bMap;
  if (holds(*in0, m, r) && holds(*in1, n, r)) {
    match.a = x, match.b = y, aMap = *in0, bMap = *in1;
  } else if (holds(*in1, m, r) && holds(*in0, n, r)) {
    match.a = y, match.b = x, aMap = *in1, bMap = *in0;
  } else {
    return std::nullopt;
  }
  match.c = op.getDpsInitOperand(0)->get();
  match.transA = aMap.first == r;  // A stored [k, m]
  match.transB = bMap.second == r; // B stored [n, k]
  if (!isF32Matrix(match.a) || !isF32Matrix(match.b) || !isF32Matrix(match.c) ||
      !isMultiplyAccumulate(op))
    return std::nullopt;
  return match;
}

struct Operand {
  Value pointer, rowStride, colStride;
};

/// (address of element [0, 0], stride of dim 0, stride of dim 1), with the
/// dims swapped when the operand is stored transposed.
Operand describe(OpBuilder &b, Location loc, Value buffer, bool transposed) {
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, buffer);
  Operand o;
  o.pointer = hebb::bufferAddress(b, loc, buffer);
  o.rowStride = meta.getStrides()[transposed ? 1 : 0];
  o.colStride = meta.getStrides()[transposed ? 0 : 1];
  return o;
}

struct GemmToRuntime : public hebb::impl::HebbGemmToRuntimeBase<GemmToRuntime> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::GenericOp, GemmMatch>> gemms;
    module.walk([&](linalg::GenericOp op) {
      if (auto match = matchGemm(op))
        gemms.push_back({op, *match});
    });
    if (gemms.empty())
      return;
    func::FuncOp callee = declareKernel(module);
    if (!callee)
      return signalPassFailure();
    for (auto &[op, match] : gemms) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      bool accumulate = true;
      if (linalg::FillOp fill = hebb::zeroFillBefore(op, match.c)) {
        fill.erase();
        accumulate = false;
      }
      auto dim = [&](Value v, int64_t i) -> Value {
        return b.create<memref::DimOp>(loc, v, i);
      };
      Operand a = describe(b, loc, match.a, match.transA);
      Operand bb = describe(b, loc, match.b, match.transB);
      Operand c = describe(b, loc, match.c, false);
      Value k = dim(match.a, match.transA ? 0 : 1);
      Value flag = b.create<arith::ConstantIntOp>(loc, accumulate, 32);
      SmallVector<Value> args = {dim(match.c, 0),
                                 dim(match.c, 1),
                                 k,
                                 a.pointer,
                                 a.rowStride,
                                 a.colStride,
                                 bb.pointer,
                                 bb.rowStride,
                                 bb.colStride,
                                 c.pointer,
                                 c.rowStride,
                                 c.colStride,
                                 flag};
      b.create<func::CallOp>(loc, callee, args);
      op.erase();
    }
  }

  func::FuncOp declareKernel(ModuleOp module) {
    MLIRContext *ctx = module.getContext();
    SmallVector<Type> inputs(12, IndexType::get(ctx));
    inputs.push_back(IntegerType::get(ctx, 32));
    return hebb::declareRuntimeFunction(module, hebb::kGemmSymbol,
                                        FunctionType::get(ctx, inputs, {}));
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createGemmToRuntimePass() {
  return std::make_unique<GemmToRuntime>();
}
