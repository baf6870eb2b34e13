//===- hebb-opt.cpp - run hebb passes on textual IR -----------------------===//
//
// MlirOptMain with the hebb dialect, the dialects it lowers to and every
// hebb pass and pipeline registered: the tool behind the lit tests.
//
//===----------------------------------------------------------------------===//

#include "codegen/Passes.h"
#include "codegen/common/Pipeline.h"
#include "ir/HebbDialect.h"
#include "passes/Passes.h"

#include "mlir/InitAllDialects.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  hebb::registerCodegenPasses();
  hebb::registerHebbPasses();
  hebb::registerTrainingPipeline();
  hebb::registerHebbPipelines();
  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  registry.insert<hebb::HebbDialect>();
  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv,
      "hebb-opt: run hebb passes on MLIR text\n\n"
      "  hebb-opt model.mlir -canonicalize\n"
      "  hebb-opt model.mlir -convert-hebb-to-linalg\n"
      "  hebb-opt model.mlir -hebb-autodiff -canonicalize -cse\n"
      "  hebb-opt model.mlir -hebb-lower-to-llvm\n",
      registry));
}
