//===- LowerLaunches.cpp - gpu.launch_func as libhebbrt calls -------------===//
//
/// After hebb-serialize-to-ptx, for each gpu.launch_func:
///   1. The kernel's parameters as convert-gpu-to-nvvm laid them out: for a
///      memref, its allocated and aligned pointers (both the aligned one:
///      kernels read only that; see alignedPointer), offset, sizes and
///      strides; for a scalar,
///      its bits. Each is a 64-bit slot of a stack array (memref.alloca),
///      a 4-byte scalar in the low half (the driver reads as many bytes as
///      the parameter has, from the slot's start: little-endian).
///   2. A call of hebb_cuda_launch(ptx, kernel name, grid x/y/z, block
///      x/y/z, slots, slot count), addresses as index; the PTX text and
///      the name are constant globals, NUL-terminated. libhebbrt loads a
///      PTX text once and looks a name up once (keyed by their addresses).
/// The gpu.module ops are erased: their PTX is in the host module now.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/ptx/KernelBuilder.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/IR/BuiltinAttributes.h"

namespace hebb {
#define GEN_PASS_DEF_HEBBLOWERLAUNCHES
#include "codegen/Passes.h.inc"
} // namespace hebb

using namespace mlir;

namespace {

/// A constant NUL-terminated string as a memref<Nxi8> global.
memref::GlobalOp stringGlobal(ModuleOp module, StringRef name, StringRef text) {
  std::string bytes = text.str();
  if (bytes.empty() || bytes.back() != '\0')
    bytes.push_back('\0');
  OpBuilder b = OpBuilder::atBlockBegin(module.getBody());
  auto type = MemRefType::get({(int64_t)bytes.size()}, b.getI8Type());
  auto value = DenseElementsAttr::getFromRawBuffer(
      RankedTensorType::get(type.getShape(), b.getI8Type()),
      ArrayRef<char>(bytes.data(), bytes.size()));
  auto global = b.create<memref::GlobalOp>(
      module.getLoc(), name, b.getStringAttr("private"), type, value,
      /*constant=*/true, /*alignment=*/b.getI64IntegerAttr(64));
  SymbolTable(module).insert(global);
  return global;
}

/// The aligned pointer of `v` as an index. expand-strided-metadata would
/// read a memref.view's pointer as its source's, dropping the view's byte
/// shift (a view has offset 0 and the shift in its pointer), so views are
/// walked here: through a memref.view the shift is added; through the
/// other view-like ops (subview, reshapes, casts) the pointer is the
/// source's and the offset carries the rest.
Value alignedPointer(OpBuilder &b, Location loc, Value v) {
  if (auto view = v.getDefiningOp<memref::ViewOp>())
    return b.create<arith::AddIOp>(
        loc, alignedPointer(b, loc, view.getSource()), view.getByteShift());
  Operation *def = v.getDefiningOp();
  if (hebb::ptx::keepsSourcePointer(def))
    return alignedPointer(b, loc, def->getOperand(0));
  return b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, v);
}

/// Step 1: one i64 per kernel parameter, in order.
SmallVector<Value> parameterSlots(OpBuilder &b, Location loc,
                                  ValueRange operands) {
  Type i64 = b.getI64Type();
  auto asI64 = [&](Value v) -> Value {
    Type t = v.getType();
    if (t.isIndex())
      return b.create<arith::IndexCastOp>(loc, i64, v);
    if (auto f = t.dyn_cast<FloatType>())
      v = b.create<arith::BitcastOp>(loc, b.getIntegerType(f.getWidth()), v);
    if (v.getType().getIntOrFloatBitWidth() < 64)
      return b.create<arith::ExtUIOp>(loc, i64, v);
    return v;
  };
  SmallVector<Value> slots;
  for (Value v : operands) {
    if (!v.getType().isa<MemRefType>()) {
      slots.push_back(asI64(v));
      continue;
    }
    Value ptr = asI64(alignedPointer(b, loc, v));
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, v);
    slots.push_back(ptr);
    slots.push_back(ptr);
    slots.push_back(asI64(meta.getOffset()));
    for (Value s : meta.getSizes())
      slots.push_back(asI64(s));
    for (Value s : meta.getStrides())
      slots.push_back(asI64(s));
  }
  return slots;
}

struct LowerLaunches : public hebb::impl::HebbLowerLaunchesBase<LowerLaunches> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    std::string annotation = gpu::getDefaultGpuBinaryAnnotation();
    llvm::StringMap<memref::GlobalOp> ptx, names;
    for (auto kernels : module.getOps<gpu::GPUModuleOp>()) {
      auto text = kernels->getAttrOfType<StringAttr>(annotation);
      if (!text) {
        kernels.emitError("hebb-lower-launches: no PTX (run "
                          "hebb-serialize-to-ptx first)");
        return signalPassFailure();
      }
      ptx[kernels.getName()] = stringGlobal(
          module, (kernels.getName() + "_ptx").str(), text.getValue());
    }
    Type i64 = IntegerType::get(ctx, 64);
    OpBuilder top = OpBuilder::atBlockEnd(module.getBody());
    // Addresses travel as index: one signature for every launch.
    SmallVector<Type> params(10, top.getIndexType());
    auto launchFn =
        top.create<func::FuncOp>(module.getLoc(), hebb::kCudaLaunchSymbol,
                                 FunctionType::get(ctx, params, {}));
    launchFn.setPrivate();
    SmallVector<gpu::LaunchFuncOp> launches;
    module.walk([&](gpu::LaunchFuncOp op) { launches.push_back(op); });
    for (gpu::LaunchFuncOp op : launches) {
      OpBuilder b(op);
      Location loc = op.getLoc();
      std::string key = (op.getKernelModuleName().getValue() + "." +
                         op.getKernelName().getValue())
                            .str();
      memref::GlobalOp &name = names[key];
      if (!name)
        name =
            stringGlobal(module, key + "_name", op.getKernelName().getValue());
      memref::GlobalOp text = ptx.lookup(op.getKernelModuleName().getValue());
      auto address = [&](Value memref) -> Value {
        return b.create<memref::ExtractAlignedPointerAsIndexOp>(loc, memref);
      };
      auto get = [&](memref::GlobalOp g) -> Value {
        return address(
            b.create<memref::GetGlobalOp>(loc, g.getType(), g.getName()));
      };
      SmallVector<Value> slots = parameterSlots(b, loc, op.getKernelOperands());
      auto array = b.create<memref::AllocaOp>(
          loc, MemRefType::get({(int64_t)slots.size()}, i64));
      for (auto [i, v] : llvm::enumerate(slots))
        b.create<memref::StoreOp>(
            loc, v, array,
            ValueRange{b.create<arith::ConstantIndexOp>(loc, i)});
      gpu::KernelDim3 grid = op.getGridSizeOperandValues(),
                      block = op.getBlockSizeOperandValues();
      b.create<func::CallOp>(
          loc, launchFn,
          ValueRange{get(text), get(name), grid.x, grid.y, grid.z, block.x,
                     block.y, block.z, address(array),
                     b.create<arith::ConstantIndexOp>(loc, slots.size())});
      op.erase();
    }
    for (auto kernels :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>()))
      kernels.erase();
    // Shared-memory globals belong to the kernels, not the host.
    for (auto global :
         llvm::make_early_inc_range(module.getOps<memref::GlobalOp>()))
      if (global.getType().getMemorySpaceAsInt() != 0)
        global.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};

} // namespace

std::unique_ptr<Pass> hebb::createLowerLaunchesPass() {
  return std::make_unique<LowerLaunches>();
}
