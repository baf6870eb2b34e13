//===- Nearest.h - "did you mean" for names -----------------------*- C++
//-*-===//
//
/// \file
/// The one suggestion rule of every hebb error about a misspelt name (model
/// keys, ops, layers, losses, command-line flags). Internal to libhebbrt
/// and its users; no LLVM.
//
//===----------------------------------------------------------------------===//

#ifndef HEBB_RUNTIME_NEAREST_H
#define HEBB_RUNTIME_NEAREST_H

#include <string>
#include <vector>

namespace hebb::rt {

/// The candidate closest to `word` by edit distance when close enough (at
/// most max(2, |word| / 3) edits), else one containing `word` (for words of
/// four or more letters), else "".
std::string nearest(const std::string &word,
                    const std::vector<std::string> &candidates);

/// "; did you mean 'X'?" for nearest(), or "".
std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates);

} // namespace hebb::rt

#endif // HEBB_RUNTIME_NEAREST_H
