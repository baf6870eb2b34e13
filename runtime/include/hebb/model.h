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

#define HEBB_MODEL_ABI 2

/* A compiled entry: one pointer per argument, then one per result, then the
   scratch for its temporaries (memory is planned at compile time: an entry
   allocates nothing). */
typedef void (*hebb_entry)(void **args);

typedef struct hebb_model_desc {
  uint32_t abi;          /* HEBB_MODEL_ABI */
  const char *interface; /* JSON: name, batch, inputs, outputs, labels,
                            params (with initialisers), state slots */
  hebb_entry forward;    /* (inputs..., params..., outputs...) */
  hebb_entry eval; /* (inputs..., labels, params..., loss, outputs...); NULL
                      without training */
  hebb_entry train_step; /* (inputs..., labels, [seed], params..., state..., lr,
                            step, loss, new params..., new state..., new
                            buffers...); NULL without training */
  const void *weights;   /* embedded safetensors (--embed-weights), or NULL */
  uint64_t weights_size;
  uint64_t scratch_bytes; /* temporaries of the largest entry: every entry
                             takes a pointer to this many bytes (64-byte
                             aligned) as its last argument */
  uint32_t device;        /* where the entries' pointers point and their
                             kernels run: a hebb_device */
} hebb_model_desc;

/* The device of a compiled model (hebb compile --target). */
typedef enum hebb_device {
  HEBB_DEVICE_CPU = 0,
  HEBB_DEVICE_CUDA = 1 /* PTX kernels run through the CUDA driver, which is
                          loaded when a context is created */
} hebb_device;

typedef struct hebb_model hebb_model;

/* Learning-rate schedules (PyTorch's StepLR, ExponentialLR and
   CosineAnnealingLR, applied per epoch): the rate of `epoch` (0-based) for
   base rate `lr`. Shared by `hebb train` and compiled programs. */
typedef enum hebb_schedule_kind {
  HEBB_SCHEDULE_CONSTANT = 0,
  HEBB_SCHEDULE_STEP = 1,        /* lr * gamma^(epoch / step_size) */
  HEBB_SCHEDULE_EXPONENTIAL = 2, /* lr * gamma^epoch */
  HEBB_SCHEDULE_COSINE = 3       /* min_lr + (lr - min_lr)(1 + cos(pi min(epoch,
                                    period) / period)) / 2 */
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
HEBB_API hebb_status hebb_model_init_in(const hebb_model_desc *desc,
                                        void *memory, size_t size,
                                        hebb_model **out);
/* The same with memory allocated here (freed by hebb_model_destroy). */
HEBB_API hebb_status hebb_model_create(const hebb_model_desc *desc,
                                       hebb_model **out);
HEBB_API void hebb_model_destroy(hebb_model *model);

/* Re-initialises parameters from their initialisers (Philox, stream = the
   parameter's index: the same values as `hebb train --seed`), zeroes the
   optimizer state and the step counter; `seed` also seeds dropout. */
HEBB_API hebb_status hebb_model_init_params(hebb_model *model, uint64_t seed);

/* inputs[i] / outputs[i] point to dense row-major buffers of the shapes in
   the header. */
HEBB_API hebb_status hebb_model_infer(hebb_model *model,
                                      const void *const *inputs,
                                      void *const *outputs);
/* One optimizer step on a batch; `loss` (may be NULL) receives the loss
   before the update. lr <= 0 uses the model's learning rate. */
HEBB_API hebb_status hebb_model_train_step(hebb_model *model,
                                           const void *const *inputs,
                                           const void *labels, float lr,
                                           float *loss);
/* Loss (and outputs, when `outputs` and its entry are not NULL) of a batch,
   in inference mode (no dropout, running statistics). */
HEBB_API hebb_status hebb_model_eval(hebb_model *model,
                                     const void *const *inputs,
                                     const void *labels, float *loss,
                                     void *const *outputs);

/* Checkpoints (safetensors): parameters under their PyTorch names, optimizer
   state as optimizer.<param>.<slot>, and optimizer.progress (step, epoch) -
   the format of `hebb train --checkpoint`. Saving is atomic. Loading
   accepts a parameters-only file too (optimizer state is then zeroed);
   every tensor must have the model's shape, f64 values are converted. */
HEBB_API hebb_status hebb_model_save(hebb_model *model, const char *path);
/* Parameters (and batch-norm buffers) only: a PyTorch state_dict. */
HEBB_API hebb_status hebb_model_save_parameters(hebb_model *model,
                                                const char *path);
HEBB_API hebb_status hebb_model_load(hebb_model *model, const char *path);

/* A parameter (or buffer) by name, for reading or writing in place. */
HEBB_API hebb_status hebb_model_param(hebb_model *model, const char *name,
                                      hebb_tensor *view);
/* The model's interface as JSON (name, batch, inputs, outputs, labels,
   parameters, optimizer state), as compiled into the descriptor. */
HEBB_API const char *hebb_model_interface(const hebb_model *model);

/* Steps taken since initialisation (or loaded from a checkpoint). */
HEBB_API int64_t hebb_model_steps(const hebb_model *model);

/* The interface, typed: what each entry takes and returns. */
typedef enum hebb_role {
  HEBB_ROLE_INPUT = 0,  /* inputs of infer, eval and train_step, in order */
  HEBB_ROLE_OUTPUT = 1, /* outputs of infer and eval, in order */
  HEBB_ROLE_LABELS = 2, /* the labels of eval and train_step (0 or 1) */
  HEBB_ROLE_PARAM = 3,  /* parameters and buffers, in state_dict order */
  HEBB_ROLE_STATE = 4   /* optimizer state slots ("<param>.<slot>") */
} hebb_role;

typedef struct hebb_tensor_info {
  const char *name; /* valid while the model lives */
  hebb_dtype dtype;
  int32_t rank;
  int64_t shape[HEBB_MAX_RANK]; /* inputs, outputs, labels: batch first */
  int32_t buffer; /* HEBB_ROLE_PARAM: a buffer (running statistics),
                     updated by the step's own rule, not the optimizer */
  int32_t param;  /* HEBB_ROLE_STATE: index of its parameter; else -1 */
} hebb_tensor_info;

/* How many tensors of `role` the model has (0 for a NULL model). */
HEBB_API int64_t hebb_model_count(const hebb_model *model, hebb_role role);
HEBB_API hebb_status hebb_model_tensor_info(const hebb_model *model,
                                            hebb_role role, int64_t index,
                                            hebb_tensor_info *out);

/* The model's own training settings (from its "training" section). */
typedef struct hebb_training_info {
  const char *loss; /* "softmax_cross_entropy", "mse", ... */
  int32_t mean;     /* the loss averages over the batch (else sums) */
  int32_t seeded;
  int32_t probability_labels;
  /* f32 labels must lie in [0, 1] */ /* the step draws random numbers
                                         (dropout) */
  double lr;                          /* the optimizer's learning rate */
  int64_t epochs;
  hebb_schedule_kind schedule; /* with the arguments of hebb_schedule_lr */
  int64_t step_size, period;
  double gamma, min_lr;
  const char *dataset; /* default data ("fashion-mnist") or "" */
  const char *data_x;  /* else the model's data files (absolute paths), */
  const char *data_y;  /* or "" */
  const hebb_tensor *inline_x; /* else data written in the model (f64, */
  const hebb_tensor *inline_y; /* samples first), or NULL */
  double validation_split;
  int64_t patience; /* early stopping (0: never) */
  double min_delta;
} hebb_training_info;

/* HEBB_ERR_NOT_FOUND when the model was compiled without training. */
HEBB_API hebb_status hebb_model_training(const hebb_model *model,
                                         hebb_training_info *out);
/* The batch size the entries were compiled for, and the model's name. */
HEBB_API int64_t hebb_model_batch(const hebb_model *model);
HEBB_API const char *hebb_model_name(const hebb_model *model);

#ifdef __cplusplus
}
#endif

#endif /* HEBB_MODEL_H */
