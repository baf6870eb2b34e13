//===- KernelBuilder.h - index arithmetic and shared memory for kernels -*- C++
//-*-===//
//
/// \file
/// What the kernels hebb-map-to-gpu writes by hand (tiled products, block
/// reductions) share: index arithmetic on `index` values, loop points of a
/// linalg op delinearised from a linear id, and shared-memory buffers as
/// module globals in address space 3 (MLIR 16's gpu.launch has no
/// workgroup attributions; outlining copies a global into the kernel's
/// module).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_PTX_KERNELBUILDER_H
#define HEBB_CODEGEN_PTX_KERNELBUILDER_H

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"

namespace hebb::ptx {

struct KernelBuilder {
  mlir::OpBuilder &b;
  mlir::Location loc;

  mlir::Value c(int64_t v) {
    return b.create<mlir::arith::ConstantIndexOp>(loc, v);
  }
  mlir::Value add(mlir::Value x, mlir::Value y) {
    return b.create<mlir::arith::AddIOp>(loc, x, y);
  }
  mlir::Value mul(mlir::Value x, mlir::Value y) {
    return b.create<mlir::arith::MulIOp>(loc, x, y);
  }
  mlir::Value div(mlir::Value x, int64_t y) {
    return b.create<mlir::arith::DivUIOp>(loc, x, c(y));
  }
  mlir::Value rem(mlir::Value x, int64_t y) {
    return b.create<mlir::arith::RemUIOp>(loc, x, c(y));
  }
  mlir::Value lt(mlir::Value x, int64_t y) {
    return b.create<mlir::arith::CmpIOp>(loc, mlir::arith::CmpIPredicate::ult,
                                         x, c(y));
  }

  /// The loop indices of `dims` of `op` for the linear index `linear` (the
  /// last of `dims` fastest), written into `loop`.
  void delinearize(mlir::linalg::LinalgOp op, llvm::ArrayRef<unsigned> dims,
                   mlir::Value linear,
                   llvm::SmallVectorImpl<mlir::Value> &loop) {
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    for (unsigned d : llvm::reverse(dims)) {
      loop[d] = rem(linear, ranges[d]);
      linear = div(linear, ranges[d]);
    }
  }

  /// The indices of `operand` (a projected permutation) at loop point
  /// `loop`.
  llvm::SmallVector<mlir::Value> indices(mlir::linalg::LinalgOp op,
                                         mlir::OpOperand *operand,
                                         llvm::ArrayRef<mlir::Value> loop) {
    llvm::SmallVector<mlir::Value> out;
    for (mlir::AffineExpr e : op.getMatchingIndexingMap(operand).getResults())
      out.push_back(loop[e.cast<mlir::AffineDimExpr>().getPosition()]);
    return out;
  }

  /// A shared-memory buffer of `shape` (f32 unless `element` says) named
  /// `name` (created in `module` the first time).
  mlir::Value shared(mlir::ModuleOp module, llvm::StringRef name,
                     llvm::ArrayRef<int64_t> shape,
                     mlir::Type element = nullptr) {
    auto type =
        mlir::MemRefType::get(shape, element ? element : b.getF32Type(),
                              mlir::AffineMap(), b.getI64IntegerAttr(3));
    if (!module.lookupSymbol(name)) {
      mlir::OpBuilder top = mlir::OpBuilder::atBlockBegin(module.getBody());
      top.create<mlir::memref::GlobalOp>(
          loc, name, top.getStringAttr("private"), type, mlir::Attribute(),
          /*constant=*/false, top.getI64IntegerAttr(16));
    }
    return b.create<mlir::memref::GetGlobalOp>(loc, type, name);
  }
};

/// Whether `op` is a view whose aligned pointer is its source's (the rest
/// is in its offset): subviews, reshapes and casts, not memref.view (whose
/// byte shift moves the pointer).
inline bool keepsSourcePointer(mlir::Operation *op) {
  return llvm::isa_and_nonnull<
      mlir::memref::SubViewOp, mlir::memref::ExpandShapeOp,
      mlir::memref::CollapseShapeOp, mlir::memref::CastOp,
      mlir::memref::ReinterpretCastOp>(op);
}

/// Maps the block arguments of `launch` that hold its grid and block sizes
/// to the values it was launched with: what a copy of its body outside the
/// launch (joined with another, or run as loops) reads them as.
inline void mapLaunchSizes(mlir::IRMapping &map, mlir::gpu::LaunchOp launch) {
  mlir::gpu::KernelDim3 grid = launch.getGridSize(),
                        size = launch.getBlockSize();
  map.map(grid.x, launch.getGridSizeX());
  map.map(grid.y, launch.getGridSizeY());
  map.map(grid.z, launch.getGridSizeZ());
  map.map(size.x, launch.getBlockSizeX());
  map.map(size.y, launch.getBlockSizeY());
  map.map(size.z, launch.getBlockSizeZ());
}

} // namespace hebb::ptx

#endif // HEBB_CODEGEN_PTX_KERNELBUILDER_H
