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

#include "Status.h"

#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <string>
#include <vector>

using namespace hebb::rt;

namespace {

struct Spec {
  std::string name;
  hebb_dtype dtype = HEBB_F32;
  std::vector<int64_t> shape;
  size_t bytes = 0;
};

struct ParamInfo : Spec {
  bool buffer = false;
  hebb_init init{};
  std::vector<double> values;
};

struct Interface {
  std::string name;
  std::vector<Spec> inputs, outputs;
  Spec labels;
  bool trainable = false, seeded = false;
  double lr = 0;
  std::vector<ParamInfo> params;
  std::vector<std::string> state;  // "<param>.<slot>"
  std::vector<size_t> stateParam;  // index into params
  size_t scratch = 0;              // bytes of the entries' temporaries
};

constexpr size_t kAlign = 64;
size_t aligned(size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

bool readSpec(const nlohmann::json &j, Spec &s) {
  s.name = j.at("name").get<std::string>();
  std::string dt = j.at("dtype").get<std::string>();
  s.dtype = dt == "f32" ? HEBB_F32 : dt == "i32" ? HEBB_I32 : HEBB_F64;
  s.shape = j.at("shape").get<std::vector<int64_t>>();
  int64_t n = 1;
  for (int64_t d : s.shape)
    n *= d;
  s.bytes = (size_t)n * hebb_dtype_size(s.dtype);
  return true;
}

bool parse(const hebb_model_desc *desc, Interface &out) {
  if (!desc || desc->abi != HEBB_MODEL_ABI || !desc->interface ||
      !desc->forward)
    return false;
  try {
    auto j = nlohmann::json::parse(desc->interface);
    out.name = j.at("name").get<std::string>();
    for (auto &x : j.at("inputs"))
      readSpec(x, out.inputs.emplace_back());
    for (auto &x : j.at("outputs"))
      readSpec(x, out.outputs.emplace_back());
    for (auto &x : j.at("params")) {
      ParamInfo &p = out.params.emplace_back();
      readSpec(x, p);
      p.buffer = x.value("buffer", false);
      auto &i = x.at("init");
      p.init.kind = (hebb_init_kind)i.at("kind").get<int>();
      p.init.a = i.at("a").get<double>();
      p.init.b = i.at("b").get<double>();
      p.init.fan_in = i.at("fan_in").get<int64_t>();
      p.init.fan_out = i.at("fan_out").get<int64_t>();
      if (x.contains("values"))
        p.values = x.at("values").get<std::vector<double>>();
    }
    if (j.contains("training")) {
      auto &t = j.at("training");
      out.trainable = true;
      readSpec(t.at("labels"), out.labels);
      out.seeded = t.value("seeded", false);
      out.lr = t.at("lr").get<double>();
      for (auto &s : t.at("state"))
        out.state.push_back(s.get<std::string>());
      out.stateParam = t.at("state_param").get<std::vector<size_t>>();
    }
  } catch (const std::exception &) {
    return false;
  }
  out.scratch = (size_t)desc->scratch_bytes;
  // A program may hold eval without train_step (`hebb eval`).
  return !out.trainable ||
         (desc->eval && out.stateParam.size() == out.state.size());
}

} // namespace

struct hebb_model {
  const hebb_model_desc *desc;
  Interface m;
  void *owned = nullptr;
  std::vector<void *> params, next, state, nextState;
  float *loss, *lr, *step, *evalLoss;
  int32_t *seed;
  void *scratch;
  /// Argument arrays are filled in place: a call allocates nothing.
  std::vector<void *> args;
  uint64_t seedValue = 0;
  int64_t steps = 0;
};

namespace {
/// Copies parameters (required), optimizer state and progress (optional)
/// from `file`, which it closes. Everything is read before anything is
/// written: a failure leaves the context unchanged.
hebb_status loadFrom(hebb_model *ctx, hebb_safetensors *file,
                     const char *path) {
  enum Kind { Param, State, Progress };
  struct Loaded {
    void *dst;
    hebb_tensor t;
    Kind kind;
  };
  Kind kind = Param;
  std::vector<Loaded> loaded;
  auto cleanup = [&](hebb_status s) {
    for (auto &l : loaded)
      hebb_tensor_free(&l.t);
    hebb_safetensors_close(file);
    return s;
  };
  auto get = [&](const std::string &name, const Spec &spec, void *dst,
                 bool required) -> hebb_status {
    hebb_tensor t;
    if (hebb_safetensors_get(file, name.c_str(), &t) != HEBB_OK)
      return required ? fail(HEBB_ERR_NOT_FOUND, std::string(path) +
                                                     ": no tensor named '" +
                                                     name + "'")
                      : HEBB_OK;
    if (t.dtype != spec.dtype || hebb_tensor_nbytes(&t) != spec.bytes) {
      hebb_tensor_free(&t);
      return fail(HEBB_ERR_SHAPE, std::string(path) + ": tensor '" + name +
                                      "' does not match the model's " +
                                      "type and shape");
    }
    loaded.push_back({dst, t, kind});
    return HEBB_OK;
  };
  for (size_t i = 0; i < ctx->m.params.size(); ++i)
    if (hebb_status s = get(ctx->m.params[i].name, ctx->m.params[i],
                            ctx->params[i], true))
      return cleanup(s);
  size_t params = loaded.size();
  kind = State;
  for (size_t i = 0; i < ctx->state.size(); ++i)
    if (hebb_status s = get("optimizer." + ctx->m.state[i],
                            ctx->m.params[ctx->m.stateParam[i]], ctx->state[i],
                            false))
      return cleanup(s);
  bool withState = loaded.size() == params + ctx->state.size();
  double progress[2] = {0, 0};
  Spec ps;
  ps.dtype = HEBB_F64;
  ps.shape = {2};
  ps.bytes = 16;
  kind = Progress;
  if (hebb_status s = get("optimizer.progress", ps, progress, false))
    return cleanup(s);
  for (size_t i = 0; i < ctx->state.size(); ++i)
    std::memset(ctx->state[i], 0, ctx->m.params[ctx->m.stateParam[i]].bytes);
  for (size_t k = 0; k < loaded.size(); ++k)
    if (loaded[k].kind != State || withState)
      std::memcpy(loaded[k].dst, loaded[k].t.data,
                  hebb_tensor_nbytes(&loaded[k].t));
  ctx->steps = (int64_t)progress[0];
  return cleanup(HEBB_OK);
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
      ps.push_back(take(q.bytes));
    for (size_t q : ctx->m.stateParam)
      ss.push_back(take(ctx->m.params[q].bytes));
  }
  ctx->loss = (float *)take(8);
  ctx->lr = (float *)take(8);
  ctx->step = (float *)take(8);
  ctx->evalLoss = (float *)take(8);
  ctx->seed = (int32_t *)take(8);
  ctx->scratch = take(ctx->m.scratch);
  return used;
}

hebb_status place(hebb_model *ctx, char *memory) {
  layout(ctx, reinterpret_cast<uintptr_t>(memory));
  // The longest argument list: train_step's.
  ctx->args.reserve(2 * ctx->m.inputs.size() + 2 * ctx->m.outputs.size() +
                    3 * ctx->m.params.size() + 2 * ctx->m.state.size() + 16);
  if (hebb_status s = hebb_model_init_params(ctx, 0))
    return s;
  if (!ctx->desc->weights)
    return HEBB_OK;
  hebb_safetensors *file = nullptr;
  std::string label = ctx->m.name + " (embedded weights)";
  if (hebb_status s = hebb_safetensors_open_memory(
          ctx->desc->weights, ctx->desc->weights_size, label.c_str(), &file))
    return s;
  return loadFrom(ctx, file, label.c_str());
}

hebb_tensor view(const Spec &s, void *data) {
  hebb_tensor t{};
  t.dtype = s.dtype;
  t.rank = (int32_t)s.shape.size();
  for (size_t i = 0; i < s.shape.size(); ++i)
    t.shape[i] = s.shape[i];
  t.data = data;
  return t;
}
} // namespace

extern "C" size_t hebb_model_memory_size(const hebb_model_desc *desc) {
  hebb_model sizing{};
  if (!parse(desc, sizing.m))
    return 0;
  return layout(&sizing, 0);
}

extern "C" hebb_status hebb_model_init_in(const hebb_model_desc *desc,
                                          void *memory, size_t size,
                                          hebb_model **out) {
  if (!out || !memory)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_init_in: null argument");
  *out = nullptr;
  size_t need = hebb_model_memory_size(desc);
  if (need == 0)
    return fail(HEBB_ERR_FORMAT, "model descriptor: wrong ABI version or "
                                 "malformed interface (object from another hebb?)");
  if (size < need || (uintptr_t)memory % kAlign)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_init_in: the block must be 64-byte aligned and "
                "at least " + std::to_string(need) + " bytes");
  auto *ctx = new (std::nothrow) hebb_model();
  if (!ctx)
    return fail(HEBB_ERR_NO_MEMORY, "hebb_model_init_in: out of memory");
  ctx->desc = desc;
  parse(desc, ctx->m);
  std::memset(memory, 0, need);
  if (hebb_status s = place(ctx, (char *)memory)) {
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
  size_t need = hebb_model_memory_size(desc);
  if (need == 0)
    return fail(HEBB_ERR_FORMAT, "model descriptor: wrong ABI version or "
                                 "malformed interface (object from another hebb?)");
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
  std::free(ctx->owned);
  delete ctx;
}

extern "C" hebb_status hebb_model_init_params(hebb_model *ctx, uint64_t seed) {
  if (!ctx)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_init_params: null model");
  for (size_t i = 0; i < ctx->m.params.size(); ++i) {
    const ParamInfo &p = ctx->m.params[i];
    hebb_tensor t = view(p, ctx->params[i]);
    if (!p.values.empty()) {
      float *d = (float *)t.data;
      for (size_t k = 0; k < p.values.size(); ++k)
        d[k] = (float)p.values[k];
    } else if (hebb_status s = hebb_init_fill(&t, &p.init, seed, i)) {
      return s;
    }
  }
  for (size_t i = 0; i < ctx->state.size(); ++i)
    std::memset(ctx->state[i], 0, ctx->m.params[ctx->m.stateParam[i]].bytes);
  ctx->seedValue = seed;
  ctx->steps = 0;
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_infer(hebb_model *ctx,
                                        const void *const *inputs,
                                        void *const *outputs) {
  if (!ctx || !inputs || !outputs)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_infer: null argument");
  std::vector<void *> &args = ctx->args;
  args.clear();
  for (size_t i = 0; i < ctx->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.insert(args.end(), ctx->params.begin(), ctx->params.end());
  for (size_t i = 0; i < ctx->m.outputs.size(); ++i)
    args.push_back(outputs[i]);
  args.push_back(ctx->scratch);
  ctx->desc->forward(args.data());
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_train_step(hebb_model *ctx,
                                             const void *const *inputs,
                                             const void *labels, float lr,
                                             float *loss) {
  if (!ctx || !inputs || !labels)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_train_step: null argument");
  if (!ctx->m.trainable || !ctx->desc->train_step)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                ctx->m.name + ": compiled without a training step");
  *ctx->lr = lr > 0 ? lr : (float)ctx->m.lr;
  *ctx->step = (float)(ctx->steps + 1);
  ctx->seed[0] = (int32_t)(uint32_t)ctx->seedValue;
  ctx->seed[1] = (int32_t)(uint32_t)(ctx->steps + 1);
  std::vector<void *> &args = ctx->args;
  args.clear();
  for (size_t i = 0; i < ctx->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.push_back(const_cast<void *>(labels));
  if (ctx->m.seeded)
    args.push_back(ctx->seed);
  args.insert(args.end(), ctx->params.begin(), ctx->params.end());
  args.insert(args.end(), ctx->state.begin(), ctx->state.end());
  args.push_back(ctx->lr);
  args.push_back(ctx->step);
  args.push_back(ctx->loss);
  for (size_t i = 0; i < ctx->m.params.size(); ++i)
    if (!ctx->m.params[i].buffer)
      args.push_back(ctx->next[i]);
  args.insert(args.end(), ctx->nextState.begin(), ctx->nextState.end());
  for (size_t i = 0; i < ctx->m.params.size(); ++i)
    if (ctx->m.params[i].buffer)
      args.push_back(ctx->next[i]);
  args.push_back(ctx->scratch);
  ctx->desc->train_step(args.data());
  std::swap(ctx->params, ctx->next);
  std::swap(ctx->state, ctx->nextState);
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
  std::vector<std::vector<char>> scratch;
  std::vector<void *> &args = ctx->args;
  args.clear();
  for (size_t i = 0; i < ctx->m.inputs.size(); ++i)
    args.push_back(const_cast<void *>(inputs[i]));
  args.push_back(const_cast<void *>(labels));
  args.insert(args.end(), ctx->params.begin(), ctx->params.end());
  args.push_back(ctx->evalLoss);
  for (size_t i = 0; i < ctx->m.outputs.size(); ++i) {
    if (outputs) {
      args.push_back(outputs[i]);
    } else {
      scratch.emplace_back(ctx->m.outputs[i].bytes);
      args.push_back(scratch.back().data());
    }
  }
  args.push_back(ctx->scratch);
  ctx->desc->eval(args.data());
  if (loss)
    *loss = *ctx->evalLoss;
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_param(hebb_model *ctx, const char *name,
                                        hebb_tensor *out) {
  if (!ctx || !name || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_param: null argument");
  for (size_t i = 0; i < ctx->m.params.size(); ++i)
    if (ctx->m.params[i].name == name) {
      *out = view(ctx->m.params[i], ctx->params[i]);
      return HEBB_OK;
    }
  return fail(HEBB_ERR_NOT_FOUND,
              ctx->m.name + ": no parameter named '" + name + "'");
}

extern "C" int64_t hebb_model_steps(const hebb_model *ctx) {
  return ctx ? ctx->steps : 0;
}

namespace {
hebb_status save(hebb_model *ctx, const char *path, bool withState) {
  if (!ctx || !path)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_save: null argument");
  std::vector<std::string> names;
  std::vector<hebb_tensor> tensors;
  for (size_t i = 0; i < ctx->m.params.size(); ++i) {
    names.push_back(ctx->m.params[i].name);
    tensors.push_back(view(ctx->m.params[i], ctx->params[i]));
  }
  for (size_t i = 0; withState && i < ctx->state.size(); ++i) {
    names.push_back("optimizer." + ctx->m.state[i]);
    tensors.push_back(view(ctx->m.params[ctx->m.stateParam[i]], ctx->state[i]));
  }
  double progress[2] = {(double)ctx->steps, 0};
  Spec ps;
  ps.dtype = HEBB_F64;
  ps.shape = {2};
  if (ctx->m.trainable && withState) {
    names.push_back("optimizer.progress");
    tensors.push_back(view(ps, progress));
  }
  std::vector<const char *> cnames;
  for (auto &n : names)
    cnames.push_back(n.c_str());
  return hebb_safetensors_write(path, cnames.size(), cnames.data(),
                                tensors.data());
}
} // namespace

extern "C" hebb_status hebb_model_save(hebb_model *ctx, const char *path) {
  return save(ctx, path, true);
}

extern "C" hebb_status hebb_model_save_parameters(hebb_model *ctx,
                                                  const char *path) {
  return save(ctx, path, false);
}


extern "C" hebb_status hebb_model_load(hebb_model *ctx, const char *path) {
  if (!ctx || !path)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_load: null argument");
  hebb_safetensors *file = nullptr;
  if (hebb_status s = hebb_safetensors_open(path, &file))
    return s;
  return loadFrom(ctx, file, path);
}

extern "C" const char *hebb_model_interface(const hebb_model *ctx) {
  return ctx ? ctx->desc->interface : "";
}
