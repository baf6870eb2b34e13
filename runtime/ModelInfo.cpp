//===- ModelInfo.cpp - typed queries of a model's interface ---------------===//

#include "ModelContext.h"
#include "Status.h"
#include "cuda/DeviceModel.h"

#include <cstring>

using namespace hebb::rt;

namespace {
void fill(const TensorDecl &d, hebb_tensor_info *out) {
  std::memset(out, 0, sizeof *out);
  out->name = d.name.c_str();
  out->dtype = d.dtype;
  out->rank = (int32_t)d.shape.size();
  for (size_t i = 0; i < d.shape.size(); ++i)
    out->shape[i] = d.shape[i];
  out->param = -1;
}
} // namespace

namespace hebb::rt {
hebb_tensor view(const TensorDecl &d, void *data) {
  hebb_tensor t{};
  t.dtype = d.dtype;
  t.rank = (int32_t)d.shape.size();
  for (size_t i = 0; i < d.shape.size(); ++i)
    t.shape[i] = d.shape[i];
  t.data = data;
  return t;
}
} // namespace hebb::rt

extern "C" int64_t hebb_model_count(const hebb_model *ctx, hebb_role role) {
  if (!ctx)
    return 0;
  switch (role) {
  case HEBB_ROLE_INPUT:
    return (int64_t)ctx->m.inputs.size();
  case HEBB_ROLE_OUTPUT:
    return (int64_t)ctx->m.outputs.size();
  case HEBB_ROLE_LABELS:
    return ctx->m.trainable ? 1 : 0;
  case HEBB_ROLE_PARAM:
    return (int64_t)ctx->m.params.size();
  case HEBB_ROLE_STATE:
    return (int64_t)ctx->m.training.state.size();
  }
  return 0;
}

extern "C" hebb_status hebb_model_tensor_info(const hebb_model *ctx,
                                              hebb_role role, int64_t index,
                                              hebb_tensor_info *out) {
  if (!ctx || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_tensor_info: null argument");
  if (index < 0 || index >= hebb_model_count(ctx, role))
    return fail(HEBB_ERR_NOT_FOUND, ctx->m.name + ": no tensor " +
                                        std::to_string(index) + " of role " +
                                        std::to_string((int)role));
  switch (role) {
  case HEBB_ROLE_INPUT:
    fill(ctx->m.inputs[index], out);
    break;
  case HEBB_ROLE_OUTPUT:
    fill(ctx->m.outputs[index], out);
    break;
  case HEBB_ROLE_LABELS:
    fill(ctx->m.training.labels, out);
    break;
  case HEBB_ROLE_PARAM:
    fill(ctx->m.params[index], out);
    out->buffer = ctx->m.params[index].buffer;
    break;
  case HEBB_ROLE_STATE: {
    const StateDecl &s = ctx->m.training.state[index];
    fill(ctx->m.params[s.param], out);
    out->name = s.name.c_str();
    out->param = (int32_t)s.param;
    break;
  }
  }
  return HEBB_OK;
}

extern "C" hebb_status hebb_model_training(const hebb_model *ctx,
                                           hebb_training_info *out) {
  if (!ctx || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT,
                "hebb_model_training: null argument");
  if (!ctx->m.trainable)
    return fail(HEBB_ERR_NOT_FOUND,
                ctx->m.name + ": compiled without a training section");
  const TrainingDecl &t = ctx->m.training;
  out->loss = t.loss.c_str();
  out->mean = t.mean;
  out->seeded = t.seeded;
  out->probability_labels = t.probabilityLabels;
  out->lr = t.lr;
  out->epochs = t.epochs;
  out->schedule = t.schedule;
  out->step_size = t.stepSize;
  out->period = t.period;
  out->gamma = t.gamma;
  out->min_lr = t.minLr;
  out->dataset = t.dataset.c_str();
  out->data_x = t.dataX.c_str();
  out->data_y = t.dataY.c_str();
  out->inline_x = t.inlineX.empty() ? nullptr : &ctx->inlineX;
  out->inline_y = t.inlineY.empty() ? nullptr : &ctx->inlineY;
  out->validation_split = t.validationSplit;
  out->patience = t.patience;
  out->min_delta = t.minDelta;
  return HEBB_OK;
}

extern "C" int64_t hebb_model_batch(const hebb_model *ctx) {
  return ctx ? ctx->m.batch : 0;
}

extern "C" const char *hebb_model_name(const hebb_model *ctx) {
  return ctx ? ctx->m.name.c_str() : "";
}

extern "C" hebb_status hebb_model_param(hebb_model *ctx, const char *name,
                                        hebb_tensor *out) {
  if (!ctx || !name || !out)
    return fail(HEBB_ERR_INVALID_ARGUMENT, "hebb_model_param: null argument");
  // The view may be read or written: the host copy is current and the
  // device's is not.
  if (hebb_status s = hebb::cuda::download(ctx))
    return s;
  if (ctx->device)
    ctx->device->deviceStale = true;
  ctx->packsStale = true;
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

extern "C" const char *hebb_model_interface(const hebb_model *ctx) {
  return ctx ? ctx->desc->interface : "";
}
