//===- Buffers.h - typed host buffers for compiled test functions -*- C++
//-*-===//

#ifndef HEBB_TESTS_UNIT_BUFFERS_H
#define HEBB_TESTS_UNIT_BUFFERS_H

#include "OpCases.h"
#include "codegen/reference/Evaluator.h"

#include "mlir/IR/BuiltinTypes.h"

#include <random>

namespace hebb::test {

/// One argument or result buffer, typed as the IR says.
struct Buffer {
  mlir::RankedTensorType type;
  std::vector<float> f32;
  std::vector<int32_t> i32;
  std::vector<uint8_t> i1;

  explicit Buffer(mlir::RankedTensorType t) : type(t) {
    int64_t n = t.getNumElements();
    if (t.getElementType().isF32())
      f32.resize(n);
    else if (t.getElementType().isInteger(32))
      i32.resize(n);
    else
      i1.resize(n);
  }
  void *data() {
    return !f32.empty()   ? (void *)f32.data()
           : !i32.empty() ? (void *)i32.data()
                          : (void *)i1.data();
  }
  double at(size_t k) const {
    return !f32.empty() ? f32[k] : !i32.empty() ? i32[k] : i1[k];
  }
  hebb::reference::Tensor toReference() const {
    hebb::reference::Tensor t;
    t.shape.assign(type.getShape().begin(), type.getShape().end());
    for (int64_t k = 0; k < type.getNumElements(); ++k)
      t.data.push_back(at(k));
    return t;
  }
};

inline void fillRandom(Buffer &b, Range r, std::mt19937 &rng) {
  std::uniform_real_distribution<double> u(r.lo, r.hi);
  std::uniform_int_distribution<int> ui((int)r.lo, (int)r.hi);
  for (float &v : b.f32)
    v = (float)u(rng);
  for (int32_t &v : b.i32)
    v = ui(rng);
  for (uint8_t &v : b.i1)
    v = ui(rng) != 0;
}

} // namespace hebb::test

#endif // HEBB_TESTS_UNIT_BUFFERS_H
