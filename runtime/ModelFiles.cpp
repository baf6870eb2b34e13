//===- ModelFiles.cpp - checkpoints of model contexts ---------------------===//
//
// Safetensors with parameters under their PyTorch names, optimizer state as
// optimizer.<param>.<slot> and optimizer.progress = [step, epoch] (f64).
// Loading checks every tensor's dtype and full shape against the
// interface before it copies anything.
//
//===----------------------------------------------------------------------===//

#include "ModelContext.h"
#include "Status.h"
#include "cuda/DeviceModel.h"

#include <cmath>
#include <cstring>
#include <string>

namespace hebb::rt {

namespace {

std::string shapeText(const int64_t *dims, size_t rank) {
  std::string s = "[";
  for (size_t i = 0; i < rank; ++i)
    s += (i ? ", " : "") + std::to_string(dims[i]);
  return s + "]";
}

/// Fails unless `t` has `want`'s shape; hints at a transpose.
hebb_status checkShape(const hebb_tensor &t, const TensorDecl &want,
                       const std::string &where) {
  std::vector<int64_t> got(t.shape, t.shape + t.rank);
  if (got == want.shape)
    return HEBB_OK;
  std::string msg = where + " has shape " + shapeText(t.shape, t.rank) +
                    ", the model expects " +
                    shapeText(want.shape.data(), want.shape.size());
  if (got.size() == 2 && want.shape.size() == 2 && got[0] == want.shape[1] &&
      got[1] == want.shape[0])
    msg += " (transposed? PyTorch Linear weights are [out, in], Keras "
           "kernels [in, out])";
  return fail(HEBB_ERR_SHAPE, msg);
}

struct Loaded {
  void *dst;
  hebb_tensor t;
};

/// Reads tensor `name` as `decl` (converting f64 to f32) into `out`;
/// `found` says whether the file has it.
hebb_status read(hebb_safetensors *file, const std::string &path,
                 const std::string &name, const TensorDecl &decl, void *dst,
                 std::vector<Loaded> &out, bool &found) {
  hebb_tensor t;
  found = hebb_safetensors_get(file, name.c_str(), &t) == HEBB_OK;
  if (!found)
    return HEBB_OK;
  std::string where = path + ": tensor '" + name + "'";
  if (hebb_status s = checkShape(t, decl, where)) {
    hebb_tensor_free(&t);
    return s;
  }
  if (t.dtype != decl.dtype) {
    hebb_tensor converted;
    hebb_status s = hebb_tensor_convert(&t, decl.dtype, &converted);
    hebb_tensor_free(&t);
    if (s)
      return fail(s, where + ": " + hebb_last_error());
    t = converted;
  }
  if (t.dtype == HEBB_F32) {
    const float *v = (const float *)t.data;
    for (int64_t i = 0, n = hebb_tensor_numel(&t); i < n; ++i)
      if (!std::isfinite(v[i])) {
        std::string value = std::to_string(v[i]);
        hebb_tensor_free(&t);
        return fail(HEBB_ERR_FORMAT, where + ": element " + std::to_string(i) +
                                         " is " + value +
                                         " (parameters must be finite)");
      }
  }
  out.push_back({dst, t});
  return HEBB_OK;
}

/// The step count of optimizer.progress, checked: a whole number in
/// [0, 2^53].
hebb_status readProgress(hebb_safetensors *file, const std::string &path,
                         int64_t &steps, bool &found) {
  TensorDecl decl;
  decl.dtype = HEBB_F64;
  decl.shape = {2};
  std::vector<Loaded> got;
  double progress[2];
  if (hebb_status s =
          read(file, path, "optimizer.progress", decl, progress, got, found))
    return s;
  if (!found)
    return HEBB_OK;
  double step = ((const double *)got[0].t.data)[0];
  hebb_tensor_free(&got[0].t);
  if (!(step >= 0 && step <= 9007199254740992.0) || step != std::floor(step))
    return fail(HEBB_ERR_FORMAT, path + ": optimizer.progress holds step " +
                                     std::to_string(step) +
                                     ", not a whole number of steps");
  steps = (int64_t)step;
  return HEBB_OK;
}

hebb_status loadAll(hebb_model *ctx, hebb_safetensors *file,
                    const std::string &path, std::vector<Loaded> &loaded,
                    int64_t &steps) {
  bool found;
  for (size_t i = 0; i < ctx->m.params.size(); ++i) {
    const ParamDecl &p = ctx->m.params[i];
    if (hebb_status s =
            read(file, path, p.name, p, ctx->params[i], loaded, found))
      return s;
    if (!found)
      return fail(HEBB_ERR_NOT_FOUND, path + ": no tensor named '" + p.name +
                                          "' (the model's parameter)");
  }
  size_t params = loaded.size();
  std::string missing;
  for (size_t i = 0; i < ctx->state.size(); ++i) {
    std::string name = "optimizer." + ctx->m.training.state[i].name;
    if (hebb_status s = read(file, path, name, ctx->paramOf(i), ctx->state[i],
                             loaded, found))
      return s;
    if (!found && missing.empty())
      missing = name;
  }
  size_t states = loaded.size() - params;
  if (states > 0 && states < ctx->state.size())
    return fail(HEBB_ERR_NOT_FOUND,
                path + ": optimizer state is incomplete: no tensor named '" +
                    missing + "'");
  return readProgress(file, path, steps, found);
}

} // namespace

hebb_status loadFrom(hebb_model *ctx, hebb_safetensors *file,
                     const std::string &path) {
  std::vector<Loaded> loaded;
  int64_t steps = 0;
  hebb_status s = loadAll(ctx, file, path, loaded, steps);
  hebb_safetensors_close(file);
  if (s == HEBB_OK) {
    for (size_t i = 0; i < ctx->state.size(); ++i)
      std::memset(ctx->state[i], 0, ctx->paramOf(i).bytes());
    for (Loaded &l : loaded)
      std::memcpy(l.dst, l.t.data, hebb_tensor_nbytes(&l.t));
    ctx->steps = steps;
    ctx->packsStale = true;
    if (ctx->device) {
      ctx->device->hostStale = false;
      ctx->device->deviceStale = true;
    }
  }
  for (Loaded &l : loaded)
    hebb_tensor_free(&l.t);
  return s;
}

namespace {
hebb_status save(hebb_model *ctx, const char *path, bool withState) {
  if (!ctx || !path)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_save: null argument");
  if (hebb_status s = hebb::cuda::download(ctx))
    return s;
  std::vector<std::string> names;
  std::vector<hebb_tensor> tensors;
  for (size_t i = 0; i < ctx->m.params.size(); ++i) {
    names.push_back(ctx->m.params[i].name);
    tensors.push_back(view(ctx->m.params[i], ctx->params[i]));
  }
  double progress[2] = {(double)ctx->steps, 0};
  if (withState && ctx->m.trainable) {
    for (size_t i = 0; i < ctx->state.size(); ++i) {
      names.push_back("optimizer." + ctx->m.training.state[i].name);
      tensors.push_back(view(ctx->paramOf(i), ctx->state[i]));
    }
    TensorDecl ps;
    ps.dtype = HEBB_F64;
    ps.shape = {2};
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

} // namespace hebb::rt

using namespace hebb::rt;

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
