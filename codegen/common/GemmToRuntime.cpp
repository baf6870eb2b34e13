//===- GemmToRuntime.cpp - matrix products as hebb_sgemm calls ------------===//
//
// Recognises, on buffers, the generic that convert-hebb-to-linalg emits for
// hebb.matmul (or any generic of the same shape) and calls the packed kernel
// in libhebbrt, passing each operand as (pointer, row stride, column stride).
// The match is structural, so it survives canonicalisation and operand
// deduplication; anything that does not match exactly stays a loop nest.
//
// Weights do not change between inference calls: where B is a parameter
// (an argument named by "hebb.param") of a function, the call is
// hebb_sgemm_fused, which reads B from a copy packed once. The copies
// live in one area, the last argument of every such function; the module
// lists them (kPacksAttr), libhebbrt packs them whenever the parameters may
// have changed. A training step has no such arguments: its weights change
// every call.
//
// A bias add (with or without relu) that reads only the product's result
// becomes the product's epilogue (hebb_sgemm_fused applies it as each tile
// of C is stored), so the result is written once.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/RuntimeCalls.h"

#include "hebb/runtime.h"

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Dominance.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBGEMMTORUNTIME
#define GEN_PASS_DEF_HEBBPREPAREGEMMEPILOGUES
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

struct GemmMatch {
  Value a, b, c;
  bool transA, transB;
  bool batched; // a leading batch dimension on every operand
};

/// The loop positions of the last two results of a map of plain dims, the
/// results before them being exactly `lead`.
std::optional<std::pair<unsigned, unsigned>>
lastTwoDims(AffineMap map, ArrayRef<unsigned> lead) {
  if (map.getNumResults() != lead.size() + 2)
    return std::nullopt;
  SmallVector<unsigned> dims;
  for (AffineExpr e : map.getResults()) {
    auto d = e.dyn_cast<AffineDimExpr>();
    if (!d)
      return std::nullopt;
    dims.push_back(d.getPosition());
  }
  if (!llvm::equal(ArrayRef(dims).drop_back(2), lead))
    return std::nullopt;
  unsigned x = dims[lead.size()], y = dims[lead.size() + 1];
  if (x == y)
    return std::nullopt;
  return std::make_pair(x, y);
}

bool isF32Matrix(Value v, bool batched) {
  auto t = v.getType().dyn_cast<MemRefType>();
  return t && t.getRank() == (batched ? 3 : 2) && t.getElementType().isF32();
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

/// A product (m, n, k in any loop order), or a batch of them with the
/// batch as the outermost loop of every operand.
std::optional<GemmMatch> matchGemm(linalg::GenericOp op) {
  const unsigned loops = op.getNumLoops();
  if (!op.hasBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || (loops != 3 && loops != 4))
    return std::nullopt;
  auto iterators = op.getIteratorTypesArray();
  if (llvm::count(iterators, utils::IteratorType::reduction) != 1)
    return std::nullopt;
  unsigned r =
      llvm::find(iterators, utils::IteratorType::reduction) - iterators.begin();
  const bool batched = loops == 4;
  SmallVector<unsigned> lead;
  if (batched) {
    auto first = op.getIndexingMapsArray()[2].getResult(0);
    auto q = first.dyn_cast<AffineDimExpr>();
    if (!q || q.getPosition() == r)
      return std::nullopt;
    lead.push_back(q.getPosition());
  }
  auto maps = op.getIndexingMapsArray();
  auto out = lastTwoDims(maps[2], lead);
  auto in0 = lastTwoDims(maps[0], lead);
  auto in1 = lastTwoDims(maps[1], lead);
  if (!out || !in0 || !in1 || out->first == r || out->second == r)
    return std::nullopt;
  unsigned m = out->first, n = out->second;
  auto holds = [](std::pair<unsigned, unsigned> p, unsigned x, unsigned y) {
    return (p.first == x && p.second == y) || (p.first == y && p.second == x);
  };
  GemmMatch match;
  match.batched = batched;
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
  if (!isF32Matrix(match.a, batched) || !isF32Matrix(match.b, batched) ||
      !isF32Matrix(match.c, batched) || !isMultiplyAccumulate(op))
    return std::nullopt;
  return match;
}

struct Operand {
  Value pointer, batchStride, rowStride, colStride;
};

/// (address of element [0, 0], stride of the batch dim when `batched`,
/// stride of dim 0, stride of dim 1), with the matrix dims swapped when the
/// operand is stored transposed.
Operand describe(OpBuilder &b, Location loc, Value buffer, bool batched,
                 bool transposed) {
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, buffer);
  const unsigned first = batched ? 1 : 0;
  Operand o;
  o.pointer = hebb::bufferAddress(b, loc, buffer);
  if (batched)
    o.batchStride = meta.getStrides()[0];
  o.rowStride = meta.getStrides()[first + (transposed ? 1 : 0)];
  o.colStride = meta.getStrides()[first + (transposed ? 0 : 1)];
  return o;
}

/// A parameter read packed: which one, B's shape and strides over it, and
/// where its copy starts in the packed area.
struct Pack {
  StringAttr param;
  int64_t n, k, rs, cs;
  int64_t offset = 0;
  bool operator==(const Pack &o) const {
    return param == o.param && n == o.n && k == o.k && rs == o.rs && cs == o.cs;
  }
};

/// The pack of a product whose B is a parameter with static shape and
/// strides, or nothing.
std::optional<Pack> packOf(const GemmMatch &match) {
  auto arg = match.b.dyn_cast<BlockArgument>();
  auto fn = arg ? dyn_cast<func::FuncOp>(arg.getOwner()->getParentOp())
                : func::FuncOp();
  if (match.batched || !fn || arg.getOwner() != &fn.getBody().front())
    return std::nullopt;
  auto name = fn.getArgAttrOfType<StringAttr>(arg.getArgNumber(), "hebb.param");
  auto type = match.b.getType().cast<MemRefType>();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (!name || !type.hasStaticShape() ||
      failed(getStridesAndOffset(type, strides, offset)) || offset != 0)
    return std::nullopt;
  const unsigned kDim = match.transB ? 1 : 0;
  return Pack{name, type.getDimSize(1 - kDim), type.getDimSize(kDim),
              strides[match.transB ? 1 : 0], strides[match.transB ? 0 : 1]};
}

/// What a bias-and-relu op after a product adds to its result.
struct Epilogue {
  linalg::GenericOp op;
  Value bias, out; // bias: n contiguous values; out: where the op writes
  bool relu = false;
};

/// The root buffer of a view chain.
Value rootOf(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isa<ViewLikeOpInterface>(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// The bytes [begin, end) of a planned temporary (a memref.view of the
/// scratch at a constant shift), or nothing.
std::optional<std::pair<int64_t, int64_t>> bytesOf(Value v) {
  auto view = v.getDefiningOp<memref::ViewOp>();
  auto type = v.getType().dyn_cast<MemRefType>();
  auto shift = view
                   ? view.getByteShift().getDefiningOp<arith::ConstantIndexOp>()
                   : arith::ConstantIndexOp();
  if (!shift || !type.hasStaticShape())
    return std::nullopt;
  const int64_t begin = shift.value();
  return std::make_pair(begin,
                        begin + type.getNumElements() *
                                    int64_t(type.getElementTypeBitWidth() / 8));
}

/// Whether writing `out` may change what `in` holds.
bool mayOverlap(Value out, Value in) {
  if (rootOf(out) != rootOf(in))
    return false;
  auto x = bytesOf(out), y = bytesOf(in);
  return !x || !y || (x->first < y->second && y->first < x->second);
}

/// The body `yield c + bias` or `yield max(c + bias, 0)`, operands of the
/// add in either order; sets `relu`.
bool isBiasRelu(linalg::GenericOp op, bool &relu) {
  Block &body = op.getRegion().front();
  auto ops = body.without_terminator();
  const auto count = std::distance(ops.begin(), ops.end());
  if (count < 1 || count > 2)
    return false;
  auto add = dyn_cast<arith::AddFOp>(&*ops.begin());
  Value c = body.getArgument(0), bias = body.getArgument(1);
  if (!add || !((add.getLhs() == c && add.getRhs() == bias) ||
                (add.getLhs() == bias && add.getRhs() == c)))
    return false;
  Value result = add;
  relu = count == 2;
  if (relu) {
    auto max = dyn_cast<arith::MaxFOp>(&*std::next(ops.begin()));
    Value zero = max && max.getLhs() == add   ? max.getRhs()
                 : max && max.getRhs() == add ? max.getLhs()
                                              : Value();
    auto cst = zero ? zero.getDefiningOp<arith::ConstantOp>() : nullptr;
    auto value = cst ? cst.getValue().dyn_cast<FloatAttr>() : FloatAttr();
    if (!value || !value.getValue().isPosZero())
      return false;
    result = max;
  }
  return body.getTerminator()->getOperands() == ValueRange(result);
}

/// The op after `gemm` that computes out[i, j] = (relu of) C[i, j] +
/// bias[j] and is the product's only reader, writing a buffer that is
/// neither A nor B. Between the two only ops without memory effects,
/// allocations and frees of other buffers: the call takes the product's
/// place and writes `out` there.
std::optional<Epilogue> matchEpilogue(linalg::GenericOp gemm,
                                      const GemmMatch &match) {
  if (match.batched)
    return std::nullopt;
  SmallVector<Operation *> between;
  Operation *next = gemm->getNextNode();
  while (next && (isMemoryEffectFree(next) || isa<memref::AllocOp>(next) ||
                  isa<memref::DeallocOp>(next))) {
    between.push_back(next);
    next = next->getNextNode();
  }
  auto op = dyn_cast_or_null<linalg::GenericOp>(next);
  if (!op || !op.hasBufferSemantics() || op.getNumDpsInputs() != 2 ||
      op.getNumDpsInits() != 1 || op.getNumLoops() != 2 ||
      op.getNumParallelLoops() != 2 ||
      op.getDpsInputOperand(0)->get() != match.c)
    return std::nullopt;
  MLIRContext *ctx = op.getContext();
  auto id = AffineMap::getMultiDimIdentityMap(2, ctx);
  auto column = AffineMap::get(2, 0, getAffineDimExpr(1, ctx));
  auto maps = op.getIndexingMapsArray();
  Epilogue e{op, op.getDpsInputOperand(1)->get(),
             op.getDpsInitOperand(0)->get()};
  auto biasType = e.bias.getType().dyn_cast<MemRefType>();
  SmallVector<int64_t> strides;
  int64_t offset;
  if (maps[0] != id || maps[1] != column || maps[2] != id || !biasType ||
      !biasType.getElementType().isF32() ||
      failed(getStridesAndOffset(biasType, strides, offset)) ||
      strides[0] != 1 || !isF32Matrix(e.out, false) || !isBiasRelu(op, e.relu))
    return std::nullopt;
  for (Value operand : {match.a, match.b})
    if (mayOverlap(e.out, operand))
      return std::nullopt;
  for (Operation *user : match.c.getUsers())
    if (user != gemm && user != op &&
        !isa<linalg::FillOp, memref::DeallocOp>(user))
      return std::nullopt;
  // The bias must exist where the product is, and so must the output: or
  // be an allocation between the two (hebb-prepare-gemm-epilogues moves it
  // up).
  DominanceInfo dominance(gemm->getParentOp());
  Operation *def = e.out.getDefiningOp();
  const bool movable = def && isa<memref::AllocOp>(def) &&
                       llvm::is_contained(between, def) &&
                       def->getBlock() == gemm->getBlock();
  if (!dominance.properlyDominates(e.bias, gemm) ||
      (!movable && !dominance.properlyDominates(e.out, gemm)))
    return std::nullopt;
  for (Operation *x : between)
    if (isa<memref::DeallocOp>(x) &&
        llvm::is_contained(ValueRange{e.out, e.bias}, x->getOperand(0)))
      return std::nullopt;
  return e;
}

struct PrepareGemmEpilogues
    : public hebb::impl::HebbPrepareGemmEpiloguesBase<PrepareGemmEpilogues> {
  void runOnOperation() override {
    getOperation().walk([](linalg::GenericOp op) {
      auto match = matchGemm(op);
      if (!match || !hebb::zeroFillBefore(op, match->c))
        return;
      auto epilogue = matchEpilogue(op, *match);
      Operation *def = epilogue ? epilogue->out.getDefiningOp() : nullptr;
      if (def && def->getBlock() == op->getBlock() && op->isBeforeInBlock(def))
        def->moveBefore(hebb::zeroFillBefore(op, match->c));
    });
  }
};

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
    // Each parameter's copy once, whichever entries read it.
    SmallVector<Pack> packs;
    SmallVector<std::optional<size_t>> packAt;
    int64_t floats = 0;
    for (auto &entry : gemms) {
      std::optional<Pack> p = packOf(entry.second);
      std::optional<size_t> at;
      if (p) {
        at = llvm::find(packs, *p) - packs.begin();
        if (*at == packs.size()) {
          p->offset = floats;
          floats += HEBB_SGEMM_PACKED_FLOATS(p->n, p->k);
          packs.push_back(*p);
        }
      }
      packAt.push_back(at);
    }
    DenseMap<Operation *, Value> areas = addPackedAreas(module, floats);
    for (auto [i, entry] : llvm::enumerate(gemms)) {
      auto &[op, match] = entry;
      // The packed B: its copy's offset in the function's area.
      std::optional<std::pair<Value, int64_t>> packed;
      if (packAt[i])
        packed = {areas.lookup(op->getParentOfType<func::FuncOp>()),
                  packs[*packAt[i]].offset};
      if (failed(lower(module, op, match, packed)))
        return signalPassFailure();
    }
    recordPacks(module, packs, floats);
  }

  /// The call that replaces the product `op`: hebb_sgemm(_batched), or
  /// hebb_sgemm_fused with the packed B and/or a bias and relu that the
  /// next op applies to the product alone (that op is then erased).
  LogicalResult lower(ModuleOp module, linalg::GenericOp op,
                      const GemmMatch &match,
                      std::optional<std::pair<Value, int64_t>> packed) {
    bool accumulate = true;
    if (linalg::FillOp fill = hebb::zeroFillBefore(op, match.c)) {
      fill.erase();
      accumulate = false;
    }
    std::optional<Epilogue> epilogue;
    if (!accumulate)
      epilogue = matchEpilogue(op, match);
    // The output is where the product is (hebb-prepare-gemm-epilogues).
    if (epilogue &&
        !DominanceInfo(op->getParentOp()).properlyDominates(epilogue->out, op))
      epilogue.reset();
    OpBuilder b(op);
    Location loc = op.getLoc();
    const bool fused = packed || epilogue;
    func::FuncOp callee = declareKernel(module, match.batched, fused);
    if (!callee)
      return failure();
    const unsigned first = match.batched ? 1 : 0;
    auto dim = [&](Value v, int64_t i) -> Value {
      return b.create<memref::DimOp>(loc, v, first + i);
    };
    auto index = [&](int64_t v) -> Value {
      return b.create<arith::ConstantIndexOp>(loc, v);
    };
    Value out = epilogue ? epilogue->out : match.c;
    Operand a = describe(b, loc, match.a, match.batched, match.transA);
    Operand bb = describe(b, loc, match.b, match.batched, match.transB);
    Operand c = describe(b, loc, out, match.batched, false);
    SmallVector<Value> args;
    if (match.batched)
      args.push_back(b.create<memref::DimOp>(loc, match.c, 0));
    args.append(
        {dim(match.c, 0), dim(match.c, 1), dim(match.a, match.transA ? 0 : 1)});
    for (const Operand *o : {&a, &bb, &c}) {
      if (fused && o == &c)
        args.push_back(
            packed ? b.create<arith::AddIOp>(
                         loc, hebb::bufferAddress(b, loc, packed->first),
                         index(packed->second * int64_t(sizeof(float))))
                   : index(0));
      args.push_back(o->pointer);
      if (match.batched)
        args.push_back(o->batchStride);
      args.append({o->rowStride, o->colStride});
    }
    args.push_back(b.create<arith::ConstantIntOp>(loc, accumulate, 32));
    if (fused) {
      args.push_back(epilogue && epilogue->bias
                         ? hebb::bufferAddress(b, loc, epilogue->bias)
                         : index(0));
      args.push_back(
          b.create<arith::ConstantIntOp>(loc, epilogue && epilogue->relu, 32));
    }
    b.create<func::CallOp>(loc, callee, args);
    if (epilogue)
      epilogue->op.erase();
    op.erase();
    return success();
  }

  /// With packs, every function with parameter arguments takes the packed
  /// area as its last argument, after the scratch (libhebbrt passes both to
  /// forward and eval).
  DenseMap<Operation *, Value> addPackedAreas(ModuleOp module, int64_t floats) {
    DenseMap<Operation *, Value> areas;
    if (!floats)
      return areas;
    auto type =
        MemRefType::get({floats}, Float32Type::get(module.getContext()));
    for (auto fn : module.getOps<func::FuncOp>()) {
      if (fn.isExternal())
        continue;
      bool hasParams = false;
      for (unsigned i = 0; i < fn.getNumArguments(); ++i)
        hasParams |= bool(fn.getArgAttr(i, "hebb.param"));
      if (!hasParams)
        continue;
      fn.insertArgument(fn.getNumArguments(), type, {}, fn.getLoc());
      areas[fn] = fn.getArguments().back();
    }
    return areas;
  }

  void recordPacks(ModuleOp module, ArrayRef<Pack> packs, int64_t floats) {
    if (packs.empty())
      return;
    Builder b(module.getContext());
    SmallVector<Attribute> list;
    for (const Pack &p : packs)
      list.push_back(b.getDictionaryAttr(
          {b.getNamedAttr("param", p.param),
           b.getNamedAttr("n", b.getI64IntegerAttr(p.n)),
           b.getNamedAttr("k", b.getI64IntegerAttr(p.k)),
           b.getNamedAttr("rs", b.getI64IntegerAttr(p.rs)),
           b.getNamedAttr("cs", b.getI64IntegerAttr(p.cs)),
           b.getNamedAttr("offset", b.getI64IntegerAttr(p.offset))}));
    module->setAttr(hebb::kPacksAttr, b.getArrayAttr(list));
    module->setAttr(hebb::kPackedFloatsAttr, b.getI64IntegerAttr(floats));
  }

  /// hebb_sgemm, hebb_sgemm_batched with a batch count and a batch stride
  /// per operand, or hebb_sgemm_fused with the packed B before C and the
  /// bias and relu flag last.
  func::FuncOp declareKernel(ModuleOp module, bool batched, bool fused) {
    MLIRContext *ctx = module.getContext();
    Type index = IndexType::get(ctx), i32 = IntegerType::get(ctx, 32);
    SmallVector<Type> inputs(batched ? 16 : fused ? 13 : 12, index);
    inputs.push_back(i32);
    if (fused)
      inputs.append({index, i32});
    return hebb::declareRuntimeFunction(module,
                                        batched ? hebb::kGemmBatchedSymbol
                                        : fused ? hebb::kGemmFusedSymbol
                                                : hebb::kGemmSymbol,
                                        FunctionType::get(ctx, inputs, {}));
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createPrepareGemmEpiloguesPass() {
  return std::make_unique<PrepareGemmEpilogues>();
}

std::unique_ptr<Pass> hebb::createGemmToRuntimePass() {
  return std::make_unique<GemmToRuntime>();
}
