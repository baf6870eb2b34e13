//===- FuseElementwise.cpp - producer/consumer fusion without recompute ---===//
//
// Upstream linalg elementwise fusion folds an all-parallel producer into any
// consumer generic, including one that reads each produced element many
// times: fusing relu into the matmul that follows recomputes it K times per
// output and hides the matmul from hebb-gemm-to-runtime. Here a producer is
// fused only when the consumer reads every produced element exactly once
// (its indexing map for the operand is a permutation) and nothing else uses
// it, so fusion only ever removes memory traffic.
//
// A producer whose result is also used elsewhere (an optimizer's new state:
// the parameter update reads it and the step returns it), or which has
// several results, joins its consumer as one generic with the results of
// both, where both are elementwise over the same loops: each value is
// computed once, stored once if it is used at all, and never read back.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBFUSEELEMENTWISE
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

bool fusesWithoutRecompute(OpOperand *use) {
  Operation *producer = use->get().getDefiningOp();
  if (!producer || !producer->hasOneUse())
    return false;
  auto consumer = dyn_cast<linalg::GenericOp>(use->getOwner());
  return consumer && consumer.getMatchingIndexingMap(use).isPermutation();
}

bool allParallel(linalg::GenericOp op) {
  return op.getNumLoops() == op.getNumParallelLoops();
}

/// Whether `producer` can join its consumer `consumer` as one generic with
/// the results of both: both elementwise over the same static loops, every
/// result of the producer written at the point that computes it and read
/// by the consumer (an input, any number of them) at that same point, and
/// every other user after the consumer (the joined op takes its place). A
/// single result with a single use is upstream fusion's.
bool joins(linalg::GenericOp producer, linalg::GenericOp consumer) {
  if (!producer || producer->getBlock() != consumer->getBlock() ||
      (producer->getNumResults() == 1 && producer->hasOneUse()) ||
      !allParallel(producer) || !allParallel(consumer) ||
      producer.getStaticLoopRanges() != consumer.getStaticLoopRanges() ||
      ShapedType::isDynamicShape(producer.getStaticLoopRanges()))
    return false;
  for (OpResult r : producer->getResults()) {
    if (!producer.getIndexingMapMatchingResult(r).isIdentity())
      return false;
    for (OpOperand &use : r.getUses()) {
      Operation *user = use.getOwner();
      if (user == consumer) {
        if (consumer.isDpsInit(&use) ||
            !consumer.getMatchingIndexingMap(&use).isIdentity())
          return false;
      } else if (user->getBlock() != consumer->getBlock() ||
                 !consumer->isBeforeInBlock(user)) {
        return false;
      }
    }
  }
  return true;
}

/// The producer's body then the consumer's, the latter reading the values
/// the former yields; one linalg.yield of all results.
void buildJoinedBody(OpBuilder &b, linalg::GenericOp fused,
                     linalg::GenericOp producer, linalg::GenericOp consumer) {
  SmallVector<Type> types;
  SmallVector<Location> locs;
  for (Value v : fused->getOperands()) {
    types.push_back(getElementTypeOrSelf(v.getType()));
    locs.push_back(v.getLoc());
  }
  Block *body = b.createBlock(&fused.getRegion(), {}, types, locs);
  const unsigned pIn = producer.getNumDpsInputs(),
                 nIn = fused.getNumDpsInputs(),
                 pOut = producer.getNumDpsInits();
  IRMapping map;
  Block &pBody = producer.getRegion().front();
  for (unsigned i = 0; i < pIn; ++i)
    map.map(pBody.getArgument(i), body->getArgument(i));
  for (unsigned i = 0; i < pOut; ++i)
    map.map(pBody.getArgument(pIn + i), body->getArgument(nIn + i));
  for (Operation &op : pBody.without_terminator())
    b.clone(op, map);
  SmallVector<Value> yields;
  for (Value v : pBody.getTerminator()->getOperands())
    yields.push_back(map.lookupOrDefault(v));
  Block &cBody = consumer.getRegion().front();
  unsigned next = pIn;
  for (OpOperand *in : consumer.getDpsInputOperands()) {
    auto r = in->get().dyn_cast<OpResult>();
    map.map(cBody.getArgument(in->getOperandNumber()),
            r && r.getOwner() == producer ? yields[r.getResultNumber()]
                                          : body->getArgument(next++));
  }
  for (unsigned i = 0; i < consumer.getNumDpsInits(); ++i)
    map.map(cBody.getArgument(consumer.getNumDpsInputs() + i),
            body->getArgument(nIn + pOut + i));
  for (Operation &op : cBody.without_terminator())
    b.clone(op, map);
  for (Value v : cBody.getTerminator()->getOperands())
    yields.push_back(map.lookupOrDefault(v));
  b.create<linalg::YieldOp>(fused.getLoc(), yields);
}

struct JoinKeepingProducerResults : OpRewritePattern<linalg::GenericOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand *use : consumer.getDpsInputOperands()) {
      auto producer = use->get().getDefiningOp<linalg::GenericOp>();
      if (!joins(producer, consumer))
        continue;
      SmallVector<Value> ins, outs;
      SmallVector<AffineMap> inMaps, outMaps;
      SmallVector<Type> results(producer->getResultTypes());
      llvm::append_range(results, consumer->getResultTypes());
      for (linalg::GenericOp op : {producer, consumer}) {
        for (OpOperand *in : op.getDpsInputOperands())
          if (in->get().getDefiningOp() != producer) {
            ins.push_back(in->get());
            inMaps.push_back(op.getMatchingIndexingMap(in));
          }
        for (OpOperand *out : op.getDpsInitOperands()) {
          outs.push_back(out->get());
          outMaps.push_back(op.getMatchingIndexingMap(out));
        }
      }
      llvm::append_range(inMaps, outMaps);
      rewriter.setInsertionPoint(consumer);
      auto fused = rewriter.create<linalg::GenericOp>(
          consumer.getLoc(), results, ins, outs, inMaps,
          consumer.getIteratorTypesArray());
      OpBuilder::InsertionGuard guard(rewriter);
      buildJoinedBody(rewriter, fused, producer, consumer);
      const unsigned n = producer->getNumResults();
      rewriter.replaceOp(consumer, fused->getResults().drop_front(n));
      rewriter.replaceOp(producer, fused->getResults().take_front(n));
      return success();
    }
    return failure();
  }
};

struct FuseElementwise
    : public hebb::impl::HebbFuseElementwiseBase<FuseElementwise> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    linalg::populateElementwiseOpsFusionPatterns(patterns,
                                                 fusesWithoutRecompute);
    patterns.add<JoinKeepingProducerResults>(&getContext());
    linalg::GenericOp::getCanonicalizationPatterns(patterns, &getContext());
    if (failed(
            applyPatternsAndFoldGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createFuseElementwisePass() {
  return std::make_unique<FuseElementwise>();
}
