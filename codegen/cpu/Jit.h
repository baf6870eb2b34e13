//===- Jit.h - run compiled code in process ---------------------*- C++ -*-===//
//
/// \file
/// An LLJIT over the same optimised llvm::Module the object emitter writes,
/// so the code run in process is the code users link.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_CODEGEN_CPU_JIT_H
#define HEBB_CODEGEN_CPU_JIT_H

#include "codegen/cpu/Target.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/ExecutionEngine/Orc/LLJIT.h"
#include <cstdlib>
#include <memory>

namespace hebb::cpu {

class JitModule {
public:
  /// JIT-compiles `module` (which must carry packed wrappers). Machine code
  /// for every packed entry is generated here, not on the first call, so
  /// callers can time calls without compilation inside.
  static llvm::Expected<std::unique_ptr<JitModule>>
  create(std::unique_ptr<llvm::Module> module,
         std::unique_ptr<llvm::LLVMContext> context,
         const TargetOptions &options);

  /// Calls function `name` with one data pointer per argument and result;
  /// the entry's scratch (its temporaries) is this module's, so one
  /// JitModule runs one call at a time.
  llvm::Error invoke(llvm::StringRef name, llvm::ArrayRef<void *> pointers);

  using Entry = void (*)(void **);
  /// The packed entry `name` (arguments, results, then a scratch pointer)
  /// and its scratch size in bytes, for callers that manage the scratch
  /// themselves (a hebb_model_desc); null if there is no such entry.
  Entry entry(llvm::StringRef name, uint64_t *scratchBytes) const;

private:
  std::unique_ptr<llvm::orc::LLJIT> jit;
  struct Compiled {
    Entry fn;
    uint64_t scratchBytes = 0;
    std::unique_ptr<char, void (*)(void *)> scratch{nullptr, std::free};
  };
  llvm::StringMap<Compiled> entries;
};

} // namespace hebb::cpu

#endif // HEBB_CODEGEN_CPU_JIT_H
