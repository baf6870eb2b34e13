/*===- hebb/runtime.h - libhebbrt C API ---------------------------*- C -*-===*
 *
 * The runtime that compiled hebb models and the hebb tools share: tensor
 * buffers, .npy and safetensors files, status codes with messages. Plain C
 * (C99 and C++), no dependency on MLIR or LLVM.
 *
 *===----------------------------------------------------------------------===*/

#ifndef HEBB_RUNTIME_H
#define HEBB_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#if defined(__GNUC__)
#define HEBB_API __attribute__((visibility("default")))
#else
#define HEBB_API
#endif

#ifdef __cplusplus
extern "C" {
#endif

/* Status codes. On failure hebb_last_error() has a one-line message naming
   the file and what was wrong. */
typedef enum hebb_status {
  HEBB_OK = 0,
  HEBB_ERR_IO = 1,               /* cannot open, read or write a file */
  HEBB_ERR_FORMAT = 2,           /* malformed file contents */
  HEBB_ERR_SHAPE = 3,            /* shape does not match what was expected */
  HEBB_ERR_DTYPE = 4,            /* element type not supported or mismatched */
  HEBB_ERR_NOT_FOUND = 5,        /* a named tensor is absent */
  HEBB_ERR_NO_MEMORY = 6,        /* allocation failed or size too large */
  HEBB_ERR_INVALID_ARGUMENT = 7, /* null pointer, bad rank, ... */
  HEBB_ERR_DEVICE = 8 /* no CUDA driver or device, or a device call failed */
} hebb_status;

/* A short name for a status ("ok", "io error", ...). */
HEBB_API const char *hebb_status_name(hebb_status status);
/* The message of the last failure on this thread ("" if none). */
HEBB_API const char *hebb_last_error(void);

typedef enum hebb_dtype {
  HEBB_F32 = 0,
  HEBB_F64 = 1,
  HEBB_I32 = 2,
  HEBB_I64 = 3,
  HEBB_U8 = 4,
  HEBB_I8 = 5,
  HEBB_BOOL = 6
} hebb_dtype;

/* Bytes per element, and the safetensors spelling ("F32", "I64", ...). */
HEBB_API size_t hebb_dtype_size(hebb_dtype dtype);
HEBB_API const char *hebb_dtype_name(hebb_dtype dtype);

#define HEBB_MAX_RANK 8

/* A dense row-major tensor. `data` is owned by whoever allocated it:
   hebb_tensor_alloc memory is released by hebb_tensor_free. */
typedef struct hebb_tensor {
  hebb_dtype dtype;
  int32_t rank;
  int64_t shape[HEBB_MAX_RANK];
  void *data;
} hebb_tensor;

/* Allocates a zeroed, 64-byte aligned tensor. Fails with HEBB_ERR_NO_MEMORY
   when the byte size overflows or exceeds the allocator. */
HEBB_API hebb_status hebb_tensor_alloc(hebb_tensor *t, hebb_dtype dtype,
                                       int32_t rank, const int64_t *shape);
HEBB_API void hebb_tensor_free(hebb_tensor *t);
HEBB_API int64_t hebb_tensor_numel(const hebb_tensor *t);
HEBB_API size_t hebb_tensor_nbytes(const hebb_tensor *t);
/* Converts element type into a new tensor (e.g. f64 data to f32, i64 labels
   to i32). Integer overflow on narrowing is an error. */
HEBB_API hebb_status hebb_tensor_convert(const hebb_tensor *src,
                                         hebb_dtype dtype, hebb_tensor *dst);

/* NumPy .npy files (format 1.0-3.0, little-endian, C order). */
HEBB_API hebb_status hebb_npy_read(const char *path, hebb_tensor *out);
HEBB_API hebb_status hebb_npy_write(const char *path, const hebb_tensor *t);

/* Whether `path` could be written now (its directory exists and is
   writable, it is not a directory), without writing anything: programs
   check their outputs before long work. */
HEBB_API hebb_status hebb_check_writable(const char *path);

/* safetensors files. Writing is atomic: a temporary file renamed into place,
   so a killed writer never leaves a torn file. */
typedef struct hebb_safetensors hebb_safetensors;
HEBB_API hebb_status hebb_safetensors_open(const char *path,
                                           hebb_safetensors **out);
/* The same for safetensors bytes in memory (copied); `label` names them in
   messages. */
HEBB_API hebb_status hebb_safetensors_open_memory(const void *data, size_t size,
                                                  const char *label,
                                                  hebb_safetensors **out);
HEBB_API size_t hebb_safetensors_count(const hebb_safetensors *file);
HEBB_API const char *hebb_safetensors_name(const hebb_safetensors *file,
                                           size_t index);
/* Copies the named tensor into a newly allocated `out`. */
HEBB_API hebb_status hebb_safetensors_get(const hebb_safetensors *file,
                                          const char *name, hebb_tensor *out);
HEBB_API void hebb_safetensors_close(hebb_safetensors *file);
HEBB_API hebb_status hebb_safetensors_write(const char *path, size_t count,
                                            const char *const *names,
                                            const hebb_tensor *tensors);

/* Parameter initialisers. Random ones draw from Philox-4x32-10 keyed by
   `seed`, with counter (stream, element index): results do not depend on
   threads or on the order tensors are filled in. Use a distinct stream per
   parameter. fan_in/fan_out feed the Glorot, He and PyTorch-default rules. */
typedef enum hebb_init_kind {
  HEBB_INIT_ZEROS = 0,
  HEBB_INIT_ONES = 1,
  HEBB_INIT_CONSTANT = 2,       /* a */
  HEBB_INIT_UNIFORM = 3,        /* U(a, b) */
  HEBB_INIT_NORMAL = 4,         /* N(mean a, std b) */
  HEBB_INIT_GLOROT_UNIFORM = 5, /* U(+-sqrt(6 / (fan_in + fan_out))) */
  HEBB_INIT_GLOROT_NORMAL = 6,  /* N(0, sqrt(2 / (fan_in + fan_out))) */
  HEBB_INIT_HE_UNIFORM = 7,     /* U(+-sqrt(6 / fan_in)) */
  HEBB_INIT_HE_NORMAL = 8,      /* N(0, sqrt(2 / fan_in)) */
  HEBB_INIT_TORCH_DEFAULT =
      9 /* U(+-1 / sqrt(fan_in)): nn.Linear weight and bias */
} hebb_init_kind;

typedef struct hebb_init {
  hebb_init_kind kind;
  double a, b;
  int64_t fan_in, fan_out;
} hebb_init;

HEBB_API hebb_status hebb_init_fill(hebb_tensor *t, const hebb_init *init,
                                    uint64_t seed, uint64_t stream);

/* Philox-4x32-10: four 32-bit random words for (key, counter). */
HEBB_API void hebb_philox4x32(uint64_t key, uint64_t counter_hi,
                              uint64_t counter_lo, uint32_t out[4]);

/* Kernels that compiled code calls. */

/* C = A·B, or C += A·B when accumulate is non-zero; A is m x k, B is k x n,
   C is m x n. Element (i, j) of a matrix X lives at x[i * x_rs + j * x_cs],
   so transposed and strided operands need no copy. Packed, register-blocked
   and, for large products, split over OpenMP threads; each element of C is
   summed in the same order whatever the thread count. */
HEBB_API void hebb_sgemm(int64_t m, int64_t n, int64_t k, const float *a,
                         int64_t a_rs, int64_t a_cs, const float *b,
                         int64_t b_rs, int64_t b_cs, float *c, int64_t c_rs,
                         int64_t c_cs, int32_t accumulate);

/* B packed once for many products (an inference entry's weights): the k x n
   matrix B in the layout hebb_sgemm's kernels read, which takes
   HEBB_SGEMM_PACKED_FLOATS(n, k) floats at `packed`. */
#define HEBB_SGEMM_PACKED_FLOATS(n, k) ((((n) + 15) / 16) * 16 * (k))
HEBB_API void hebb_sgemm_pack_b(int64_t n, int64_t k, const float *b,
                                int64_t b_rs, int64_t b_cs, float *packed);

/* hebb_sgemm with extras, each optional: `packed`, B packed by
   hebb_sgemm_pack_b (from the same n, k, b and strides), saves packing B
   (products of a few rows read B itself, as hebb_sgemm does); `bias` (n
   values) is added to each row of the product, and with `relu` non-zero
   negative results become zero (NaN stays NaN), as C is stored: each
   element is written once. Bit for bit what hebb_sgemm followed by those
   operations gives. */
HEBB_API void hebb_sgemm_fused(int64_t m, int64_t n, int64_t k, const float *a,
                               int64_t a_rs, int64_t a_cs, const float *b,
                               int64_t b_rs, int64_t b_cs, const float *packed,
                               float *c, int64_t c_rs, int64_t c_cs,
                               int32_t accumulate, const float *bias,
                               int32_t relu);

/* hebb_sgemm for each of `batch` products: product q reads a + q * a_bs,
   b + q * b_bs and writes c + q * c_bs. Products too small to split are
   shared out whole over OpenMP threads; each element of C is summed in the
   same order whatever the thread count. */
HEBB_API void hebb_sgemm_batched(int64_t batch, int64_t m, int64_t n, int64_t k,
                                 const float *a, int64_t a_bs, int64_t a_rs,
                                 int64_t a_cs, const float *b, int64_t b_bs,
                                 int64_t b_rs, int64_t b_cs, float *c,
                                 int64_t c_bs, int64_t c_rs, int64_t c_cs,
                                 int32_t accumulate);

/* The columns of windows over a batch of images, both contiguous:
   cols[ci][i][j][ni][y][x] = image[ni][ci][y*sh + i*dh][x*sw + j*dw] for an
   image of n x c x h x w (padding already added), a kh x kw window with
   strides sh, sw and dilations dh, dw, and oh x ow windows. */
HEBB_API void hebb_im2col(const float *image, int64_t n, int64_t c, int64_t h,
                          int64_t w, int64_t kh, int64_t kw, int64_t sh,
                          int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                          int64_t ow, float *cols);

/* The adjoint of hebb_im2col: every column value added into the image
   element it was read from; the image is cleared first unless accumulate is
   non-zero. Each element is summed in the same order whatever the thread
   count. */
HEBB_API void hebb_col2im(const float *cols, int64_t n, int64_t c, int64_t h,
                          int64_t w, int64_t kh, int64_t kw, int64_t sh,
                          int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                          int64_t ow, float *image, int32_t accumulate);

/* A convolution read straight from the image (for few taps per output,
   where the column matrix would cost more than the product):
   out[oi][ni][y][x] = sum over the taps t = (ci*kh + i)*kw + j in increasing
   order of weight[oi][t] * image[ni][ci][y*sh + i*dh][x*sw + j*dw], for an
   image of n x c x h x w (padding already added), o output channels and
   oh x ow windows; out is channel-major [o][n][oh][ow], as the product of
   the weight and hebb_im2col's columns. */
HEBB_API void hebb_conv2d(const float *image, int64_t n, int64_t c, int64_t h,
                          int64_t w, int64_t kh, int64_t kw, int64_t sh,
                          int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                          int64_t ow, const float *weight, int64_t o,
                          float *out);

/* The weight gradient of hebb_conv2d: dweight[oi][t] = sum over ni, y, x of
   grad[oi][ni][y][x] * image[ni][ci][y*sh + i*dh][x*sw + j*dw], added to
   dweight when accumulate is non-zero. Summed in an order fixed by the
   geometry, whatever the thread count. */
HEBB_API void hebb_conv2d_filter_grad(const float *image, int64_t n, int64_t c,
                                      int64_t h, int64_t w, int64_t kh,
                                      int64_t kw, int64_t sh, int64_t sw,
                                      int64_t dh, int64_t dw, int64_t oh,
                                      int64_t ow, const float *grad, int64_t o,
                                      float *dweight, int32_t accumulate);

/* Max pooling of an image of n x c x h x w (padding already added) by
   kh x kw windows at strides sh, sw and dilations dh, dw, oh x ow of them:
   max[ni][y][x] is the greatest image[ni][ci][y*sh + i*dh][x*sw + j*dw]
   over the taps t = (ci*kh + i)*kw + j in increasing order, and
   argmax[ni][y][x] the first tap holding it (tap 0, then each tap greater
   than every one before; a NaN at tap 0 stays). */
HEBB_API void hebb_max_pool(const float *image, int64_t n, int64_t c, int64_t h,
                            int64_t w, int64_t kh, int64_t kw, int64_t sh,
                            int64_t sw, int64_t dh, int64_t dw, int64_t oh,
                            int64_t ow, float *max, int32_t *argmax);

/* The gradient of hebb_max_pool: grad[ni][y][x] added into the image
   element that tap argmax[ni][y][x] of window (y, x) read (taps outside
   [0, c*kh*kw) add nothing), window after window in row-major order, so
   overlapping windows sum in one order whatever the thread count. The
   image is cleared first unless accumulate is non-zero. */
HEBB_API void hebb_max_pool_grad(const float *grad, const int32_t *argmax,
                                 int64_t n, int64_t c, int64_t h, int64_t w,
                                 int64_t kh, int64_t kw, int64_t sh, int64_t sw,
                                 int64_t dh, int64_t dw, int64_t oh, int64_t ow,
                                 float *image, int32_t accumulate);

/* What compiled GPU entries call for each kernel: loads the PTX text
   (NUL-terminated; once per text), finds the kernel `name` (once) and
   launches it on the default stream with `count` parameters, each in a
   64-bit slot of `slots`. A failure is recorded and reported when the entry
   returns (hebb_model_*), never here. */
HEBB_API void hebb_cuda_launch(const char *ptx, const char *name,
                               int64_t grid_x, int64_t grid_y, int64_t grid_z,
                               int64_t block_x, int64_t block_y,
                               int64_t block_z, int64_t *slots, int64_t count);

/* The work, in estimated operations, below which hebb_parallel_for stays on
   the calling thread: waking another thread costs about as much. */
#define HEBB_PARALLEL_MIN_WORK 65536

/* task(args, lo, hi) over [0, n): split into contiguous ranges, each a
   multiple of grain long except the last, one per OpenMP thread, when the
   work reaches HEBB_PARALLEL_MIN_WORK, more than one thread may run and the
   caller is not in a parallel region already; else task(args, 0, n) on this
   thread. Each index goes to exactly one call, so a task whose iterations
   are independent gives the same result for any thread count. Compiled
   loop nests call it; it allocates nothing. */
HEBB_API void
hebb_parallel_for(void (*task)(void *args, int64_t lo, int64_t hi), void *args,
                  int64_t n, int64_t grain, int64_t work);

#ifdef __cplusplus
}
#endif

#endif /* HEBB_RUNTIME_H */
