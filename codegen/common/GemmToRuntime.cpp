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
// hebb_sgemm_prepacked, which reads B from a copy packed once. The copies
// live in one area, a last argument of every such function; the module
// lists them (kPacksAttr), libhebbrt packs them whenever the parameters may
// have changed. A training step has no such arguments: its weights change
// every call.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/RuntimeCalls.h"

#include "hebb/runtime.h"

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
      const bool packed = packAt[i].has_value();
      func::FuncOp callee = declareKernel(module, match.batched, packed);
      if (!callee)
        return signalPassFailure();
      OpBuilder b(op);
      Location loc = op.getLoc();
      bool accumulate = true;
      if (linalg::FillOp fill = hebb::zeroFillBefore(op, match.c)) {
        fill.erase();
        accumulate = false;
      }
      const unsigned first = match.batched ? 1 : 0;
      auto dim = [&](Value v, int64_t i) -> Value {
        return b.create<memref::DimOp>(loc, v, first + i);
      };
      Operand a = describe(b, loc, match.a, match.batched, match.transA);
      Operand bb = describe(b, loc, match.b, match.batched, match.transB);
      Operand c = describe(b, loc, match.c, match.batched, false);
      Value k = dim(match.a, match.transA ? 0 : 1);
      Value flag = b.create<arith::ConstantIntOp>(loc, accumulate, 32);
      SmallVector<Value> args;
      if (match.batched)
        args.push_back(b.create<memref::DimOp>(loc, match.c, 0));
      args.append({dim(match.c, 0), dim(match.c, 1), k});
      for (const Operand *o : {&a, &bb, &c}) {
        args.push_back(o->pointer);
        if (match.batched)
          args.push_back(o->batchStride);
        args.append({o->rowStride, o->colStride});
        if (packed && o == &bb) {
          Value area = areas.lookup(op->getParentOfType<func::FuncOp>());
          Value shift = b.create<arith::ConstantIndexOp>(
              loc, packs[*packAt[i]].offset * int64_t(sizeof(float)));
          args.push_back(b.create<arith::AddIOp>(
              loc, hebb::bufferAddress(b, loc, area), shift));
        }
      }
      args.push_back(flag);
      b.create<func::CallOp>(loc, callee, args);
      op.erase();
    }
    recordPacks(module, packs, floats);
  }

  /// With packs, every function with parameter arguments takes the packed
  /// area as its last argument (libhebbrt passes it to forward and eval).
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
  /// per operand, or hebb_sgemm_prepacked with the packed B after B.
  func::FuncOp declareKernel(ModuleOp module, bool batched, bool packed) {
    MLIRContext *ctx = module.getContext();
    SmallVector<Type> inputs(batched  ? 16
                             : packed ? 13
                                      : 12,
                             IndexType::get(ctx));
    inputs.push_back(IntegerType::get(ctx, 32));
    return hebb::declareRuntimeFunction(module,
                                        batched  ? hebb::kGemmBatchedSymbol
                                        : packed ? hebb::kGemmPrepackedSymbol
                                                 : hebb::kGemmSymbol,
                                        FunctionType::get(ctx, inputs, {}));
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createGemmToRuntimePass() {
  return std::make_unique<GemmToRuntime>();
}
