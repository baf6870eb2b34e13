//===- ParallelLoops.cpp - loop nests split over threads at run time ------===//
//
/// The algorithm, for each linalg op on buffers in a function body:
///   1. Keep ops whose loop ranges are static, that have a parallel loop of
///      two iterations or more (the first such is split: its iterations
///      write disjoint outputs and read no output another writes) and whose
///      work - iterations times the body's operations - reaches min-work.
///   2. Outline the op (its buffers and scalars as arguments) into
///      `<fn>__task<i>`, with two trailing index arguments lo and hi, and
///      call it with 0 and the split loop's extent.
///   3. In the task, lower the op to loops and bound the split one by
///      [lo, hi). The task carries `hebb.parallel = [extent, grain, work]`;
///      hebb-launch-tasks turns its calls into hebb_parallel_for calls.
/// Each output element is computed by one thread, its reduction loops in
/// their order, so results do not depend on the split. When the split loop
/// is the innermost one, the grain is 64 iterations, so that a thread's
/// range starts where the vectorised body would: every element goes through
/// the same instructions whatever the thread count. A reduction before the
/// split loop (a column sum) is repeated by each thread over its columns.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/Outline.h"
#include "hebb/runtime.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/PatternMatch.h"

namespace hebb {
#define GEN_PASS_DECL_HEBBPARALLELLOOPS
#define GEN_PASS_DEF_HEBBPARALLELLOOPS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// Step 1: the loop to split - the first parallel one with two iterations
/// or more - and the op's work, or nothing when it cannot be split.
std::optional<std::pair<unsigned, int64_t>> splitLoop(linalg::LinalgOp op) {
  if (op->getNumResults() != 0)
    return std::nullopt;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  int64_t iterations = 1;
  for (int64_t r : ranges) {
    if (ShapedType::isDynamic(r))
      return std::nullopt;
    iterations *= r;
  }
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  unsigned dim = 0;
  while (dim < ranges.size() &&
         !(linalg::isParallelIterator(iterators[dim]) && ranges[dim] >= 2))
    ++dim;
  if (dim == ranges.size())
    return std::nullopt;
  int64_t body = 1;
  op->walk([&](Operation *inner) { body += inner != op.getOperation(); });
  return std::make_pair(dim, iterations * body);
}

/// linalgOpToLoops takes a pattern rewriter; outside a pattern, this one.
struct TaskRewriter : public PatternRewriter {
  explicit TaskRewriter(MLIRContext *ctx) : PatternRewriter(ctx) {}
};

/// Step 3: the task's op as loops, loop `dim` bounded by [lo, hi).
LogicalResult boundLoop(hebb::Outlined task, unsigned dim) {
  TaskRewriter rewriter(task.body->getContext());
  rewriter.setInsertionPoint(task.body);
  FailureOr<linalg::LinalgLoops> loops =
      linalg::linalgOpToLoops(rewriter, cast<linalg::LinalgOp>(task.body));
  if (failed(loops) || loops->size() <= dim)
    return failure();
  auto outer = cast<scf::ForOp>((*loops)[dim]);
  Block &entry = task.callee.getBody().front();
  unsigned n = entry.getNumArguments();
  outer.setLowerBound(entry.getArgument(n - 2));
  outer.setUpperBound(entry.getArgument(n - 1));
  rewriter.eraseOp(task.body);
  return success();
}

struct ParallelLoops : public hebb::impl::HebbParallelLoopsBase<ParallelLoops> {
  using HebbParallelLoopsBase::HebbParallelLoopsBase;
  void runOnOperation() override {
    SmallVector<func::FuncOp> functions(getOperation().getOps<func::FuncOp>());
    for (func::FuncOp fn : functions) {
      if (fn.isExternal() || fn->hasAttr(hebb::kParallelAttr))
        continue;
      SmallVector<std::tuple<linalg::LinalgOp, unsigned, int64_t>> ops;
      fn.walk([&](linalg::LinalgOp op) {
        if (auto loop = splitLoop(op); loop && loop->second >= int64_t(minWork))
          ops.push_back({op, loop->first, loop->second});
      });
      for (auto [i, entry] : llvm::enumerate(ops))
        if (failed(split(fn, std::get<0>(entry), std::get<1>(entry),
                         std::get<2>(entry), i)))
          return signalPassFailure();
    }
  }

  LogicalResult split(func::FuncOp fn, linalg::LinalgOp op, unsigned dim,
                      int64_t work, unsigned index) {
    OpBuilder b(op);
    int64_t extent = op.getStaticLoopRanges()[dim];
    Value lo = b.create<arith::ConstantIndexOp>(op.getLoc(), 0);
    Value hi = b.create<arith::ConstantIndexOp>(op.getLoc(), extent);
    int64_t grain = dim + 1 == op.getNumLoops() ? 64 : 1;
    std::optional<hebb::Outlined> task = hebb::outlineToFunction(
        fn, op, (fn.getSymName() + "__task" + Twine(index)).str(), {lo, hi});
    if (!task)
      return success();
    task->callee->setAttr(hebb::kParallelAttr,
                          b.getDenseI64ArrayAttr({extent, grain, work}));
    if (failed(boundLoop(*task, dim)))
      return task->callee.emitError("cannot lower the loop nest to loops");
    return success();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createParallelLoopsPass() {
  return std::make_unique<ParallelLoops>();
}
