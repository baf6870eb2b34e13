//===- PlanMemory.cpp - static placement of a function's temporaries ------===//
//
// After bufferization every temporary is a memref.alloc with a static shape
// and a matching dealloc. This pass gives each one a fixed byte offset in a
// single scratch buffer, passed as the function's last argument, so a call
// allocates nothing:
//   1. live range of an alloc = [its position, the last top-level op that
//      uses it or any view of it] in the function's block;
//   2. offsets by greedy-by-size: largest buffers first, each at the lowest
//      64-byte-aligned offset that overlaps no placed buffer whose live
//      range intersects its own (buffers that are never live together share
//      bytes);
//   3. allocs become memref.view of the scratch argument, deallocs vanish.
// The scratch size is recorded as the LLVM function attribute
// "hebb-scratch-bytes" (through `passthrough`), which the JIT and the
// ahead-of-time descriptor read. Allocs with dynamic shapes or unknown
// layouts, or that escape, are left to malloc.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Interfaces/ViewLikeInterface.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBPLANMEMORY
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

constexpr int64_t kAlign = 64;

struct Buffer {
  memref::AllocOp alloc;
  int64_t bytes = 0, start = 0, end = 0, offset = 0;
};

/// The last position (index in `block`) at which `v` or a view of it is
/// used; -1 if it escapes (returned or passed to a call).
int64_t lastUse(Value v, Block &block,
                const llvm::DenseMap<Operation *, int64_t> &position) {
  int64_t last = 0;
  SmallVector<Value> work = {v};
  while (!work.empty()) {
    Value cur = work.pop_back_val();
    for (Operation *user : cur.getUsers()) {
      if (isa<func::ReturnOp, func::CallOp>(user))
        return -1;
      if (isa<memref::DeallocOp>(user))
        continue;
      Operation *top = block.findAncestorOpInBlock(*user);
      if (!top)
        return -1;
      last = std::max(last, position.lookup(top));
      if (isa<ViewLikeOpInterface, memref::CollapseShapeOp,
              memref::ExpandShapeOp, memref::CastOp, memref::ReinterpretCastOp>(
              user))
        for (Value r : user->getResults())
          if (r.getType().isa<MemRefType>())
            work.push_back(r);
    }
  }
  return last;
}

/// Greedy by size: biggest first, each at the lowest offset that no
/// buffer live at the same time occupies. Returns the bytes used (aligned).
int64_t place(std::vector<Buffer> &buffers) {
  std::vector<Buffer *> order;
  for (Buffer &b : buffers)
    order.push_back(&b);
  std::stable_sort(order.begin(), order.end(),
                   [](Buffer *a, Buffer *b) { return a->bytes > b->bytes; });
  std::vector<Buffer *> placed;
  int64_t total = 0;
  for (Buffer *b : order) {
    std::vector<std::pair<int64_t, int64_t>> taken;
    for (Buffer *p : placed)
      if (p->start <= b->end && b->start <= p->end)
        taken.push_back({p->offset, p->offset + p->bytes});
    std::sort(taken.begin(), taken.end());
    int64_t offset = 0;
    for (auto [lo, hi] : taken) {
      if (offset + b->bytes <= lo)
        break;
      offset = std::max(offset, (hi + kAlign - 1) / kAlign * kAlign);
    }
    b->offset = offset;
    total = std::max(total, offset + b->bytes);
    placed.push_back(b);
  }
  return (total + kAlign - 1) / kAlign * kAlign;
}

struct PlanMemory : public hebb::impl::HebbPlanMemoryBase<PlanMemory> {
  void runOnOperation() override {
    for (auto fn : getOperation().getOps<func::FuncOp>())
      if (!fn.isExternal())
        plan(fn);
  }

  /// Every function gets the scratch argument (possibly 0 bytes), so
  /// callers append it unconditionally.
  void plan(func::FuncOp fn) {
    Block &block = fn.getBody().front();
    bool single = fn.getBody().hasOneBlock();
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t i = 0;
    for (Operation &op : block)
      position[&op] = i++;
    std::vector<Buffer> buffers;
    for (auto alloc : block.getOps<memref::AllocOp>()) {
      if (!single)
        break;
      MemRefType type = alloc.getType();
      if (!type.hasStaticShape() || !type.getLayout().isIdentity() ||
          !alloc.getDynamicSizes().empty() ||
          !alloc.getSymbolOperands().empty() || type.getMemorySpace())
        continue;
      // i1 (masks) occupies a byte per element in memory, as LLVM stores it.
      unsigned bits = type.getElementTypeBitWidth();
      if (bits == 1)
        bits = 8;
      if (bits % 8)
        continue;
      Buffer b;
      b.alloc = alloc;
      b.bytes = type.getNumElements() * (bits / 8);
      b.start = position[alloc];
      b.end = lastUse(alloc, block, position);
      if (b.end < 0)
        continue;
      buffers.push_back(b);
    }

    int64_t total = place(buffers);
    MLIRContext *ctx = fn.getContext();
    auto scratchType = MemRefType::get({total}, IntegerType::get(ctx, 8));
    fn.insertArgument(fn.getNumArguments(), scratchType, {}, fn.getLoc());
    Value scratch = block.getArguments().back();
    for (Buffer &b : buffers) {
      OpBuilder builder(b.alloc);
      Value offset =
          builder.create<arith::ConstantIndexOp>(b.alloc.getLoc(), b.offset);
      Value view = builder.create<memref::ViewOp>(
          b.alloc.getLoc(), b.alloc.getType(), scratch, offset, ValueRange{});
      for (Operation *user : llvm::make_early_inc_range(b.alloc->getUsers()))
        if (isa<memref::DeallocOp>(user))
          user->erase();
      b.alloc.replaceAllUsesWith(view);
      b.alloc.erase();
    }
    Builder attrs(ctx);
    fn->setAttr("passthrough",
                attrs.getArrayAttr({attrs.getArrayAttr(
                    {attrs.getStringAttr("hebb-scratch-bytes"),
                     attrs.getStringAttr(std::to_string(total))})}));
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createPlanMemoryPass() {
  return std::make_unique<PlanMemory>();
}
