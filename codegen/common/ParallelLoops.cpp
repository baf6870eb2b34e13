//===- ParallelLoops.cpp - loop nests split over threads at run time ------===//
//
/// The algorithm, for each linalg op on buffers in a function body:
///   1. Keep ops whose loop ranges are static, whose outermost loop is
///      parallel (its iterations write disjoint outputs and read no output
///      another writes) and whose work - iterations times the body's
///      operations - reaches min-work.
///   2. Outline the op (its buffers and scalars as arguments) into
///      `<fn>__task<i>`, with two trailing index arguments lo and hi, and
///      call it with 0 and the outer extent.
///   3. In the task, lower the op to loops and bound the outermost one by
///      [lo, hi). The task carries `hebb.parallel = [extent, grain, work]`;
///      hebb-launch-tasks turns its calls into hebb_parallel_for calls.
/// A one-loop nest gets a grain of 64 iterations, so a thread's range
/// starts where the vectorised body would: every element goes through the
/// same instructions whatever the thread count.
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

/// Step 1: the op's work, or 0 when it cannot be split.
int64_t splittableWork(linalg::LinalgOp op) {
  if (op->getNumResults() != 0 || op.getNumLoops() == 0 ||
      !linalg::isParallelIterator(op.getIteratorTypesArray().front()))
    return 0;
  int64_t iterations = 1;
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  for (int64_t r : ranges) {
    if (ShapedType::isDynamic(r))
      return 0;
    iterations *= r;
  }
  if (ranges.front() < 2)
    return 0;
  int64_t body = 1;
  op->walk([&](Operation *inner) { body += inner != op.getOperation(); });
  return iterations * body;
}

/// linalgOpToLoops takes a pattern rewriter; outside a pattern, this one.
struct TaskRewriter : public PatternRewriter {
  explicit TaskRewriter(MLIRContext *ctx) : PatternRewriter(ctx) {}
};

/// Step 3: the task's op as loops, the outermost bounded by [lo, hi).
LogicalResult boundOuterLoop(hebb::Outlined task) {
  TaskRewriter rewriter(task.body->getContext());
  rewriter.setInsertionPoint(task.body);
  FailureOr<linalg::LinalgLoops> loops =
      linalg::linalgOpToLoops(rewriter, cast<linalg::LinalgOp>(task.body));
  if (failed(loops) || loops->empty())
    return failure();
  auto outer = cast<scf::ForOp>(loops->front());
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
      SmallVector<std::pair<linalg::LinalgOp, int64_t>> ops;
      fn.walk([&](linalg::LinalgOp op) {
        if (int64_t work = splittableWork(op); work >= int64_t(minWork))
          ops.push_back({op, work});
      });
      for (auto [i, entry] : llvm::enumerate(ops))
        if (failed(split(fn, entry.first, entry.second, i)))
          return signalPassFailure();
    }
  }

  LogicalResult split(func::FuncOp fn, linalg::LinalgOp op, int64_t work,
                      unsigned index) {
    OpBuilder b(op);
    int64_t extent = op.getStaticLoopRanges().front();
    Value lo = b.create<arith::ConstantIndexOp>(op.getLoc(), 0);
    Value hi = b.create<arith::ConstantIndexOp>(op.getLoc(), extent);
    int64_t grain = op.getNumLoops() == 1 ? 64 : 1;
    std::optional<hebb::Outlined> task = hebb::outlineToFunction(
        fn, op, (fn.getSymName() + "__task" + Twine(index)).str(), {lo, hi});
    if (!task)
      return success();
    task->callee->setAttr(hebb::kParallelAttr,
                          b.getDenseI64ArrayAttr({extent, grain, work}));
    if (failed(boundOuterLoop(*task)))
      return task->callee.emitError("cannot lower the loop nest to loops");
    return success();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createParallelLoopsPass() {
  return std::make_unique<ParallelLoops>();
}
