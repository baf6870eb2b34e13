//===- CompileCommand.cpp - hebb compile ----------------------------------===//
//
// Stops the pipeline at any stage and prints or writes it:
//   mlir    the hebb dialect as the frontend built it
//   grad    plus @grad, the symbolic gradient of @loss (canonicalised)
//   train   @forward, @eval and @train_step (forward, loss, backward and
//           update) as built for every later stage
//   linalg  after lowering to linalg on tensors (and fusion)
//   llvm    optimised LLVM IR for the target CPU (vectorised loops)
//   asm     target assembly
//   obj     a relocatable object exporting NAME_descriptor (ahead of time)
//   header  the C header for that object
//   so, exe a shared library, a standalone program
// The kinds are one table (kStages, kArtifacts): parsing, --help, errors.
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
#include <iostream>
#include <optional>
#include <set>
#include <unistd.h>

namespace hebb::tool {

namespace {

/// What --emit names: one text stage, or a set of artifacts.
enum class Emit { Mlir, Grad, Train, Linalg, Llvm, Asm, Ptx };

struct EmitKind {
  const char *name;
  Emit stage;
  const char *help;
};

/// The text stages, in pipeline order (one table: parsing, help, errors).
constexpr EmitKind kStages[] = {
    {"mlir", Emit::Mlir,
     "the hebb dialect (function @forward; @eval and @loss with training)"},
    {"grad", Emit::Grad, "adds @grad: the gradient of the loss, canonicalised"},
    {"train", Emit::Train,
     "@forward, @eval and @train_step (forward, loss, backward,\nupdate): "
     "exactly what the later stages compile"},
    {"linalg", Emit::Linalg, "linalg/tensor IR after lowering and fusion"},
    {"llvm", Emit::Llvm, "optimised LLVM IR for the target CPU"},
    {"asm", Emit::Asm, "assembly for the target CPU"},
    {"ptx", Emit::Ptx, "the PTX of the kernels (--target nvptx)"}};

constexpr EmitKind kArtifacts[] = {
    {"obj", Emit::Asm, "an ELF object exporting one symbol, NAME_descriptor"},
    {"header", Emit::Asm,
     "the C header declaring NAME_create, NAME_infer, ..."},
    {"so", Emit::Asm, "a shared library (the object linked with libhebbrt)"},
    {"exe", Emit::Asm,
     "a program: `PROG train|eval|run`, the flags of hebb's"}};

std::string kindList() {
  std::string s;
  for (const EmitKind &k : kStages)
    s += std::string(s.empty() ? "" : ", ") + k.name;
  s += ", or a list of";
  for (const EmitKind &k : kArtifacts)
    s +=
        std::string(" ") + k.name + (&k == std::end(kArtifacts) - 1 ? "" : ",");
  return s;
}

std::vector<flags::Flag> compileFlags() {
  std::string kinds;
  for (const EmitKind &k : kStages)
    kinds += std::string("\n  ") + k.name + ": " + k.help;
  for (const EmitKind &k : kArtifacts)
    kinds += std::string("\n  ") + k.name + ": " + k.help;
  return {{"emit", "KIND", "what to produce (default mlir):" + kinds},
          {"output", "FILE",
           "where to write (default: standard output, text only); with\n"
           "several artifacts, -o out/NAME writes out/NAME.o, .h, .so and\n"
           "the program out/NAME",
           "o"},
          kBatchFlag,
          kCpuFlag,
          kTargetFlag,
          kGpuFlag,
          {"embed-weights", "W",
           "put the parameters in W (safetensors) into the object's\n"
           "read-only data: contexts start from them"},
          {"name", "NAME",
           "the C prefix of the object's symbols and header (default:\n"
           "the model's \"name\")"},
          {"time", "", "print the compile time to standard error"}};
}

const char *kCompileExamples =
    "  hebb compile samples/mnist_mlp.json --emit=mlir\n"
    "  hebb compile samples/xor_train.json --emit=train\n"
    "  hebb compile samples/mnist_mlp.json --emit=llvm | grep '<16 x float>'\n"
    "  hebb compile samples/xor_train.json --emit=obj,header -o "
    "out/xor_train\n"
    "  hebb compile samples/keras_mnist_mlp.json --target nvptx --gpu sm_90 "
    "--emit=ptx\n";

std::unique_ptr<llvm::ToolOutputFile> openOutput(const std::string &path,
                                                 bool binary) {
  std::error_code ec;
  auto out = std::make_unique<llvm::ToolOutputFile>(
      path, ec, binary ? llvm::sys::fs::OF_None : llvm::sys::fs::OF_Text);
  if (ec)
    throw UsageError(path + ": cannot write: " + ec.message());
  return out;
}

struct Request {
  std::optional<Emit> stage; // a text stage, or
  std::set<std::string> artifacts;
  std::string output;
};

Request parseEmit(const flags::Parsed &args) {
  Request r;
  std::string emit = args.get("emit", "mlir");
  r.output = args.get("output", "-");
  for (const EmitKind &k : kStages)
    if (emit == k.name)
      r.stage = k.stage;
  for (llvm::StringRef part : llvm::split(llvm::StringRef(emit), ','))
    for (const EmitKind &k : kArtifacts)
      if (part == k.name)
        r.artifacts.insert(part.str());
  size_t parts = llvm::count(emit, ',') + 1;
  if (!r.stage && r.artifacts.size() != parts)
    throw UsageError("--emit=" + emit + ": expected one of " + kindList());
  if (r.stage && args.has("embed-weights"))
    throw UsageError("--embed-weights goes with --emit=obj");
  bool binary = r.artifacts.count("obj") || r.artifacts.count("so") ||
                r.artifacts.count("exe");
  if (binary && r.output == "-")
    throw UsageError("--emit=" + emit + " needs -o FILE");
  return r;
}

void checkName(const std::string &name) {
  if (!frontend::isModelName(name))
    throw UsageError("--name " + name +
                     ": expected a C identifier of at "
                     "most 64 characters, not starting with \"hebb\"");
}

std::unique_ptr<llvm::TargetMachine> targetMachine(const std::string &cpu,
                                                   unsigned &optLevel) {
  cpu::TargetOptions target;
  target.cpu = cpu;
  optLevel = target.optLevel;
  auto tm = cpu::createTargetMachine(target);
  if (!tm)
    throw UsageError(llvm::toString(tm.takeError()));
  return std::move(*tm);
}

/// Prints @grad: the canonicalised gradient of the training-mode @loss
/// (the first half of the training pipeline).
void printGradient(frontend::Model &model, llvm::raw_ostream &os) {
  mlir::ModuleOp module = *model.module;
  mlir::PassManager pm(module.getContext());
  pm.addPass(createExpandDropout());
  pm.addPass(createBatchNormTrain());
  pm.addPass(createAutodiffPass());
  pm.addPass(mlir::createCanonicalizerPass());
  pm.addPass(mlir::createCSEPass());
  if (mlir::failed(pm.run(module)))
    throw UsageError(model.path + ": cannot build the gradient");
  module.print(os);
}

/// Prints a text stage. From `train` on, a model with a training section
/// goes through buildTrainingProgram, as `hebb train` and AOT do.
void emitStage(frontend::Model &model, Emit stage, const flags::Parsed &args,
               llvm::raw_pwrite_stream &os) {
  mlir::ModuleOp module = *model.module;
  if ((stage == Emit::Grad || stage == Emit::Train) && !model.training.present)
    throw UsageError(model.path + ": --emit=" + args.get("emit") +
                     " needs a \"training\" section");
  if (stage == Emit::Mlir)
    return module.print(os);
  if (stage == Emit::Grad)
    return printGradient(model, os);
  if (model.training.present)
    buildTrainingProgram(model);
  if (stage == Emit::Train)
    return module.print(os);
  if (stage == Emit::Linalg) {
    if (llvm::Error e = lowerModule(module, Stage::Linalg))
      throw UsageError(model.path + ": " + llvm::toString(std::move(e)));
    return module.print(os);
  }
  module.walk([&](mlir::func::FuncOp fn) {
    fn.setSymName(model.name + "_" + fn.getSymName().str());
  });
  std::string gpu = gpuTarget(args);
  if (stage == Emit::Ptx) {
    if (gpu.empty())
      throw UsageError("--emit=ptx needs --target nvptx");
    auto ptx = compileToPtx(module, gpu);
    if (!ptx)
      throw UsageError(model.path + ": " + llvm::toString(ptx.takeError()));
    os << *ptx;
    return;
  }
  unsigned optLevel;
  auto tm = targetMachine(args.get("cpu", "native"), optLevel);
  auto artifact = compileToLLVM(module, *tm, optLevel, gpu);
  if (!artifact)
    throw UsageError(model.path + ": " + llvm::toString(artifact.takeError()));
  if (stage == Emit::Llvm)
    return artifact->module->print(os, nullptr);
  if (llvm::Error e =
          cpu::emitCode(*artifact->module, *tm, llvm::CGFT_AssemblyFile, os))
    throw UsageError(llvm::toString(std::move(e)));
}

/// Temporary files removed when it goes.
struct Temporaries {
  std::vector<llvm::SmallString<128>> paths;
  std::string make(const char *suffix) {
    int fd;
    paths.emplace_back();
    if (llvm::sys::fs::createTemporaryFile("hebb", suffix, fd, paths.back()))
      throw UsageError("cannot create a temporary file");
    ::close(fd);
    return std::string(paths.back());
  }
  ~Temporaries() {
    for (auto &p : paths)
      llvm::sys::fs::remove(p);
  }
};

void writeObject(llvm::Module &module, llvm::TargetMachine &tm,
                 const std::string &file) {
  auto obj = openOutput(file, true);
  if (llvm::Error e =
          cpu::emitCode(module, tm, llvm::CGFT_ObjectFile, obj->os()))
    throw UsageError(llvm::toString(std::move(e)));
  obj->keep();
}

void emitArtifacts(frontend::Model &model, const Request &r,
                   const flags::Parsed &args) {
  const std::set<std::string> &want = r.artifacts;
  llvm::StringRef parent = llvm::sys::path::parent_path(r.output);
  if (r.output != "-" && !parent.empty() &&
      llvm::sys::fs::create_directories(parent))
    throw UsageError(r.output + ": cannot create its directory");
  unsigned optLevel;
  auto tm = targetMachine(args.get("cpu", "native"), optLevel);
  AotArtifact artifact = buildAot(model, *tm, optLevel,
                                  args.get("embed-weights"), gpuTarget(args));
  bool several = want.size() > 1;
  auto path = [&](const char *ext) {
    return several ? r.output + ext : r.output;
  };
  Temporaries temps;
  std::string objPath = want.count("obj") ? path(".o") : "";
  if ((want.count("so") || want.count("exe")) && objPath.empty())
    objPath = temps.make("o");
  if (!objPath.empty())
    writeObject(*artifact.llvm.module, *tm, objPath);
  if (want.count("so"))
    linkSharedLibrary(objPath, path(".so"));
  if (want.count("exe")) {
    auto main = buildDriverMain(model.name, *artifact.llvm.context, *tm);
    std::string mainObj = temps.make("o");
    writeObject(*main, *tm, mainObj);
    linkExecutable({objPath, mainObj}, r.output);
  }
  if (want.count("header")) {
    auto h = openOutput(path(".h"), false);
    h->os() << artifact.header;
    h->keep();
  }
}

} // namespace

int compileCommand(int argc, char **argv) {
  std::vector<flags::Flag> flagList = compileFlags();
  flags::Parsed args = parseArgs(argc, argv, flagList);
  if (args.has("help")) {
    std::cout << "usage: hebb compile MODEL.json --emit=KIND [-o FILE] "
                 "[options]\n\nCompiles MODEL and prints (or writes to FILE) "
                 "one stage of the pipeline, or\nwrites ahead-of-time "
                 "artifacts.\n\noptions:\n"
              << flags::describe(flagList) << "\nexamples:\n"
              << kCompileExamples;
    return 0;
  }
  Request request = parseEmit(args);
  auto start = std::chrono::steady_clock::now();
  Session session;
  frontend::Model model =
      session.load(modelPath(args, "compile"), batchFlag(args));
  if (args.has("name")) {
    checkName(args.get("name"));
    model.name = args.get("name");
  }
  if (request.stage) {
    auto out = openOutput(request.output, false);
    emitStage(model, *request.stage, args, out->os());
    out->keep();
  } else {
    emitArtifacts(model, request, args);
  }
  if (args.has("time"))
    std::cerr << "compile time: "
              << std::chrono::duration<double, std::milli>(
                     std::chrono::steady_clock::now() - start)
                     .count()
              << " ms\n";
  return 0;
}

} // namespace hebb::tool
