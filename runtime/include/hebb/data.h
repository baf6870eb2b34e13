/*===- hebb/data.h - reading datasets (libhebbdata) ----------------*- C -*-===*
 *
 * Array files the training driver reads: NumPy .npy, IDX (the MNIST and
 * Fashion-MNIST format, raw or gzip-compressed) and CSV. A separate library
 * from libhebbrt because it needs zlib; compiled models never do.
 *
 *===----------------------------------------------------------------------===*/

#ifndef HEBB_DATA_H
#define HEBB_DATA_H

#include "hebb/runtime.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Reads `path` by its contents and name:
   - .npy: as hebb_npy_read;
   - IDX (magic 0 0 TYPE RANK, big-endian dims), optionally gzip'd: u8, i8,
     i32, f32 or f64 elements, shape as stored ([60000, 28, 28] for MNIST
     images, [60000] for labels);
   - .csv: rows of comma-separated numbers (a first line that is not numeric
     is a header and skipped) as f32 [rows, columns], or [rows] when there is
     one column; every row must have the same number of columns.
   Truncated files, bad magic numbers and ragged rows are HEBB_ERR_FORMAT
   with a message naming the file and the place. */
HEBB_API hebb_status hebb_data_read(const char *path, hebb_tensor *out);

/* Where Debian's dataset-fashion-mnist puts its four IDX files. */
#define HEBB_FASHION_MNIST_DIR "/usr/share/datasets/fashion-mnist"

#ifdef __cplusplus
}
#endif

#endif /* HEBB_DATA_H */
