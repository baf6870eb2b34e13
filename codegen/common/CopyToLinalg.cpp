//===- CopyToLinalg.cpp - memref.copy as linalg.copy ----------------------===//
//
// Bufferization inserts memref.copy (e.g. into out-parameters); between
// strided buffers it would lower to a runtime call. As linalg.copy it
// lowers to loops with the rest of the program.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBCOPYTOLINALG
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {
struct CopyToLinalg : public hebb::impl::HebbCopyToLinalgBase<CopyToLinalg> {
  void runOnOperation() override {
    SmallVector<memref::CopyOp> copies;
    getOperation().walk([&](memref::CopyOp op) { copies.push_back(op); });
    for (memref::CopyOp op : copies) {
      OpBuilder b(op);
      b.create<linalg::CopyOp>(op.getLoc(), op.getSource(), op.getTarget());
      op.erase();
    }
  }
};
} // namespace

std::unique_ptr<Pass> hebb::createCopyToLinalgPass() {
  return std::make_unique<CopyToLinalg>();
}
