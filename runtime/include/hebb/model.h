/*===- hebb/model.h - compiled models: contexts and entry points ---*- C -*-===*
 *
 * What a model compiled ahead of time (`hebb compile --emit=obj,header`)
 * needs from libhebbrt. The object exports one symbol, NAME_descriptor (a
 * hebb_model_desc); the generated NAME.h wraps the functions below with
 * typed, model-named ones (docs/embedding.md). A context owns parameters,
 * optimizer state, the step counter and the buffers of one call; it is not
 * safe to use one context from two threads at once.
 *
 *===----------------------------------------------------------------------===*/

#ifndef HEBB_MODEL_H
#define HEBB_MODEL_H

#include "hebb/runtime.h"

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

#define HEBB_MODEL_ABI 1

/* A compiled entry: one pointer per argument, then one per result, then the
   scratch for its temporaries (memory is planned at compile time: an entry
   allocates nothing). */
typedef void (*hebb_entry)(void **args);

typedef struct hebb_model_desc {
  uint32_t abi;          /* HEBB_MODEL_ABI */
  const char *interface; /* JSON: name, batch, inputs, outputs, labels,
                            params (with initialisers), state slots */
  hebb_entry forward;    /* (inputs..., params..., outputs...) */
  hebb_entry eval;       /* (inputs..., labels, params..., loss, outputs...); NULL without training */
  hebb_entry train_step; /* (inputs..., labels, [seed], params..., state..., lr, step,
                            loss, new params..., new state..., new buffers...); NULL without training */
  const void *weights;   /* embedded safetensors (--embed-weights), or NULL */
  uint64_t weights_size;
  uint64_t scratch_bytes; /* temporaries of the largest entry: every entry
                             takes a pointer to this many bytes (64-byte
                             aligned) as its last argument */
} hebb_model_desc;

typedef struct hebb_model hebb_model;

/* Learning-rate schedules (PyTorch's StepLR, ExponentialLR and
   CosineAnnealingLR, applied per epoch): the rate of `epoch` (0-based) for
   base rate `lr`. Shared by `hebb train` and compiled programs. */
typedef enum hebb_schedule_kind {
  HEBB_SCHEDULE_CONSTANT = 0,
  HEBB_SCHEDULE_STEP = 1,        /* lr * gamma^(epoch / step_size) */
  HEBB_SCHEDULE_EXPONENTIAL = 2, /* lr * gamma^epoch */
  HEBB_SCHEDULE_COSINE = 3       /* min_lr + (lr - min_lr)(1 + cos(pi min(epoch, period) / period)) / 2 */
} hebb_schedule_kind;

static inline double hebb_schedule_lr(hebb_schedule_kind kind, double lr,
                                      int64_t epoch, int64_t step_size,
                                      double gamma, int64_t period,
                                      double min_lr) {
  switch (kind) {
  case HEBB_SCHEDULE_STEP:
    return lr * pow(gamma, (double)(epoch / (step_size > 0 ? step_size : 1)));
  case HEBB_SCHEDULE_EXPONENTIAL:
    return lr * pow(gamma, (double)epoch);
  case HEBB_SCHEDULE_COSINE: {
    double p = (double)(period > 0 ? period : 1);
    double t = (double)(epoch < period ? epoch : period) / p;
    return min_lr + (lr - min_lr) * (1 + cos(3.14159265358979323846 * t)) / 2;
  }
  default:
    return lr;
  }
}

/* Bytes hebb_model_init_in needs for every parameter, optimizer state,
   call buffer and the entries' scratch (0 if the descriptor is invalid). */
HEBB_API size_t hebb_model_memory_size(const hebb_model_desc *desc);
/* A context whose tensors live in `memory` (64-byte aligned, at least
   hebb_model_memory_size bytes, owned by the caller). Parameters are the
   embedded weights when the object has them, else initialised with seed 0. */
HEBB_API hebb_status hebb_model_init_in(const hebb_model_desc *desc, void *memory,
                                        size_t size, hebb_model **out);
/* The same with memory allocated here (freed by hebb_model_destroy). */
HEBB_API hebb_status hebb_model_create(const hebb_model_desc *desc, hebb_model **out);
HEBB_API void hebb_model_destroy(hebb_model *model);

/* Re-initialises parameters from their initialisers (Philox, stream = the
   parameter's index: the same values as `hebb train --seed`), zeroes the
   optimizer state and the step counter; `seed` also seeds dropout. */
HEBB_API hebb_status hebb_model_init_params(hebb_model *model, uint64_t seed);

/* inputs[i] / outputs[i] point to dense row-major buffers of the shapes in
   the header. */
HEBB_API hebb_status hebb_model_infer(hebb_model *model, const void *const *inputs,
                                      void *const *outputs);
/* One optimizer step on a batch; `loss` (may be NULL) receives the loss
   before the update. lr <= 0 uses the model's learning rate. */
HEBB_API hebb_status hebb_model_train_step(hebb_model *model, const void *const *inputs,
                                           const void *labels, float lr, float *loss);
/* Loss (and outputs, when `outputs` is not NULL) of a batch, in inference
   mode (no dropout, running statistics). */
HEBB_API hebb_status hebb_model_eval(hebb_model *model, const void *const *inputs,
                                     const void *labels, float *loss, void *const *outputs);

/* Checkpoints (safetensors): parameters under their PyTorch names, optimizer
   state as optimizer.<param>.<slot>, and optimizer.progress (step, epoch) -
   the format of `hebb train --checkpoint`. Saving is atomic. Loading
   accepts a parameters-only file too (optimizer state is then zeroed). */
HEBB_API hebb_status hebb_model_save(hebb_model *model, const char *path);
/* Parameters (and batch-norm buffers) only: a PyTorch state_dict. */
HEBB_API hebb_status hebb_model_save_parameters(hebb_model *model, const char *path);
HEBB_API hebb_status hebb_model_load(hebb_model *model, const char *path);

/* A parameter (or buffer) by name, for reading or writing in place. */
HEBB_API hebb_status hebb_model_param(hebb_model *model, const char *name,
                                      hebb_tensor *view);
/* The model's interface as JSON (name, batch, inputs, outputs, labels,
   parameters, optimizer state), as compiled into the descriptor. */
HEBB_API const char *hebb_model_interface(const hebb_model *model);

/* Steps taken since initialisation (or loaded from a checkpoint). */
HEBB_API int64_t hebb_model_steps(const hebb_model *model);

#ifdef __cplusplus
}
#endif

#endif /* HEBB_MODEL_H */
