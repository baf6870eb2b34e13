//===- WindowToRuntime.cpp - window generics as libhebbrt calls -----------===//
//
// Recognises, on buffers, the two generics WindowLowering emits: the gather
// of a padded NCHW image into [C, KH, KW, N, OH, OW] columns (all loops
// parallel, body `yield in`), and its adjoint, the scatter-add of such
// columns into the image (taps and windows reductions, body `out + in`).
// Both read the image at (n, c, oh·sh + i·dh, ow·sw + j·dw) over loops
// (c, i, j, n, oh, ow); strides and dilations are read back from that map.
// They become calls to hebb_im2col and hebb_col2im, whose row copies
// vectorise where the generated 6-D nest does not. A zero fill of the
// image right before the scatter is folded into the call. The max-pooling
// fusions' generics (WindowFusion.cpp marks them with hebb.window) become
// hebb_max_pool and hebb_max_pool_grad, the direct convolution's
// hebb_conv2d and hebb_conv2d_filter_grad. Anything else - other layouts,
// strided buffers - stays a loop nest.
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
  int64_t strides[2], dilation[2], kernel[2], windows[2];
};

/// Which loop of a window generic runs over the images, channels, taps and
/// window positions.
struct LoopRoles {
  unsigned n, c, i, j, oh, ow;
};
/// im2col and col2im: loops (c, i, j, n, oh, ow), the column matrix's.
constexpr LoopRoles kColumnLoops{3, 0, 1, 2, 4, 5};
/// The pooling fusions: loops (n, oh, ow, c, i, j).
constexpr LoopRoles kPoolLoops{0, 3, 4, 5, 1, 2};
/// The direct convolution: loops (o, n, oh, ow, c, i, j); its filter
/// gradient: loops (o, c, i, j, n, oh, ow).
constexpr LoopRoles kConvLoops{1, 4, 5, 6, 2, 3};
constexpr LoopRoles kConvFilterGradLoops{4, 1, 2, 3, 5, 6};

/// A map reading image (n, c, oh·s + i·d, ow·s + j·d) over loops with the
/// given roles and static ranges.
bool readWindowMap(AffineMap map, const LoopRoles &roles,
                   ArrayRef<int64_t> ranges, Window &w) {
  MLIRContext *ctx = map.getContext();
  const unsigned loops = ranges.size();
  if (map.getNumDims() != loops || map.getNumResults() != 4 ||
      map.getNumSymbols() != 0 || loops < 6 ||
      map.getResult(0) != getAffineDimExpr(roles.n, ctx) ||
      map.getResult(1) != getAffineDimExpr(roles.c, ctx))
    return false;
  for (int r = 0; r < 2; ++r) {
    SmallVector<int64_t> coef(loops, 0);
    if (!linearCoefficients(map.getResult(2 + r), 1, coef))
      return false;
    const unsigned tap = r ? roles.j : roles.i, pos = r ? roles.ow : roles.oh;
    for (unsigned d = 0; d < loops; ++d)
      if (d != tap && d != pos && coef[d] != 0)
        return false;
    // A unit extent may have lost its coefficient; any value is then right.
    w.dilation[r] = ranges[tap] == 1 ? 1 : coef[tap];
    w.strides[r] = ranges[pos] == 1 ? 1 : coef[pos];
    w.kernel[r] = ranges[tap];
    w.windows[r] = ranges[pos];
    if (w.dilation[r] < 1 || w.strides[r] < 1)
      return false;
  }
  return true;
}

/// The image has the loops' images and channels, and every window lies
/// inside it.
bool consistent(const Window &w, const LoopRoles &roles,
                ArrayRef<int64_t> ranges) {
  auto img = w.image.getType().cast<MemRefType>().getShape();
  if (img[0] != ranges[roles.n] || img[1] != ranges[roles.c])
    return false;
  for (int r = 0; r < 2; ++r)
    if ((w.windows[r] - 1) * w.strides[r] + (w.kernel[r] - 1) * w.dilation[r] >=
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
  if (!hebb::isContiguous(w.image, 4) || !hebb::isContiguous(w.cols, 6))
    return std::nullopt;
  auto maps = op.getIndexingMapsArray();
  AffineMap colMap = maps[scatter ? 0 : 1], imageMap = maps[scatter ? 1 : 0];
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (!colMap.isIdentity() ||
      !readWindowMap(imageMap, kColumnLoops, ranges, w) ||
      !consistent(w, kColumnLoops, ranges))
    return std::nullopt;
  return w;
}

/// A pooling fusion's generic on contiguous buffers: the maxima and first
/// taps of a max pooling (`first_max`: ins image and taps, outs max and
/// argmax) or the scatter of their gradient (`max_scatter`: ins argmax,
/// grad and taps, out image).
struct Pool {
  Window w;
  /// The maxima (first_max) or their gradient (max_scatter), and the taps.
  Value values, argmax;
  bool scatter;
};

std::optional<Pool> matchPool(linalg::GenericOp op) {
  auto kind = op->getAttrOfType<StringAttr>(hebb::kWindowAttr);
  if (!kind || !op.hasBufferSemantics() || op.getNumLoops() != 6)
    return std::nullopt;
  Pool pool;
  pool.scatter = kind.getValue() == hebb::kMaxScatterWindow;
  if (!pool.scatter && kind.getValue() != hebb::kFirstMaxWindow)
    return std::nullopt;
  using utils::IteratorType;
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  SmallVector<IteratorType> want = {p, p, p, r, r, r};
  if (pool.scatter)
    want = {p, r, r, p, r, r};
  SmallVector<Value> operands = op->getOperands();
  if (op.getIteratorTypesArray() != want || operands.size() != 4)
    return std::nullopt;
  // Operand order and the image's map: see WindowFusion.cpp.
  unsigned image = pool.scatter ? 3 : 0;
  pool.w.image = operands[image];
  pool.argmax = operands[pool.scatter ? 0 : 3];
  pool.values = operands[pool.scatter ? 1 : 2];
  if (!hebb::isContiguous(pool.w.image, 4) ||
      !hebb::isContiguous(pool.values, 3) ||
      !hebb::isContiguous(pool.argmax, 3, /*f32=*/false))
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  AffineMap windows = AffineMap::get(6, 0,
                                     {getAffineDimExpr(kPoolLoops.n, ctx),
                                      getAffineDimExpr(kPoolLoops.oh, ctx),
                                      getAffineDimExpr(kPoolLoops.ow, ctx)},
                                     ctx);
  unsigned firstWindows = pool.scatter ? 0 : 2;
  if (maps[firstWindows] != windows || maps[firstWindows + 1] != windows ||
      !readWindowMap(maps[image], kPoolLoops, ranges, pool.w) ||
      !consistent(pool.w, kPoolLoops, ranges))
    return std::nullopt;
  return pool;
}

/// A direct convolution fusion's generic on contiguous buffers: ins
/// weights [O, C, KH, KW] and image, out [O, N, OH, OW] (`conv`); or ins
/// output gradient [O, N, OH, OW] and image, out the filter gradient
/// (`conv_filter_grad`).
struct DirectConv {
  Window w;
  Value kernel, values;
  int64_t channels;
  bool filterGrad;
};

std::optional<DirectConv> matchConv(linalg::GenericOp op) {
  auto kind = op->getAttrOfType<StringAttr>(hebb::kWindowAttr);
  if (!kind || !op.hasBufferSemantics() || op.getNumLoops() != 7 ||
      op->getNumOperands() != 3)
    return std::nullopt;
  DirectConv conv;
  conv.filterGrad = kind.getValue() == hebb::kConvFilterGradWindow;
  if (!conv.filterGrad && kind.getValue() != hebb::kConvWindow)
    return std::nullopt;
  using utils::IteratorType;
  const IteratorType p = IteratorType::parallel, r = IteratorType::reduction;
  if (op.getIteratorTypesArray() !=
      SmallVector<IteratorType>{p, p, p, p, r, r, r})
    return std::nullopt;
  // Operand order and maps: see WindowFusion.cpp.
  Value first = op->getOperand(0), out = op->getOperand(2);
  conv.w.image = op->getOperand(1);
  conv.kernel = conv.filterGrad ? out : first;
  conv.values = conv.filterGrad ? first : out;
  if (!hebb::isContiguous(conv.w.image, 4) ||
      !hebb::isContiguous(conv.kernel, 4) ||
      !hebb::isContiguous(conv.values, 4))
    return std::nullopt;
  const LoopRoles &roles = conv.filterGrad ? kConvFilterGradLoops : kConvLoops;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  auto maps = op.getIndexingMapsArray();
  MLIRContext *ctx = op.getContext();
  auto dims = [&](std::initializer_list<unsigned> loops) {
    SmallVector<AffineExpr> e;
    for (unsigned l : loops)
      e.push_back(getAffineDimExpr(l, ctx));
    return AffineMap::get(7, 0, e, ctx);
  };
  AffineMap kernelMap = dims({0, roles.c, roles.i, roles.j}),
            valuesMap = dims({0, roles.n, roles.oh, roles.ow});
  if (maps[conv.filterGrad ? 2 : 0] != kernelMap ||
      maps[conv.filterGrad ? 0 : 2] != valuesMap ||
      !readWindowMap(maps[1], roles, ranges, conv.w) ||
      !consistent(conv.w, roles, ranges))
    return std::nullopt;
  conv.channels = ranges[0];
  return conv;
}

/// The fills of `buffers` among the side-effect-free ops right before
/// `op`: dead once a call writes every element of those buffers.
SmallVector<linalg::FillOp> fillsBefore(Operation *op, ValueRange buffers) {
  SmallVector<linalg::FillOp> fills;
  for (Operation *prev = op->getPrevNode(); prev; prev = prev->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(prev)) {
      if (!llvm::is_contained(buffers, fill.getDpsInitOperand(0)->get()))
        break;
      fills.push_back(fill);
      continue;
    }
    if (!isMemoryEffectFree(prev))
      break;
  }
  return fills;
}

/// The geometry every window kernel takes after its first buffers:
/// (n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow).
void appendGeometry(OpBuilder &b, Location loc, const Window &w,
                    SmallVectorImpl<Value> &args) {
  auto img = w.image.getType().cast<MemRefType>().getShape();
  for (int64_t v :
       {img[0], img[1], img[2], img[3], w.kernel[0], w.kernel[1], w.strides[0],
        w.strides[1], w.dilation[0], w.dilation[1], w.windows[0], w.windows[1]})
    args.push_back(b.create<arith::ConstantIndexOp>(loc, v));
}

/// A scatter's `accumulate` argument: 0 when a zero fill of `image` right
/// before `op` can go (the kernel clears the image), else 1.
Value accumulateFlag(OpBuilder &b, Operation *op, Value image) {
  bool accumulate = true;
  if (linalg::FillOp fill = hebb::zeroFillBefore(op, image)) {
    fill.erase();
    accumulate = false;
  }
  return b.create<arith::ConstantIntOp>(op->getLoc(), accumulate, 32);
}

struct WindowToRuntime
    : public hebb::impl::HebbWindowToRuntimeBase<WindowToRuntime> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<std::pair<linalg::GenericOp, Window>> gathers, scatters;
    SmallVector<std::pair<linalg::GenericOp, Pool>> pools;
    SmallVector<std::pair<linalg::GenericOp, DirectConv>> convs;
    module.walk([&](linalg::GenericOp op) {
      if (auto w = matchWindow(op, false))
        gathers.push_back({op, *w});
      else if (auto w = matchWindow(op, true))
        scatters.push_back({op, *w});
      else if (auto pool = matchPool(op))
        pools.push_back({op, *pool});
      else if (auto conv = matchConv(op))
        convs.push_back({op, *conv});
    });
    for (auto &[op, pool] : pools)
      if (failed(replacePool(op, pool)))
        return signalPassFailure();
    for (auto &[op, conv] : convs)
      if (failed(replaceConv(op, conv)))
        return signalPassFailure();
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

  /// hebb_max_pool(image, geometry, max, argmax) or
  /// hebb_max_pool_grad(grad, argmax, geometry, image, accumulate).
  LogicalResult replacePool(linalg::GenericOp op, const Pool &pool) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    // Buffers as addresses and the geometry: 15 indices, then accumulate.
    SmallVector<Type> types(15, b.getIndexType());
    if (pool.scatter)
      types.push_back(b.getI32Type());
    func::FuncOp callee = hebb::declareRuntimeFunction(
        op->getParentOfType<ModuleOp>(),
        pool.scatter ? hebb::kMaxPoolGradSymbol : hebb::kMaxPoolSymbol,
        FunctionType::get(ctx, types, {}));
    if (!callee)
      return failure();
    SmallVector<Value> args;
    Value accumulate;
    if (pool.scatter) {
      accumulate = accumulateFlag(b, op, pool.w.image);
      args = {hebb::bufferAddress(b, loc, pool.values),
              hebb::bufferAddress(b, loc, pool.argmax)};
    } else {
      for (linalg::FillOp fill :
           fillsBefore(op, ValueRange{pool.values, pool.argmax}))
        fill.erase();
      args = {hebb::bufferAddress(b, loc, pool.w.image)};
    }
    appendGeometry(b, loc, pool.w, args);
    if (pool.scatter) {
      args.push_back(hebb::bufferAddress(b, loc, pool.w.image));
      args.push_back(accumulate);
    } else {
      args.push_back(hebb::bufferAddress(b, loc, pool.values));
      args.push_back(hebb::bufferAddress(b, loc, pool.argmax));
    }
    b.create<func::CallOp>(loc, callee, args);
    op.erase();
    return success();
  }

  /// hebb_conv2d(image, geometry, weight, o, out) or
  /// hebb_conv2d_filter_grad(image, geometry, grad, o, dweight, accumulate).
  LogicalResult replaceConv(linalg::GenericOp op, const DirectConv &conv) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    MLIRContext *ctx = op.getContext();
    // Buffers as addresses and the geometry: 16 indices, then accumulate.
    SmallVector<Type> types(16, b.getIndexType());
    if (conv.filterGrad)
      types.push_back(b.getI32Type());
    func::FuncOp callee = hebb::declareRuntimeFunction(
        op->getParentOfType<ModuleOp>(),
        conv.filterGrad ? hebb::kConv2dFilterGradSymbol : hebb::kConv2dSymbol,
        FunctionType::get(ctx, types, {}));
    if (!callee)
      return failure();
    Value accumulate;
    if (conv.filterGrad)
      accumulate = accumulateFlag(b, op, conv.kernel);
    else
      for (linalg::FillOp fill : fillsBefore(op, ValueRange{conv.values}))
        fill.erase();
    SmallVector<Value> args = {hebb::bufferAddress(b, loc, conv.w.image)};
    appendGeometry(b, loc, conv.w, args);
    args.push_back(hebb::bufferAddress(
        b, loc, conv.filterGrad ? conv.values : conv.kernel));
    args.push_back(b.create<arith::ConstantIndexOp>(loc, conv.channels));
    args.push_back(hebb::bufferAddress(
        b, loc, conv.filterGrad ? conv.kernel : conv.values));
    if (conv.filterGrad)
      args.push_back(accumulate);
    b.create<func::CallOp>(loc, callee, args);
    op.erase();
    return success();
  }

  /// (source, n, c, h, w, kh, kw, sh, sw, dh, dw, oh, ow, destination
  /// [, accumulate]) as hebb_im2col and hebb_col2im take them.
  void replace(linalg::GenericOp op, const Window &w, bool scatter,
               func::FuncOp callee) {
    OpBuilder b(op);
    Location loc = op.getLoc();
    Value accumulate = scatter ? accumulateFlag(b, op, w.image) : Value();
    SmallVector<Value> args = {
        hebb::bufferAddress(b, loc, scatter ? w.cols : w.image)};
    appendGeometry(b, loc, w, args);
    args.push_back(hebb::bufferAddress(b, loc, scatter ? w.image : w.cols));
    if (scatter)
      args.push_back(accumulate);
    b.create<func::CallOp>(loc, callee, args);
    op.erase();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createWindowToRuntimePass() {
  return std::make_unique<WindowToRuntime>();
}
