//===- WindowToRuntime.cpp - im2col and col2im as libhebbrt calls ---------===//
//
// Recognises, on buffers, the two generics WindowLowering emits: the gather
// of a padded NCHW image into [C, KH, KW, N, OH, OW] columns (all loops
// parallel, body `yield in`), and its adjoint, the scatter-add of such
// columns into the image (taps and windows reductions, body `out + in`).
// Both read the image at (n, c, oh·sh + i·dh, ow·sw + j·dw) over loops
// (c, i, j, n, oh, ow); strides and dilations are read back from that map.
// They become calls to hebb_im2col and hebb_col2im, whose row copies
// vectorise where the generated 6-D nest does not. A zero fill of the
// image right before the scatter is folded into the call. Anything else -
// other layouts, strided buffers - stays a loop nest.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBWINDOWTORUNTIME
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// Adds scale · (coefficient of each dim) of the linear expression `e` into
/// `coef`; false when `e` is not a sum of dims times constants.
bool linearCoefficients(AffineExpr e, int64_t scale,
                        SmallVectorImpl<int64_t> &coef) {
  if (auto dim = e.dyn_cast<AffineDimExpr>()) {
    coef[dim.getPosition()] += scale;
    return true;
  }
  auto bin = e.dyn_cast<AffineBinaryOpExpr>();
  if (!bin)
    return false;
  if (e.getKind() == AffineExprKind::Add)
    return linearCoefficients(bin.getLHS(), scale, coef) &&
           linearCoefficients(bin.getRHS(), scale, coef);
  if (e.getKind() != AffineExprKind::Mul)
    return false;
  if (auto c = bin.getRHS().dyn_cast<AffineConstantExpr>())
    return linearCoefficients(bin.getLHS(), scale * c.getValue(), coef);
  if (auto c = bin.getLHS().dyn_cast<AffineConstantExpr>())
    return linearCoefficients(bin.getRHS(), scale * c.getValue(), coef);
  return false;
}

struct Window {
  Value image, cols;
  int64_t strides[2], dilation[2];
};

/// Loops (c, i, j, n, oh, ow) reading image (n, c, oh·s + i·d, ow·s + j·d).
bool readWindowMap(AffineMap map, ArrayRef<int64_t> colShape, Window &w) {
  if (map.getNumDims() != 6 || map.getNumResults() != 4 ||
      map.getNumSymbols() != 0 ||
      map.getResult(0) != getAffineDimExpr(3, map.getContext()) ||
      map.getResult(1) != getAffineDimExpr(0, map.getContext()))
    return false;
  for (int r = 0; r < 2; ++r) {
    SmallVector<int64_t> coef(6, 0);
    if (!linearCoefficients(map.getResult(2 + r), 1, coef))
      return false;
    const unsigned tap = 1 + r, pos = 4 + r;
    for (unsigned d = 0; d < 6; ++d)
      if (d != tap && d != pos && coef[d] != 0)
        return false;
    // A unit extent may have lost its coefficient; any value is then right.
    w.dilation[r] = colShape[tap] == 1 ? 1 : coef[tap];
    w.strides[r] = colShape[pos] == 1 ? 1 : coef[pos];
    if (w.dilation[r] < 1 || w.strides[r] < 1)
      return false;
  }
  return true;
}

/// Shapes agree and every window lies inside the image.
bool consistent(const Window &w) {
  auto img = w.image.getType().cast<MemRefType>().getShape();
  auto cols = w.cols.getType().cast<MemRefType>().getShape();
  if (img[0] != cols[3] || img[1] != cols[0])
    return false;
  for (int r = 0; r < 2; ++r)
    if ((cols[4 + r] - 1) * w.strides[r] + (cols[1 + r] - 1) * w.dilation[r] >=
        img[2 + r])
      return false;
  return true;
}

bool bodyIs(linalg::GenericOp op, bool scatter) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  if (yield.getNumOperands() != 1)
    return false;
  Value in = body.getArgument(0), out = body.getArgument(1);
  if (!scatter)
    return yield.getOperand(0) == in && body.getOperations().size() == 1;
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  return add && body.getOperations().size() == 2 &&
         ((add.getLhs() == in && add.getRhs() == out) ||
          (add.getLhs() == out && add.getRhs() == in));
}

/// The gather (scatter = false) or scatter-add (true) generic, if `op` is.
std::optional<Window> matchWindow(linalg::GenericOp op, bool scatter) {
  if (!op.hasBufferSemantics() || op.getNumDpsInputs() != 1 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 6)
    return std::nullopt;
  using utils::IteratorType;
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  SmallVector<IteratorType> want(6, p);
  if (scatter)
    want = {p, r, r, p, r, r};
  if (op.getIteratorTypesArray() != want || !bodyIs(op, scatter))
    return std::nullopt;
  Window w;
  w.cols = op.getDpsInputOperand(0)->get();
  w.image = op.getDpsInitOperand(0)->get();
  if (!scatter)
    std::swap(w.cols, w.image);
  if (!hebb::isContiguousF32(w.image, 4) || !hebb::isContiguousF32(w.cols, 6))
    return std::nullopt;
  auto maps = op.getIndexingMapsArray();
  AffineMap colMap = maps[scatter ? 0 : 1], imageMap = maps[scatter ? 1 : 0];
  auto colShape = w.cols.getType().cast<MemRefType>().getShape();
  if (!colMap.isIdentity() || !readWindowMap(imageMap, colShape, w) ||
      !consistent(w))
    return std::nullopt;
  return w;
}

struct WindowToRuntime
    : public hebb::impl::HebbWindowToRuntimeBase<WindowToRuntime> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::GenericOp, Window>> gathers, scatters;
    module.walk([&](linalg::GenericOp op) {
      if (auto w = matchWindow(op, false))
        gathers.push_back({op, *w});
      else if (auto w = matchWindow(op, true))
        scatters.push_back({op, *w});
    });
    MLIRContext *ctx = module.getContext();
    SmallVector<Type> inputs(14, IndexType::get(ctx));
    for (auto [list, scatter] :
         {std::make_pair(&gathers, false), std::make_pair(&scatters, true)}) {
      if (list->empty())
        continue;
      SmallVector<Type> types = inputs;
      if (scatter)
        types.push_back(IntegerType::get(ctx, 32));
      func::FuncOp callee = hebb::declareRuntimeFunction(
          module, scatter ? hebb::kCol2imSymbol : hebb::kIm2colSymbol,
          FunctionType::get(ctx, types, {}));
      if (!callee)
        return signalPassFailure();
      for (auto &[op, w] : *list)
        replace(op, w, scatter, callee);
    }
  }

  /// (source, n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow, destination
  /// [, accumulate]) as hebb_im2col and hebb_col2im take them.
  void replace(linalg::GenericOp op, const Window &w, bool scatter,
               func::FuncOp callee) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    bool accumulate = true;
    if (scatter)
      if (linalg::FillOp fill = hebb::zeroFillBefore(op, w.image)) {
        fill.erase();
        accumulate = false;
      }
    auto img = w.image.getType().cast<MemRefType>().getShape();
    auto cols = w.cols.getType().cast<MemRefType>().getShape();
    SmallVector<Value> args = {
        hebb::bufferAddress(b, loc, scatter ? w.cols : w.image)};
    for (int64_t v :
         {img[0], img[1], img[2], img[3], cols[1], cols[2], w.strides[0],
          w.strides[1], w.dilation[0], w.dilation[1], cols[4], cols[5]})
      args.push_back(b.create<arith::ConstantIndexOp>(loc, v));
    args.push_back(hebb::bufferAddress(b, loc, scatter ? w.image : w.cols));
    if (scatter)
      args.push_back(b.create<arith::ConstantIntOp>(loc, accumulate, 32));
    b.create<func::CallOp>(loc, callee, args);
    op.erase();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createWindowToRuntimePass() {
  return std::make_unique<WindowToRuntime>();
}
