//===- Link.h - linking compiled models with the system linker --*- C++ -*-===//
//
/// \file
/// `--emit=so` (and later `exe`) link the model's object with libhebbrt by
/// running the C compiler driver ($CC, else cc), like other ML compilers'
/// library exports do. libhebbrt is found next to the hebb binary: in an
/// installation (<prefix>/lib) or a build tree (<build>/runtime).
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_TOOLS_HEBB_LINK_H
#define HEBB_TOOLS_HEBB_LINK_H

#include <string>
#include <vector>

namespace hebb::tool {

/// The directory holding libhebbrt.so for this hebb binary.
std::string runtimeLibraryDir();

/// Runs the C compiler driver with `args`; throws with its exit status.
void runCompilerDriver(const std::vector<std::string> &args,
                       const std::string &what);

/// Links `object` into the shared library `output` (libhebbrt as a
/// dependency found through an rpath).
void linkSharedLibrary(const std::string &object, const std::string &output);

/// Links `objects` into the executable `output` with libhebbdriver (which
/// carries libhebbrt), found through an rpath.
void linkExecutable(const std::vector<std::string> &objects,
                    const std::string &output);

} // namespace hebb::tool

#endif // HEBB_TOOLS_HEBB_LINK_H
