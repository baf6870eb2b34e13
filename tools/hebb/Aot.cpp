//===- Aot.cpp - models compiled ahead of time: object and header ---------===//

#include "tools/hebb/Aot.h"
#include "tools/hebb/Args.h"
#include "tools/hebb/Interface.h"
#include "tools/hebb/Session.h"

#include "codegen/Passes.h"
#include "passes/Passes.h"

#include "hebb/model.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"

#include <nlohmann/json.hpp>

#include <fstream>
#include <memory>
#include <set>
#include <sstream>
#include <unistd.h>

namespace hebb::tool {

namespace {

const char *cType(hebb_dtype d) {
  return d == HEBB_F32 ? "float" : d == HEBB_I32 ? "int32_t" : "double";
}

std::string upper(std::string s) {
  for (char &c : s)
    c = (char)std::toupper((unsigned char)c);
  return s;
}

std::string cIdent(std::string s) {
  for (char &c : s)
    if (!std::isalnum((unsigned char)c))
      c = '_';
  return s;
}

/// C names for the inputs, then the outputs: identifiers (other bytes
/// become '_', a leading digit gets "t_"), never a C keyword or a name the
/// wrappers use, and distinct (a later clash gets "_2", "_3", ...), so the
/// header compiles whatever the model calls its tensors.
std::vector<std::string> cNames(const frontend::Model &model) {
  static const std::set<std::string> taken = {
      "auto",     "break",    "case",     "char",   "const",   "continue",
      "default",  "do",       "double",   "else",   "enum",    "extern",
      "float",    "for",      "goto",     "if",     "inline",  "int",
      "long",     "register", "restrict", "return", "short",   "signed",
      "sizeof",   "static",   "struct",   "switch", "typedef", "union",
      "unsigned", "void",     "volatile", "while",  "bool",    "true",
      "false",    "ctx",      "in",       "out",    "labels",  "loss",
      "lr",       "memory",   "size",     "path",   "seed"};
  std::vector<std::string> names;
  std::set<std::string> used;
  auto add = [&](const std::string &raw) {
    std::string n = cIdent(raw);
    if (n.empty() || std::isdigit((unsigned char)n[0]))
      n = "t_" + n;
    if (taken.count(n) || n.rfind("hebb", 0) == 0 || n.rfind("__", 0) == 0)
      n += "_";
    std::string unique = n;
    for (int k = 2; !used.insert(upper(unique)).second; ++k)
      unique = n + "_" + std::to_string(k);
    names.push_back(unique);
  };
  for (const auto &s : model.inputs)
    add(s.name);
  for (const auto &s : model.outputs)
    add(s.name);
  return names;
}

int64_t elements(const std::vector<int64_t> &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

void shapeMacros(std::ostringstream &h, const std::string &prefix,
                 const frontend::TensorSpec &s) {
  h << "#define " << prefix << "_RANK " << s.shape.size() << "\n";
  for (size_t i = 0; i < s.shape.size(); ++i)
    h << "#define " << prefix << "_DIM" << i << " " << s.shape[i] << "\n";
  h << "#define " << prefix << "_SIZE " << elements(s.shape)
    << " /* elements */\n";
}

/// The sizes: batch, every tensor's shape, parameter counts, scratch.
void sizeMacros(std::ostringstream &h, const frontend::Model &model,
                uint64_t scratch) {
  const std::string n = model.name, N = upper(model.name);
  h << "#define " << N << "_BATCH " << model.batch << "\n";
  std::vector<std::string> names = cNames(model);
  size_t k = 0;
  for (auto &s : model.inputs)
    shapeMacros(h, N + "_INPUT_" + upper(names[k++]), s);
  for (auto &s : model.outputs)
    shapeMacros(h, N + "_OUTPUT_" + upper(names[k++]), s);
  if (model.training.present)
    shapeMacros(h, N + "_LABELS", model.training.labels);
  int64_t count = 0;
  for (const frontend::ParamSpec &p : model.params)
    count += elements(p.shape);
  h << "/* Parameter tensors (buffers included), their elements and bytes. */\n"
    << "#define " << N << "_NUM_PARAMS " << model.params.size() << "\n"
    << "#define " << N << "_NUM_PARAM_ELEMENTS " << count << "\n"
    << "#define " << N << "_PARAM_BYTES " << count * 4 << "\n";
  h << "/* Temporaries of one call, planned at compile time (part of\n   " << n
    << "_memory_size(); no call allocates). */\n";
  h << "#define " << N << "_SCRATCH_BYTES " << scratch << "\n\n";
}

/// Typed wrappers of the hebb_model_* calls: one pointer per input and
/// output.
void entryFunctions(std::ostringstream &h, const frontend::Model &model) {
  const std::string n = model.name;
  std::vector<std::string> names = cNames(model);
  std::string inParams, inArray, outParams, outArray;
  for (size_t i = 0; i < model.inputs.size(); ++i) {
    const std::string &n = names[i];
    inParams +=
        std::string(", const ") + cType(model.inputs[i].dtype) + " *" + n;
    inArray += std::string(i ? ", " : "") + n;
  }
  for (size_t i = 0; i < model.outputs.size(); ++i) {
    const std::string &arg = names[model.inputs.size() + i];
    outParams += std::string(", ") + cType(model.outputs[i].dtype) + " *" + arg;
    outArray += std::string(i ? ", " : "") + arg;
  }
  auto fn = [&](const std::string &sig, const std::string &body) {
    h << "static inline " << sig << " {\n" << body << "}\n";
  };
  fn("int " + n + "_infer(" + n + "_ctx *ctx" + inParams + outParams + ")",
     "  const void *in[] = {" + inArray + "};\n  void *out[] = {" + outArray +
         "};\n  return hebb_model_infer(ctx, in, out);\n");
  if (!model.training.present)
    return;
  std::string lt = cType(model.training.labels.dtype);
  fn("int " + n + "_train_step(" + n + "_ctx *ctx" + inParams + ", const " +
         lt + " *labels, float lr, float *loss)",
     "  const void *in[] = {" + inArray +
         "};\n  return hebb_model_train_step(ctx, in, labels, lr, loss);\n");
  fn("int " + n + "_eval(" + n + "_ctx *ctx" + inParams + ", const " + lt +
         " *labels, float *loss" + outParams + ")",
     "  const void *in[] = {" + inArray + "};\n  void *out[] = {" + outArray +
         "};\n  return hebb_model_eval(ctx, in, labels, loss, out);\n");
}

/// Contexts and checkpoints: the same for every model but for the name.
void contextFunctions(std::ostringstream &h, const std::string &n) {
  auto fn = [&](const std::string &sig, const std::string &body) {
    h << "static inline " << sig << " {\n" << body << "}\n";
  };
  fn("size_t " + n + "_memory_size(void)",
     "  return hebb_model_memory_size(&" + n + "_descriptor);\n");
  fn("int " + n + "_init_in(void *memory, size_t size, " + n + "_ctx **ctx)",
     "  return hebb_model_init_in(&" + n +
         "_descriptor, memory, size, ctx);\n");
  fn("int " + n + "_create(" + n + "_ctx **ctx)",
     "  return hebb_model_create(&" + n + "_descriptor, ctx);\n");
  fn("void " + n + "_destroy(" + n + "_ctx *ctx)",
     "  hebb_model_destroy(ctx);\n");
  fn("int " + n + "_init_params(" + n + "_ctx *ctx, uint64_t seed)",
     "  return hebb_model_init_params(ctx, seed);\n");
  fn("int " + n + "_save(" + n + "_ctx *ctx, const char *path)",
     "  return hebb_model_save(ctx, path);\n");
  fn("int " + n + "_save_parameters(" + n + "_ctx *ctx, const char *path)",
     "  return hebb_model_save_parameters(ctx, path);\n");
  fn("int " + n + "_load(" + n + "_ctx *ctx, const char *path)",
     "  return hebb_model_load(ctx, path);\n");
  fn("const char *" + n + "_error(void)", "  return hebb_last_error();\n");
}

std::string header(const frontend::Model &model, uint64_t scratch) {
  const std::string n = model.name, N = upper(model.name);
  std::ostringstream h;
  h << "/* " << n << ".h - generated by hebb from " << model.name
    << "'s model file; do not edit.\n * Link with " << n
    << ".o and libhebbrt. See docs/embedding.md. */\n";
  h << "#ifndef " << N << "_H\n#define " << N << "_H\n\n";
  h << "#include <hebb/model.h>\n\n#ifdef __cplusplus\nextern \"C\" "
       "{\n#endif\n\n";
  sizeMacros(h, model, scratch);
  h << "extern const hebb_model_desc " << n << "_descriptor;\n";
  h << "typedef hebb_model " << n << "_ctx;\n\n";
  contextFunctions(h, n);
  entryFunctions(h, model);
  h << "\n#ifdef __cplusplus\n}\n#endif\n\n#endif /* " << N << "_H */\n";
  return h.str();
}

} // namespace

void noEntry(void **) {}

/// The parameters and buffers of `path`, loaded by libhebbrt's one loader
/// (names, dtypes and full shapes checked, f64 converted) and written back
/// as a parameters-only safetensors: what the object embeds (a
/// checkpoint's optimizer state stays out).
std::string readWeights(const std::string &path, const std::string &iface) {
  hebb_model_desc desc{HEBB_MODEL_ABI, iface.c_str(), noEntry, noEntry,
                       nullptr,        nullptr,       0,       0,
                       HEBB_DEVICE_CPU};
  hebb_model *raw = nullptr;
  check(hebb_model_create(&desc, &raw));
  std::unique_ptr<hebb_model, void (*)(hebb_model *)> ctx(raw,
                                                          hebb_model_destroy);
  check(hebb_model_load(raw, path.c_str()));
  llvm::SmallString<128> tmp;
  int fd;
  if (llvm::sys::fs::createTemporaryFile("hebb-weights", "safetensors", fd,
                                         tmp))
    throw UsageError("cannot create a temporary file");
  ::close(fd);
  hebb_status s = hebb_model_save_parameters(raw, tmp.c_str());
  std::ifstream in(tmp.c_str(), std::ios::binary);
  std::string bytes((std::istreambuf_iterator<char>(in)), {});
  llvm::sys::fs::remove(tmp);
  check(s);
  return bytes;
}

AotArtifact buildAot(frontend::Model &model, llvm::TargetMachine &tm,
                     unsigned optLevel, const std::string &weightsPath,
                     const std::string &gpu) {
  mlir::ModuleOp module = *model.module;
  if (model.training.present)
    buildTrainingProgram(model);
  std::string iface = interfaceJson(model);
  std::string weights =
      weightsPath.empty() ? std::string() : readWeights(weightsPath, iface);
  std::string prefix = model.name + "__";
  module.walk([&](mlir::func::FuncOp fn) {
    fn.setSymName(prefix + fn.getSymName().str());
  });
  auto compiled = compileToLLVM(module, tm, optLevel, gpu);
  if (!compiled)
    throw UsageError(model.path + ": " + llvm::toString(compiled.takeError()));
  iface = withPackedWeights(iface, compiled->packed);
  AotArtifact out;
  out.llvm = std::move(*compiled);
  llvm::Module &m = *out.llvm.module;
  llvm::LLVMContext &ctx = m.getContext();
  // Only the descriptor is exported: several models link side by side.
  for (llvm::Function &f : m)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto entry = [&](const char *name) -> llvm::Constant * {
    llvm::Function *f = m.getFunction(prefix + name + "_packed");
    return f ? (llvm::Constant *)f : llvm::ConstantPointerNull::get(ptr);
  };
  auto *text = llvm::ConstantDataArray::getString(ctx, iface);
  auto *ifaceVar = new llvm::GlobalVariable(m, text->getType(), true,
                                            llvm::GlobalValue::PrivateLinkage,
                                            text, prefix + "interface");
  llvm::Constant *weightsPtr = llvm::ConstantPointerNull::get(ptr);
  if (!weights.empty()) {
    auto *data = llvm::ConstantDataArray::getRaw(weights, weights.size(),
                                                 llvm::Type::getInt8Ty(ctx));
    auto *var = new llvm::GlobalVariable(m, data->getType(), true,
                                         llvm::GlobalValue::PrivateLinkage,
                                         data, prefix + "weights");
    var->setAlignment(llvm::Align(64));
    weightsPtr = var;
  }
  // Entries run one at a time in a context: they share one scratch.
  uint64_t scratch = 0;
  for (const char *name : {"forward", "eval", "train_step"})
    if (llvm::Function *f = m.getFunction(prefix + name)) {
      uint64_t bytes = 0;
      f->getFnAttribute(kScratchAttr)
          .getValueAsString()
          .getAsInteger(10, bytes);
      scratch = std::max(scratch, bytes);
    }
  out.scratchBytes = scratch;
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *descType = llvm::StructType::get(ctx, {llvm::Type::getInt32Ty(ctx), ptr,
                                               ptr, ptr, ptr, ptr, i64, i64,
                                               llvm::Type::getInt32Ty(ctx)});
  auto *desc = llvm::ConstantStruct::get(
      descType,
      {llvm::ConstantInt::get(llvm::Type::getInt32Ty(ctx), HEBB_MODEL_ABI),
       ifaceVar, entry("forward"), entry("eval"), entry("train_step"),
       weightsPtr, llvm::ConstantInt::get(i64, weights.size()),
       llvm::ConstantInt::get(i64, scratch),
       llvm::ConstantInt::get(llvm::Type::getInt32Ty(ctx),
                              gpu.empty() ? HEBB_DEVICE_CPU
                                          : HEBB_DEVICE_CUDA)});
  new llvm::GlobalVariable(m, descType, true,
                           llvm::GlobalValue::ExternalLinkage, desc,
                           model.name + "_descriptor");
  out.header = header(model, scratch);
  return out;
}

std::unique_ptr<llvm::Module> buildDriverMain(const std::string &name,
                                              llvm::LLVMContext &ctx,
                                              llvm::TargetMachine &tm) {
  auto m = std::make_unique<llvm::Module>(name + "_main", ctx);
  m->setTargetTriple(tm.getTargetTriple().str());
  m->setDataLayout(tm.createDataLayout());
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *ptr = llvm::PointerType::getUnqual(ctx);
  auto *desc = new llvm::GlobalVariable(*m, llvm::Type::getInt8Ty(ctx), true,
                                        llvm::GlobalValue::ExternalLinkage,
                                        nullptr, name + "_descriptor");
  auto driver = m->getOrInsertFunction(
      "hebb_driver_main", llvm::FunctionType::get(i32, {ptr, i32, ptr}, false));
  auto *main =
      llvm::Function::Create(llvm::FunctionType::get(i32, {i32, ptr}, false),
                             llvm::GlobalValue::ExternalLinkage, "main", *m);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", main));
  b.CreateRet(b.CreateCall(driver, {desc, main->getArg(0), main->getArg(1)}));
  return m;
}

} // namespace hebb::tool
