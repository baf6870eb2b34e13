//===- Link.cpp - linking compiled models with the system linker ----------===//

#include "tools/hebb/Link.h"
#include "tools/hebb/Args.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <cstdlib>

namespace hebb::tool {

static int anchor;

std::string runtimeLibraryDir() {
  if (const char *env = std::getenv("HEBB_RUNTIME_DIR"))
    return env;
  std::string exe = llvm::sys::fs::getMainExecutable("hebb", &anchor);
  llvm::SmallString<256> dir(llvm::sys::path::parent_path(exe));
  llvm::sys::path::remove_filename(dir); // <prefix> or <build>
  for (const char *sub : {"lib", "runtime"}) {
    llvm::SmallString<256> candidate(dir);
    llvm::sys::path::append(candidate, sub);
    llvm::SmallString<256> lib(candidate);
    llvm::sys::path::append(lib, "libhebbrt.so");
    if (llvm::sys::fs::exists(lib))
      return std::string(candidate);
  }
  throw UsageError("cannot find libhebbrt.so next to " + exe +
                   " (set HEBB_RUNTIME_DIR to its directory)");
}

void runCompilerDriver(const std::vector<std::string> &args,
                       const std::string &what) {
  const char *cc = std::getenv("CC");
  auto program = llvm::sys::findProgramByName(cc && *cc ? cc : "cc");
  if (!program)
    throw UsageError(what + ": no C compiler driver found (cc, or set CC)");
  std::vector<llvm::StringRef> argv = {*program};
  for (const std::string &a : args)
    argv.push_back(a);
  std::string message;
  int rc = llvm::sys::ExecuteAndWait(*program, argv, std::nullopt, {}, 0, 0,
                                     &message);
  if (rc != 0)
    throw UsageError(what + ": linking failed (" + *program + " exited with " +
                     std::to_string(rc) +
                     (message.empty() ? "" : ", " + message) + ")");
}

void linkSharedLibrary(const std::string &object, const std::string &output) {
  std::string dir = runtimeLibraryDir();
  runCompilerDriver({"-shared", "-o", output, object, "-L" + dir, "-lhebbrt",
                     "-Wl,-rpath," + dir, "-lm"},
                    output);
}

void linkExecutable(const std::vector<std::string> &objects,
                    const std::string &output) {
  std::string dir = runtimeLibraryDir();
  std::vector<std::string> args = {"-o", output};
  args.insert(args.end(), objects.begin(), objects.end());
  args.insert(args.end(),
              {"-L" + dir, "-lhebbdriver", "-Wl,-rpath," + dir, "-lm"});
  runCompilerDriver(args, output);
}

} // namespace hebb::tool
