//===- fuzz_model.cpp - JSON model files through the frontend -------------===//
//
// A model file is read, validated and built into hebb IR (both forms, the
// training section): every input must give a model or one error.
//
//===----------------------------------------------------------------------===//

#include "FuzzFile.h"

#include "codegen/Compiler.h"
#include "frontend/Model.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  static std::unique_ptr<mlir::MLIRContext> ctx = hebb::createCompilerContext();
  std::string path = hebb::fuzz::asFile(data, size, ".json");
  auto model = hebb::frontend::loadModel(path, *ctx);
  if (!model)
    llvm::consumeError(model.takeError());
  return 0;
}
