//===- Evaluator.cpp - the reference evaluator ----------------------------===//
//
// Walks the function body in order, computing every hebb op with naive
// loops in double precision. Elementwise ops are computed by their own
// scalar function (ElementwiseOpInterface::evaluate); an op without a rule
// here is an error, never an empty result.
//
//===----------------------------------------------------------------------===//

#include "codegen/reference/Evaluator.h"
#include "codegen/reference/WindowRules.h"

#include "hebb/runtime.h"
#include "ir/HebbDialect.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

using namespace mlir;

namespace hebb::reference {

int64_t Tensor::numel() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Tensor Tensor::zeros(std::vector<int64_t> shape) {
  Tensor t{std::move(shape), {}};
  t.data.assign(t.numel(), 0.0);
  return t;
}

namespace {

std::vector<int64_t> shapeOf(Value v) {
  auto t = v.getType().cast<RankedTensorType>();
  return std::vector<int64_t>(t.getShape().begin(), t.getShape().end());
}

/// Row-major multi-index of flat position `flat`.
std::vector<int64_t> unravel(int64_t flat, const std::vector<int64_t> &shape) {
  std::vector<int64_t> idx(shape.size());
  for (int64_t i = (int64_t)shape.size() - 1; i >= 0; --i) {
    idx[i] = shape[i] ? flat % shape[i] : 0;
    flat = shape[i] ? flat / shape[i] : 0;
  }
  return idx;
}

int64_t ravel(const std::vector<int64_t> &idx,
              const std::vector<int64_t> &shape) {
  int64_t flat = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    flat = flat * shape[i] + idx[i];
  return flat;
}

Tensor constant(ConstantOp op) {
  Tensor t = Tensor::zeros(shapeOf(op.getResult()));
  auto attr = op.getValue().dyn_cast<DenseElementsAttr>();
  Type elem = attr.getElementType();
  int64_t i = 0;
  if (elem.isa<FloatType>())
    for (APFloat v : attr.getValues<APFloat>())
      t.data[i++] = v.convertToDouble();
  else if (elem.isInteger(1))
    for (bool v : attr.getValues<bool>())
      t.data[i++] = v;
  else
    for (APInt v : attr.getValues<APInt>())
      t.data[i++] = (double)v.getSExtValue();
  if (attr.isSplat())
    std::fill(t.data.begin(), t.data.end(), t.data[0]);
  return t;
}

template <typename Fn> Tensor map1(const Tensor &x, Fn fn) {
  Tensor r{x.shape, std::vector<double>(x.data.size())};
  for (size_t i = 0; i < x.data.size(); ++i)
    r.data[i] = fn(x.data[i]);
  return r;
}

Tensor matmul(MatmulOp op, const Tensor &a, const Tensor &b) {
  bool tl = op.getTransposeLhs(), tr = op.getTransposeRhs();
  const size_t rank = a.shape.size();
  const int64_t ar = a.shape[rank - 2], ac = a.shape[rank - 1];
  const int64_t br = b.shape[rank - 2], bc = b.shape[rank - 1];
  int64_t m = tl ? ac : ar, k = tl ? ar : ac, n = tr ? br : bc;
  std::vector<int64_t> shape(a.shape.begin(), a.shape.end() - 2);
  int64_t batch = 1;
  for (int64_t d : shape)
    batch *= d;
  shape.push_back(m);
  shape.push_back(n);
  Tensor r = Tensor::zeros(shape);
  for (int64_t q = 0; q < batch; ++q) {
    const double *x = a.data.data() + q * m * k, *y = b.data.data() + q * k * n;
    double *z = r.data.data() + q * m * n;
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j) {
        double s = 0;
        for (int64_t p = 0; p < k; ++p)
          s += (tl ? x[p * m + i] : x[i * k + p]) *
               (tr ? y[j * k + p] : y[p * n + j]);
        z[i * n + j] = s;
      }
  }
  return r;
}

/// Folds every element of `x` into the result slot it reduces to.
/// `axes` are dropped from `resultShape`'s view of the index.
template <typename Fn>
Tensor reduce(const Tensor &x, ArrayRef<int64_t> axes,
              std::vector<int64_t> resultShape, double init, Fn combine) {
  // `resultShape` may keep reduced axes as 1s; slots are indexed without them.
  std::vector<bool> reduced(x.shape.size(), false);
  for (int64_t a : axes)
    reduced[a] = true;
  std::vector<int64_t> keptShape;
  for (size_t i = 0; i < x.shape.size(); ++i)
    if (!reduced[i])
      keptShape.push_back(x.shape[i]);
  Tensor r{std::move(resultShape), {}};
  r.data.assign(r.numel(), init);
  for (int64_t f = 0; f < x.numel(); ++f) {
    std::vector<int64_t> idx = unravel(f, x.shape), kept;
    for (size_t i = 0; i < idx.size(); ++i)
      if (!reduced[i])
        kept.push_back(idx[i]);
    double &slot = r.data[ravel(kept, keptShape)];
    slot = combine(slot, x.data[f]);
  }
  return r;
}

Tensor argmax(ArgmaxOp op, const Tensor &x) {
  int64_t axis = op.getAxis();
  std::vector<int64_t> keptShape;
  for (size_t i = 0; i < x.shape.size(); ++i)
    if ((int64_t)i != axis)
      keptShape.push_back(x.shape[i]);
  Tensor best = Tensor::zeros(keptShape), r = Tensor::zeros(keptShape);
  std::vector<bool> seen(r.data.size(), false);
  // Row-major order visits each line in increasing index: the first maximum
  // is kept.
  for (int64_t f = 0; f < x.numel(); ++f) {
    std::vector<int64_t> idx = unravel(f, x.shape), kept;
    for (size_t i = 0; i < idx.size(); ++i)
      if ((int64_t)i != axis)
        kept.push_back(idx[i]);
    int64_t slot = ravel(kept, keptShape);
    if (!seen[slot] || x.data[f] > best.data[slot]) {
      seen[slot] = true;
      best.data[slot] = x.data[f];
      r.data[slot] = (double)idx[axis];
    }
  }
  r.shape = shapeOf(op.getResult());
  return r;
}

/// Softmax (or log-softmax) of each line of `x` along `axis`.
Tensor softmax(const Tensor &x, int64_t axis, bool log) {
  Tensor r = Tensor::zeros(x.shape);
  int64_t n = x.shape[axis], stride = 1;
  for (size_t i = axis + 1; i < x.shape.size(); ++i)
    stride *= x.shape[i];
  int64_t lines = x.numel() / std::max<int64_t>(n, 1);
  for (int64_t line = 0; line < lines; ++line) {
    int64_t base = (line / stride) * stride * n + line % stride;
    double m = -std::numeric_limits<double>::infinity(), s = 0;
    for (int64_t j = 0; j < n; ++j)
      m = std::max(m, x.data[base + j * stride]);
    for (int64_t j = 0; j < n; ++j)
      s += std::exp(x.data[base + j * stride] - m);
    for (int64_t j = 0; j < n; ++j) {
      double v = x.data[base + j * stride] - m;
      r.data[base + j * stride] = log ? v - std::log(s) : std::exp(v) / s;
    }
  }
  return r;
}

Tensor transpose(TransposeOp op, const Tensor &x) {
  ArrayRef<int64_t> perm = op.getPermutation();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  for (int64_t f = 0; f < r.numel(); ++f) {
    std::vector<int64_t> out = unravel(f, r.shape), in(out.size());
    for (size_t i = 0; i < perm.size(); ++i)
      in[perm[i]] = out[i];
    r.data[f] = x.data[ravel(in, x.shape)];
  }
  return r;
}

Tensor broadcast(BroadcastInDimOp op, const Tensor &x) {
  ArrayRef<int64_t> dims = op.getBroadcastDimensions();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  for (int64_t f = 0; f < r.numel(); ++f) {
    std::vector<int64_t> out = unravel(f, r.shape), in(x.shape.size());
    for (size_t i = 0; i < dims.size(); ++i)
      in[i] = x.shape[i] == 1 ? 0 : out[dims[i]];
    r.data[f] = x.data[ravel(in, x.shape)];
  }
  return r;
}

Tensor concat(ConcatOp op, ArrayRef<const Tensor *> inputs) {
  int64_t axis = op.getAxis();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  int64_t offset = 0;
  for (const Tensor *in : inputs) {
    for (int64_t f = 0; f < in->numel(); ++f) {
      std::vector<int64_t> idx = unravel(f, in->shape);
      idx[axis] += offset;
      r.data[ravel(idx, r.shape)] = in->data[f];
    }
    offset += in->shape[axis];
  }
  return r;
}

Tensor slice(SliceOp op, const Tensor &x) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  for (int64_t f = 0; f < r.numel(); ++f) {
    std::vector<int64_t> idx = unravel(f, r.shape);
    for (size_t i = 0; i < idx.size(); ++i)
      idx[i] = op.getStart()[i] + idx[i] * op.getStride()[i];
    r.data[f] = x.data[ravel(idx, x.shape)];
  }
  return r;
}

Tensor pad(PadOp op, const Tensor &x) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  std::fill(r.data.begin(), r.data.end(), op.getValue().convertToDouble());
  for (int64_t f = 0; f < x.numel(); ++f) {
    std::vector<int64_t> idx = unravel(f, x.shape);
    for (size_t i = 0; i < idx.size(); ++i)
      idx[i] = op.getLow()[i] + idx[i] * (op.getInterior()[i] + 1);
    r.data[ravel(idx, r.shape)] = x.data[f];
  }
  return r;
}

Tensor oneHot(OneHotOp op, const Tensor &x) {
  int64_t depth = op.getDepth();
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  for (int64_t i = 0; i < x.numel(); ++i) {
    double k = x.data[i];
    if (k >= 0 && k < depth)
      r.data[i * depth + (int64_t)k] = 1.0;
  }
  return r;
}

/// Rows of `table` by index (zero rows for indices out of range).
Tensor gather(GatherOp op, const Tensor &table, const Tensor &ids) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  const int64_t rows = table.shape.empty() ? 0 : table.shape[0];
  const int64_t row = rows ? table.numel() / rows : 0;
  for (int64_t i = 0; i < ids.numel(); ++i) {
    double k = ids.data[i];
    if (k >= 0 && k < rows)
      for (int64_t d = 0; d < row; ++d)
        r.data[i * row + d] = table.data[(int64_t)k * row + d];
  }
  return r;
}

/// Slices of `updates` added into the rows their indices name, in order.
Tensor scatterAdd(ScatterAddOp op, const Tensor &updates, const Tensor &ids) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  const int64_t rows = op.getRows();
  const int64_t row = ids.numel() ? updates.numel() / ids.numel() : 0;
  for (int64_t i = 0; i < ids.numel(); ++i) {
    double k = ids.data[i];
    if (k >= 0 && k < rows)
      for (int64_t d = 0; d < row; ++d)
        r.data[(int64_t)k * row + d] += updates.data[i * row + d];
  }
  return r;
}

/// The same Philox words as the generated code (libhebbrt's generator).
Tensor randomUniform(RandomUniformOp op, const Tensor &seed) {
  Tensor r = Tensor::zeros(shapeOf(op.getResult()));
  uint64_t key = (uint64_t)(uint32_t)(int32_t)seed.data[0] |
                 (uint64_t)(uint32_t)(int32_t)seed.data[1] << 32;
  for (int64_t i = 0; i < r.numel(); ++i) {
    uint32_t w[4];
    hebb_philox4x32(key, (uint64_t)op.getStream(), (uint64_t)i, w);
    r.data[i] = (double)(w[0] >> 8) / 16777216.0;
  }
  return r;
}

class Interpreter {
public:
  llvm::Error run(Operation *op);
  llvm::DenseMap<Value, Tensor> values;

private:
  const Tensor &in(Value v) { return values.find(v)->second; }
  Tensor compute(Operation *op);
  Tensor batchNorm(BatchNormOp op);
  /// Every step of the body, in the scan's direction.
  llvm::Error scan(ScanOp op);
  /// Any elementwise op, by its own scalar function.
  Tensor elementwise(ElementwiseOpInterface op);
  std::string missing; // an op compute() has no rule for
};

/// (x - mean) scale / sqrt(var + eps) + offset, per channel (axis 1).
Tensor Interpreter::batchNorm(BatchNormOp op) {
  const Tensor &x = in(op.getOperand()), &scale = in(op.getScale()),
               &offset = in(op.getOffset()), &mean = in(op.getMean()),
               &var = in(op.getVariance());
  double eps = op.getEpsilon().convertToDouble();
  Tensor r = Tensor::zeros(x.shape);
  int64_t channels = x.shape[1], inner = x.numel() / (x.shape[0] * channels);
  for (int64_t i = 0; i < x.numel(); ++i) {
    int64_t c = (i / inner) % channels;
    r.data[i] = (x.data[i] - mean.data[c]) * scale.data[c] /
                    std::sqrt(var.data[c] + eps) +
                offset.data[c];
  }
  return r;
}

Tensor Interpreter::elementwise(ElementwiseOpInterface op) {
  Operation *raw = op.getOperation();
  Tensor r = Tensor::zeros(shapeOf(raw->getResult(0)));
  SmallVector<const Tensor *> args;
  for (Value v : raw->getOperands())
    args.push_back(&in(v));
  SmallVector<double, 3> scalars(args.size());
  for (size_t i = 0; i < r.data.size(); ++i) {
    for (size_t k = 0; k < args.size(); ++k)
      scalars[k] = args[k]->data[i];
    r.data[i] = op.evaluate(scalars);
  }
  return r;
}

Tensor Interpreter::compute(Operation *op) {
  auto x = [&]() -> const Tensor & { return in(op->getOperand(0)); };
  auto y = [&]() -> const Tensor & { return in(op->getOperand(1)); };
  return llvm::TypeSwitch<Operation *, Tensor>(op)
      .Case([&](ConstantOp c) { return constant(c); })
      .Case([&](MatmulOp m) { return matmul(m, x(), y()); })
      .Case([&](ReduceSumOp r) {
        return reduce(x(), r.getAxes(), shapeOf(r.getResult()), 0.0,
                      [](double a, double v) { return a + v; });
      })
      .Case([&](ReduceMeanOp r) {
        Tensor s = reduce(x(), r.getAxes(), shapeOf(r.getResult()), 0.0,
                          [](double a, double v) { return a + v; });
        double count = (double)x().numel() / std::max<int64_t>(s.numel(), 1);
        return map1(s, [count](double v) { return v / count; });
      })
      .Case([&](ReduceMaxOp r) {
        return reduce(x(), r.getAxes(), shapeOf(r.getResult()),
                      -std::numeric_limits<double>::infinity(),
                      [](double a, double v) { return std::max(a, v); });
      })
      .Case([&](ArgmaxOp a) { return argmax(a, x()); })
      .Case([&](SoftmaxOp s) { return softmax(x(), s.getAxis(), false); })
      .Case([&](LogSoftmaxOp s) { return softmax(x(), s.getAxis(), true); })
      .Case([&](TransposeOp t) { return transpose(t, x()); })
      .Case([&](ReshapeOp r) {
        return Tensor{shapeOf(r.getResult()), x().data};
      })
      .Case([&](BroadcastInDimOp b) { return broadcast(b, x()); })
      .Case([&](ConcatOp c) {
        SmallVector<const Tensor *> inputs;
        for (Value v : c.getInputs())
          inputs.push_back(&in(v));
        return concat(c, inputs);
      })
      .Case([&](SliceOp s) { return slice(s, x()); })
      .Case([&](OneHotOp o) { return oneHot(o, x()); })
      .Case([&](GatherOp g) { return gather(g, x(), y()); })
      .Case([&](ScatterAddOp s) { return scatterAdd(s, x(), y()); })
      .Case([&](PadOp p) { return pad(p, x()); })
      .Case([&](Conv2dOp c) { return conv2d(c, x(), y()); })
      .Case([&](Im2colOp c) { return im2col(c, x()); })
      .Case([&](Col2imOp c) { return col2im(c, x()); })
      .Case([&](MaxPool2dOp p) { return maxPool2d(p, x()); })
      .Case([&](AvgPool2dOp p) { return avgPool2d(p, x()); })
      .Case([&](RandomUniformOp r) { return randomUniform(r, x()); })
      .Case([&](DropoutOp) { return x(); })
      .Case([&](BatchNormOp b) { return batchNorm(b); })
      .Default([&](Operation *other) -> Tensor {
        auto e = llvm::dyn_cast<ElementwiseOpInterface>(other);
        if (!e) {
          missing = other->getName().getStringRef().str();
          return Tensor{};
        }
        return elementwise(e);
      });
}

llvm::Error Interpreter::scan(ScanOp op) {
  const int64_t length = op.getLength();
  const unsigned nSeq = op.getSequences().size(),
                 nCarry = op.getCarries().size(), nOut = op.getNumStepOutputs();
  Block &body = op.getBody().front();
  std::vector<Tensor> stacked;
  for (unsigned i = 0; i < nOut; ++i)
    stacked.push_back(Tensor::zeros(shapeOf(op.getResult(i))));
  // Copies first: inserting into `values` may move what in() refers to.
  for (auto [k, w] : llvm::enumerate(op.getInvariants())) {
    Tensor v = in(w);
    values[body.getArgument(nSeq + nCarry + k)] = std::move(v);
  }
  for (auto [j, c] : llvm::enumerate(op.getCarries())) {
    Tensor v = in(c);
    values[body.getArgument(nSeq + j)] = std::move(v);
  }
  for (int64_t i = 0; i < length; ++i) {
    const int64_t t = op.getReverse() ? length - 1 - i : i;
    for (auto [k, s] : llvm::enumerate(op.getSequences())) {
      const Tensor &whole = in(s); // read before the insertion below
      Tensor step{
          std::vector<int64_t>(whole.shape.begin() + 1, whole.shape.end()), {}};
      const int64_t n = step.numel();
      step.data.assign(whole.data.begin() + t * n,
                       whole.data.begin() + (t + 1) * n);
      values[body.getArgument(k)] = std::move(step);
    }
    for (Operation &inner : body.without_terminator())
      if (llvm::Error e = run(&inner))
        return e;
    auto yield = cast<YieldOp>(body.getTerminator());
    for (unsigned o = 0; o < nOut; ++o) {
      const Tensor &v = in(yield.getOperand(o));
      std::copy(v.data.begin(), v.data.end(),
                stacked[o].data.begin() + t * v.numel());
    }
    std::vector<Tensor> next;
    for (unsigned j = 0; j < nCarry; ++j)
      next.push_back(in(yield.getOperand(nOut + j)));
    for (unsigned j = 0; j < nCarry; ++j)
      values[body.getArgument(nSeq + j)] = std::move(next[j]);
  }
  for (unsigned o = 0; o < nOut; ++o)
    values[op.getResult(o)] = std::move(stacked[o]);
  for (unsigned j = 0; j < nCarry; ++j) {
    Tensor v = in(body.getArgument(nSeq + j));
    values[op.getResult(nOut + j)] = std::move(v);
  }
  return llvm::Error::success();
}

llvm::Error Interpreter::run(Operation *op) {
  if (auto s = llvm::dyn_cast<ScanOp>(op))
    return scan(s);
  if (op->getNumResults() != 1 || !op->getDialect() ||
      !llvm::isa<HebbDialect>(op->getDialect()))
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "reference evaluator: unsupported op '" +
                                       op->getName().getStringRef().str() +
                                       "'");
  Tensor result = compute(op);
  if (!missing.empty())
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "reference evaluator: no rule for '" +
                                       missing + "'");
  values[op->getResult(0)] = std::move(result);
  return llvm::Error::success();
}

} // namespace

llvm::Expected<std::vector<Tensor>> evaluate(func::FuncOp fn,
                                             llvm::ArrayRef<Tensor> args) {
  auto error = [](const Twine &msg) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), msg.str());
  };
  if (fn.getNumArguments() != args.size())
    return error("reference evaluator: @" + fn.getName() + " takes " +
                 Twine(fn.getNumArguments()) + " arguments, got " +
                 Twine(args.size()));
  Interpreter interp;
  for (auto [arg, value] : llvm::zip(fn.getArguments(), args)) {
    if (shapeOf(arg) != value.shape ||
        (int64_t)value.data.size() != value.numel())
      return error("reference evaluator: argument " +
                   Twine(arg.getArgNumber()) + " has the wrong shape");
    interp.values[arg] = value;
  }
  std::vector<Tensor> results;
  for (Operation &op : fn.getBody().front()) {
    if (auto ret = llvm::dyn_cast<func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        results.push_back(interp.values[v]);
      return results;
    }
    if (llvm::Error e = interp.run(&op))
      return std::move(e);
  }
  return error("reference evaluator: @" + fn.getName() + " has no return");
}

} // namespace hebb::reference
