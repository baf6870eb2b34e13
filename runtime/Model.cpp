//===- Model.cpp - contexts of compiled models ----------------------------===//
//
// A context holds every tensor a compiled model's entries read or write:
// parameters and optimizer state twice (the step reads one copy and writes
// the other, then they swap), and the scalars of a call. Their sizes come
// from the descriptor's interface JSON; their bytes live in one block, the
// caller's (hebb_model_init_in) or allocated here (hebb_model_create).
//
//===----------------------------------------------------------------------===//

#include "hebb/model.h"
#include "hebb/runtime.h"

#include "Interface.h"
#include "ModelContext.h"
#include "Status.h"
#include "cuda/DeviceModel.h"

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace hebb::rt;

namespace {

constexpr size_t kAlign = 64;
size_t aligned(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

/// The descriptor's interface, or false with `error` set.
bool parse(const hebb_model_desc *desc, Interface &out, std::string &error) {
  if (!desc || desc->abi != HEBB_MODEL_ABI || !desc->interface ||
      !desc->forward || desc->device > HEBB_DEVICE_CUDA) {
    error = "model descriptor: wrong ABI version or no entries (object from "
            "another hebb?)";
    return false;
  }
  if (!parseInterface(desc->interface, out, error))
    return false;
  // A program may hold eval without train_step (`hebb eval`).
  if (out.trainable && !desc->eval) {
    error = "model descriptor: training without an eval entry";
    return false;
  }
  return true;
}

/// Places every tensor of a context from `base` on (64-byte aligned
/// slots) and returns the bytes used: the one description of the layout,
/// also used (with base 0) to size it.
size_t layout(hebb_model *ctx, uintptr_t base) {
  size_t used = 0;
  auto take = [&](size_t bytes) {
    void *r = reinterpret_cast<void *>(base + used);
    used += aligned(bytes);
    return r;
  };
  for (int copy = 0; copy < 2; ++copy) {
    auto &ps = copy ? ctx->next : ctx->params;
    auto &ss = copy ? ctx->nextState : ctx->state;
    ps.clear();
    ss.clear();
    for (auto &q : ctx->m.params)
      ps.push_back(take(q.bytes()));
    for (size_t i = 0; i < ctx->m.training.state.size(); ++i)
      ss.push_back(take(ctx->paramOf(i).bytes()));
  }
  ctx->loss = (float *)take(8);
  ctx->lr = (float *)take(8);
  ctx->step = (float *)take(8);
  ctx->evalLoss = (float *)take(8);
  ctx->seed = (int32_t *)take(8);
  ctx->scratch = take((size_t)ctx->desc->scratch_bytes);
  ctx->packed = (float *)take(size_t(ctx->m.packedFloats) * sizeof(float));
  return used;
}

hebb_status place(hebb_model *ctx, char *memory) {
  layout(ctx, reinterpret_cast<uintptr_t>(memory));
  // The longest argument list: train_step's.
  ctx->args.reserve(2 * ctx->m.inputs.size() + 2 * ctx->m.outputs.size() +
                    3 * ctx->m.params.size() +
                    2 * ctx->m.training.state.size() + 16);
  if (hebb_status s = hebb_model_init_params(ctx, 0))
    return s;
  if (!ctx->desc->weights)
    return HEBB_OK;
  hebb_safetensors *file = nullptr;
  std::string label = ctx->m.name + " (embedded weights)";
  if (hebb_status s = hebb_safetensors_open_memory(
          ctx->desc->weights, ctx->desc->weights_size, label.c_str(), &file))
    return s;
  return loadFrom(ctx, file, label);
}

} // namespace

extern "C" size_t hebb_model_memory_size(const hebb_model_desc *desc) {
  hebb_model sizing;
  std::string error;
  if (!parse(desc, sizing.m, error))
    return 0;
  sizing.desc = desc;
  return layout(&sizing, 0);
}

extern "C" hebb_status hebb_model_init_in(const hebb_model_desc *desc,
                                          void *memory, size_t size,
                                          hebb_model **out) {
  if (!out || !memory)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_init_in: null argument");
  *out = nullptr;
  std::string error;
  Interface iface;
  if (!parse(desc, iface, error))
    return fail(HEBB_ERR_FORMAT, error);
  size_t need = hebb_model_memory_size(desc);
  if (size < need || (uintptr_t)memory % kAlign)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_init_in: the block must be 64-byte aligned and "
                "at least " +
                    std::to_string(need) + " bytes");
  auto *ctx = new (std::nothrow) hebb_model();
  if (!ctx)
    return fail(HEBB_ERR_NO_MEMORY, "hebb_model_init_in: out of memory");
  ctx->desc = desc;
  ctx->m = std::move(iface);
  for (auto [data, view] :
       {std::pair{&ctx->m.training.inlineX, &ctx->inlineX},
        std::pair{&ctx->m.training.inlineY, &ctx->inlineY}}) {
    view->dtype = HEBB_F64;
    view->rank = (int32_t)data->shape.size();
    std::copy(data->shape.begin(), data->shape.end(), view->shape);
    view->data = data->values.data();
  }
  std::memset(memory, 0, need);
  hebb_status s = place(ctx, (char *)memory);
  if (s == HEBB_OK && desc->device == HEBB_DEVICE_CUDA)
    s = hebb::cuda::attach(ctx, layout);
  if (s != HEBB_OK) {
    delete ctx;
    return s;
  }
  *out = ctx;
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_create(const hebb_model_desc *desc,
                                         hebb_model **out) {
  if (!out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_create: null argument");
  *out = nullptr;
  std::string error;
  Interface iface;
  if (!parse(desc, iface, error))
    return fail(HEBB_ERR_FORMAT, error);
  size_t need = hebb_model_memory_size(desc);
  void *memory = std::aligned_alloc(kAlign, aligned(need));
  if (!memory)
    return fail(HEBB_ERR_NO_MEMORY, "hebb_model_create: cannot allocate " +
                                        std::to_string(need) + " bytes");
  hebb_status s = hebb_model_init_in(desc, memory, aligned(need), out);
  if (s != HEBB_OK) {
    std::free(memory);
    return s;
  }
  (*out)->owned = memory;
  return HEBB_OK;
}

extern "C" void hebb_model_destroy(hebb_model *ctx) {
  if (!ctx)
    return;
  hebb::cuda::detach(ctx);
  std::free(ctx->owned);
  delete ctx;
}

extern "C" hebb_status hebb_model_init_params(hebb_model *ctx, uint64_t seed) {
  if (!ctx)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_init_params: null model");
  for (size_t i = 0; i < ctx->m.params.size(); ++i) {
    const ParamDecl &p = ctx->m.params[i];
    hebb_tensor t = view(p, ctx->params[i]);
    if (!p.values.empty()) {
      float *d = (float *)t.data;
      for (size_t k = 0; k < p.values.size(); ++k)
        d[k] = (float)p.values[k];
    } else if (hebb_status s = hebb_init_fill(&t, &p.init, seed, i)) {
      return s;
    }
    if (p.zeroRow >= 0) {
      const int64_t row = p.numel() / p.shape[0];
      std::memset((float *)t.data + p.zeroRow * row, 0, size_t(row) * 4);
    }
  }
  for (size_t i = 0; i < ctx->state.size(); ++i)
    std::memset(ctx->state[i], 0, ctx->paramOf(i).bytes());
  ctx->seedValue = seed;
  ctx->steps = 0;
  ctx->packsStale = true;
  if (ctx->device) {
    ctx->device->deviceStale = true;
    ctx->device->hostStale = false;
  }
  return HEBB_OK;
}

namespace {

/// The arguments of each entry from `c`'s tensors (the host context or its
/// device mirror) and the call's buffers: one description for both.
void inferArgs(hebb_model *c, const void *const *inputs, void *const *outputs) {
  std::vector<void *> &args = c->args;
  args.clear();
  for (size_t i = 0; i < c->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.insert(args.end(), c->params.begin(), c->params.end());
  for (size_t i = 0; i < c->m.outputs.size(); ++i)
    args.push_back(outputs[i]);
  args.push_back(c->scratch);
  if (c->m.packedFloats)
    args.push_back(c->packed);
}

void trainArgs(hebb_model *c, const void *const *inputs, const void *labels) {
  std::vector<void *> &args = c->args;
  args.clear();
  for (size_t i = 0; i < c->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.push_back(const_cast<void *>(labels));
  if (c->m.training.seeded)
    args.push_back(c->seed);
  args.insert(args.end(), c->params.begin(), c->params.end());
  args.insert(args.end(), c->state.begin(), c->state.end());
  args.push_back(c->lr);
  args.push_back(c->step);
  args.push_back(c->loss);
  for (size_t i = 0; i < c->m.params.size(); ++i)
    if (!c->m.params[i].buffer)
      args.push_back(c->next[i]);
  args.insert(args.end(), c->nextState.begin(), c->nextState.end());
  for (size_t i = 0; i < c->m.params.size(); ++i)
    if (c->m.params[i].buffer)
      args.push_back(c->next[i]);
  args.push_back(c->scratch);
}

void evalArgs(hebb_model *c, const void *const *inputs, const void *labels,
              void *const *outputs) {
  std::vector<void *> &args = c->args;
  args.clear();
  for (size_t i = 0; i < c->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.push_back(const_cast<void *>(labels));
  args.insert(args.end(), c->params.begin(), c->params.end());
  args.push_back(c->evalLoss);
  for (size_t i = 0; i < c->m.outputs.size(); ++i)
    args.push_back(outputs[i]);
  args.push_back(c->scratch);
  if (c->m.packedFloats)
    args.push_back(c->packed);
}

/// Packs the weights the inference entries read packed, if the parameters
/// may have changed since the last time.
void refreshPacks(hebb_model *c) {
  if (!c->packsStale)
    return;
  for (const hebb::rt::PackDecl &p : c->m.packs)
    hebb_sgemm_pack_b(p.n, p.k, (const float *)c->params[p.param], p.rs, p.cs,
                      c->packed + p.offset);
  c->packsStale = false;
}

/// The step after a training step: the copies swap, the count grows.
void advance(hebb_model *c) {
  std::swap(c->params, c->next);
  std::swap(c->state, c->nextState);
}

/// A GPU call's inputs (and labels) in the device buffers, parameters
/// there too.
hebb_status toDevice(hebb_model *ctx, const void *const *inputs,
                     const void *labels) {
  hebb::cuda::DeviceModel &d = *ctx->device;
  if (hebb_status s = hebb::cuda::upload(ctx))
    return s;
  for (size_t i = 0; i < ctx->m.inputs.size(); ++i)
    if (hebb_status s = hebb::cuda::copyIn(ctx, d.inputs[i], inputs[i],
                                           ctx->m.inputs[i].bytes()))
      return s;
  if (labels)
    return hebb::cuda::copyIn(ctx, d.labels, labels,
                              ctx->m.training.labels.bytes());
  return HEBB_OK;
}

/// A GPU call's outputs back to the caller's buffers (null ones skipped).
hebb_status fromDevice(hebb_model *ctx, void *const *outputs) {
  for (size_t i = 0; outputs && i < ctx->m.outputs.size(); ++i)
    if (outputs[i])
      if (hebb_status s =
              hebb::cuda::copyOut(ctx, outputs[i], ctx->device->outputs[i],
                                  ctx->m.outputs[i].bytes()))
        return s;
  return HEBB_OK;
}

hebb_status inferOnDevice(hebb_model *ctx, const void *const *inputs,
                          void *const *outputs) {
  hebb::cuda::DeviceModel &d = *ctx->device;
  if (hebb_status s = toDevice(ctx, inputs, nullptr))
    return s;
  inferArgs(&d.mirror, d.inputs.data(), d.outputs.data());
  hebb::cuda::run(ctx, ctx->desc->forward, d.mirror.args.data());
  if (hebb_status s = hebb::cuda::finish(ctx, "forward"))
    return s;
  return fromDevice(ctx, outputs);
}

hebb_status trainOnDevice(hebb_model *ctx, const void *const *inputs,
                          const void *labels) {
  hebb::cuda::DeviceModel &d = *ctx->device;
  if (hebb_status s = toDevice(ctx, inputs, labels))
    return s;
  // The scalars (loss, lr, step, eval loss, seed) are adjacent slots.
  size_t scalars = (char *)(ctx->seed + 2) - (char *)ctx->loss;
  if (hebb_status s =
          hebb::cuda::copyIn(ctx, d.mirror.loss, ctx->loss, scalars))
    return s;
  trainArgs(&d.mirror, d.inputs.data(), d.labels);
  hebb::cuda::run(ctx, ctx->desc->train_step, d.mirror.args.data());
  if (hebb_status s = hebb::cuda::finish(ctx, "train_step"))
    return s;
  advance(&d.mirror);
  d.hostStale = true;
  return hebb::cuda::copyOut(ctx, ctx->loss, d.mirror.loss, sizeof(float));
}

hebb_status evalOnDevice(hebb_model *ctx, const void *const *inputs,
                         const void *labels, void *const *outputs) {
  hebb::cuda::DeviceModel &d = *ctx->device;
  if (hebb_status s = toDevice(ctx, inputs, labels))
    return s;
  evalArgs(&d.mirror, d.inputs.data(), d.labels, d.outputs.data());
  hebb::cuda::run(ctx, ctx->desc->eval, d.mirror.args.data());
  if (hebb_status s = hebb::cuda::finish(ctx, "eval"))
    return s;
  if (hebb_status s = hebb::cuda::copyOut(ctx, ctx->evalLoss, d.mirror.evalLoss,
                                          sizeof(float)))
    return s;
  return fromDevice(ctx, outputs);
}

} // namespace

extern "C" hebb_status hebb_model_infer(hebb_model *ctx,
                                        const void *const *inputs,
                                        void *const *outputs) {
  if (!ctx || !inputs || !outputs)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_infer: null argument");
  if (ctx->device)
    return inferOnDevice(ctx, inputs, outputs);
  refreshPacks(ctx);
  inferArgs(ctx, inputs, outputs);
  ctx->desc->forward(ctx->args.data());
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_train_step(hebb_model *ctx,
                                             const void *const *inputs,
                                             const void *labels, float lr,
                                             float *loss) {
  if (!ctx || !inputs || !labels)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_train_step: null argument");
  if (!ctx->m.trainable || !ctx->desc->train_step)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                ctx->m.name + ": compiled without a training step");
  *ctx->lr = lr > 0 ? lr : (float)ctx->m.training.lr;
  *ctx->step = (float)(ctx->steps + 1);
  ctx->seed[0] = (int32_t)(uint32_t)ctx->seedValue;
  ctx->seed[1] = (int32_t)(uint32_t)(ctx->steps + 1);
  if (ctx->device) {
    if (hebb_status s = trainOnDevice(ctx, inputs, labels))
      return s;
  } else {
    trainArgs(ctx, inputs, labels);
    ctx->desc->train_step(ctx->args.data());
    advance(ctx);
    ctx->packsStale = true;
  }
  ++ctx->steps;
  if (loss)
    *loss = *ctx->loss;
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_eval(hebb_model *ctx,
                                       const void *const *inputs,
                                       const void *labels, float *loss,
                                       void *const *outputs) {
  if (!ctx || !inputs || !labels)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_eval: null argument");
  if (!ctx->m.trainable)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                ctx->m.name + ": compiled without a training section");
  if (ctx->device) {
    if (hebb_status s = evalOnDevice(ctx, inputs, labels, outputs))
      return s;
  } else {
    // Outputs the caller does not want still need somewhere to go.
    std::vector<std::vector<char>> unwanted;
    std::vector<void *> out;
    for (size_t i = 0; i < ctx->m.outputs.size(); ++i) {
      if (outputs && outputs[i]) {
        out.push_back(outputs[i]);
      } else {
        unwanted.emplace_back(ctx->m.outputs[i].bytes());
        out.push_back(unwanted.back().data());
      }
    }
    refreshPacks(ctx);
    evalArgs(ctx, inputs, labels, out.data());
    ctx->desc->eval(ctx->args.data());
  }
  if (loss)
    *loss = *ctx->evalLoss;
  return HEBB_OK;
}
