//===- CompileCommand.cpp - hebb compile ----------------------------------===//
//
// Stops the pipeline at any stage and prints or writes it:
//   mlir    the hebb dialect as the frontend built it
//   grad    plus @grad, the symbolic gradient of @loss (canonicalised)
//   train   plus @train_step: forward, loss, backward and update
//   linalg  after lowering to linalg on tensors (and fusion)
//   llvm    optimised LLVM IR for the target CPU (vectorised loops)
//   asm     target assembly
//   obj     a relocatable object exporting NAME_descriptor (ahead of time)
//   header  the C header for that object
//
//===----------------------------------------------------------------------===//

#include "tools/hebb/Aot.h"
#include "tools/hebb/Commands.h"
#include "tools/hebb/Link.h"
#include "tools/hebb/Session.h"

#include "codegen/Compiler.h"
#include "passes/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"

#include <chrono>
#include <set>
#include <unistd.h>
#include <iostream>

namespace hebb::tool {

static const char *kCompileHelp = R"(usage: hebb compile MODEL.json --emit=KIND [-o FILE] [options]

Compiles MODEL and prints (or writes to FILE) one stage of the pipeline.

kinds:
  mlir     the hebb dialect (function @forward, and @loss with training)
  grad     adds @grad: the gradient of the loss, canonicalised (needs training)
  train    adds @train_step: the whole training step (needs training)
  linalg   linalg/tensor IR after lowering and fusion
  llvm     optimised LLVM IR for the target CPU
  asm      assembly for the target CPU
  obj      an ELF object exporting one symbol, NAME_descriptor: the model's
           entries (infer; eval and train_step with training) for libhebbrt
  header   the C header declaring NAME_create, NAME_infer, NAME_train_step, ...
  so       a shared library (the object linked with libhebbrt by cc)
  exe      a standalone program: `PROG train|eval|run` with the flags of
           hebb train/eval/run (linked with libhebbdriver by cc)
  obj,header,so,exe  several: -o out/NAME writes out/NAME.o, .h, .so and
           the program out/NAME

options:
  -o, --output FILE   where to write (default: standard output, text only)
  --batch N           batch size (default: the model's batch_size, else 1)
  --cpu NAME          native (default), x86-64-v3, x86-64-v4
  --embed-weights W   put the parameters in W (safetensors) into the object's
                      read-only data: contexts start from them
  --name NAME         the C prefix of the object's symbols and header
                      (default: the model's "name")
  --time              print the compile time to standard error

examples:
  hebb compile samples/mnist_mlp.json --emit=mlir
  hebb compile samples/mnist_mlp.json --emit=llvm | grep '<16 x float>'
  hebb compile samples/xor_train.json --emit=obj,header -o out/xor_train
)";

namespace {
std::unique_ptr<llvm::ToolOutputFile> openOutput(const std::string &path,
                                                 bool binary) {
  std::error_code ec;
  auto out = std::make_unique<llvm::ToolOutputFile>(
      path, ec, binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (ec)
    throw UsageError(path + ": cannot write: " + ec.message());
  return out;
}
} // namespace

int compileCommand(int argc, char **argv) {
  for (int i = 2; i < argc; ++i)
    if (std::string(argv[i]) == "-o")
      argv[i] = const_cast<char *>("--output");
  Args args(argc, argv, 2,
            {{"emit", true}, {"output", true}, {"batch", true}, {"cpu", true},
             {"name", true},         {"embed-weights", true},
             {"time", false}, {"help", false}});
  if (args.has("help")) {
    std::cout << kCompileHelp;
    return 0;
  }
  if (args.positional.size() != 1)
    throw UsageError("hebb compile needs exactly one model file (see --help)");
  std::string emit = args.get("emit", "mlir");
  // One stage, or a comma-separated set of artifacts (obj, header, so).
  std::set<std::string> artifacts;
  bool aot = true;
  for (llvm::StringRef k : llvm::split(llvm::StringRef(emit), ',')) {
    if (k == "obj" || k == "header" || k == "so" || k == "exe")
      artifacts.insert(k.str());
    else
      aot = false;
  }
  const std::vector<std::string> stages = {"mlir", "grad",  "train",
                                           "linalg", "llvm", "asm"};
  if (!aot && std::find(stages.begin(), stages.end(), emit) == stages.end())
    throw UsageError("--emit=" + emit + ": expected one of mlir, grad, train, "
                     "linalg, llvm, asm, or a list of obj, header, so, exe");
  std::string outPath = args.get("output", "-");
  bool several = artifacts.size() > 1;
  if (aot && outPath != "-") {
    llvm::StringRef parent = llvm::sys::path::parent_path(outPath);
    if (!parent.empty() && llvm::sys::fs::create_directories(parent))
      throw UsageError(outPath + ": cannot create its directory");
  }
  if (aot && (artifacts.count("obj") || artifacts.count("so") ||
              artifacts.count("exe")) && outPath == "-")
    throw UsageError("--emit=" + emit + " needs -o FILE");
  if (args.has("embed-weights") && !aot)
    throw UsageError("--embed-weights goes with --emit=obj");

  auto start = std::chrono::steady_clock::now();
  Session session;
  int64_t batch = args.integer("batch", 0, 1, frontend::kMaxElements);
  frontend::Model model = session.load(args.positional[0], batch);
  if (args.has("name")) {
    std::string name = args.get("name");
    bool ok = !name.empty() && name.size() <= 64 &&
              !std::isdigit((unsigned char)name[0]);
    for (char c : name)
      ok = ok && (std::isalnum((unsigned char)c) || c == '_');
    if (!ok)
      throw UsageError("--name " + name + ": expected a C identifier of at "
                       "most 64 characters");
    model.name = name;
  }
  mlir::ModuleOp module = *model.module;
  if (aot) {
    cpu::TargetOptions target;
    target.cpu = args.get("cpu", "native");
    auto tm = cpu::createTargetMachine(target);
    if (!tm)
      throw UsageError(llvm::toString(tm.takeError()));
    AotArtifact artifact =
        buildAot(model, **tm, target.optLevel, args.get("embed-weights"));
    auto path = [&](const char *ext) {
      return several ? outPath + ext : outPath;
    };
    std::string objPath = artifacts.count("obj") ? path(".o") : "";
    std::vector<llvm::SmallString<128>> temps;
    auto temporary = [&](const char *suffix) {
      int fd;
      temps.emplace_back();
      if (llvm::sys::fs::createTemporaryFile("hebb", suffix, fd, temps.back()))
        throw UsageError("cannot create a temporary file");
      ::close(fd);
      return std::string(temps.back());
    };
    auto writeObject = [&](llvm::Module &module, const std::string &file) {
      auto obj = openOutput(file, true);
      if (llvm::Error e = cpu::emitCode(module, **tm, llvm::CGFT_ObjectFile,
                                        obj->os()))
        throw UsageError(llvm::toString(std::move(e)));
      obj->keep();
    };
    if ((artifacts.count("so") || artifacts.count("exe")) && objPath.empty())
      objPath = temporary("o");
    if (!objPath.empty())
      writeObject(*artifact.llvm.module, objPath);
    if (artifacts.count("so"))
      linkSharedLibrary(objPath, path(".so"));
    if (artifacts.count("exe")) {
      auto main = buildDriverMain(model.name, *artifact.llvm.context, **tm);
      std::string mainObj = temporary("o");
      writeObject(*main, mainObj);
      linkExecutable({objPath, mainObj}, several ? outPath : outPath);
    }
    for (auto &t : temps)
      llvm::sys::fs::remove(t);
    if (artifacts.count("header")) {
      auto h = openOutput(path(".h"), false);
      h->os() << artifact.header;
      h->keep();
    }
  }
  auto out = aot ? nullptr : openOutput(outPath, false);
  if (aot) {
  } else if (emit == "grad" || emit == "train") {
    auto loss = module.lookupSymbol<mlir::func::FuncOp>("loss");
    if (!loss)
      throw UsageError(model.path + ": --emit=" + emit +
                       " needs a \"training\" section");
    auto grad = differentiate(loss, "grad");
    if (mlir::failed(grad) ||
        (emit == "train" && mlir::failed(buildTrainStep(loss, *grad))))
      throw UsageError(model.path + ": cannot build the gradient");
    mlir::PassManager pm(module.getContext());
    pm.addPass(mlir::createCanonicalizerPass());
    pm.addPass(mlir::createCSEPass());
    if (mlir::failed(pm.run(module)))
      throw UsageError(model.path + ": canonicalisation failed");
    module.print(out->os());
  } else if (emit == "mlir" || emit == "linalg") {
    if (emit == "linalg")
      if (llvm::Error e = lowerModule(module, Stage::Linalg))
        throw UsageError(model.path + ": " + llvm::toString(std::move(e)));
    module.print(out->os());
  } else {
    module.walk([&](mlir::func::FuncOp fn) {
      fn.setSymName(model.name + "_" + fn.getSymName().str());
    });
    cpu::TargetOptions target;
    target.cpu = args.get("cpu", "native");
    auto tm = cpu::createTargetMachine(target);
    if (!tm)
      throw UsageError(llvm::toString(tm.takeError()));
    auto artifact = compileToLLVM(module, **tm, target.optLevel);
    if (!artifact)
      throw UsageError(model.path + ": " +
                       llvm::toString(artifact.takeError()));
    if (emit == "llvm") {
      artifact->module->print(out->os(), nullptr);
    } else {
      if (llvm::Error e = cpu::emitCode(*artifact->module, **tm,
                                        llvm::CGFT_AssemblyFile, out->os()))
        throw UsageError(llvm::toString(std::move(e)));
    }
  }
  if (out)
    out->keep();
  if (args.has("time")) {
    double ms = std::chrono::duration<double, std::milli>(
                    std::chrono::steady_clock::now() - start)
                    .count();
    std::cerr << "compile time: " << ms << " ms\n";
  }
  return 0;
}

} // namespace hebb::tool
