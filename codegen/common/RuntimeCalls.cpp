//===- RuntimeCalls.cpp - calling libhebbrt kernels from buffers ----------===//

#include "codegen/common/RuntimeCalls.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"

using namespace mlir;

Value hebb::bufferAddress(OpBuilder &b, Location loc, Value buffer) {
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, buffer);
  Value four = b.create<arith::ConstantIndexOp>(loc, sizeof(float));
  Value bytes = b.create<arith::MulIOp>(loc, meta.getOffset(), four);
  // memref.view (a planned temporary) shifts by bytes outside the strided
  // metadata, and MLIR 16 resolves the aligned pointer of a view - or of a
  // reshape or subview of one - to the view's source: take the source's
  // pointer and add the shift explicitly.
  Value root = buffer;
  while (Operation *def = root.getDefiningOp()) {
    if (!isa<memref::CollapseShapeOp, memref::ExpandShapeOp, memref::SubViewOp>(
            def))
      break;
    root = def->getOperand(0);
  }
  Value base;
  if (auto view = root.getDefiningOp<memref::ViewOp>()) {
    base = b.create<arith::AddIOp>(
        loc,
        b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, view.getSource()),
        view.getByteShift());
  } else {
    base = b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, buffer);
  }
  return b.create<arith::AddIOp>(loc, base, bytes);
}

linalg::FillOp hebb::zeroFillBefore(Operation *op, Value buffer) {
  auto fill = dyn_cast_or_null<linalg::FillOp>(op->getPrevNode());
  if (!fill || fill.getDpsInitOperand(0)->get() != buffer)
    return {};
  auto cst =
      fill.getDpsInputOperand(0)->get().getDefiningOp<arith::ConstantOp>();
  auto value = cst ? cst.getValue().dyn_cast<FloatAttr>() : FloatAttr();
  if (!value || !value.getValue().isZero())
    return {};
  return fill;
}

func::FuncOp hebb::declareRuntimeFunction(ModuleOp module, StringRef name,
                                          FunctionType type) {
  if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
    if (existing.getFunctionType() == type && existing.isExternal())
      return existing;
    module.emitError() << "symbol '" << name
                       << "' is taken by a function of another type";
    return {};
  }
  OpBuilder b = OpBuilder::atBlockEnd(module.getBody());
  auto fn = b.create<func::FuncOp>(module.getLoc(), name, type);
  fn.setPrivate();
  return fn;
}

bool hebb::isContiguous(Value v, int64_t rank, bool f32) {
  auto t = v.getType().dyn_cast<MemRefType>();
  Type element = t ? t.getElementType() : Type();
  return t && t.getRank() == rank &&
         (f32 ? element.isF32() : element.isSignlessInteger(32)) &&
         t.hasStaticShape() && t.getLayout().isIdentity();
}
