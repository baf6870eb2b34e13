//===- LaunchToLoops.cpp - a gpu.launch run by the CPU --------------------===//
//
/// Each gpu.launch becomes two scf.for loops, blocks outside and threads
/// inside, around a copy of its body in which the block and thread ids
/// are the loops' indices (y and z are 0; sizes are the launch's). The
/// program then runs on the CPU: what hebb-map-to-gpu computed for each
/// thread (the guard, the delinearised indices, the reduction loops) is
/// checked against the reference evaluator without a GPU. What only a GPU
/// can show - barriers, shared-memory races, the PTX itself - is not.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/ptx/KernelBuilder.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBLAUNCHTOLOOPS
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

LogicalResult toLoops(gpu::LaunchOp launch) {
  Block &body = launch.getBody().front();
  if (launch.getBody().getBlocks().size() != 1)
    return launch.emitError("hebb-launch-to-loops: a launch body of one "
                            "block was expected");
  OpBuilder b(launch);
  Location loc = launch.getLoc();
  Value zero = b.create<arith::ConstantIndexOp>(loc, 0);
  Value one = b.create<arith::ConstantIndexOp>(loc, 1);
  auto blocks = b.create<scf::ForOp>(loc, zero, launch.getGridSizeX(), one);
  b.setInsertionPointToStart(blocks.getBody());
  auto threads = b.create<scf::ForOp>(loc, zero, launch.getBlockSizeX(), one);
  b.setInsertionPointToStart(threads.getBody());
  IRMapping map;
  gpu::KernelDim3 blockIds = launch.getBlockIds(),
                  threadIds = launch.getThreadIds();
  map.map(blockIds.x, blocks.getInductionVar());
  map.map(threadIds.x, threads.getInductionVar());
  for (Value v : {blockIds.y, blockIds.z, threadIds.y, threadIds.z})
    map.map(v, zero);
  hebb::ptx::mapLaunchSizes(map, launch);
  for (Operation &op : body.without_terminator())
    b.clone(op, map);
  launch.erase();
  return success();
}

struct LaunchToLoops : public hebb::impl::HebbLaunchToLoopsBase<LaunchToLoops> {
  void runOnOperation() override {
    SmallVector<gpu::LaunchOp> launches;
    getOperation().walk([&](gpu::LaunchOp op) { launches.push_back(op); });
    for (gpu::LaunchOp launch : launches)
      if (failed(toLoops(launch)))
        return signalPassFailure();
    getOperation()->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createLaunchToLoopsPass() {
  return std::make_unique<LaunchToLoops>();
}
