//===- Nearest.cpp - "did you mean" for names -----------------------------===//

#include "Nearest.h"

#include <algorithm>

namespace hebb::rt {

namespace {
/// Levenshtein distance with adjacent transpositions counted as one edit.
size_t distance(const std::string &a, const std::string &b) {
  std::vector<std::vector<size_t>> d(a.size() + 1,
                                     std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i)
    d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j)
    d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i)
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      d[i][j] =
          std::min({d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
    }
  return d[a.size()][b.size()];
}
} // namespace

std::string nearest(const std::string &word,
                    const std::vector<std::string> &candidates) {
  std::string best;
  size_t bestDistance = ~size_t(0);
  for (const std::string &c : candidates) {
    size_t d = distance(word, c);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  }
  if (bestDistance <= std::max<size_t>(2, word.size() / 3))
    return best;
  // A word that is part of a valid name ("crossentropy") still points at it.
  if (word.size() >= 4)
    for (const std::string &c : candidates)
      if (c.find(word) != std::string::npos)
        return c;
  return "";
}

std::string didYouMean(const std::string &word,
                       const std::vector<std::string> &candidates) {
  std::string hint = nearest(word, candidates);
  return hint.empty() ? "" : "; did you mean '" + hint + "'?";
}

} // namespace hebb::rt
